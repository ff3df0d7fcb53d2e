"""Importing Sentinel-2 L2A and Landsat C2 L2 products built in the published layouts."""

from __future__ import annotations

import shutil
import tarfile
import zipfile

import numpy as np
import pytest
import rasterio
from conftest import load_script
from rasterio.transform import from_origin

from landcover.core.io import bands as band_roles
from landcover.core.io.progress import Cancelled, Progress
from landcover.core.prepare import product

MAKE = load_script("make_product")
SIZE = 60  # pixels at 10 m


@pytest.fixture(scope="module")
def s2(tmp_path_factory):
    return MAKE.write_sentinel2(tmp_path_factory.mktemp("s2"), SIZE)


@pytest.fixture(scope="module")
def landsat(tmp_path_factory):
    return MAKE.write_landsat(tmp_path_factory.mktemp("landsat"), 40)


def s2_reflectance(dn, offset=-1000):
    return ((dn.astype(np.float64) + offset) / 10000).astype(np.float32)


def expected_s2_mask(s2, factor=2):
    """Nodata of the 10 m stack: SCL (nearest, 20 m) 0, 3, 8, 9, 10, or fill in a band."""
    scl = np.kron(s2["scl"], np.ones((factor, factor), dtype=np.uint8))
    bad = np.isin(scl, (0, 3, 8, 9, 10))
    for (band, resolution), dn in s2["dn"].items():
        if band in product.SENTINEL2_DEFAULT and (resolution == 10 or band not in MAKE.S2_10M):
            k = resolution // 10
            bad |= np.kron(dn == 0, np.ones((k, k), dtype=bool))[:SIZE, :SIZE]
    return bad


def left_files(folder):
    return sorted(p.name for p in folder.iterdir() if p.is_file())


def test_sentinel2_reflectance_mask_grid_and_roles(s2, tmp_path):
    out = tmp_path / "s2.tif"
    result = product.import_product(s2["safe"], out, resampling="nearest")
    with rasterio.open(out) as src:
        assert (src.width, src.height, src.count) == (SIZE, SIZE, 10)
        assert src.transform == from_origin(*MAKE.S2_ORIGIN, 10, 10)
        assert src.crs.to_epsg() == 32632
        assert src.dtypes[0] == "float32" and np.isnan(src.nodata)
        assert list(src.descriptions) == [
            "blue (B02)",
            "green (B03)",
            "red (B04)",
            "rededge1 (B05)",
            "rededge2 (B06)",
            "rededge3 (B07)",
            "nir (B08)",
            "nir narrow (B8A)",
            "swir1 (B11)",
            "swir2 (B12)",
        ]
        assert src.tags(7)[band_roles.ROLE_TAG] == "nir"
        assert src.tags(7)[band_roles.BAND_ID_TAG] == "B08"
        tags = src.tags()
        assert tags["SENSOR"] == "Sentinel-2A"
        assert tags["DATE"] == "2023-06-15"
        assert tags["TILE"] == "32TQM"
        assert tags["PROCESSING_BASELINE"] == "05.09"
        assert tags[product.UNITS_TAG] == "reflectance"
        data = src.read()
    bad = expected_s2_mask(s2)
    assert np.array_equal(np.isnan(data).all(axis=0), bad)
    assert np.array_equal(np.isnan(data).any(axis=0), bad)
    # 10 m bands exactly; 20 m bands (nearest) are their 20 m pixel
    for i, band in ((0, "B02"), (6, "B08")):
        expected = s2_reflectance(s2["dn"][(band, 10)])
        assert np.array_equal(data[i][~bad], expected[~bad])
    b11 = np.kron(s2_reflectance(s2["dn"][("B11", 20)]), np.ones((2, 2), dtype=np.float32))
    assert np.array_equal(data[8][~bad], b11[~bad])
    assert result.fill + result.masked == bad.sum()
    assert result.total == SIZE * SIZE


def test_sentinel2_bilinear_stays_within_neighbours(s2, tmp_path):
    out = tmp_path / "bilinear.tif"
    product.import_product(s2["safe"], out, bands="B05", resampling="bilinear", mask_classes=())
    with rasterio.open(out) as src:
        values = src.read(1)
    coarse = s2_reflectance(s2["dn"][("B05", 20)])
    valid = coarse[coarse > -0.1]  # not fill
    assert np.nanmin(values) >= valid.min() and np.nanmax(values) <= valid.max()
    nearest = np.kron(coarse, np.ones((2, 2), dtype=np.float32))
    inner = ~np.isnan(values)
    assert not np.array_equal(values[inner], nearest[inner])  # really interpolated


