from __future__ import annotations

import numpy as np
import pytest
import rasterio
from conftest import write_raster
from rasterio.transform import from_origin

from landcover.core.io.classes import make_classes
from landcover.core.io.errors import InputError
from landcover.core.io.progress import Cancelled, Progress
from landcover.core.io.raster import read_classes
from landcover.core.postprocess import sieve
from landcover.core.postprocess.polygonize import label_patches


def blobby(shape, classes, seed, noise=0.15):
    """A map of smooth class regions sprinkled with single-pixel and small-patch noise."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(1, classes + 1, size=(shape[0] // 8 + 1, shape[1] // 8 + 1))
    image = np.kron(coarse, np.ones((8, 8), dtype=np.int64))[: shape[0], : shape[1]]
    speckle = rng.random(shape) < noise
    image[speckle] = rng.integers(1, classes + 1, size=int(speckle.sum()))
    return image.astype(np.uint8)


def largest_neighbour_reference(image, min_size, connectivity):
    """GDAL's rule written out plainly (see the module description): every patch's
    largest neighbour, met pixel by pixel in raster order (a tie keeps the first met),
    then chains followed to the first patch of at least ``min_size`` pixels."""
    labels, class_of = label_patches(image, connectivity)
    size = np.bincount(labels.ravel(), minlength=len(class_of))
    big = np.full(len(class_of), -1)

    def compare(a, b):
        if a == 0 or b == 0 or a == b:
            return
        if big[a] == -1 or size[big[a]] < size[b]:
            big[a] = b
        if big[b] == -1 or size[big[b]] < size[a]:
            big[b] = a

    rows, cols = image.shape
    for y in range(rows):
        for x in range(cols):
            if y > 0:
                compare(labels[y, x], labels[y - 1, x])
                if connectivity == 8 and x > 0:
                    compare(labels[y, x], labels[y - 1, x - 1])
                if connectivity == 8 and x < cols - 1:
                    compare(labels[y, x], labels[y - 1, x + 1])
            if x > 0:
                compare(labels[y, x], labels[y, x - 1])
    new_class = class_of.copy()
    for patch in range(1, len(class_of)):
        if size[patch] >= min_size:
            continue
        seen, step = {patch}, big[patch]
        while step >= 0 and size[step] < min_size and step not in seen:
            seen.add(step)
            step = big[step]
        if step >= 0 and size[step] >= min_size:
            new_class[patch] = class_of[step]
    return new_class[labels].astype(image.dtype)


def test_small_patch_takes_class_of_largest_neighbour():
    image = np.ones((6, 8), dtype=np.uint8)
    image[:, 4:] = 2
    image[2:4, 3] = 3  # three pixels: four edges with class 1, two with class 2; but
    image[1, 3] = 3  # class 1 has 21 pixels and class 2 has 24, so class 2 takes them
    result = sieve.sieve(image, 4)
    assert np.all(result[1:4, 3] == 2)
    assert np.array_equal(result[:, :3], image[:, :3])
    assert np.array_equal(result[:, 4:], image[:, 4:])


def test_small_patch_follows_its_largest_neighbour_to_a_large_one():
    image = np.ones((5, 6), dtype=np.uint8)
    image[0, 0] = 3  # one pixel touching only the three pixels of class 2
    image[0, 1] = image[1, 0] = image[1, 1] = 2
    result = sieve.sieve(image, 4)
    # 3's largest neighbour (2, three pixels) is small too; 2's largest neighbour is
    # the class 1 patch (26 pixels), so both end up class 1.
    assert np.all(result == 1)


def test_small_patches_each_others_largest_neighbour_stay():
    image = np.zeros((5, 6), dtype=np.uint8)
    image[2, 2] = 4
    image[2, 3:5] = 5  # a chain 4 -> 5 -> 4 turns back: no patch of 3 pixels on the way
    assert np.array_equal(sieve.sieve(image, 3), image)
    image[3, 2:5] = 6  # now 5's largest neighbour is 6 (three pixels): all become 6
    result = sieve.sieve(image, 3)
    assert np.array_equal(result[2:4, 2:5], np.full((2, 3), 6))


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
@pytest.mark.parametrize(("noise", "min_size"), [(0.3, 10), (1.0, 5)])
def test_sieve_follows_the_largest_neighbour_rule(connectivity, noise, min_size):
    # noise 1.0: nothing but small patches, so chains of small neighbours decide.
    image = blobby((60, 55), 4, seed=connectivity, noise=noise)
    image[25:30, 10:20] = 0
    result = sieve.sieve(image, min_size, connectivity)
    assert not np.array_equal(result, image)  # the test has work to do
    assert np.array_equal(result, largest_neighbour_reference(image, min_size, connectivity))
    assert np.array_equal(result == 0, image == 0)


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
    expected = sieve.sieve(image, min_size, connectivity)
    for max_pixels, name in ((1, "small.tif"), (1 << 20, "large.tif")):
        info = sieve.sieve_raster(
            tmp_path / "in.tif",
            tmp_path / name,
            min_size,
            connectivity,
            max_pixels=max_pixels,
            workers=2,
        )
        with rasterio.open(tmp_path / name) as out:
            assert np.array_equal(out.read(1), expected)
            assert read_classes(out) == classes
            assert out.nodata == 0 and out.overviews(1)
        assert info.changed == np.count_nonzero(expected != image) > 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_nodata_value_other_than_zero(tmp_path):
    image = blobby((80, 90), 3, seed=3, noise=0.3)
    image[:10, :] = 255  # the nodata value
    image[40:45, :] = 0  # 0 is nodata as well in a class raster
    write_raster(tmp_path / "in.tif", image, nodata=255)
    info = sieve.sieve_raster(tmp_path / "in.tif", tmp_path / "out.tif", 6, 4)
    cleared = np.where(image == 255, 0, image)
    expected = sieve.sieve(cleared, 6, 4)
    assert np.array_equal(expected, largest_neighbour_reference(cleared, 6, 4))
    with rasterio.open(tmp_path / "out.tif") as out:
        assert np.array_equal(out.read(1), expected)
    assert info.changed == np.count_nonzero(expected != cleared)


def test_cancel_leaves_nothing(tmp_path):
    image = blobby((300, 300), 3, seed=1)
    write_raster(tmp_path / "in.tif", image, nodata=0)
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 3  # inside GDAL's filter

    with pytest.raises(Cancelled):
        sieve.sieve_raster(
            tmp_path / "in.tif", tmp_path / "out.tif", 10, 4, Progress(is_cancelled=cancelled)
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.tif"]


def test_codes_beyond_gdals_integers_are_refused(tmp_path):
    image = np.full((20, 20), 7, np.uint32)
    image[5, 5] = 2**31  # GDAL's sieve would read it as a negative number
    write_raster(tmp_path / "in.tif", image, nodata=0)
    with pytest.raises(InputError, match="recode the classes"):
        sieve.sieve_raster(tmp_path / "in.tif", tmp_path / "out.tif", 5)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.tif"]


def test_pixels_for_area():
    assert sieve.pixels_for_area(0.5, 100.0) == 50
    assert sieve.pixels_for_area(0.0101, 100.0) == 2
    with pytest.raises(InputError, match="pixel size"):
        sieve.pixels_for_area(1, 0.0)


def test_bad_parameters_are_refused(tmp_path):
    with pytest.raises(InputError, match="connectivity"):
        sieve.sieve(np.ones((3, 3), np.uint8), 2, connectivity=6)
    with pytest.raises(InputError, match="connectivity"):
        sieve.sieve_raster(tmp_path / "in.tif", tmp_path / "out.tif", 2, connectivity=6)
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
