from __future__ import annotations

import math

import numpy as np
import pytest
import rasterio
from conftest import write_raster
from rasterio.crs import CRS
from rasterio.enums import Resampling
from rasterio.transform import from_origin
from rasterio.warp import reproject

from landcover.core.io.errors import InputError
from landcover.core.io.progress import Cancelled, Progress
from landcover.core.prepare import align


def smooth(shape, seed, dtype="uint16"):
    rng = np.random.default_rng(seed)
    rows, cols = np.mgrid[0 : shape[0], 0 : shape[1]]
    field = 1000 + 400 * np.sin(rows / 7.0) + 300 * np.cos(cols / 5.0)
    return (field + rng.integers(0, 50, shape)).astype(dtype)


def test_known_grid_lands_values_where_expected(tmp_path):
    # 20 m source pixels resampled (nearest) to a 10 m grid shifted by one 20 m pixel.
    src = np.arange(1, 26, dtype="uint8").reshape(5, 5)
    path = write_raster(tmp_path / "a.tif", src, transform=from_origin(500000, 5000000, 20, 20))
    grid = align.make_grid("EPSG:32632", (500020, 4999900, 500100, 4999980), 10)
    assert (grid.width, grid.height) == (8, 8)
    result = align.align_rasters([path], tmp_path / "out.tif", grid)
    with rasterio.open(result.path) as out:
        data = out.read(1)
        assert out.crs == CRS.from_epsg(32632)
        assert out.transform == grid.transform
        assert out.dtypes[0] == "uint8"
    expected = np.repeat(np.repeat(src[1:5, 1:5], 2, axis=0), 2, axis=1)
    np.testing.assert_array_equal(data, expected)


def whole_array(path, grid, method):
    expected = np.zeros((grid.height, grid.width), dtype="uint16")
    with rasterio.open(path) as src:
        reproject(
            rasterio.band(src, 1),
            expected,
            dst_transform=grid.transform,
            dst_crs=grid.crs,
            resampling=Resampling[method],
            src_nodata=0,
            dst_nodata=0,
        )
    return expected


@pytest.mark.parametrize("method", align.RESAMPLING_METHODS)
def test_blockwise_equals_whole_array_reproject(tmp_path, method):
    data = smooth((560, 600), 1)
    data[:40, :55] = 0  # a nodata corner
    path = write_raster(tmp_path / "src.tif", data, nodata=0)
    # Another pixel size and an offset grid: windows of 256 x 256 target pixels cut
    # across it, and the result is the same as one whole-array warp.
    grid = align.make_grid("EPSG:32632", (500003, 4994500, 505900, 5000000 - 7), 13)
    result = align.align_rasters(
        [path], tmp_path / "out.tif", grid, resampling=method, max_pixels=256 * 256, workers=2
    )
    expected = whole_array(path, grid, method)
    with rasterio.open(result.path) as out:
        got = out.read(1)
        assert out.nodata == 0
    assert grid.width > 256 and grid.height > 256
    assert (expected > 0).mean() > 0.9 and (expected == 0).any()
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("method", ["nearest", "bilinear"])
def test_blockwise_across_crs_matches_single_window_and_whole_array(tmp_path, method):
    data = smooth((560, 600), 1)
    data[:40, :55] = 0
    path = write_raster(tmp_path / "src.tif", data, nodata=0)
    with rasterio.open(path) as src:
        transform, width, height = rasterio.warp.calculate_default_transform(
            src.crs, "EPSG:32633", src.width, src.height, *src.bounds, resolution=13
        )
    grid = align.Grid(CRS.from_epsg(32633), transform, width, height)
    small = align.align_rasters(
        [path], tmp_path / "small.tif", grid, resampling=method, max_pixels=256 * 256
    )
    whole = align.align_rasters(
        [path], tmp_path / "whole.tif", grid, resampling=method, max_pixels=4096 * 4096
    )
    with rasterio.open(small.path) as a, rasterio.open(whole.path) as b:
        got = a.read(1)
        np.testing.assert_array_equal(got, b.read(1))
    expected = whole_array(path, grid, method)
    # GDAL approximates the transformation per warped chunk (within 1/8 pixel), so
    # values may differ slightly from one whole-array warp; the nodata pattern may not.
    np.testing.assert_array_equal(got == 0, expected == 0)
    difference = np.abs(got.astype(int) - expected.astype(int))[expected > 0]
    assert difference.mean() < 10 and np.median(difference) <= 5