def test_sentinel2_zip_and_metadata_file_give_the_same_stack(s2, tmp_path):
    folder_out = tmp_path / "folder.tif"
    product.import_product(s2["safe"], folder_out, bands="B04,B8A")
    archive = tmp_path / (s2["safe"].name.removesuffix(".SAFE") + ".zip")
    with zipfile.ZipFile(archive, "w") as zf:
        for path in s2["safe"].rglob("*"):
            zf.write(path, path.relative_to(s2["safe"].parent))
    zip_out = tmp_path / "zip.tif"
    result = product.import_product(archive, zip_out, bands="B04,B8A")
    assert result.bands[0].path.startswith("/vsizip/")
    mtd_out = tmp_path / "mtd.tif"
    product.import_product(s2["safe"] / "MTD_MSIL2A.xml", mtd_out, bands=["B04", "B8A"])
    with rasterio.open(folder_out) as a, rasterio.open(zip_out) as b, rasterio.open(mtd_out) as c:
        assert np.array_equal(a.read(), b.read(), equal_nan=True)
        assert np.array_equal(a.read(), c.read(), equal_nan=True)
        assert list(b.descriptions) == ["red (B04)", "nir narrow (B8A)"]
    assert not any(p.suffix == ".jp2" for p in tmp_path.rglob("*"))  # nothing unpacked


def test_sentinel2_old_baseline_has_no_offset(tmp_path):
    old = MAKE.write_sentinel2(tmp_path, 12, baseline="02.14", offsets=False)
    out = tmp_path / "old.tif"
    result = product.import_product(old["safe"], out, bands="B02", mask_classes=())
    assert "02.14" in result.notes[0] and "DN / 10000" in result.notes[0]
    with rasterio.open(out) as src:
        data = src.read(1)
    dn = old["dn"][("B02", 10)]
    expected = s2_reflectance(dn, offset=0)
    valid = (dn > 0) & (np.kron(old["scl"], np.ones((2, 2), dtype=np.uint8)) > 0)  # SCL 0: fill
    assert np.array_equal(data[valid], expected[valid])
    assert np.isnan(data[~valid]).all()


