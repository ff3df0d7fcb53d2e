"""Spectral indices: hand-computed values, zero denominators, nodata, files."""

from __future__ import annotations

import json

import numpy as np
import pytest
import rasterio
from conftest import write_band_stack

from landcover.core.features import indices
from landcover.core.io.errors import InputError

# Digital numbers of one pixel (Sentinel-2 L2A style, reflectance = DN * 0.0001):
# blue 0.05, green 0.08, red 0.10, NIR 0.50, SWIR1 0.20, SWIR2 0.10.
PIXEL = {"blue": 500, "green": 800, "red": 1000, "nir": 5000, "swir1": 2000, "swir2": 1000}

# Worked by hand from the formulas on those reflectances.
EXPECTED = {
    "NDVI": 0.4 / 0.6,
    "NDWI": -0.42 / 0.58,
    "MNDWI": -0.12 / 0.28,
    "NDBI": -0.3 / 0.7,
    "SAVI": 1.5 * 0.4 / 1.1,
    "EVI": 2.5 * 0.4 / (0.5 + 0.6 - 0.375 + 1.0),
    "NBR": 0.4 / 0.6,
    "NDMI": 0.3 / 0.7,
    "GNDVI": 0.42 / 0.58,
    "EVI2": 2.5 * 0.4 / (0.5 + 0.24 + 1.0),
    "MSAVI": (2.0 - 0.8**0.5) / 2.0,
    "BSI": -0.25 / 0.85,
}


def pixel_arrays(**changes):
    values = {**PIXEL, **changes}
    return {role: np.array([[value]], dtype=np.uint16) for role, value in values.items()}


def test_catalogue_has_every_expected_index():
    assert set(EXPECTED) == set(indices.INDICES)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_index_known_value(name):
    out = indices.compute_indices(pixel_arrays(), [name], scale=0.0001)
    assert out.dtype == np.float32 and out.shape == (1, 1, 1)
    assert out[0, 0, 0] == pytest.approx(EXPECTED[name], rel=1e-6)


def test_normalised_differences_do_not_depend_on_scale_without_offset():
    raw = indices.compute_indices(pixel_arrays(), ["NDVI", "NBR"], scale=1.0)
    assert raw[:, 0, 0] == pytest.approx([EXPECTED["NDVI"], EXPECTED["NBR"]], rel=1e-6)


def test_offset_is_applied_before_the_index():
    # Landsat C2 L2: 10000 -> 0.075, 20000 -> 0.35; NDVI = 0.275 / 0.425
    dn = {"nir": np.array([[20000.0]]), "red": np.array([[10000.0]])}
    out = indices.compute_indices(dn, ["NDVI"], scale=0.0000275, offset=-0.2)
    assert out[0, 0, 0] == pytest.approx(0.275 / 0.425, rel=1e-6)


@pytest.mark.parametrize(
    ("name", "changes"),
    [
        ("NDVI", {"nir": 0, "red": 0}),
        ("NDWI", {"green": 0, "nir": 0}),
        ("MNDWI", {"green": 0, "swir1": 0}),
        ("NDBI", {"swir1": 0, "nir": 0}),
        ("NBR", {"nir": 0, "swir2": 0}),
        ("NDMI", {"nir": 0, "swir1": 0}),
        ("GNDVI", {"nir": 0, "green": 0}),
        ("BSI", {"swir1": 0, "red": 0, "nir": 0, "blue": 0}),
        # 0.5 + 6 * 0 - 7.5 * 0.2 + 1 = 0
        ("EVI", {"nir": 5000, "red": 0, "blue": 2000}),
    ],
)
def test_zero_denominator_gives_nan_not_inf(name, changes):
    out = indices.compute_indices(pixel_arrays(**changes), [name], scale=0.0001)
    assert np.isnan(out[0, 0, 0])


def test_savi_zero_denominator_after_offset():
    # reflectance -0.25 + -0.25 + 0.5 = 0
    dn = {"nir": np.array([[0.0]]), "red": np.array([[0.0]])}
    out = indices.compute_indices(dn, ["SAVI", "EVI2"], scale=1.0, offset=-0.25)
    assert np.isnan(out[0, 0, 0])
    # EVI2 denominator -0.25 - 0.6 + 1 = 0.15: finite
    assert np.isfinite(out[1, 0, 0])


def test_nodata_and_overflow_give_nan():
    dn = {"nir": np.array([[5000.0, 5000.0, 1e38]]), "red": np.array([[1000.0, 1000.0, -1e38]])}
    valid = np.array([[True, False, True]])
    out = indices.compute_indices(dn, ["NDVI", "SAVI"], scale=1.0, valid=valid)
    assert out[0, 0, 0] == pytest.approx(EXPECTED["NDVI"], rel=1e-6)
    assert np.isnan(out[:, 0, 1]).all()
    # NDVI: zero denominator; SAVI: 1.5 * 2e38 / 0.5 is finite in float64, not in float32
    assert np.isnan(out[:, 0, 2]).all()
    assert not np.isinf(out).any()


