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
from landcover.core.postprocess import sieve


def blobby(shape, classes, seed, noise=0.15):
    """A map of smooth class regions sprinkled with single-pixel and small-patch noise."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(1, classes + 1, size=(shape[0] // 8 + 1, shape[1] // 8 + 1))
    image = np.kron(coarse, np.ones((8, 8), dtype=np.int64))[: shape[0], : shape[1]]
    speckle = rng.random(shape) < noise
    image[speckle] = rng.integers(1, classes + 1, size=int(speckle.sum()))
    return image.astype(np.uint8)


def small_patches_with_neighbours(image, min_size, connectivity):
    labels, _ = sieve.label_patches(image, connectivity)
    sizes = np.bincount(labels.ravel())
    found = []
    for label in np.flatnonzero(sizes < min_size):
        if label == 0:
            continue
        patch = labels == label
        ring = ndimage.binary_dilation(patch, ndimage.generate_binary_structure(2, 1)) & ~patch
        if np.any(image[ring] != 0):
            found.append(int(label))
    return found


def test_small_patch_takes_class_of_longest_border():
    image = np.ones((6, 8), dtype=np.uint8)
    image[:, 4:] = 2
    image[2:4, 3] = 3  # two pixels: left border with 1 twice, right border with 2 twice,
    image[1, 3] = 3  # plus one more pixel bordering 1 on its left and top
    result = sieve.sieve(image, 4)
    assert np.all(result[1:4, 3] == 1)
    assert np.array_equal(result[:, 4:], image[:, 4:])


def test_nodata_is_kept_and_never_merged_into():
    image = np.zeros((7, 7), dtype=np.uint8)
    image[1:6, 1:6] = 2
    image[3, 1] = 5  # one pixel touching nodata and class 2
    image[0, 6] = 4  # alone in a corner, surrounded by nodata
    result = sieve.sieve(image, 3)
    assert result[3, 1] == 2
    assert result[0, 6] == 4
    assert np.array_equal(result == 0, image == 0)


@pytest.mark.parametrize("connectivity", [4, 8])
def test_no_patch_below_threshold_remains(connectivity):
    image = blobby((120, 110), 4, seed=connectivity, noise=0.3)
    image[50:60, 20:40] = 0
    result = sieve.sieve(image, 10, connectivity)
    assert small_patches_with_neighbours(image, 10, connectivity)  # the test has work to do
    assert small_patches_with_neighbours(result, 10, connectivity) == []
    assert np.array_equal(result == 0, image == 0)


def test_swarm_of_small_patches_converges():
    rng = np.random.default_rng(5)
    image = rng.integers(1, 4, size=(60, 60)).astype(np.uint8)  # nothing but small patches
    result = sieve.sieve(image, 20, 4)
    assert small_patches_with_neighbours(result, 20, 4) == []


@pytest.mark.parametrize(("min_size", "connectivity"), [(5, 4), (12, 8)])
def test_blockwise_equals_whole_array(tmp_path, min_size, connectivity):
    image = blobby((530, 520), 5, seed=min_size, noise=0.25)
    image[100:140, 250:300] = 0
    classes = make_classes([1, 2, 3, 4, 5], ["water", "forest", "crop", "urban", "bare"])
    write_raster(
        tmp_path / "in.tif",
        image,
        crs="EPSG:32633",
        transform=from_origin(0, 0, 10, 10),
        nodata=0,
        classes=classes,
    )
    info = sieve.sieve_raster(
        tmp_path / "in.tif", tmp_path / "out.tif", min_size, connectivity, max_pixels=1, workers=2
    )
    expected = sieve.sieve(image, min_size, connectivity)
    with rasterio.open(tmp_path / "out.tif") as out:
        assert np.array_equal(out.read(1), expected)
        assert read_classes(out) == classes
    assert info.passes >= 2 and info.changed > 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_pixels_for_area():
    assert sieve.pixels_for_area(0.5, 100.0) == 50
    assert sieve.pixels_for_area(0.0101, 100.0) == 2
    with pytest.raises(InputError, match="pixel size"):
        sieve.pixels_for_area(1, 0.0)


def test_bad_parameters_are_refused(tmp_path):
    with pytest.raises(InputError, match="connectivity"):
        sieve.sieve(np.ones((3, 3), np.uint8), 2, connectivity=6)
    with pytest.raises(InputError, match="1 pixel or more"):
        sieve.sieve_raster(tmp_path / "in.tif", tmp_path / "out.tif", 0)


def test_blockwise_equals_whole_array_on_large_windows(tmp_path):
    # Windows of a million pixels hold over 100,000 patches (patch numbers times the
    # patch count exceed 32 bits) and patches crossing window edges over hundreds of
    # pixels.
    image = blobby((1100, 1100), 8, seed=9, noise=0.1)
    image[900:, :] = 3  # crossing the window edges over hundreds of pixels
    write_raster(
        tmp_path / "in.tif",
        image,
        crs="EPSG:32633",
        transform=from_origin(0, 0, 10, 10),
        nodata=0,
        plugin_writer=True,
    )
    for min_size, connectivity in ((20, 4), (300, 8)):
        info = sieve.sieve_raster(tmp_path / "in.tif", tmp_path / "out.tif", min_size, connectivity)
        with rasterio.open(tmp_path / "out.tif") as out:
            assert np.array_equal(out.read(1), sieve.sieve(image, min_size, connectivity))
        assert info.changed > 0


@pytest.mark.parametrize("seed", range(4))
def test_patch_graph_passes_equal_raster_passes(tmp_path, seed):
    # Dense speckle of few classes: small patches joined at corners (8-connected) and
    # to patches in other blocks are regrouped between passes on the patch graph.
    rng = np.random.default_rng(seed)
    image = blobby((90, 100), 3, seed=seed, noise=0.45)
    image[rng.random(image.shape) < 0.03] = 0
    write_raster(
        tmp_path / "in.tif",
        image.astype("uint8"),
        crs="EPSG:32633",
        transform=from_origin(0, 0, 10, 10),
        nodata=0,
        plugin_writer=True,
    )
    for min_size, connectivity in ((4, 8), (9, 8), (6, 4), (15, 4)):
        info = sieve.sieve_raster(
            tmp_path / "in.tif", tmp_path / "out.tif", min_size, connectivity, max_pixels=1
        )
        with rasterio.open(tmp_path / "out.tif") as out:
            assert np.array_equal(out.read(1), sieve.sieve(image, min_size, connectivity))
        assert info.changed > 0