def test_six_single_band_files_in_another_crs_give_six_band_stack(tmp_path):
    ref = write_raster(tmp_path / "ref.tif", smooth((60, 80), 0), nodata=0)
    with rasterio.open(ref) as r:
        ref_grid = align.Grid(r.crs, r.transform, r.width, r.height)
    inputs = []
    for i in range(6):
        # Each band in EPSG:32633 at 20 m, covering the reference area.
        transform, width, height = rasterio.warp.calculate_default_transform(
            "EPSG:32632", "EPSG:32633", 80, 60, *ref_grid.bounds, resolution=20
        )
        data = smooth((height, width), i + 1) + i
        inputs.append(
            write_raster(
                tmp_path / f"b{i}.tif", data, crs="EPSG:32633", transform=transform, nodata=0
            )
        )
    grid = align.target_grid(ref)
    result = align.align_rasters(inputs, tmp_path / "stack.tif", grid, resampling="bilinear")
    with rasterio.open(result.path) as out:
        assert out.count == 6
        assert out.crs == ref_grid.crs
        assert out.transform == ref_grid.transform
        assert (out.width, out.height) == (80, 60)
        assert out.descriptions == tuple(f"b{i}.tif band 1" for i in range(6))
        stack = out.read()
    valid = (stack != out.nodata).all(axis=0)
    assert valid.mean() > 0.9
    # Each band carries its own source: band i is offset by i from a similar field.
    assert stack[5][valid].mean() > stack[0][valid].mean()


def test_dtype_widening_and_nodata_choice():
    assert align.output_dtype(["uint8", "uint16"]) == np.dtype("uint16")
    assert align.output_dtype(["uint16", "int16"]) == np.dtype("int32")
    assert align.output_dtype(["uint16", "float32"]) == np.dtype("float32")
    assert align.output_dtype(["float64", "uint8"]) == np.dtype("float64")
    assert math.isnan(align.choose_nodata("float32", [0, None]))
    assert align.choose_nodata("uint16", [0, 0, None]) == 0
    assert align.choose_nodata("uint16", [None]) == 65535
    assert align.choose_nodata("int16", [float("nan")]) == -32768
    assert align.choose_nodata("uint8", [-9999]) == 255


def test_mixed_types_fill_outside_with_nodata_never_nan(tmp_path):
    a = write_raster(tmp_path / "a.tif", np.full((10, 10), 7, dtype="uint8"))
    b = write_raster(
        tmp_path / "b.tif",
        np.full((5, 5), -3, dtype="int16"),
        transform=from_origin(500000, 5000000, 10, 10),
    )
    grid = align.target_grid(a)
    result = align.align_rasters([a, b], tmp_path / "out.tif", grid)
    assert result.dtype == "int16"
    assert result.partial == [str(b)]
    with rasterio.open(result.path) as out:
        stack = out.read()
        assert out.nodata == -32768
    assert (stack[0] == 7).all()
    assert (stack[1, :5, :5] == -3).all()
    assert (stack[1, 5:, :] == -32768).all() and (stack[1, :, 5:] == -32768).all()


def test_multiband_input_keeps_band_order_and_descriptions(tmp_path):
    data = np.stack([np.full((8, 8), v, dtype="uint16") for v in (10, 20, 30)])
    path = write_raster(tmp_path / "multi.tif", data)
    result = align.align_rasters([path], tmp_path / "out.tif", align.target_grid(path))
    with rasterio.open(result.path) as out:
        assert out.descriptions == ("multi.tif band 1", "multi.tif band 2", "multi.tif band 3")
        assert [int(out.read(i)[0, 0]) for i in (1, 2, 3)] == [10, 20, 30]


