"""Block-wise classification: known answers against whole-array prediction."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from conftest import write_raster

from landcover.core.io.classes import CLASSES_TAG, make_classes
from landcover.core.io.errors import InputError
from landcover.core.io.progress import Cancelled, Progress
from landcover.core.learn import classify


class NearestMean:
    """A small, deterministic classifier with the model API: softmax of negative
    squared distances to one mean per class."""

    def __init__(self, means, codes, names=None, band_names=None):
        self.means = np.asarray(means, dtype=np.float64)
        self.classes = make_classes(list(codes), names)
        self.band_names = band_names or [f"band {i + 1}" for i in range(self.means.shape[1])]
        self.calls = 0

    def predict_proba(self, x):
        assert x.dtype == np.float32 and x.flags.c_contiguous
        self.calls += 1
        d = ((x[:, None, :].astype(np.float64) - self.means[None]) ** 2).sum(axis=2)
        e = np.exp(-(d - d.min(axis=1, keepdims=True)) / 50.0)
        return (e / e.sum(axis=1, keepdims=True)).astype(np.float32)

    def predict(self, x):
        codes = np.array([c.code for c in self.classes])
        return codes[np.argmax(self.predict_proba(x), axis=1)]


MEANS = [[10, 10, 10], [50, 20, 5], [20, 60, 40], [80, 80, 80]]


def write_scene(path, width=97, height=83, nodata=-9999.0, seed=1, descriptions=None):
    """A 3-band float32 scene, striped 16-row blocks, with nodata holes in single bands."""
    rng = np.random.default_rng(seed)
    data = rng.uniform(0, 90, size=(3, height, width)).astype(np.float32)
    data[0, 5:9, 10:30] = nodata
    data[2, height // 2, :] = nodata
    data[1, :, width * 2 // 3] = nodata
    write_raster(
        path, data, crs="EPSG:32633", nodata=nodata, strip_rows=16, descriptions=descriptions or ()
    )
    valid = (data != nodata).all(axis=0)
    return data, valid


def expected_classes(model, data, valid):
    batch = np.ascontiguousarray(data[:, valid].T, dtype=np.float32)
    out = np.zeros(valid.shape, dtype=np.int64)
    out[valid] = model.predict(batch)
    return out


@pytest.mark.parametrize(
    ("max_pixels", "workers"), [(1, 1), (16 * 97, 2), (40 * 97, 2), (10**7, 1)]
)
def test_blockwise_equals_whole_array_prediction(tmp_path, max_pixels, workers):
    src = tmp_path / "scene.tif"
    data, valid = write_scene(src)
    model = NearestMean(MEANS, [3, 7, 11, 200])
    out = tmp_path / "classes.tif"
    stats = classify.classify_raster(src, model, out, max_pixels=max_pixels, workers=workers)
    calls = model.calls
    expected = expected_classes(model, data, valid)
    with rasterio.open(out) as ds:
        result = ds.read(1)
        assert ds.dtypes[0] == "uint8"
        assert ds.nodata == 0
        assert ds.crs.to_epsg() == 32633
    np.testing.assert_array_equal(result, expected)
    assert (result[~valid] == 0).all() and (result[valid] > 0).all()
    assert stats.classified == int(valid.sum())
    assert stats.pixels == valid.size
    for code in (3, 7, 11, 200):
        assert stats.counts[code] == int((expected == code).sum())
    if max_pixels == 16 * 97:
        # one predict_proba call per window holding valid pixels: 83 rows in 16-row strips
        assert stats.blocks == 6 and calls == 6


def test_large_codes_use_uint16(tmp_path):
    src = tmp_path / "scene.tif"
    data, valid = write_scene(src, width=20, height=20)
    model = NearestMean(MEANS, [1, 2, 300, 4000])
    out = tmp_path / "classes.tif"
    classify.classify_raster(src, model, out, workers=1)
    with rasterio.open(out) as ds:
        assert ds.dtypes[0] == "uint16"
        np.testing.assert_array_equal(ds.read(1), expected_classes(model, data, valid))


def test_probabilities_and_uncertainty_agree_with_classes(tmp_path):
    src = tmp_path / "scene.tif"
    _, valid = write_scene(src)
    model = NearestMean(MEANS, [1, 2, 3, 4], ["water", "crops", "forest", "urban"])
    out, proba, unc = tmp_path / "c.tif", tmp_path / "p.tif", tmp_path / "u.tif"
    classify.classify_raster(src, model, out, proba, unc, max_pixels=20 * 97, workers=2)
    with rasterio.open(out) as ds:
        classes = ds.read(1)
    with rasterio.open(proba) as ds:
        p = ds.read()
        assert ds.descriptions == ("water", "crops", "forest", "urban")
        assert ds.dtypes[0] == "float32" and np.isnan(ds.nodata)
    with rasterio.open(unc) as ds:
        u = ds.read()
        assert ds.descriptions == ("max probability", "margin", "entropy")
    assert np.isnan(p[:, ~valid]).all() and np.isnan(u[:, ~valid]).all()
    pv = p[:, valid]
    np.testing.assert_allclose(pv.sum(axis=0), 1.0, atol=1e-5)
    np.testing.assert_array_equal(np.argmax(pv, axis=0) + 1, classes[valid])
    np.testing.assert_allclose(u[0, valid], pv.max(axis=0), rtol=1e-6)
    ordered = np.sort(pv, axis=0)
    np.testing.assert_allclose(u[1, valid], ordered[-1] - ordered[-2], atol=1e-6)
    entropy = -(pv * np.log(np.clip(pv, 1e-30, 1))).sum(axis=0) / np.log(4)
    np.testing.assert_allclose(u[2, valid], entropy, atol=1e-5)
    assert (u[2, valid] >= 0).all() and (u[2, valid] <= 1).all()


def test_uncertainty_measures_known_answers():
    proba = np.array([[1.0, 0.0, 0.0], [0.5, 0.3, 0.2], [1 / 3, 1 / 3, 1 / 3]], np.float32)
    u = classify.uncertainty_measures(proba)
    np.testing.assert_allclose(u[0], [1.0, 0.5, 1 / 3], rtol=1e-6)
    np.testing.assert_allclose(u[1], [1.0, 0.2, 0.0], atol=1e-6)
    expected = -(0.5 * np.log(0.5) + 0.3 * np.log(0.3) + 0.2 * np.log(0.2)) / np.log(3)
    np.testing.assert_allclose(u[2], [0.0, expected, 1.0], atol=1e-6)


def test_colour_table_and_class_names_embedded(tmp_path):
    src = tmp_path / "scene.tif"
    write_scene(src, width=30, height=30)
    model = NearestMean(MEANS, [1, 2, 3, 4], ["water", "crops", "forest", "urban"])
    out = tmp_path / "classes.tif"
    classify.classify_raster(src, model, out, workers=1)
    with rasterio.open(out) as ds:
        table = ds.colormap(1)
        names = ds.tags()[CLASSES_TAG]
        from landcover.core.io.raster import read_classes

        classes = read_classes(ds)
    assert table[0][3] == 0
    for c in model.classes:
        assert table[c.code] == (*c.color, 255)
    assert [c.name for c in classes] == ["water", "crops", "forest", "urban"]
    assert "forest" in names


def test_band_count_mismatch_says_what_the_model_expects(tmp_path):
    src = tmp_path / "scene.tif"
    write_scene(src, width=20, height=20)
    model = NearestMean([[1, 2, 3, 4], [5, 6, 7, 8]], [1, 2], band_names=["B2", "B3", "B4", "B8"])
    out = tmp_path / "classes.tif"
    with pytest.raises(InputError, match=r"4 bands \(B2, B3, B4, B8\).*has 3"):
        classify.classify_raster(src, model, out, workers=1)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [src]


def test_band_name_mismatch_is_an_error_only_when_both_are_known(tmp_path):
    src = tmp_path / "scene.tif"
    write_scene(src, width=20, height=20, descriptions=["blue", "green", "red"])
    out = tmp_path / "classes.tif"
    wrong = NearestMean(MEANS[:2], [1, 2], band_names=["blue", "red", "green"])
    with pytest.raises(InputError, match=r"band 2 of the input raster is 'green'.*expects 'red'"):
        classify.classify_raster(src, wrong, out, workers=1)
    assert not out.exists()
    generic = NearestMean(MEANS[:2], [1, 2], band_names=["band 1", "band 2", "band 3"])
    classify.classify_raster(src, generic, out, workers=1)
    same = NearestMean(MEANS[:2], [1, 2], band_names=["Blue", "Green", "Red"])
    classify.classify_raster(src, same, out, workers=1)
    assert out.exists()


def test_cancel_mid_way_leaves_no_output(tmp_path):
    src = tmp_path / "scene.tif"
    write_scene(src)
    model = NearestMean(MEANS, [1, 2, 3, 4])
    out, proba, unc = tmp_path / "c.tif", tmp_path / "p.tif", tmp_path / "u.tif"
    reports = []
    progress = Progress(reports.append, lambda: len(reports) >= 2)
    with pytest.raises(Cancelled):
        classify.classify_raster(
            src, model, out, proba, unc, max_pixels=16 * 97, workers=2, progress=progress
        )
    assert model.calls >= 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scene.tif"]


def test_cancel_leaves_existing_outputs_untouched(tmp_path):
    src = tmp_path / "scene.tif"
    write_scene(src)
    out = tmp_path / "c.tif"
    out.write_bytes(b"previous")
    reports = []
    progress = Progress(reports.append, lambda: len(reports) >= 2)
    with pytest.raises(Cancelled):
        classify.classify_raster(
            src,
            NearestMean(MEANS, [1, 2, 3, 4]),
            out,
            max_pixels=16 * 97,
            workers=1,
            progress=progress,
        )
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.tif", "scene.tif"]


def test_model_error_in_a_worker_leaves_no_output(tmp_path):
    src = tmp_path / "scene.tif"
    write_scene(src)

    class Failing(NearestMean):
        def predict_proba(self, x):
            if self.calls >= 2:
                raise MemoryError
            return super().predict_proba(x)

    out, proba = tmp_path / "c.tif", tmp_path / "p.tif"
    with pytest.raises(MemoryError):
        classify.classify_raster(
            src, Failing(MEANS, [1, 2, 3, 4]), out, proba, max_pixels=16 * 97, workers=2
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scene.tif"]


def test_output_may_not_overwrite_input(tmp_path):
    src = tmp_path / "scene.tif"
    write_scene(src, width=20, height=20)
    with pytest.raises(InputError, match="used twice"):
        classify.classify_raster(src, NearestMean(MEANS, [1, 2, 3, 4]), src, workers=1)


def test_memory_budget_bounds_the_window():
    small = classify.pixels_for_memory(64, bands=12, n_classes=10, workers=2)
    large = classify.pixels_for_memory(1024, bands=12, n_classes=10, workers=2)
    assert 256 * 256 <= small < large
    per_pixel_bytes = 12 * 4 * 3 + 10 * 20
    assert large * per_pixel_bytes * 4 <= 1024 * 1024 * 1024


def trained_model(kind, seed=0):
    """A real model of ``kind`` trained on samples drawn around MEANS."""
    classifiers = pytest.importorskip("landcover.core.learn.classifiers")
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(4), 60)
    samples = (np.asarray(MEANS)[labels] + rng.normal(0, 12, (240, 3))).astype(np.float32)
    classes = make_classes([2, 4, 6, 8], ["water", "forest", "crops", "urban"])
    params = {"n_trees": 15} if kind in ("random_forest", "extra_trees") else None
    return classifiers.train_model(
        kind, samples, labels * 2 + 2, classes, ["b1", "b2", "b3"], params=params, seed=seed
    )


@pytest.mark.parametrize(
    "kind", ["random_forest", "extra_trees", "hist_gradient_boosting", "svm", "knn", "gaussian_ml"]
)
def test_trained_models_blockwise_equal_whole_array(tmp_path, kind):
    model = trained_model(kind)
    src = tmp_path / "scene.tif"
    data, valid = write_scene(src, descriptions=["b1", "b2", "b3"])
    out, proba, unc = tmp_path / "c.tif", tmp_path / "p.tif", tmp_path / "u.tif"
    classify.classify_raster(src, model, out, proba, unc, max_pixels=16 * 97, workers=2)
    batch = np.ascontiguousarray(data[:, valid].T)
    whole = model.predict(batch)
    with rasterio.open(out) as ds:
        result = ds.read(1)
    np.testing.assert_array_equal(result[valid], whole)
    assert (result[~valid] == 0).all()
    assert len(np.unique(whole)) > 1
    with rasterio.open(proba) as ds:
        p = ds.read()[:, valid]
    np.testing.assert_allclose(p.sum(axis=0), 1.0, atol=1e-4)
    np.testing.assert_array_equal(np.array([2, 4, 6, 8])[np.argmax(p, axis=0)], whole)
    np.testing.assert_allclose(p.T, model.predict_proba(batch), rtol=1e-6, atol=1e-7)
    with rasterio.open(unc) as ds:
        u = ds.read()
    np.testing.assert_allclose(u[0][valid], p.max(axis=0), rtol=1e-6)


@pytest.mark.parametrize("kind", ["random_forest", "gaussian_ml"])
def test_classes_alone_equal_the_classes_written_with_probabilities(tmp_path, kind):
    model = trained_model(kind)
    src = tmp_path / "scene.tif"
    write_scene(src, descriptions=["b1", "b2", "b3"])
    alone, with_proba = tmp_path / "a.tif", tmp_path / "b.tif"
    classify.classify_raster(src, model, alone, max_pixels=16 * 97, workers=2)
    classify.classify_raster(src, model, with_proba, tmp_path / "p.tif", max_pixels=16 * 97)
    with rasterio.open(alone) as a, rasterio.open(with_proba) as b:
        np.testing.assert_array_equal(a.read(1), b.read(1))
