from __future__ import annotations

import math

import numpy as np
import pytest
import rasterio
from conftest import write_raster
from rasterio.transform import from_origin

from landcover.core.io.errors import InputError
from landcover.core.prepare import mask


def image(shape=(2, 6, 8), dtype="uint16"):
    values = np.arange(1, int(np.prod(shape)) + 1).reshape(shape) * 10
    return values.astype(dtype)


def read(path):
    with rasterio.open(path) as src:
        return src.read(), src.nodata, src.dtypes[0]


def test_invalid_values_mask_the_pixel_in_every_band(tmp_path):
    data = image()
    data[0, 1, 2] = 0
    data[1, 3, 4] = 0
    path = write_raster(tmp_path / "in.tif", data)
    result = mask.mask_raster(path, tmp_path / "out.tif", invalid_values=[0])
    out, nodata, dtype = read(result.path)
    assert dtype == "uint16" and nodata == 0
    assert (out[:, 1, 2] == 0).all() and (out[:, 3, 4] == 0).all()
    keep = np.ones((6, 8), dtype=bool)
    keep[1, 2] = keep[3, 4] = False
    np.testing.assert_array_equal(out[:, keep], data[:, keep])
    assert (result.masked, result.newly_masked, result.total) == (2, 2, 48)
    assert result.share == pytest.approx(2 / 48)


def test_valid_range_and_existing_nodata(tmp_path):
    data = image()  # band 1: 10..480, band 2: 490..960
    data[0, 0, 0] = 7  # the input's nodata value
    path = write_raster(tmp_path / "in.tif", data, nodata=7)
    result = mask.mask_raster(path, tmp_path / "out.tif", valid_range=(None, 900))
    out, nodata, _ = read(result.path)
    assert nodata == 7
    expected = (data[1] > 900) | (data[0] == 7)
    np.testing.assert_array_equal((out == 7).all(axis=0), expected)
    assert result.masked == int(expected.sum())
    assert result.newly_masked == int((data[1] > 900).sum())


def test_integer_nodata_chosen_outside_the_data(tmp_path):
    data = (np.arange(48).reshape(1, 6, 8) + 1).astype("uint8")
    path = write_raster(tmp_path / "in.tif", data)
    result = mask.mask_raster(path, tmp_path / "a.tif", valid_range=(1, 40))
    assert (result.dtype, result.nodata) == ("uint8", 0)
    result = mask.mask_raster(path, tmp_path / "b.tif", valid_range=(0, 40))
    assert (result.dtype, result.nodata) == ("uint8", 255)
    out, _, _ = read(result.path)
    assert (out[0][data[0] > 40] == 255).all()


def test_full_integer_range_is_promoted_to_float32_nan(tmp_path):
    data = np.arange(256, dtype="uint8").reshape(1, 16, 16)
    path = write_raster(tmp_path / "in.tif", data)
    flags = np.zeros((16, 16), dtype="uint8")
    flags[0, :4] = 9
    cloud = write_raster(tmp_path / "scl.tif", flags)
    result = mask.mask_raster(path, tmp_path / "out.tif", mask=cloud, mask_values=[9])
    out, nodata, dtype = read(result.path)
    assert dtype == "float32" and math.isnan(nodata)
    assert np.isnan(out[0, 0, :4]).all()
    np.testing.assert_array_equal(out[0, 1:], data[0, 1:].astype("float32"))


def test_float_input_gets_nan(tmp_path):
    data = np.linspace(-1, 1, 48, dtype="float32").reshape(1, 6, 8)
    path = write_raster(tmp_path / "in.tif", data)
    result = mask.mask_raster(path, tmp_path / "out.tif", valid_range=(-0.5, 0.5))
    out, nodata, dtype = read(result.path)
    assert dtype == "float32" and math.isnan(nodata)
    np.testing.assert_array_equal(np.isnan(out[0]), np.abs(data[0]) > 0.5)


def test_qa_bits_and_scl_values_on_the_same_grid(tmp_path):
    data = image()
    path = write_raster(tmp_path / "in.tif", data)
    qa = np.zeros((6, 8), dtype="uint16")
    qa[0, 0] = 1 << 3  # cloud
    qa[0, 1] = 1 << 4  # cloud shadow
    qa[0, 2] = (1 << 3) | 1  # cloud and fill
    qa[0, 3] = 1 << 5  # snow: kept
    qa[0, 4] = 1 << 6  # clear: kept
    qa_path = write_raster(tmp_path / "qa.tif", qa)
    result = mask.mask_raster(path, tmp_path / "out.tif", mask=qa_path, mask_bits=[3, 4])
    out, nodata, _ = read(result.path)
    masked = (out == nodata).all(axis=0)
    assert masked[0].tolist() == [True, True, True, False, False, False, False, False]
    assert masked[1:].sum() == 0
    assert result.masked == 3

    scl = np.full((6, 8), 4, dtype="uint8")
    scl[2, :] = [3, 8, 9, 10, 4, 5, 6, 0]
    scl_path = write_raster(tmp_path / "scl.tif", scl, nodata=0)
    result = mask.mask_raster(path, tmp_path / "out2.tif", mask=scl_path, mask_values=[3, 8, 9, 10])
    out, nodata, _ = read(result.path)
    masked = (out == nodata).all(axis=0)
    assert masked[2].tolist() == [True] * 4 + [False] * 4
    assert masked.sum() == 4


