from __future__ import annotations

import numpy as np
import pytest
import rasterio
from conftest import write_raster
from rasterio.transform import from_origin

from landcover.core.io.classes import CLASSES_TAG, MAP_TAG, classes_to_json
from landcover.core.io.errors import InputError
from landcover.core.io.progress import Cancelled, Progress
from landcover.core.io.raster import read_classes
from landcover.core.postprocess.crf import CrfSettings, crf_array, crf_raster, spatial_kernel
from landcover.core.postprocess.majority import majority_filter
from landcover.core.synthetic import THIN_SCENE_CLASSES, make_thin_feature_scene

TRANSFORM = from_origin(500000, 4000000, 10, 10)


def write(path, data, tags=None, classes_tag=True, classes=None, nodata=float("nan")):
    scene_classes = classes or THIN_SCENE_CLASSES
    all_tags = dict(tags or {})
    if classes_tag:
        all_tags[CLASSES_TAG] = classes_to_json(scene_classes)
    return write_raster(
        path, data, transform=TRANSFORM, nodata=nodata, tags=all_tags, plugin_writer=True
    )


def scores(scene, labels):
    return (
        float(np.mean(labels == scene.truth)),
        float(np.mean(labels[scene.thin] == 1)),
        float(np.mean(labels[~scene.thin] == scene.truth[~scene.thin])),
    )


def test_spatial_kernel_is_gaussian_and_sums_to_one():
    kernel = spatial_kernel(2)
    assert len(kernel) == 24
    assert sum(w for *_, w in kernel) == pytest.approx(1.0)
    weight = {(dy, dx): w for dy, dx, w in kernel}
    assert weight[(0, 1)] == pytest.approx(weight[(1, 0)])
    assert weight[(0, 1)] / weight[(1, 1)] == pytest.approx(np.exp(0.5))


def test_crf_beats_raw_and_keeps_the_thin_water_majority_erases():
    scene = make_thin_feature_scene(192, seed=3)
    raw = np.argmax(scene.probabilities, axis=0) + 1
    majority = majority_filter(raw.astype(np.uint8), 5)
    crf = crf_array(scene.probabilities, scene.image) + 1
    raw_oa, raw_thin, _ = scores(scene, raw)
    _, maj_thin, maj_interior = scores(scene, majority)
    crf_oa, crf_thin, crf_interior = scores(scene, crf)
    assert crf_oa > raw_oa + 0.1
    assert maj_thin < raw_thin - 0.15  # the majority filter erases thin water
    assert crf_thin >= raw_thin - 0.02  # the CRF keeps it
    assert crf_interior >= maj_interior - 0.005


def test_one_confident_pixel_survives_and_an_unsure_one_gives_way():
    p = np.zeros((2, 9, 9), dtype=np.float32)
    p[0] = 0.9
    p[1] = 0.1
    p[:, 4, 4] = (0.02, 0.98)  # a sure pixel of class 2
    p[:, 2, 2] = (0.45, 0.55)  # an unsure one
    labels = crf_array(p, np.zeros((1, 9, 9), np.float32), CrfSettings(1.0, 1.0, 2, 5))
    assert labels[4, 4] == 1
    assert labels[2, 2] == 0
    assert (labels == 0).sum() == 80


def test_an_edge_in_the_guide_stops_smoothing_across_it():
    # a one-pixel line the classifier hesitates about: smoothed away without a
    # guide edge, kept when the guide shows the line
    p = np.zeros((2, 11, 11), dtype=np.float32)
    p[0], p[1] = 0.8, 0.2
    p[:, :, 5] = np.array([0.4, 0.6])[:, None]
    flat = np.zeros((1, 11, 11), np.float32)
    edged = flat.copy()
    edged[0, :, 5] = 1.0
    edged += np.random.default_rng(0).normal(0, 0.01, edged.shape).astype(np.float32)
    settings = CrfSettings(spatial_weight=0.0, edge_weight=3.0)
    assert (crf_array(p, flat, settings)[:, 5] == 0).all()
    assert (crf_array(p, edged, settings)[:, 5] == 1).all()


