"""qgis_process.bin runs the spectral indices and texture tools headless."""

from __future__ import annotations

import json

import numpy as np
import rasterio
from rasterio.transform import from_origin


def test_indices_then_texture_headless(qgis_process, tmp_path):
    data = np.random.default_rng(5).integers(1, 6000, size=(4, 24, 26)).astype(np.uint16)
    source = tmp_path / "s2.tif"
    with rasterio.open(
        source,
        "w",
        driver="GTiff",
        width=26,
        height=24,
        count=4,
        dtype="uint16",
        crs="EPSG:32633",
        transform=from_origin(500000, 6000000, 10, 10),
        nodata=0,
    ) as dst:
        dst.write(data)
    stack = tmp_path / "stack.tif"
    result = qgis_process(
        "--json",
        "run",
        "landcover:spectralindices",
        "--",
        f"INPUT={source}",
        "SENSOR=2",
        "INDICES=0",
        "INDICES=1",
        "APPEND_TO_INPUT=true",
        f"OUTPUT={stack}",
    )
    assert json.loads(result.stdout)["results"]["OUTPUT"] == str(stack)
    texture = tmp_path / "texture.tif"
    qgis_process(
        "run",
        "landcover:texture",
        "--",
        f"INPUT={stack}",
        "BANDS=5",
        "WINDOW_SIZE=3",
        "MEASURES=1",
        "MEASURES=3",
        "APPEND_TO_INPUT=true",
        f"OUTPUT={texture}",
    )
    with rasterio.open(texture) as src:
        assert list(src.descriptions) == [
            "blue (band 1)",  # the roles of the Sentinel-2 4-band preset travel
            "green (band 2)",
            "red (band 3)",
            "nir (band 4)",
            "NDVI",
            "NDWI",
            "NDVI standard deviation 3x3",
            "NDVI entropy 3x3",
        ]
        # the index bands keep how they were made, and texture says what it measured
        assert json.loads(src.tags(5)["LANDCOVER_FEATURE"])["name"] == "NDVI"
        source_tag = json.loads(src.tags(7)["LANDCOVER_FEATURE"])["source"]
        assert source_tag["kind"] == "index" and source_tag["name"] == "NDVI"
        assert np.isfinite(src.read(7)).any()


def test_missing_band_fails_headless_with_message(qgis_process, tmp_path):
    source = tmp_path / "one.tif"
    with rasterio.open(
        source,
        "w",
        driver="GTiff",
        width=8,
        height=8,
        count=1,
        dtype="uint8",
        crs="EPSG:4326",
        transform=from_origin(0, 8, 1, 1),
    ) as dst:
        dst.write(np.ones((1, 8, 8), dtype=np.uint8))
    out = tmp_path / "never.tif"
    result = qgis_process(
        "run",
        "landcover:spectralindices",
        "--",
        f"INPUT={source}",
        "INDICES=0",
        f"OUTPUT={out}",
        check=False,
    )
    assert result.returncode != 0
    assert "NDVI needs the NIR band" in result.stdout + result.stderr
    assert not out.exists()
