"""qgis_process.bin imports products and hands their band roles on."""

from __future__ import annotations

import json
import tarfile

import numpy as np
import rasterio
from conftest import load_script

MAKE = load_script("make_product")


def test_import_landsat_tar_then_indices_without_band_numbers(qgis_process, tmp_path):
    ls = MAKE.write_landsat(tmp_path, 20, formats=("txt",))
    archive = tmp_path / f"{ls['id']}.tar"
    with tarfile.open(archive, "w") as tf:
        for path in sorted(ls["folder"].iterdir()):
            tf.add(path, path.name)
    stack = tmp_path / "stack.tif"
    result = qgis_process(
        "--json", "run", "landcover:importproduct", "--", f"INPUT={archive}", f"OUTPUT={stack}"
    )
    outputs = json.loads(result.stdout)["results"]
    assert outputs["BAND_COUNT"] == 7 and outputs["SENSOR"] == "LANDSAT_9"
    ndvi = tmp_path / "ndvi.tif"
    result = qgis_process(
        "run", "landcover:spectralindices", "--", f"INPUT={stack}", "INDICES=0", f"OUTPUT={ndvi}"
    )
    assert "NIR: band 5 (described as 'nir (SR_B5)')" in result.stdout
    with rasterio.open(stack) as src:
        red, nir = src.read(4).astype(np.float64), src.read(5).astype(np.float64)
    with rasterio.open(ndvi) as src:
        values = src.read(1)
    valid = np.isfinite(values)
    assert valid.sum() > 100
    np.testing.assert_allclose(values[valid], ((nir - red) / (nir + red))[valid], rtol=1e-5)


def test_import_sentinel2_folder_and_bad_input(qgis_process, tmp_path):
    s2 = MAKE.write_sentinel2(tmp_path, 12)
    stack = tmp_path / "s2.tif"
    qgis_process(
        "run",
        "landcover:importproduct",
        "--",
        f"INPUT={s2['safe']}",
        "BANDS=B04,B08",
        f"OUTPUT={stack}",
    )
    with rasterio.open(stack) as src:
        assert list(src.descriptions) == ["red (B04)", "nir (B08)"]
    l1c = MAKE.write_sentinel2(tmp_path / "l1c", 12, level="1C")
    result = qgis_process(
        "run",
        "landcover:importproduct",
        "--",
        f"INPUT={l1c['safe']}",
        f"OUTPUT={tmp_path / 'l1c.tif'}",
        check=False,
    )
    assert result.returncode != 0
    assert "needs Level-2A" in result.stdout + result.stderr
    assert not (tmp_path / "l1c.tif").exists()
