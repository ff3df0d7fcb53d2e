"""Area-adjusted accuracy and error-adjusted areas: the worked example of Olofsson et al.

Olofsson, P., Foody, G. M., Herold, M., Stehman, S. V., Woodcock, C. E., Wulder, M. A.
(2014). Good practices for estimating area and assessing accuracy of land change.
Remote Sensing of Environment 148: 42-57, Section 5 ("Numerical example"):

* Table 8: sample counts, rows = map, columns = reference, for deforestation, forest
  gain, stable forest and stable non-forest, with mapped areas of 200 000, 150 000,
  3 200 000 and 6 450 000 Landsat pixels (30 m, 0.09 ha).
* Table 9: the same matrix as estimated area proportions.
* Text of Section 5: user's accuracies 0.88 +/- 0.07, 0.73 +/- 0.10, 0.93 +/- 0.04,
  0.96 +/- 0.02; producer's accuracies 0.75 +/- 0.21, 0.85, 0.93 +/- 0.03, 0.96;
  overall accuracy 0.95 +/- 0.02; error-adjusted areas 21 158 +/- 6 158 ha
  (235 086 +/- 68 418 pixels), 11 686 +/- 3 756 ha, 285 770 +/- 15 510 ha and
  581 386 +/- 16 282 ha (all intervals are 95%: 1.96 standard errors).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from landcover.core.accuracy import area_estimation
from landcover.core.accuracy.metrics import Z95

NAMES = ["deforestation", "forest gain", "stable forest", "stable non-forest"]
TABLE_8 = np.array([[66, 0, 5, 4], [0, 55, 8, 12], [1, 0, 153, 11], [2, 1, 9, 313]])  # rows map
MAPPED = [200_000, 150_000, 3_200_000, 6_450_000]
HA = 0.09


@pytest.fixture(scope="module")
def example():
    # the core takes rows = reference, columns = map: the transpose of Table 8
    return area_estimation.olofsson(TABLE_8.T, MAPPED, HA, NAMES)


def test_table_9_area_proportions(example):
    table_9 = np.array(  # rows map, as printed
        [
            [0.0176, 0.0000, 0.0013, 0.0011],
            [0.0000, 0.0110, 0.0016, 0.0024],
            [0.0019, 0.0000, 0.2967, 0.0213],
            [0.0040, 0.0020, 0.0179, 0.6212],
        ]
    )
    np.testing.assert_allclose(example.proportions.T, table_9, atol=0.00006)
    assert example.proportions.sum() == pytest.approx(1.0)


def test_error_adjusted_areas_and_intervals_in_hectares(example):
    assert example.area_ha == pytest.approx([21_158, 11_686, 285_770, 581_386], abs=1)
    half = [Z95 * se for se in example.area_ha_se]
    assert half == pytest.approx([6_158, 3_756, 15_510, 16_282], abs=1.5)
    lo, hi = example.area_ha_ci95[0]
    assert (lo, hi) == pytest.approx((21_158 - 6_158, 21_158 + 6_158), abs=2)
    # in pixels, as the paper also gives them
    assert example.area_ha[0] / HA == pytest.approx(235_086, abs=5)
    assert Z95 * example.area_ha_se[0] / HA == pytest.approx(68_418, abs=15)
    assert example.mapped_area_ha == pytest.approx([18_000, 13_500, 288_000, 580_500])
    assert example.total_area_ha == pytest.approx(900_000)


def test_users_producers_and_overall_accuracy(example):
    assert [round(v, 2) for v in example.users_accuracy] == [0.88, 0.73, 0.93, 0.96]
    assert [round(Z95 * v, 2) for v in example.users_accuracy_se] == [0.07, 0.10, 0.04, 0.02]
    assert [round(v, 2) for v in example.producers_accuracy] == [0.75, 0.85, 0.93, 0.96]
    # the paper prints 0.21 and 0.03 for these two; for forest gain and stable non-forest
    # it prints 0.23 and 0.01, which eq. 7 itself gives as 0.25 and 0.02 (checked by hand
    # below for deforestation; other published implementations find the same)
    pa_half = [Z95 * v for v in example.producers_accuracy_se]
    assert round(pa_half[0], 2) == 0.21 and round(pa_half[2], 2) == 0.03
    assert round(example.overall_accuracy, 2) == 0.95
    assert round(Z95 * example.overall_accuracy_se, 2) == 0.02


def test_producers_accuracy_variance_by_hand_for_deforestation(example):
    # eq. 7 written out for j = deforestation (index 0)
    n = TABLE_8.sum(axis=1).astype(float)
    mapped = np.array(MAPPED, dtype=float)
    share = TABLE_8 / n[:, None]
    n_ref = (mapped * share[:, 0]).sum()
    pa = mapped[0] * share[0, 0] / n_ref
    ua = share[0, 0]
    own = mapped[0] ** 2 * (1 - pa) ** 2 * ua * (1 - ua) / (n[0] - 1)
    others = sum(mapped[i] ** 2 * share[i, 0] * (1 - share[i, 0]) / (n[i] - 1) for i in (1, 2, 3))
    expected = math.sqrt(own + pa**2 * others) / n_ref
    assert example.producers_accuracy_se[0] == pytest.approx(expected)
    assert example.notes == []


def test_areas_are_in_hectares_by_default(example):
    assert example.area_unit == "ha"


def test_equal_weights_and_proportional_sample_give_the_plain_figures():
    # when every stratum is sampled in proportion to its area, the area-adjusted
    # overall accuracy equals the plain sample proportion
    m = np.array([[40, 5], [10, 45]])  # rows reference, columns map; 50 per map class
    result = area_estimation.olofsson(m, [1000, 1000], 1.0)
    assert result.overall_accuracy == pytest.approx(85 / 100)
    assert result.users_accuracy == pytest.approx([40 / 50, 45 / 50])


def test_stratum_without_samples_is_reported_not_divided_by_zero():
    m = np.array([[20, 0, 0], [2, 18, 0], [0, 0, 0]])  # map class 3 never sampled
    with np.errstate(all="raise"):
        result = area_estimation.olofsson(m, [100, 100, 50], 1.0, ["a", "b", "c"])
    assert math.isnan(result.users_accuracy[2])
    assert math.isnan(result.area_ha_se[0])  # its composition is unknown
    assert any(
        "'c' covers 20.00% of the map but has no reference sample" in n for n in result.notes
    )
    assert any("'c' was never found in the reference" in n for n in result.notes)


def test_class_with_no_mapped_area_does_not_break_the_estimates():
    m = np.array([[30, 0, 0], [0, 30, 0], [0, 0, 5]])
    result = area_estimation.olofsson(m, [500, 500, 0], 1.0)
    assert result.overall_accuracy == pytest.approx(1.0)
    assert result.area_ha == pytest.approx([500, 500, 0])
    assert not any(math.isnan(v) for v in result.area_ha_se)


def test_mapped_pixel_counts_blockwise_ignores_nodata(tmp_path):
    path = tmp_path / "map.tif"
    data = np.zeros((70, 90), dtype=np.uint8)
    data[:30] = 1
    data[30:60, :50] = 2
    data[65:, :] = 7
    with rasterio.open(
        path, "w", driver="GTiff", width=90, height=70, count=1, dtype="uint8",
        nodata=0, crs="EPSG:32633", transform=from_origin(500000, 0, 10, 10),
        tiled=True, blockxsize=16, blockysize=16,
    ) as dst:  # fmt: skip
        dst.write(data, 1)
    counts = area_estimation.mapped_pixel_counts(path, max_pixels=256)
    assert counts == {1: 2700, 2: 1500, 7: 450}
    assert area_estimation.mapped_pixel_counts(path, codes=[1, 2, 3]) == {1: 2700, 2: 1500, 3: 0}
    with rasterio.open(path) as src:
        assert area_estimation.pixel_area_ha(src.transform, src.crs) == pytest.approx(0.01)
        assert (
            area_estimation.pixel_area_ha(src.transform, rasterio.crs.CRS.from_epsg(4326)) is None
        )
