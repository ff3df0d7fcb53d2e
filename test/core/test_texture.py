"""Texture: moving-window sums, measures against brute force, block-wise = whole array."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import rasterio
from conftest import write_band_stack, write_raster
from rasterio.transform import from_origin

from landcover.core.features import texture
from landcover.core.features.indices import FEATURE_TAG
from landcover.core.io.errors import InputError


def grey_levels(values, value_range, levels):
    low, high = value_range
    return np.clip(np.floor((values - low) / (high - low) * levels), 0, levels - 1).astype(int)


def brute_force(values, valid, window, measure, levels=8, value_range=(0.0, 1.0)):
    """Each measure straight from its definition, one window at a time."""
    halo = window // 2
    rows, cols = values.shape
    out = np.full(values.shape, np.nan)
    grey = grey_levels(values, value_range, levels)
    for r in range(rows):
        for c in range(cols):
            if not valid[r, c]:
                continue
            r0, r1 = max(0, r - halo), min(rows, r + halo + 1)
            c0, c1 = max(0, c - halo), min(cols, c + halo + 1)
            inside = valid[r0:r1, c0:c1]
            pixels = values[r0:r1, c0:c1][inside]
            if measure == "mean":
                out[r, c] = pixels.mean()
            elif measure == "variance":
                out[r, c] = pixels.var()
            elif measure == "std":
                out[r, c] = pixels.std()
            elif measure == "entropy":
                counts = np.bincount(grey[r0:r1, c0:c1][inside])
                p = counts[counts > 0] / counts.sum()
                out[r, c] = -(p * np.log2(p)).sum()
            else:
                matrix = np.zeros((levels, levels))
                for dr, dc in ((0, 1), (-1, 1), (1, 0), (1, 1)):
                    for i in range(r0, r1):
                        for j in range(c0, c1):
                            k, m = i + dr, j + dc
                            if r0 <= k < r1 and c0 <= m < c1 and valid[i, j] and valid[k, m]:
                                matrix[grey[i, j], grey[k, m]] += 1
                                matrix[grey[k, m], grey[i, j]] += 1
                if matrix.sum() == 0:
                    continue
                a, b = np.indices(matrix.shape)
                weight = (a - b) ** 2 if measure == "glcm_contrast" else 1 / (1 + (a - b) ** 2)
                out[r, c] = (matrix * weight).sum() / matrix.sum()
    return out


def random_band(seed, shape=(23, 19), nodata_fraction=0.15, loc=0.0, scale=1.0):
    rng = np.random.default_rng(seed)
    values = loc + scale * rng.random(shape)
    valid = rng.random(shape) >= nodata_fraction
    return values, valid


@pytest.mark.parametrize("length", [1, 3, 4, 7])
@pytest.mark.parametrize("axis", [0, 1])
def test_window_sums_match_direct_sums_and_ignore_where_the_cut_is(length, axis):
    rng = np.random.default_rng(length)
    values = rng.normal(1000.0, 3.0, size=(29, 31))
    whole = texture.window_sums(values, length, axis, origin=-3)
    direct = np.stack(
        [
            np.take(values, range(j, j + length), axis=axis).sum(axis=axis)
            for j in range(whole.shape[axis])
        ],
        axis=axis,
    )
    np.testing.assert_allclose(whole, direct, rtol=1e-13)
    # a piece cut out at any offset gives bit-identical sums for the windows it holds
    for start in (1, 5, 8):
        piece = np.take(values, range(start, values.shape[axis]), axis=axis)
        part = texture.window_sums(piece, length, axis, origin=start - 3)
        np.testing.assert_array_equal(
            part, np.take(whole, range(start, whole.shape[axis]), axis=axis)
        )


def test_integer_window_sums_are_exact_in_their_own_dtype():
    values = np.full((6, 40), 30000, dtype=np.uint16)  # a running total would overflow
    values[2, 7] = 1
    out = texture.box_sums(values, 1, 2, origin=(2, 7))
    assert out.dtype == np.uint16
    assert (out[:, :6] == 60000).all() and out[2, 6] == 30001 and out[2, 7] == 30001
    counts = np.arange(60, dtype=np.uint16).reshape(6, 10) % 3
    out = texture.box_sums(counts, 3, 5, origin=(2, 7))
    assert out[0, 0] == counts[:3, :5].sum() and out[3, 5] == counts[3:6, 5:10].sum()


def test_quantise_levels_and_clipping():
    values = np.array([-1.0, 0.0, 1.99, 2.0, 9.99, 10.0, 11.0, np.nan])
    np.testing.assert_array_equal(
        texture.quantise(values, (0.0, 10.0), 5), [0, 0, 0, 1, 4, 4, 4, 0]
    )
    assert (texture.quantise(values, (3.0, 3.0), 5) == 0).all()


def test_hand_computed_window():
    values = np.array([[0.0, 0.0, 1.0], [1.0, 2.0, 2.0], [3.0, 3.0, 3.0]])
    out = texture.texture_array(
        values, None, 3, ["mean", "variance", "entropy"], levels=4, value_range=(0.0, 4.0)
    )
    assert out[0, 1, 1] == pytest.approx(15 / 9)
    assert out[1, 1, 1] == pytest.approx((0 + 0 + 1 + 1 + 4 + 4 + 9 * 3) / 9 - (15 / 9) ** 2)
    expected = -(3 * (2 / 9) * math.log2(2 / 9) + (3 / 9) * math.log2(3 / 9))
    assert out[2, 1, 1] == pytest.approx(expected, rel=1e-6)
    # corner (0, 0): window truncated to 0, 0, 1, 2 -> levels 0, 0, 1, 2
    assert out[0, 0, 0] == pytest.approx(0.75)
    assert out[2, 0, 0] == pytest.approx(1.5)


def test_constant_window_has_zero_variance_entropy_and_contrast():
    values = np.full((9, 9), 1234.5)
    out = texture.texture_array(
        values, None, 5, ["variance", "entropy", "glcm_contrast", "glcm_homogeneity"]
    )
    np.testing.assert_array_equal(out[:3], 0.0)
    np.testing.assert_array_equal(out[3], 1.0)


@pytest.mark.parametrize("window", [3, 5, 7, 11])
@pytest.mark.parametrize("measure", ["mean", "variance", "std", "entropy"])
def test_measures_match_brute_force_with_nodata(window, measure):
    values, valid = random_band(window, loc=5000.0, scale=40.0)
    value_range = (5004.0, 5036.0)
    out = texture.texture_array(
        values, valid, window, [measure], levels=8, value_range=value_range
    )[0]
    expected = brute_force(values, valid, window, measure, 8, value_range)
    np.testing.assert_array_equal(np.isnan(out), ~valid)
    # float32 output of float64 sums: half a float32 ulp relative, on values near 5000
    # (mean) or 100 (variance); entropy is a difference of two logs of at most 961 pixels
    tolerance = {"mean": 5e-7, "variance": 2e-6, "std": 1e-6, "entropy": 1e-6}[measure]
    np.testing.assert_allclose(out[valid], expected[valid], rtol=tolerance, atol=1e-6)


@pytest.mark.parametrize("window", [3, 5, 9])
@pytest.mark.parametrize("measure", ["glcm_contrast", "glcm_homogeneity"])
def test_glcm_matches_brute_force_with_nodata(window, measure):
    values, valid = random_band(100 + window, shape=(17, 14), nodata_fraction=0.2)
    out = texture.texture_array(values, valid, window, [measure], levels=6, value_range=(0.1, 0.9))[
        0
    ]
    expected = brute_force(values, valid, window, measure, 6, (0.1, 0.9))
    np.testing.assert_array_equal(np.isnan(out), np.isnan(expected))
    np.testing.assert_allclose(out[valid], expected[valid], rtol=1e-6, equal_nan=True)


def test_options_are_checked():
    values = np.zeros((5, 5))
    with pytest.raises(InputError, match="odd number from 3 to 31"):
        texture.texture_array(values, None, 4, ["mean"])
    with pytest.raises(InputError, match="odd number"):
        texture.texture_array(values, None, 33, ["mean"])
    with pytest.raises(InputError, match="at least one measure"):
        texture.texture_array(values, None, 3, [])
    with pytest.raises(InputError, match="grey levels"):
        texture.texture_array(values, None, 3, ["entropy"], levels=1)


@pytest.mark.parametrize("window", [3, 7, 15])
def test_blockwise_equals_whole_array_exactly(tmp_path, window):
    values, valid = random_band(7, shape=(70, 53), loc=300.0, scale=2000.0)
    data = np.where(valid, values, np.nan).astype(np.float32)
    path = write_raster(
        tmp_path / "nir.tif",
        data,
        crs="EPSG:32633",
        transform=from_origin(500000, 6000000, 10, 10),
        nodata=float("nan"),
        block=16,
        descriptions=("NIR",),
    )
    measures = list(texture.MEASURES)
    out = tmp_path / "texture.tif"
    summary = texture.texture(
        path, out, None, window, measures, levels=12, max_pixels=256, workers=2
    )
    assert summary.bands == [1]
    with rasterio.open(out) as result:
        stack = result.read()
        assert result.descriptions[0] == f"NIR mean {window}x{window}"
        tag = json.loads(result.tags(4)[FEATURE_TAG])
    whole = texture.texture_array(data, None, window, measures, levels=12)
    np.testing.assert_array_equal(stack, whole)
    assert tag["measure"] == "entropy" and tag["levels"] == 12 and tag["window"] == window
    assert tag["range"] == list(texture.quantile_range(data[valid]))


def test_append_keeps_input_bands_and_default_band_is_nir(tmp_path):
    rng = np.random.default_rng(3)
    data = rng.integers(1, 255, size=(3, 20, 21)).astype(np.uint8)
    data[:, 0, 0] = 0
    path = write_band_stack(
        tmp_path / "rgbn.tif",
        data,
        block=16,
        descriptions=("red", "", "nir"),
    )
    out = tmp_path / "stack.tif"
    summary = texture.texture(path, out, None, 5, ["std"], append=True, workers=1)
    assert summary.bands == [3]
    assert summary.descriptions == ["red", "band 2", "nir", "nir standard deviation 5x5"]
    with rasterio.open(out) as result:
        stack = result.read()
    assert np.isnan(stack[:, 0, 0]).all()
    np.testing.assert_array_equal(stack[:3, 1:, 1:], data[:, 1:, 1:].astype(np.float32))
    expected = texture.texture_array(data[2], data[2] != 0, 5, ["std"])
    np.testing.assert_array_equal(stack[3], expected[0])


def test_missing_band_is_an_error_and_writes_nothing(tmp_path):
    path = write_raster(
        tmp_path / "one.tif",
        np.ones((8, 8), dtype=np.uint8),
        crs="EPSG:32633",
        transform=from_origin(500000, 6000000, 10, 10),
        nodata=0,
        block=16,
        descriptions=("NIR",),
    )
    with pytest.raises(InputError, match="band 2 does not exist"):
        texture.texture(path, tmp_path / "bad.tif", [2], 3, ["mean"])
    assert not list(tmp_path.glob("*bad*"))
