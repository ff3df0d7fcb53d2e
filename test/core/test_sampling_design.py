"""Stratified random validation points."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import write_raster
from rasterio.transform import from_origin

from landcover.core.accuracy import sampling_design
from landcover.core.io.errors import InputError

TRANSFORM = from_origin(300000, 5000000, 10, 10)


@pytest.fixture
def class_map(tmp_path):
    data = np.full((80, 100), 1, dtype=np.uint8)  # class 1: most of the map
    data[:, 70:] = 2  # class 2: 2400 pixels
    data[5:10, 5:10] = 3  # class 3: 25 pixels
    data[60:, :20] = 0  # nodata
    return write_raster(
        tmp_path / "map.tif", data, crs="EPSG:32633", transform=TRANSFORM, nodata=0, block=16
    ), data


def values_at(data, xy):
    cols, rows = ~TRANSFORM * (xy[:, 0], xy[:, 1])
    return data[np.floor(rows).astype(int), np.floor(cols).astype(int)], rows, cols


def test_allocation_points_per_class_is_capped_by_class_size():
    assert sampling_design.allocate({1: 1000, 2: 30, 3: 0}, points_per_class=50) == {
        1: 50,
        2: 30,
        3: 0,
    }


def test_proportional_allocation_with_minimum_keeps_the_total():
    quota = sampling_design.allocate(
        {1: 9000, 2: 900, 3: 100}, total=200, allocation="proportional", min_per_class=30
    )
    # proportional would be 180, 18, 2; the two rare classes are raised to 30
    assert quota == {1: 140, 2: 30, 3: 30}
    assert sum(quota.values()) == 200


def test_equal_allocation_and_small_classes():
    assert sampling_design.allocate({1: 500, 2: 500, 3: 10}, total=90, allocation="equal") == {
        1: 40,
        2: 40,
        3: 10,
    }
    with pytest.raises(InputError):
        sampling_design.allocate({1: 5}, total=0)


def test_points_fall_in_their_class_at_pixel_centres_never_on_nodata(class_map):
    path, data = class_map
    design = sampling_design.draw_sample(path, [1, 2, 3], points_per_class=20, max_pixels=256)
    assert design.pixels == {1: 5175, 2: 2400, 3: 25}
    assert design.placed == {1: 20, 2: 20, 3: 20}
    values, rows, cols = values_at(data, design.xy)
    np.testing.assert_array_equal(values, design.codes)
    assert np.all(values != 0)
    np.testing.assert_allclose(rows % 1, 0.5)
    np.testing.assert_allclose(cols % 1, 0.5)
    # no pixel twice
    assert len({tuple(p) for p in design.xy}) == len(design.xy)


def test_same_seed_same_points_other_seed_other_points(class_map):
    path, _ = class_map
    a = sampling_design.draw_sample(path, [1, 2, 3], points_per_class=10, seed=5)
    b = sampling_design.draw_sample(path, [1, 2, 3], points_per_class=10, seed=5)
    c = sampling_design.draw_sample(path, [1, 2, 3], points_per_class=10, seed=6)
    np.testing.assert_array_equal(a.xy, b.xy)
    assert not np.array_equal(a.xy, c.xy)


def test_points_are_spread_over_the_whole_class_not_the_first_block(class_map):
    path, _ = class_map
    design = sampling_design.draw_sample(path, [2], points_per_class=200, seed=1, max_pixels=256)
    rows = (~TRANSFORM * (design.xy[:, 0], design.xy[:, 1]))[1]
    # class 2 spans rows 0-79 evenly: both halves get a fair share
    assert 70 < (rows < 40).sum() < 130


def test_minimum_distance_is_respected_and_shortfall_reported(class_map):
    path, _ = class_map
    design = sampling_design.draw_sample(
        path, [1, 2, 3], points_per_class=40, min_distance=60.0, seed=2
    )
    d = np.sqrt(((design.xy[:, None, :] - design.xy[None, :, :]) ** 2).sum(axis=-1))
    np.fill_diagonal(d, np.inf)
    assert d.min() >= 60.0
    # class 3 is a 50 m square (centres at most 56.6 m apart): only one point fits
    assert design.placed[3] == 1
    assert any("Class 3: only 1 of 25 points" in n for n in design.notes)


def test_proportional_total_over_the_map(class_map):
    path, _ = class_map
    design = sampling_design.draw_sample(
        path, [1, 2, 3], total=100, allocation="proportional", min_per_class=5
    )
    assert sum(design.placed.values()) == 100
    assert design.placed[3] == 5


def test_map_of_only_nodata_is_a_clear_error(tmp_path):
    path = write_raster(
        tmp_path / "empty.tif",
        np.zeros((20, 20), dtype=np.uint8),
        crs="EPSG:32633",
        transform=TRANSFORM,
        nodata=0,
        block=16,
    )
    with pytest.raises(InputError, match="only nodata"):
        sampling_design.draw_sample(path, [1, 2], points_per_class=5)
