"""Sampling training pixels under polygons and points: known answers on small rasters."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import write_raster
from rasterio.transform import from_origin

from landcover.core.io.errors import InputError
from landcover.core.learn.sampling import sample_raster, subsample

LEFT, TOP, PIXEL = 1000.0, 2000.0, 10.0


def box(row0, col0, row1, col1):
    """A polygon covering the centres of pixels rows row0..row1-1, cols col0..col1-1."""
    x0, x1 = LEFT + col0 * PIXEL + 1, LEFT + col1 * PIXEL - 1
    y0, y1 = TOP - row0 * PIXEL - 1, TOP - row1 * PIXEL + 1
    return {"type": "Polygon", "coordinates": [[(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]]}


def point(row, col):
    return {"type": "Point", "coordinates": (LEFT + (col + 0.3) * PIXEL, TOP - (row + 0.8) * PIXEL)}


@pytest.fixture
def stack(tmp_path):
    rows, cols = np.mgrid[0:20, 0:24]
    data = np.stack([rows * 100 + cols, rows, cols]).astype("int16")
    return write_raster(
        tmp_path / "stack.tif", data, transform=from_origin(LEFT, TOP, PIXEL, PIXEL), nodata=-1
    ), data


def test_polygon_pixels_values_groups_and_coordinates(stack):
    path, data = stack
    samples = sample_raster(path, [(box(2, 3, 5, 7), 4, 17)])
    assert len(samples) == 12
    assert set(samples.y.tolist()) == {4}
    assert set(samples.groups.tolist()) == {17}
    rows, cols = samples.X[:, 1].astype(int), samples.X[:, 2].astype(int)
    assert sorted(zip(rows, cols)) == [(r, c) for r in range(2, 5) for c in range(3, 7)]
    np.testing.assert_array_equal(samples.X[:, 0], data[0, rows, cols])
    np.testing.assert_allclose(samples.xy[:, 0], LEFT + (cols + 0.5) * PIXEL)
    np.testing.assert_allclose(samples.xy[:, 1], TOP - (rows + 0.5) * PIXEL)
    assert samples.X.dtype == np.float32 and samples.y.dtype == np.int32
    assert samples.groups.dtype == np.int64 and samples.xy.dtype == np.float64
    assert samples.dropped == {} and samples.overlap_dropped == 0
    assert samples.available == {4: 12}


def test_nodata_in_any_band_is_dropped_and_counted(tmp_path):
    data = np.ones((3, 10, 10), dtype="float32")
    data[2, 3, 3] = -9  # nodata in the last band only
    data[1, 4, 4] = np.nan
    data[0, 5, 5] = np.inf
    path = write_raster(
        tmp_path / "f.tif", data, transform=from_origin(LEFT, TOP, PIXEL, PIXEL), nodata=-9
    )
    samples = sample_raster(path, [(box(2, 2, 7, 7), 1, 0), (box(8, 8, 10, 10), 2, 1)])
    assert samples.dropped == {1: 3}
    assert samples.counts() == {1: 22, 2: 4}
    assert np.isfinite(samples.X).all()


def test_overlap_of_different_classes_is_dropped_same_class_kept_once(stack):
    path, _ = stack
    features = [
        (box(0, 0, 4, 4), 1, 10),
        (box(2, 2, 6, 6), 2, 11),  # overlaps the first on 2 x 2 pixels
        (box(0, 0, 2, 2), 1, 12),  # same class as the first, inside it
    ]
    samples = sample_raster(path, features)
    assert samples.overlap_dropped == 4
    assert samples.counts() == {1: 12, 2: 12}
    assert set(samples.groups[samples.y == 1].tolist()) == {10}


def test_points_sample_the_pixel_they_fall_in(stack):
    path, data = stack
    samples = sample_raster(path, [(point(7, 9), 3, 1), (point(0, 23), 5, 2)])
    assert samples.counts() == {3: 1, 5: 1}
    by_class = {int(c): x for c, x in zip(samples.y, samples.X)}
    np.testing.assert_array_equal(by_class[3], data[:, 7, 9])
    np.testing.assert_array_equal(by_class[5], data[:, 0, 23])


def test_all_touched_takes_every_pixel_the_polygon_touches(stack):
    path, _ = stack
    # Covers pixel centres of rows 2..4, cols 3..6 and touches one more ring.
    x0, x1 = LEFT + 2.6 * PIXEL, LEFT + 7.4 * PIXEL
    y0, y1 = TOP - 1.6 * PIXEL, TOP - 5.4 * PIXEL
    polygon = {"type": "Polygon", "coordinates": [[(x0, y0), (x1, y0), (x1, y1), (x0, y1)]]}
    assert len(sample_raster(path, [(polygon, 1, 0)])) == 12
    assert len(sample_raster(path, [(polygon, 1, 0)], all_touched=True)) == 30


def test_small_windows_give_the_same_samples_as_one_window(tmp_path):
    rng = np.random.default_rng(3)
    data = rng.integers(1, 1000, size=(2, 64, 64)).astype("uint16")
    path = write_raster(
        tmp_path / "tiled.tif",
        data,
        transform=from_origin(LEFT, TOP, PIXEL, PIXEL),
        nodata=0,
        block=16,
    )
    features = [(box(5, 5, 40, 50), 1, 0), (box(30, 10, 60, 62), 2, 1), (point(63, 0), 1, 2)]
    whole = sample_raster(path, features, max_pixels=1 << 20)
    tiny = sample_raster(path, features, max_pixels=256)

    def key(samples):
        order = np.lexsort((samples.xy[:, 0], samples.xy[:, 1], samples.y))
        return samples.X[order], samples.y[order], samples.groups[order]

    for a, b in zip(key(whole), key(tiny)):
        np.testing.assert_array_equal(a, b)
    assert whole.overlap_dropped == tiny.overlap_dropped > 0


def test_cap_per_class_keeps_a_seeded_subset_and_reports_the_total(stack):
    path, _ = stack
    features = [(box(0, 0, 10, 24), 1, 0), (box(10, 0, 20, 24), 2, 1)]
    full = sample_raster(path, features)
    capped = sample_raster(path, features, max_per_class=50, seed=4)
    again = sample_raster(path, features, max_per_class=50, seed=4)
    assert capped.counts() == {1: 50, 2: 50}
    assert capped.available == full.available == {1: 240, 2: 240}
    np.testing.assert_array_equal(capped.X, again.X)
    full_rows = {tuple(r) for r in full.X.tolist()}
    assert all(tuple(r) in full_rows for r in capped.X.tolist())


def test_features_outside_the_raster_are_an_error(stack):
    path, _ = stack
    far = {"type": "Point", "coordinates": (LEFT - 5000.0, TOP + 5000.0)}
    with pytest.raises(InputError, match="overlaps the raster"):
        sample_raster(path, [(far, 1, 0)])


def test_subsample_caps_balances_and_is_seeded(stack):
    path, _ = stack
    samples = sample_raster(path, [(box(0, 0, 10, 24), 1, 0), (box(10, 0, 13, 24), 2, 1)])
    assert samples.counts() == {1: 240, 2: 72}
    capped = subsample(samples, 100, seed=1)
    assert capped.counts() == {1: 100, 2: 72}
    balanced = subsample(samples, 100, seed=1, balance=True)
    assert balanced.counts() == {1: 72, 2: 72}
    np.testing.assert_array_equal(subsample(samples, 100, seed=1).X, capped.X)
    assert not np.array_equal(subsample(samples, 100, seed=2).X, capped.X)
