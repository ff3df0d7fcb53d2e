"""Band roles travel: alignrasters names them from file names, spectralindices reads
and writes them, texture measures the NIR band or says which band it measured."""

from __future__ import annotations

import numpy as np
import rasterio
from conftest import write_raster
from rasterio.transform import from_origin
from test_import_product import Log

# The grid of this file's rasters: UTM 33N, 30 m pixels (Landsat), nodata 0.
GRID = dict(crs="EPSG:32633", transform=from_origin(500000, 6000000, 30, 30), nodata=0)


def bands(n, seed=0):
    return np.random.default_rng(seed).integers(100, 5000, size=(n, 12, 14)).astype(np.uint16)


def test_alignrasters_names_roles_from_landsat_file_names(run_alg, tmp_path):
    data = bands(3)
    prefix = "LT05_L2SP_195028_20090610_20200827_02_T1"
    paths = [
        write_raster(tmp_path / f"{prefix}_SR_B{n}.TIF", data[i], **GRID)
        for i, n in enumerate((3, 4, 5))
    ]
    stack = tmp_path / "stack.tif"
    log = Log()
    run_alg("landcover:alignrasters", {"INPUT": paths, "OUTPUT": str(stack)}, feedback=log)
    with rasterio.open(stack) as src:
        assert list(src.descriptions) == [
            f"red ({prefix}_SR_B3.TIF band 1)",  # Landsat 5 numbering: B4 is NIR
            f"nir ({prefix}_SR_B4.TIF band 1)",
            f"swir1 ({prefix}_SR_B5.TIF band 1)",
        ]
        assert src.tags(2)["LANDCOVER_ROLE"] == "nir"
    assert any("SR_B4, Landsat 4/5/7 numbering" in line for line in log.lines)
    texture = tmp_path / "texture.tif"
    log = Log()
    run_alg(
        "landcover:texture",
        {"INPUT": str(stack), "WINDOW_SIZE": 3, "MEASURES": [0], "OUTPUT": str(texture)},
        feedback=log,
    )
    with rasterio.open(texture) as src:
        assert src.descriptions[0].startswith("nir (")
    assert not any(line.startswith("WARNING") for line in log.lines)


def test_spectralindices_told_nir_describes_the_band(run_alg, tmp_path):
    path = write_raster(tmp_path / "four.tif", bands(4), **GRID)
    out = tmp_path / "ndvi.tif"
    log = Log()
    run_alg(
        "landcover:spectralindices",
        {
            "INPUT": path,
            "RED": 3,
            "NIR": 4,
            "INDICES": [0],
            "APPEND_TO_INPUT": True,
            "OUTPUT": str(out),
        },
        feedback=log,
    )
    assert "NIR: band 4 (given)" in log.lines
    with rasterio.open(out) as src:
        assert list(src.descriptions) == [
            "band 1",
            "band 2",
            "red (band 3)",
            "nir (band 4)",
            "NDVI",
        ]
        assert src.tags(4)["LANDCOVER_ROLE"] == "nir"
    texture = tmp_path / "texture.tif"
    run_alg(
        "landcover:texture",
        {"INPUT": str(out), "WINDOW_SIZE": 3, "MEASURES": [0], "OUTPUT": str(texture)},
    )
    with rasterio.open(texture) as src:
        assert src.descriptions[0] == "nir (band 4) mean 3x3"


def test_preset_takes_described_bands_and_says_so(run_alg, tmp_path):
    data = bands(4, seed=2)
    # NIR first, then red: not the order of the Sentinel-2 4-band preset
    path = write_raster(
        tmp_path / "roles.tif",
        data,
        **GRID,
        descriptions=["nir (B08)", "red (B04)", "green (B03)", "x"],
    )
    out = tmp_path / "ndvi.tif"
    log = Log()
    run_alg(
        "landcover:spectralindices",
        {"INPUT": path, "SENSOR": 2, "INDICES": [0, 1], "OUTPUT": str(out)},
        feedback=log,
    )
    assert "NIR: band 1 (described as 'nir (B08)')" in log.lines
    assert "Red: band 2 (described as 'red (B04)')" in log.lines
    with rasterio.open(out) as src:
        ndvi = src.read(1)
    nir, red = data[0] * 0.0001, data[1] * 0.0001
    np.testing.assert_allclose(ndvi, (nir - red) / (nir + red), rtol=1e-6)
    plain = write_raster(tmp_path / "plain.tif", data, **GRID)
    log = Log()
    run_alg(
        "landcover:spectralindices",
        {"INPUT": plain, "SENSOR": 2, "INDICES": [0], "OUTPUT": str(tmp_path / "p.tif")},
        feedback=log,
    )
    assert any(line.startswith("NIR: band 4 (band order of the preset") for line in log.lines)


def test_texture_without_nir_warns_which_band(run_alg, tmp_path):
    path = write_raster(
        tmp_path / "rgb.tif", bands(3), **GRID, descriptions=["red", "green", "blue"]
    )
    log = Log()
    run_alg(
        "landcover:texture",
        {"INPUT": path, "WINDOW_SIZE": 3, "MEASURES": [0], "OUTPUT": str(tmp_path / "t.tif")},
        feedback=log,
    )
    warnings = [line for line in log.lines if line.startswith("WARNING")]
    assert len(warnings) == 1 and "measured on band 1 ('red')" in warnings[0]