def test_target_grid_pixel_size_extent_and_crs(tmp_path):
    ref = write_raster(tmp_path / "ref.tif", np.ones((100, 50), dtype="uint8"))
    grid = align.target_grid(ref, pixel_size=20)
    assert (grid.width, grid.height) == (25, 50)
    assert grid.bounds == (500000, 4999000, 500500, 5000000)
    grid = align.target_grid(ref, extent=(500100, 4999500, 500300, 4999900))
    assert (grid.width, grid.height) == (20, 40)
    grid = align.target_grid(ref, crs="EPSG:4326")
    assert grid.crs == CRS.from_epsg(4326)
    assert grid.res[0] < 0.001  # degrees, as GDAL suggests
    with pytest.raises(InputError, match="pixel size"):
        align.target_grid(ref, pixel_size=-5)
    with pytest.raises(InputError, match="pixel size"):
        align.target_grid(ref, pixel_size=0)
    with pytest.raises(InputError, match="units"):
        align.target_grid(ref, crs="EPSG:4326", pixel_size=1e-9)


def test_bad_inputs_leave_no_output(tmp_path):
    good = write_raster(tmp_path / "good.tif", np.ones((10, 10), dtype="uint8"))
    grid = align.target_grid(good)
    out = tmp_path / "out.tif"
    with pytest.raises(InputError, match="no input"):
        align.align_rasters([], out, grid)
    text = tmp_path / "notes.txt"
    text.write_text("not a raster")
    with pytest.raises(InputError, match="cannot read"):
        align.align_rasters([good, text], out, grid)
    no_crs = write_raster(tmp_path / "nocrs.tif", np.ones((10, 10), dtype="uint8"), crs=None)
    with pytest.raises(InputError, match="no coordinate reference system"):
        align.align_rasters([good, no_crs], out, grid)
    far = write_raster(
        tmp_path / "far.tif",
        np.ones((10, 10), dtype="uint8"),
        transform=from_origin(600000, 5000000, 10, 10),
    )
    with pytest.raises(InputError, match=r"far\.tif does not overlap"):
        align.align_rasters([good, far], out, grid)
    with pytest.raises(InputError, match=r"cannot be written|does not exist"):
        align.align_rasters([good], tmp_path / "missing" / "out.tif", grid)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "far.tif",
        "good.tif",
        "nocrs.tif",
        "notes.txt",
    ]


def test_cancel_removes_partial_output(tmp_path):
    path = write_raster(tmp_path / "a.tif", smooth((64, 64), 3))
    grid = align.make_grid("EPSG:32632", (500000, 4999360, 500640, 5000000), 1)
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(Cancelled):
        align.align_rasters(
            [path],
            tmp_path / "out.tif",
            grid,
            max_pixels=256 * 256,
            progress=Progress(is_cancelled=cancelled),
            workers=1,
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.tif"]


def test_zero_border_without_nodata_is_counted_and_source_nodata_masks_it(tmp_path):
    data = np.stack([smooth((40, 40), 3), smooth((40, 40), 4)]) + 1
    data[:, :, :5] = 0  # a zero-filled border, not marked as nodata
    path = write_raster(tmp_path / "b.tif", data)
    grid = align.grid_of(path)
    kept = align.align_rasters([path], tmp_path / "kept.tif", grid)
    assert kept.zeros_kept == {str(path): 200}
    with rasterio.open(tmp_path / "kept.tif") as src:
        assert (src.read(1)[:, :5] == 0).all()
    masked = align.align_rasters([path], tmp_path / "masked.tif", grid, source_nodata=[0])
    assert masked.zeros_kept == {}
    with rasterio.open(tmp_path / "masked.tif") as src:
        assert src.nodata == 0
        assert (src.read_masks(1)[:, :5] == 0).all() and (src.read_masks(1)[:, 5:] == 255).all()
