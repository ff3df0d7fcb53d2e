"""k-means: sampling, fitting and block-wise assignment, with known answers."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from conftest import write_raster
from rasterio.transform import from_origin

from landcover.core.io.classes import CLASSES_TAG
from landcover.core.io.errors import InputError
from landcover.core.io.raster import read_classes
from landcover.core.learn import kmeans

# Three well-separated clusters in 3 bands, with very different band scales.
CENTRES = np.array([[100.0, 0.1, 5.0], [900.0, 0.5, 5.0], [500.0, 0.9, 40.0]])


def write_clusters(path, width=60, height=50, seed=3, nodata=-1.0):
    """A raster whose pixels come from CENTRES (plus small noise) in vertical stripes
    of the cluster index, and a nodata square; returns the truth (0 = nodata, 1..3)."""
    rng = np.random.default_rng(seed)
    truth = np.repeat(np.arange(width) * 3 // width, height).reshape(width, height).T
    data = CENTRES[truth].transpose(2, 0, 1) + rng.normal(0, 1, (3, height, width)) * np.array(
        [10.0, 0.01, 0.5]
    ).reshape(3, 1, 1)
    data = data.astype(np.float32)
    data[1, 10:20, 5:15] = nodata
    truth = truth + 1
    truth[10:20, 5:15] = 0
    write_raster(
        path,
        data,
        crs="EPSG:3035",
        transform=from_origin(4000000, 3000000, 20, 20),
        nodata=nodata,
        strip_rows=8,
    )
    return data, truth


def test_sample_is_uniform_bounded_and_deterministic(tmp_path):
    path = tmp_path / "r.tif"
    width, height = 200, 150
    values = np.arange(width * height, dtype=np.float32).reshape(1, height, width)
    values[0, :50, :] = -1  # a third of the raster is nodata
    with rasterio.open(
        path, "w", driver="GTiff", width=width, height=height, count=1, dtype="float32",
        nodata=-1, blockysize=10, crs="EPSG:3035", transform=from_origin(0, 0, 10, 10),
    ) as dst:  # fmt: skip
        dst.write(values)
    first = kmeans.sample_pixels(path, 4000, seed=5, max_pixels=10 * width)
    again = kmeans.sample_pixels(path, 4000, seed=5, max_pixels=10 * width)
    other = kmeans.sample_pixels(path, 4000, seed=6, max_pixels=10 * width)
    assert first.shape == (4000, 1) and first.dtype == np.float32
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)
    assert len(np.unique(first)) == 4000  # without replacement
    assert (first >= 50 * width).all()  # only valid pixels
    rows = (first[:, 0] // width).astype(int)
    counts = np.bincount(rows - 50, minlength=100)
    # 100 valid rows of 200 pixels: 40 per row expected; the spread stays binomial-sized
    assert counts.min() > 10 and counts.max() < 75
    assert abs(counts[:50].sum() - 2000) < 200


def test_sample_larger_than_raster_returns_every_valid_pixel(tmp_path):
    path = tmp_path / "r.tif"
    _, truth = write_clusters(path)
    sample = kmeans.sample_pixels(path, 10**6, max_pixels=1)
    assert sample.shape == (int((truth > 0).sum()), 3)


def test_fit_recovers_separated_clusters_sorted_by_brightness():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, 3000)
    sample = CENTRES[labels] + rng.normal(0, 1, (3000, 3)) * [10.0, 0.01, 0.5]
    fit = kmeans.fit_kmeans(sample, 3, standardize=True, seed=1)
    assert fit.method == "KMeans"
    expected = CENTRES[np.argsort(CENTRES.mean(axis=1))]
    np.testing.assert_allclose(fit.centers_in_band_units, expected, rtol=0.02, atol=0.01)
    again = kmeans.fit_kmeans(sample, 3, standardize=True, seed=1)
    np.testing.assert_array_equal(fit.centers, again.centers)


def test_large_samples_use_minibatch_deterministically():
    rng = np.random.default_rng(0)
    n = kmeans.MINIBATCH_ABOVE + 1000
    labels = rng.integers(0, 3, n)
    sample = CENTRES[labels] + rng.normal(0, 1, (n, 3)) * [10.0, 0.01, 0.5]
    fit = kmeans.fit_kmeans(sample, 3, seed=2)
    again = kmeans.fit_kmeans(sample, 3, seed=2)
    assert fit.method == "MiniBatchKMeans"
    np.testing.assert_array_equal(fit.centers, again.centers)
    expected = CENTRES[np.argsort(CENTRES.mean(axis=1))]
    np.testing.assert_allclose(fit.centers_in_band_units, expected, rtol=0.02, atol=0.01)


def test_too_few_distinct_pixels_is_an_input_error():
    with pytest.raises(InputError, match="fewer than the 4 clusters"):
        kmeans.fit_kmeans(np.ones((100, 2)), 4)


def test_kmeans_raster_recovers_clusters_and_is_deterministic(tmp_path):
    pytest.importorskip("landcover.core.learn.model")
    path = tmp_path / "r.tif"
    _, truth = write_clusters(path)
    out, again = tmp_path / "k.tif", tmp_path / "k2.tif"
    stats = kmeans.kmeans_raster(path, out, clusters=3, sample_size=500, seed=7, max_pixels=1)
    kmeans.kmeans_raster(path, again, clusters=3, sample_size=500, seed=7, workers=1)
    with rasterio.open(out) as ds:
        result = ds.read(1)
        classes = read_classes(ds)
        table = ds.colormap(1)
        assert CLASSES_TAG in ds.tags()
        assert ds.dtypes[0] == "uint8" and ds.nodata == 0
    with rasterio.open(again) as ds:
        np.testing.assert_array_equal(ds.read(1), result)
    assert [c.name for c in classes] == ["cluster 1", "cluster 2", "cluster 3"]
    assert len({table[c] for c in (1, 2, 3)}) == 3
    assert stats.sample == 500 and stats.classification.classified == int((truth > 0).sum())
    # cluster numbers follow brightness: CENTRES rows 0, 2, 1 are clusters 1, 2, 3
    mapping = {1: 1, 2: 3, 3: 2}
    expected = np.vectorize(lambda t: mapping.get(t, 0))(truth)
    np.testing.assert_array_equal(result, expected)


def test_kmeans_model_file_classifies_another_scene(tmp_path):
    model_module = pytest.importorskip("landcover.core.learn.model")
    from landcover.core.learn.classify import classify_raster

    first, second = tmp_path / "a.tif", tmp_path / "b.tif"
    write_clusters(first, seed=1)
    _, truth = write_clusters(second, seed=2, width=45, height=30)
    model_path = tmp_path / "clusters.lcmodel"
    kmeans.kmeans_raster(first, tmp_path / "a_k.tif", clusters=3, seed=0, model_path=model_path)
    model = model_module.LandcoverModel.load(model_path)
    assert model.kind == "kmeans" and len(model.classes) == 3
    assert model.band_names == ["band 1", "band 2", "band 3"]
    out = tmp_path / "b_k.tif"
    classify_raster(second, model, out, workers=2)
    with rasterio.open(out) as ds:
        result = ds.read(1)
    mapping = {1: 1, 2: 3, 3: 2}
    np.testing.assert_array_equal(result, np.vectorize(lambda t: mapping.get(t, 0))(truth))
