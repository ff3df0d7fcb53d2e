"""Spectral indices and texture through processing.run."""

from __future__ import annotations

import json

import numpy as np
import pytest
import rasterio
from conftest import write_band_stack


@pytest.fixture
def s2_four_bands(tmp_path):
    rng = np.random.default_rng(11)
    data = rng.integers(1, 6000, size=(4, 30, 33)).astype(np.uint16)
    data[3, 2, 3] = 0  # NIR nodata
    return write_band_stack(
        tmp_path / "s2.tif",
        data,
    ), data


def test_choices_match_the_core(qgis_app):
    from landcover.algorithms import spectralindices, texture
    from landcover.core.features import indices
    from landcover.core.features import texture as core_texture

    assert [key for key, _ in spectralindices.SENSORS] == list(indices.PRESETS)
    assert [title for _, title in spectralindices.SENSORS] == [
        preset.title for preset in indices.PRESETS.values()
    ]
    assert list(spectralindices.INDEX_NAMES) == list(indices.INDICES)
    assert [key for key, _ in texture.MEASURE_CHOICES] == list(core_texture.MEASURES)


def test_spectral_indices_with_preset_scale(run_alg, s2_four_bands, tmp_path):
    from landcover.core.features.indices import FEATURE_TAG, compute_indices

    path, data = s2_four_bands
    out = str(tmp_path / "indices.tif")
    result = run_alg(
        "landcover:spectralindices",
        {"INPUT": path, "SENSOR": 2, "INDICES": [0, 4], "OUTPUT": out},  # NDVI, SAVI
    )
    assert result["OUTPUT"] == out
    with rasterio.open(out) as src:
        assert src.count == 2 and list(src.descriptions) == ["NDVI", "SAVI"]
        assert json.loads(src.tags(2)[FEATURE_TAG])["scale"] == 0.0001
        stack = src.read()
    dn = {"red": data[2], "nir": data[3]}
    valid = {role: band != 0 for role, band in dn.items()}
    np.testing.assert_array_equal(stack, compute_indices(dn, ["NDVI", "SAVI"], 0.0001, 0, valid))
    assert np.isnan(stack[:, 2, 3]).all()


def test_explicit_bands_override_preset_and_append(run_alg, s2_four_bands, tmp_path):
    from landcover.core.features.indices import compute_indices

    path, data = s2_four_bands
    out = str(tmp_path / "stack.tif")
    run_alg(
        "landcover:spectralindices",
        {
            "INPUT": path,
            "SENSOR": 2,
            "NIR": 1,  # pretend band 1 is NIR
            "INDICES": [0],
            "SCALE_FACTOR": 1.0,
            "OFFSET": 0.0,
            "APPEND_TO_INPUT": True,
            "OUTPUT": out,
        },
    )
    with rasterio.open(out) as src:
        # band 1 holds two roles (preset blue, given NIR): ambiguous, so not described
        assert list(src.descriptions) == ["B2", "green (B3)", "red (B4)", "B8", "NDVI"]
        ndvi = src.read(5)
    expected = compute_indices({"nir": data[0], "red": data[2]}, ["NDVI"])[0]
    np.testing.assert_array_equal(ndvi, expected)


def test_missing_band_is_reported_and_nothing_written(run_alg, s2_four_bands, tmp_path):
    from qgis.core import QgsProcessingException

    path, _ = s2_four_bands
    out = tmp_path / "missing.tif"
    with pytest.raises(QgsProcessingException, match="NDBI needs the SWIR1 band"):
        run_alg(
            "landcover:spectralindices",
            {"INPUT": path, "SENSOR": 2, "INDICES": [3], "OUTPUT": str(out)},
        )
    assert not list(tmp_path.glob("*missing*"))


def test_texture_appended_to_input(run_alg, s2_four_bands, tmp_path):
    from landcover.core.features.texture import texture_array

    path, data = s2_four_bands
    out = str(tmp_path / "texture.tif")
    run_alg(
        "landcover:texture",
        {
            "INPUT": path,
            "BANDS": [4],
            "WINDOW_SIZE": 5,
            "MEASURES": [2, 3],
            "LEVELS": 8,
            "APPEND_TO_INPUT": True,
            "OUTPUT": out,
        },
    )
    with rasterio.open(out) as src:
        assert list(src.descriptions)[4:] == ["B8 variance 5x5", "B8 entropy 5x5"]
        stack = src.read()
    expected = texture_array(data[3], data[3] != 0, 5, ["variance", "entropy"], levels=8)
    np.testing.assert_array_equal(stack[4:], expected)
    # band 4 is nodata there: its copy and its texture, not the other bands
    assert np.isnan(stack[3:, 2, 3]).all() and np.isfinite(stack[:3, 2, 3]).all()


def test_texture_default_band_is_the_nir_description(run_alg, tmp_path):
    data = np.arange(2 * 12 * 14, dtype=np.uint16).reshape(2, 12, 14) % 17 + 1
    path = write_band_stack(
        tmp_path / "two.tif",
        data,
        descriptions=("red", "NIR"),
    )
    out = str(tmp_path / "t.tif")
    run_alg("landcover:texture", {"INPUT": path, "MEASURES": [0], "OUTPUT": out})
    with rasterio.open(out) as src:
        assert list(src.descriptions) == ["NIR mean 7x7"]


def test_texture_even_window_is_refused(run_alg, s2_four_bands, tmp_path):
    from qgis.core import QgsProcessingException

    path, _ = s2_four_bands
    with pytest.raises(QgsProcessingException, match="must be odd"):
        run_alg(
            "landcover:texture",
            {"INPUT": path, "WINDOW_SIZE": 6, "OUTPUT": str(tmp_path / "even.tif")},
        )
