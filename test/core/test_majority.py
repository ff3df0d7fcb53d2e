from __future__ import annotations

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from landcover.core.io.errors import InputError
from landcover.core.io.raster import read_classes
from landcover.core.postprocess import majority


def brute_mode(image, size, shape, iterations=1):
    """Majority filter one pixel at a time, straight from the definition."""
    r = size // 2
    result = image.copy()
    for _ in range(iterations):
        source = result.copy()
        h, w = source.shape
        for i in range(h):
            for j in range(w):
                centre = source[i, j]
                if centre == 0:
                    continue
                counts: dict[int, int] = {}
                for dy in range(-r, r + 1):
                    for dx in range(-r, r + 1):
                        if shape == "circle" and dy * dy + dx * dx > r * r:
                            continue
                        y, x = i + dy, j + dx
                        if 0 <= y < h and 0 <= x < w and source[y, x] != 0:
                            counts[int(source[y, x])] = counts.get(int(source[y, x]), 0) + 1
                top = max(counts.values())
                if counts.get(int(centre)) == top:
                    result[i, j] = centre
                else:
                    result[i, j] = min(c for c, n in counts.items() if n == top)
    return result


@pytest.mark.parametrize("shape", ["square", "circle"])
@pytest.mark.parametrize("size", [3, 5, 7])
def test_matches_brute_force_mode_with_ties_and_nodata(shape, size):
    rng = np.random.default_rng(size)
    image = rng.integers(0, 4, size=(23, 19)).astype(np.uint8)  # 0 = nodata, 3 classes
    expected = brute_mode(image, size, shape)
    assert np.array_equal(majority.majority_filter(image, size, shape), expected)


@pytest.mark.parametrize(
    ("classes", "size", "dtype"),
    [(9, 3, np.uint8), (20, 5, np.uint16), (3, 17, np.uint8), (11, 23, np.uint16)],
)
def test_many_classes_and_large_windows_match_brute_force(classes, size, dtype):
    # more classes than one 64-bit word holds; windows of 256 pixels and more need
    # 16-bit lanes; sparse codes far above the class count
    rng = np.random.default_rng(classes * size)
    top = min(int(np.iinfo(dtype).max), 300)
    codes = np.concatenate([[0], rng.choice(np.arange(1, top + 1), classes, replace=False)])
    # one class dominates, so that its count exceeds 255 in the large windows
    weights = np.full(classes + 1, 0.1 / classes)
    weights[1] = 0.9
    image = codes[rng.choice(classes + 1, size=(30, 28), p=weights)].astype(dtype)
    for shape in ("square", "circle"):
        expected = brute_mode(image, size, shape)
        assert np.array_equal(majority.majority_filter(image, size, shape), expected)


def test_iterations_match_repeated_brute_force():
    rng = np.random.default_rng(7)
    image = rng.integers(0, 5, size=(17, 21)).astype(np.uint16)
    expected = brute_mode(image, 3, "circle", iterations=3)
    assert np.array_equal(majority.majority_filter(image, 3, "circle", 3), expected)


def test_tie_keeps_centre_and_nodata_never_votes():
    image = np.array(
        [
            [1, 1, 0],
            [2, 2, 0],
            [0, 0, 0],
        ],
        dtype=np.uint8,
    )
    result = majority.majority_filter(image, 3, "square")
    # Every valid pixel sees two 1s and two 2s: a tie, so each keeps its class.
    assert result.tolist() == image.tolist()
    lone = np.zeros((5, 5), dtype=np.uint8)
    lone[2, 2] = 3
    assert majority.majority_filter(lone, 5).tolist() == lone.tolist()


def test_tie_without_centre_takes_smallest_code():
    image = np.array([[5, 5, 2], [9, 7, 2], [9, 9, 2]], dtype=np.uint8)
    # Centre 7 (1 vote) loses; 9 and 2 tie at 3 votes: the smaller code wins.
    assert majority.majority_filter(image, 3)[1, 1] == 2


def test_circle_window_is_a_disc():
    rows = majority.window_rows(2, "circle")
    assert rows == [(-2, 0), (-1, 1), (0, 2), (1, 1), (2, 0)]
    mask = np.zeros((7, 7), dtype=bool)
    mask[3, 3] = True
    count = majority.window_count(mask, 2, "circle")
    yy, xx = np.mgrid[-3:4, -3:4]
    assert np.array_equal(count, (yy * yy + xx * xx <= 4).astype(np.int32))


def test_bad_window_is_refused():
    with pytest.raises(InputError, match="odd"):
        majority.majority_filter(np.ones((3, 3), np.uint8), 4)
    with pytest.raises(InputError, match="shape"):
        majority.majority_filter(np.ones((3, 3), np.uint8), 3, "hexagon")


@pytest.mark.parametrize("shape", ["square", "circle"])
def test_blockwise_equals_whole_array(tmp_path, class_raster, shape):
    rng = np.random.default_rng(3)
    image = rng.integers(0, 6, size=(300, 280)).astype(np.uint8)
    _, classes = class_raster(
        image, "in.tif", crs="EPSG:32633", transform=from_origin(500000, 4000000, 10, 10)
    )
    result = majority.majority_raster(
        tmp_path / "in.tif", tmp_path / "out.tif", 5, shape, 2, max_pixels=64 * 64, workers=2
    )
    assert result.blocks >= 4  # seams in both directions
    with rasterio.open(tmp_path / "out.tif") as out:
        filtered = out.read(1)
        assert out.nodata == 0
        assert read_classes(out) == classes
        assert out.colormap(1)[classes[0].code][:3] == classes[0].color
    assert np.array_equal(filtered, majority.majority_filter(image, 5, shape, 2))


def test_float_raster_is_refused_and_nothing_written(tmp_path):
    with rasterio.open(
        tmp_path / "f.tif", "w", driver="GTiff", width=4, height=4, count=1, dtype="float32"
    ) as dst:
        dst.write(np.ones((1, 4, 4), np.float32))
    with pytest.raises(InputError, match="unsigned integer"):
        majority.majority_raster(tmp_path / "f.tif", tmp_path / "out.tif")
    assert not (tmp_path / "out.tif").exists()