@pytest.mark.parametrize("workers", [1, 2])
def test_blocks_equal_the_whole_raster(tmp_path, workers):
    scene = make_thin_feature_scene(300, seed=1)
    p = scene.probabilities.copy()
    p[:, 40:60, 250:290] = np.nan  # a nodata hole across a block edge
    prob = write(tmp_path / "p.tif", p, tags={MAP_TAG: "abc"})
    image = scene.image.copy()
    image[:, 100:130, 240:270] = np.nan  # a guide hole: no edge there, the map goes on
    guide = write(tmp_path / "g.tif", image, classes_tag=False)
    whole = crf_raster(
        prob,
        tmp_path / "whole.tif",
        guide,
        output_probabilities=tmp_path / "wq.tif",
        max_pixels=10**7,
        workers=1,
    )
    blocks = crf_raster(
        prob,
        tmp_path / "blocks.tif",
        guide,
        output_probabilities=tmp_path / "bq.tif",
        max_pixels=1,
        workers=workers,
    )
    assert whole.blocks == 1 and blocks.blocks == 4
    with rasterio.open(tmp_path / "whole.tif") as a, rasterio.open(tmp_path / "blocks.tif") as b:
        np.testing.assert_array_equal(a.read(1), b.read(1))
        assert (a.read(1)[40:60, 250:290] == 0).all()
        assert a.tags()[MAP_TAG] == "abc"
        assert [c.name for c in read_classes(a)] == ["water", "forest", "grassland", "cropland"]
        assert (a.read(1)[100:130, 240:270] > 0).all()
        expected = crf_array(p, image) + 1
        np.testing.assert_array_equal(a.read(1), np.where(expected > 0, expected, 0))
    with rasterio.open(tmp_path / "wq.tif") as a, rasterio.open(tmp_path / "bq.tif") as b:
        np.testing.assert_allclose(a.read(), b.read(), atol=1e-6)
        assert a.descriptions == ("water", "forest", "grassland", "cropland")
    assert whole.changed == blocks.changed > 0


def test_without_a_guide_the_probabilities_guide(tmp_path):
    scene = make_thin_feature_scene(64, seed=2)
    prob = write(tmp_path / "p.tif", scene.probabilities)
    crf_raster(prob, tmp_path / "out.tif")
    with rasterio.open(tmp_path / "out.tif") as out:
        np.testing.assert_array_equal(out.read(1), crf_array(scene.probabilities) + 1)


def bad_cases(tmp_path):
    scene = make_thin_feature_scene(32)
    p = scene.probabilities
    yield "band", write(tmp_path / "bands.tif", p[:3]), {}
    yield (
        "class raster",
        write(tmp_path / "cls.tif", (np.argmax(p, 0) + 1)[None].astype(np.uint8), nodata=0),
        {},
    )
    yield "does not say", write(tmp_path / "untagged.tif", p, classes_tag=False), {}
    yield "outside 0..1", write(tmp_path / "scaled.tif", p * 100), {}
    other = tmp_path / "other.tif"
    write_raster(
        other,
        np.zeros((1, 32, 32), np.float32),
        transform=from_origin(500005, 4000000, 10, 10),
        plugin_writer=True,
    )
    good = write(tmp_path / "good.tif", p)
    yield "another grid", good, {"guide_path": str(other)}
    yield "weight must be", good, {"settings": CrfSettings(spatial_weight=-1)}
    yield "weight must be", good, {"settings": CrfSettings(edge_weight=1000)}
    yield "radius", good, {"settings": CrfSettings(radius=0)}
    yield "iterations", good, {"settings": CrfSettings(iterations=-1)}
    yield "iterations", good, {"settings": CrfSettings(iterations=51)}
    yield "both an input", good, {"output_path": good}


def test_no_iterations_give_the_most_probable_class(tmp_path):
    # The workflow model turns the CRF off with 0 iterations: the map is then the
    # classifier's own (its most probable class), nodata kept.
    scene = make_thin_feature_scene(64, seed=3)
    p = scene.probabilities.copy()
    p[:, 5:9, 10:20] = np.nan
    prob = write(tmp_path / "p.tif", p)
    crf_raster(prob, tmp_path / "out.tif", prob, CrfSettings(iterations=0), max_pixels=1)
    with rasterio.open(tmp_path / "out.tif") as src:
        labels = src.read(1)
    expected = np.argmax(np.nan_to_num(p, nan=-1.0), axis=0) + 1
    expected[5:9, 10:20] = 0
    np.testing.assert_array_equal(labels, expected)
    raw = np.argmax(scene.probabilities, axis=0) + 1
    assert (labels != raw).sum() == 40  # only the hole differs: nothing was smoothed


def test_bad_input_is_a_clear_error_and_writes_nothing(tmp_path):
    for expected, path, kwargs in bad_cases(tmp_path):
        output = kwargs.pop("output_path", str(tmp_path / "out.tif"))
        with pytest.raises(InputError, match=expected):
            crf_raster(path, output, **kwargs)
        assert not (tmp_path / "out.tif").exists()
    assert not list(tmp_path.glob(".*partial*"))


def test_cancel_writes_nothing(tmp_path):
    scene = make_thin_feature_scene(300)
    prob = write(tmp_path / "p.tif", scene.probabilities)
    with pytest.raises(Cancelled):
        crf_raster(prob, tmp_path / "out.tif", progress=Progress(None, lambda: True), max_pixels=1)
    assert not (tmp_path / "out.tif").exists()