def test_sentinel2_at_20_m_averages_the_10_m_only_band(s2, tmp_path):
    out = tmp_path / "s20.tif"
    product.import_product(s2["safe"], out, bands="B02,B08", resolution=20, mask_classes=())
    with rasterio.open(out) as src:
        assert (src.width, src.height) == (SIZE // 2, SIZE // 2)
        assert src.transform == from_origin(*MAKE.S2_ORIGIN, 20, 20)
        data = src.read()
    b02 = s2_reflectance(s2["dn"][("B02", 20)])  # the 20 m file itself
    valid = s2["dn"][("B02", 20)] > 0
    assert np.array_equal(data[0][valid], b02[valid])
    fine = s2_reflectance(s2["dn"][("B08", 10)]).astype(np.float64)
    averaged = fine.reshape(SIZE // 2, 2, SIZE // 2, 2).mean(axis=(1, 3))
    inner = ~np.isnan(data[1])
    assert np.allclose(data[1][inner], averaged[inner], atol=1e-4)


@pytest.mark.parametrize("fmt", ["txt", "xml", "json"])
def test_landsat_reflectance_and_qa_bits(landsat, tmp_path, fmt):
    mtl = landsat["folder"] / f"{landsat['id']}_MTL.{fmt}"
    out = tmp_path / "ls.tif"
    product.import_product(mtl, out)
    qa = landsat["qa"]
    bad = (qa & 1) | (qa & 0b11110)
    bad = bad.astype(bool)
    for dn in landsat["dn"].values():
        bad |= dn == 0
    with rasterio.open(out) as src:
        assert src.count == 7 and src.res == (30.0, 30.0)
        assert src.descriptions[4] == "nir (SR_B5)" and src.descriptions[0] == "coastal (SR_B1)"
        assert src.tags()["SENSOR"] == "LANDSAT_9"
        assert src.tags()["TILE"] == "195028"
        assert src.tags()["DATE"] == "2023-06-10"
        data = src.read()
    assert np.array_equal(np.isnan(data).all(axis=0), bad)
    dn = landsat["dn"]["SR_B5"].astype(np.float64)
    expected = (dn * 2.75e-05 - 0.2).astype(np.float32)  # not the Level-1 2.0E-05
    assert np.array_equal(data[4][~bad], expected[~bad])


def test_landsat_snow_optional_and_tar_input(landsat, tmp_path):
    archive = tmp_path / f"{landsat['id']}.tar"
    with tarfile.open(archive, "w") as tf:
        for path in sorted(landsat["folder"].iterdir()):
            tf.add(path, path.name)
    out = tmp_path / "snow.tif"
    result = product.import_product(archive, out, bands="SR_B4", mask_bits=(5,))
    assert result.bands[0].path.startswith("/vsitar/")
    qa = landsat["qa"]
    with rasterio.open(out) as src:
        nodata = np.isnan(src.read(1))
    assert np.array_equal(
        nodata, ((qa & 1) | (qa & 32)).astype(bool) | (landsat["dn"]["SR_B4"] == 0)
    )


def test_landsat_5_numbering(tmp_path):
    tm = MAKE.write_landsat(tmp_path, 12, spacecraft=5)
    out = tmp_path / "tm.tif"
    product.import_product(tm["folder"], out)
    with rasterio.open(out) as src:
        assert list(src.descriptions) == [
            "blue (SR_B1)",
            "green (SR_B2)",
            "red (SR_B3)",
            "nir (SR_B4)",
            "swir1 (SR_B5)",
            "swir2 (SR_B7)",
        ]


def test_not_a_product_is_a_clear_error(tmp_path):
    folder = tmp_path / "holiday"
    folder.mkdir()
    (folder / "photo.tif").write_bytes(b"x")
    with pytest.raises(product.ProductError, match="not a Sentinel-2 Level-2A or Landsat"):
        product.import_product(folder, tmp_path / "out.tif")
    assert left_files(tmp_path) == []


def test_missing_band_is_a_clear_error(tmp_path):
    broken = MAKE.write_sentinel2(tmp_path, 12, skip=("B11",))
    with pytest.raises(product.ProductError, match="band B11 is not in the product"):
        product.import_product(broken["safe"], tmp_path / "out.tif")
    assert "out.tif" not in left_files(tmp_path)


def test_level_1c_says_it_needs_level_2a(tmp_path):
    l1c = MAKE.write_sentinel2(tmp_path, 12, level="1C")
    for source in (l1c["safe"], l1c["safe"] / "MTD_MSIL1C.xml"):
        with pytest.raises(product.ProductError, match=r"Level-1C.*needs Level-2A"):
            product.import_product(source, tmp_path / "out.tif")
    landsat_l1 = MAKE.write_landsat(tmp_path, 12, level="L1TP")
    with pytest.raises(product.ProductError, match=r"L1TP product.*needs Collection 2 Level-2"):
        product.import_product(landsat_l1["folder"], tmp_path / "out.tif")
    assert "out.tif" not in left_files(tmp_path)


def test_corrupt_jpeg2000_is_a_clear_error_and_no_output(tmp_path):
    damaged = MAKE.write_sentinel2(tmp_path, 60)
    band = next(damaged["safe"].rglob("*_B04_10m.jp2"))
    data = band.read_bytes()
    band.write_bytes(data[: len(data) // 2])
    with pytest.raises(product.ProductError, match=r"B04.*damaged"):
        product.import_product(damaged["safe"], tmp_path / "out.tif")
    assert left_files(tmp_path) == []


def test_cancel_leaves_no_output(s2, tmp_path):
    with pytest.raises(Cancelled):
        product.import_product(
            s2["safe"], tmp_path / "out.tif", max_pixels=256, progress=Progress(None, lambda: True)
        )
    assert left_files(tmp_path) == []


def test_band_lists_parse():
    assert product.parse_band_list("B2, b8a 11;SR_B5 B08") == ["B02", "B8A", "B11", "SR_B5", "B08"]
    assert product.parse_band_list(None) == []


def test_copy_of_safe_without_scl_needs_no_mask(s2, tmp_path):
    copy = tmp_path / s2["safe"].name
    shutil.copytree(s2["safe"], copy)
    next(copy.rglob("*_SCL_20m.jp2")).unlink()
    with pytest.raises(product.ProductError, match="no SCL file"):
        product.import_product(copy, tmp_path / "out.tif", bands="B02")
    product.import_product(copy, tmp_path / "out.tif", bands="B02", mask_classes=())
    with rasterio.open(tmp_path / "out.tif") as src:
        assert "LANDCOVER_MASK" not in src.tags()