def test_mask_on_another_grid_is_resampled_nearest(tmp_path):
    data = image(shape=(1, 8, 8))
    path = write_raster(tmp_path / "in.tif", data)  # 10 m pixels
    flags = np.zeros((4, 4), dtype="uint8")
    flags[1, 2] = 9  # one 20 m cloud pixel covers 2 x 2 input pixels
    cloud = write_raster(
        tmp_path / "cloud.tif", flags, transform=from_origin(500000, 5000000, 20, 20)
    )
    result = mask.mask_raster(path, tmp_path / "out.tif", mask=cloud, mask_values=[9])
    out, nodata, _ = read(result.path)
    expected = np.zeros((8, 8), dtype=bool)
    expected[2:4, 4:6] = True
    np.testing.assert_array_equal(out[0] == nodata, expected)
    assert result.masked == 4

    # The same mask in another CRS (metres in a neighbouring UTM zone).
    with rasterio.open(cloud) as src:
        transform, width, height = rasterio.warp.calculate_default_transform(
            src.crs, "EPSG:32633", 4, 4, *src.bounds, resolution=5
        )
        moved = np.zeros((height, width), dtype="uint8")
        rasterio.warp.reproject(
            flags,
            moved,
            src_transform=src.transform,
            src_crs=src.crs,
            dst_transform=transform,
            dst_crs="EPSG:32633",
            resampling=rasterio.enums.Resampling.nearest,
        )
    other = write_raster(tmp_path / "moved.tif", moved, crs="EPSG:32633", transform=transform)
    result = mask.mask_raster(path, tmp_path / "out2.tif", mask=other, mask_values=[9])
    out, nodata, _ = read(result.path)
    masked = out[0] == nodata
    assert masked[2:4, 4:6].all()
    assert masked.sum() <= 6  # the cloud, give or take pixels on its edge


def test_blockwise_count_matches_whole_raster(tmp_path):
    rng = np.random.default_rng(4)
    data = rng.integers(0, 20, (1, 600, 700)).astype("uint16")
    path = write_raster(tmp_path / "in.tif", data)
    result = mask.mask_raster(
        path, tmp_path / "out.tif", invalid_values=[0, 19], max_pixels=256 * 256, workers=2
    )
    expected = np.isin(data[0], [0, 19])
    out, nodata, _ = read(result.path)
    np.testing.assert_array_equal(out[0] == nodata, expected)
    assert result.masked == int(expected.sum())


def test_parse_numbers_and_bits():
    assert mask.parse_numbers("0, 65535") == [0, 65535]
    assert mask.parse_numbers("3 8;9,10") == [3, 8, 9, 10]
    assert mask.parse_numbers("8-10") == [8, 9, 10]
    assert mask.parse_numbers(" ") == []
    assert mask.parse_numbers("-9999, 1.5") == [-9999, 1.5]
    assert mask.parse_bits("3, 4") == [3, 4]
    with pytest.raises(InputError, match="not a number"):
        mask.parse_numbers("3, cloud")
    with pytest.raises(InputError, match="bit"):
        mask.parse_bits("64")


def test_bad_input_leaves_no_output(tmp_path):
    path = write_raster(tmp_path / "in.tif", image())
    out = tmp_path / "out.tif"
    with pytest.raises(InputError, match="without mask values"):
        mask.mask_raster(path, out, mask=path)
    with pytest.raises(InputError, match="empty"):
        mask.mask_raster(path, out, valid_range=(10, 1))
    far = write_raster(
        tmp_path / "far.tif", np.zeros((4, 4), "uint8"), transform=from_origin(0, 0, 10, 10)
    )
    with pytest.raises(InputError, match="does not overlap"):
        mask.mask_raster(path, out, mask=far, mask_values=[9])
    with pytest.raises(InputError, match="does not exist"):
        mask.mask_raster(path, tmp_path / "nowhere" / "out.tif", invalid_values=[0])
    text = tmp_path / "notes.txt"
    text.write_text("no raster")
    with pytest.raises(InputError, match="cannot read"):
        mask.mask_raster(text, out, invalid_values=[0])
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["far.tif", "in.tif", "notes.txt"]