def test_nodata_of_one_band_only_affects_indices_using_it():
    dn = pixel_arrays()
    valid = {role: np.array([[role != "blue"]]) for role in dn}
    out = indices.compute_indices(dn, ["NDVI", "EVI"], scale=0.0001, valid=valid)
    assert out[0, 0, 0] == pytest.approx(EXPECTED["NDVI"], rel=1e-6)
    assert np.isnan(out[1, 0, 0])


def test_presets_and_overrides():
    s2 = indices.resolve_bands("sentinel2_10")
    assert s2 == {"blue": 1, "green": 2, "red": 3, "nir": 7, "swir1": 9, "swir2": 10}
    assert indices.resolve_bands("landsat89")["nir"] == 5
    assert indices.PRESETS["landsat89"].scale == 0.0000275
    assert indices.PRESETS["landsat89"].offset == -0.2
    assert indices.resolve_bands("sentinel2_10", {"nir": 8, "red": 0})["nir"] == 8
    assert indices.resolve_bands("sentinel2_10", {"nir": 8, "red": 0})["red"] == 3
    assert indices.resolve_bands("custom", {"nir": 4, "red": 0}) == {"nir": 4}


def test_missing_band_error_names_index_and_band():
    with pytest.raises(InputError, match=r"NDBI needs the SWIR1 band"):
        indices.check_indices(["NDVI", "NDBI"], indices.resolve_bands("sentinel2_4"), 4)
    with pytest.raises(InputError, match=r"MNDWI needs the SWIR1 band, assigned to band 9"):
        indices.check_indices(["MNDWI"], indices.resolve_bands("sentinel2_10"), 4)
    with pytest.raises(InputError, match="at least one index"):
        indices.check_indices([], {}, 4)


@pytest.fixture
def scene(tmp_path):
    rng = np.random.default_rng(4)
    data = rng.integers(1, 6000, size=(4, 37, 45)).astype(np.uint16)
    data[3, 0, 0] = 0  # NIR nodata
    data[0, 5, 5] = 0  # blue nodata: only EVI and the copied blue band
    data[2, 7, 9] = data[3, 7, 9] = 0  # red and NIR nodata
    return write_band_stack(
        tmp_path / "s2.tif",
        data,
        block=16,
        descriptions=["B2", "B3", "B4", ""],
    ), data


def test_file_output_blockwise_equals_arrays(scene, tmp_path):
    path, data = scene
    out = tmp_path / "indices.tif"
    bands = indices.resolve_bands("sentinel2_4")
    summary = indices.spectral_indices(
        path, out, ["NDVI", "EVI"], bands, scale=0.0001, append=True, max_pixels=256, workers=2
    )
    # the copied bands are described by the roles they were used for
    roles = ["blue (B2)", "green (B3)", "red (B4)", "nir (band 4)"]
    assert summary.descriptions == [*roles, "NDVI", "EVI"]
    assert summary.warnings == []
    with rasterio.open(out) as result:
        assert result.count == 6 and result.dtypes[0] == "float32"
        assert np.isnan(result.nodata)
        assert list(result.descriptions) == summary.descriptions
        tag = json.loads(result.tags(5)[indices.FEATURE_TAG])
        assert tag["kind"] == "index" and tag["name"] == "NDVI"
        assert tag["bands"] == {"nir": 4, "red": 3} and tag["scale"] == 0.0001
        assert json.loads(result.tags(1)[indices.FEATURE_TAG])["name"] == "B2"
        assert result.tags(4)["LANDCOVER_ROLE"] == "nir"
        stack = result.read()
    dn = {"blue": data[0], "red": data[2], "nir": data[3]}
    valid = {role: band != 0 for role, band in dn.items()}
    expected = indices.compute_indices(dn, ["NDVI", "EVI"], 0.0001, 0.0, valid)
    np.testing.assert_array_equal(stack[4:], expected)
    copied = np.where(data != 0, data.astype(np.float32), np.nan)
    np.testing.assert_array_equal(stack[:4], copied)
    assert np.isnan(stack[4, 0, 0]) and np.isnan(stack[4, 7, 9])
    assert np.isfinite(stack[4, 5, 5]) and np.isnan(stack[5, 5, 5])


def test_reflectance_index_on_integers_without_scale_warns(scene, tmp_path):
    path, _ = scene
    bands = indices.resolve_bands("sentinel2_4")
    summary = indices.spectral_indices(path, tmp_path / "o.tif", ["SAVI"], bands)
    assert "SAVI" in summary.warnings[0] and "scale factor" in summary.warnings[0]


def test_missing_band_leaves_no_output(scene, tmp_path):
    path, _ = scene
    out = tmp_path / "bad.tif"
    with pytest.raises(InputError, match="NBR needs the SWIR2 band"):
        indices.spectral_indices(path, out, ["NBR"], indices.resolve_bands("sentinel2_4"))
    assert list(tmp_path.glob("*bad*")) == []
