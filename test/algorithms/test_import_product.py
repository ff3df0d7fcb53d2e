"""landcover:importproduct through processing.run, and the band roles it hands on."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest
import rasterio
from conftest import load_script

MAKE = load_script("make_product")


class Log:
    """A feedback that keeps what the algorithm says."""

    def __new__(cls):
        from qgis.core import QgsProcessingFeedback

        class Feedback(QgsProcessingFeedback):
            def __init__(self):
                super().__init__()
                self.lines = []

            def pushInfo(self, text):
                self.lines.append(text)

            def pushWarning(self, text):
                self.lines.append("WARNING " + text)

        return Feedback()


def test_choices_match_core():
    from landcover.algorithms import importproduct as alg
    from landcover.core.prepare import align, product

    assert alg.RESOLUTIONS == product.RESOLUTIONS
    assert {m for m, _ in alg.RESAMPLING} <= set(align.RESAMPLING_METHODS)
    assert alg.DEFAULT_SCL == product.DEFAULT_SCL
    assert alg.DEFAULT_QA_BITS == product.DEFAULT_QA_BITS
    assert {v for k, v, _ in alg.MASK_CHOICES if k == "scl"} <= set(product.SCL_CLASSES)
    assert {v for k, v, _ in alg.MASK_CHOICES if k == "qa"} <= set(product.QA_BITS)


def test_import_sentinel2_zip_with_defaults(run_alg, tmp_path):
    s2 = MAKE.write_sentinel2(tmp_path, 24)
    archive = tmp_path / "product.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in s2["safe"].rglob("*"):
            zf.write(path, path.relative_to(tmp_path))
    out = tmp_path / "stack.tif"
    log = Log()
    result = run_alg(
        "landcover:importproduct", {"INPUT": str(archive), "OUTPUT": str(out)}, feedback=log
    )
    assert result["BAND_COUNT"] == 10
    assert result["SENSOR"] == "Sentinel-2A" and result["DATE"] == "2023-06-15"
    text = "\n".join(log.lines)
    assert "Band nir (B08): reflectance = (DN -1000) / 10000" in text
    assert "Masked by SCL classes 3, 8, 9, 10:" in text
    with rasterio.open(out) as src:
        assert src.descriptions[6] == "nir (B08)" and src.res == (10.0, 10.0)
        data = src.read(1)
    scl = np.kron(s2["scl"], np.ones((2, 2), dtype=np.uint8))
    assert np.isnan(data[np.isin(scl, (0, 3, 8, 9, 10))]).all()


def test_import_landsat_mask_choice_and_20m_ignored(run_alg, tmp_path):
    from landcover.algorithms.importproduct import MASK_CHOICES

    ls = MAKE.write_landsat(tmp_path, 16, formats=("json",))
    snow = [i for i, (kind, value, _) in enumerate(MASK_CHOICES) if (kind, value) == ("qa", 5)]
    out = tmp_path / "ls.tif"
    log = Log()
    run_alg(
        "landcover:importproduct",
        {
            "INPUT": str(ls["folder"] / f"{ls['id']}_MTL.json"),
            "BANDS": "SR_B4, SR_B5",
            "RESOLUTION": 1,
            "MASK": snow,
            "OUTPUT": str(out),
        },
        feedback=log,
    )
    assert any("keep their 30 m grid" in line for line in log.lines)
    qa = ls["qa"]
    with rasterio.open(out) as src:
        assert list(src.descriptions) == ["red (SR_B4)", "nir (SR_B5)"]
        nodata = np.isnan(src.read(1))
    fill = (ls["dn"]["SR_B4"] == 0) | (ls["dn"]["SR_B5"] == 0)
    assert np.array_equal(nodata, ((qa & 1) | (qa & 32)).astype(bool) | fill)


def test_bad_products_are_clear_errors_and_leave_nothing(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    not_product = tmp_path / "empty"
    not_product.mkdir()
    missing = MAKE.write_sentinel2(tmp_path / "missing", 12, skip=("B08",))
    l1c = MAKE.write_sentinel2(tmp_path / "l1c", 12, level="1C")
    corrupt = MAKE.write_sentinel2(tmp_path / "corrupt", 12)
    band = next(corrupt["safe"].rglob("*_B03_10m.jp2"))
    band.write_bytes(band.read_bytes()[:200])
    cases = [
        (not_product, "(?i)is not a Sentinel-2 Level-2A or Landsat"),
        (missing["safe"], "(?i)band B08 is not in the product"),
        (l1c["safe"], "(?i)Level-1C .*needs Level-2A"),
        (corrupt["safe"], "(?i)B03.*damaged"),
        (tmp_path / "nowhere.SAFE", "(?i)does not exist"),
    ]
    for source, message in cases:
        with pytest.raises(QgsProcessingException, match=message):
            run_alg(
                "landcover:importproduct",
                {"INPUT": str(source), "OUTPUT": str(tmp_path / "out.tif")},
            )
    assert not list(tmp_path.glob("*.tif"))
    assert not list(tmp_path.glob(".*partial*"))


def test_roles_reach_indices_and_texture_without_band_numbers(run_alg, tmp_path):
    ls = MAKE.write_landsat(tmp_path, 16)
    stack = tmp_path / "stack.tif"
    run_alg(
        "landcover:importproduct",
        {"INPUT": str(ls["folder"]), "MASK": [], "OUTPUT": str(stack)},
    )
    log = Log()
    indices = tmp_path / "ndvi.tif"
    run_alg(
        "landcover:spectralindices",
        {"INPUT": str(stack), "SENSOR": 4, "INDICES": [0], "OUTPUT": str(indices)},
        feedback=log,
    )
    text = "\n".join(log.lines)
    assert "NIR: band 5 (described as 'nir (SR_B5)')" in text
    assert "already reflectance" in text
    red = ls["dn"]["SR_B4"] * 2.75e-05 - 0.2
    nir = ls["dn"]["SR_B5"] * 2.75e-05 - 0.2
    with rasterio.open(indices) as src:
        ndvi = src.read(1)
    valid = ~np.isnan(ndvi)
    expected = (nir.astype(np.float32) - red.astype(np.float32)).astype(np.float64)
    expected /= nir.astype(np.float32).astype(np.float64) + red.astype(np.float32)
    assert valid.sum() > 200
    assert np.allclose(ndvi[valid], expected[valid], atol=1e-6)
    log = Log()
    texture = tmp_path / "texture.tif"
    run_alg(
        "landcover:texture",
        {"INPUT": str(stack), "WINDOW_SIZE": 3, "MEASURES": [0], "OUTPUT": str(texture)},
        feedback=log,
    )
    with rasterio.open(texture) as src:
        assert src.descriptions[0] == "nir (SR_B5) mean 3x3"
    assert not any(line.startswith("WARNING") for line in log.lines)
