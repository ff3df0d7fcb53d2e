from __future__ import annotations

import numpy as np
import pytest
import rasterio
from conftest import write_raster
from rasterio.transform import from_origin
from scipy import ndimage

from landcover.core.io.classes import make_classes
from landcover.core.io.errors import InputError
from landcover.core.io.raster import read_classes
from landcover.core.postprocess import smooth


@pytest.mark.parametrize("radius", [1, 2, 3])
def test_opening_matches_scipy(radius):
    rng = np.random.default_rng(radius)
    mask = ndimage.binary_dilation(rng.random((40, 37)) < 0.08, iterations=2)
    yy, xx = np.mgrid[-radius : radius + 1, -radius : radius + 1]
    disc = yy * yy + xx * xx <= radius * radius + radius
    expected = ndimage.binary_opening(mask, disc, border_value=0)
    # scipy's opening dilates with border 0 as well, so both agree everywhere
    assert np.array_equal(smooth.opened(mask, radius), expected)


def test_strand_and_speck_go_straight_boundary_stays():
    image = np.ones((20, 20), dtype=np.uint8)
    image[:, 10:] = 2
    image[5, 2:8] = 3  # a one-pixel strand of class 3 inside class 1
    image[15, 15] = 1  # a speck of class 1 inside class 2
    result = smooth.smooth(image, 1)
    expected = np.ones((20, 20), dtype=np.uint8)
    expected[:, 10:] = 2
    assert np.array_equal(result, expected)


def test_one_pixel_teeth_are_removed_without_moving_the_boundary():
    image = np.ones((30, 30), dtype=np.uint8)
    image[:, 15:] = 2
    image[::4, 15] = 1  # teeth of class 1 along the boundary
    expected = np.ones((30, 30), dtype=np.uint8)
    expected[:, 15:] = 2
    assert np.array_equal(smooth.smooth(image, 1), expected)


def test_nodata_stays_nodata():
    rng = np.random.default_rng(1)
    image = rng.integers(0, 4, size=(25, 25)).astype(np.uint8)
    result = smooth.smooth(image, 2)
    assert np.array_equal(result == 0, image == 0)


def test_blockwise_equals_whole_array(tmp_path):
    rng = np.random.default_rng(4)
    coarse = rng.integers(1, 5, size=(40, 40))
    image = np.kron(coarse, np.ones((14, 14), dtype=np.int64))[:540, :530]
    noise = rng.random(image.shape) < 0.1
    image[noise] = rng.integers(0, 5, size=int(noise.sum()))
    image = image.astype(np.uint16)
    classes = make_classes([1, 2, 3, 4])
    write_raster(
        tmp_path / "in.tif",
        image,
        crs="EPSG:3035",
        transform=from_origin(0, 0, 20, 20),
        nodata=0,
        classes=classes,
    )
    info = smooth.smooth_raster(tmp_path / "in.tif", tmp_path / "out.tif", 3, max_pixels=1)
    assert info.blocks == 9
    with rasterio.open(tmp_path / "out.tif") as out:
        assert np.array_equal(out.read(1), smooth.smooth(image, 3))
        assert read_classes(out) == classes


def test_radius_must_be_positive():
    with pytest.raises(InputError, match="radius"):
        smooth.smooth(np.ones((3, 3), np.uint8), 0)
