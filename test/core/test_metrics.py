"""Accuracy figures against hand-computed values and scikit-learn."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import write_raster
from sklearn.metrics import cohen_kappa_score, f1_score, precision_score, recall_score

from landcover.core.accuracy import metrics

# A small 3-class case worked by hand (rows reference, columns map):
#            map A  map B  map C | ref total
# ref A        50     3      2   |  55
# ref B         5    30      5   |  40
# ref C         0     5     20   |  25
#           -----------------------------
# map total    55    38     27   | 120
HAND = np.array([[50, 3, 2], [5, 30, 5], [0, 5, 20]])


def test_confusion_matrix_rows_reference_columns_map_in_code_order():
    reference = [3, 3, 7, 7, 7, 9, 9, 5]  # 5 is not a listed code: ignored
    predicted = [3, 7, 7, 7, 9, 9, 3, 3]
    m = metrics.confusion_matrix(reference, predicted, [7, 3, 9])
    # order 7, 3, 9
    expected = np.array([[2, 0, 1], [1, 1, 0], [0, 1, 1]])
    np.testing.assert_array_equal(m, expected)
    assert m.dtype == np.int64


def test_confusion_matrix_matches_sklearn():
    from sklearn.metrics import confusion_matrix as sk_confusion

    rng = np.random.default_rng(1)
    ref = rng.integers(1, 6, 500)
    pred = np.where(rng.random(500) < 0.7, ref, rng.integers(1, 6, 500))
    codes = [1, 2, 3, 4, 5]
    np.testing.assert_array_equal(
        metrics.confusion_matrix(ref, pred, codes), sk_confusion(ref, pred, labels=codes)
    )


def test_summary_against_hand_computed_values():
    s = metrics.accuracy_summary(HAND, ["A", "B", "C"])
    assert s.n == 120
    assert s.overall_accuracy == pytest.approx(100 / 120)
    assert s.producers_accuracy == pytest.approx([50 / 55, 30 / 40, 20 / 25])
    assert s.users_accuracy == pytest.approx([50 / 55, 30 / 38, 20 / 27])
    assert s.f1 == pytest.approx([100 / 110, 60 / 78, 40 / 52])
    # kappa: pe = (55*55 + 40*38 + 25*27) / 120^2 = 5220 / 14400
    pe = 5220 / 14400
    assert s.kappa == pytest.approx((100 / 120 - pe) / (1 - pe))
    # quantity: |55-55| + |40-38| + |25-27| = 4 -> 4 / 2 / 120
    assert s.quantity_disagreement == pytest.approx(2 / 120)
    # allocation: 2*min(5, 5) + 2*min(10, 8) + 2*min(5, 7) = 10 + 16 + 10 = 36 -> 18 / 120
    assert s.allocation_disagreement == pytest.approx(18 / 120)
    assert s.quantity_disagreement + s.allocation_disagreement == pytest.approx(
        1 - s.overall_accuracy
    )
    assert s.notes == []


def test_overall_accuracy_interval_is_wilson_score():
    lo, hi = metrics.accuracy_summary(HAND).overall_accuracy_ci95
    # Wilson interval for 100/120 with z = 1.96, computed by hand
    p, n, z = 100 / 120, 120, 1.959963984540054
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert (lo, hi) == pytest.approx((centre - half, centre + half))
    assert lo < p < hi
    assert (round(lo, 3), round(hi, 3)) == (0.757, 0.889)  # worked on paper: 0.8230 -/+ 0.0664
    # a perfect map still gets an interval below 1
    lo, hi = metrics.accuracy_summary(np.diag([10, 10])).overall_accuracy_ci95
    assert hi == 1.0 and 0.8 < lo < 0.9


def test_summary_matches_sklearn_on_random_labels():
    rng = np.random.default_rng(7)
    ref = rng.integers(1, 5, 2000)
    pred = np.where(rng.random(2000) < 0.6, ref, rng.integers(1, 5, 2000))
    codes = [1, 2, 3, 4]
    s = metrics.accuracy_summary(metrics.confusion_matrix(ref, pred, codes))
    assert s.kappa == pytest.approx(cohen_kappa_score(ref, pred))
    assert s.f1 == pytest.approx(list(f1_score(ref, pred, labels=codes, average=None)))
    assert s.users_accuracy == pytest.approx(
        list(precision_score(ref, pred, labels=codes, average=None))
    )
    assert s.producers_accuracy == pytest.approx(
        list(recall_score(ref, pred, labels=codes, average=None))
    )
    assert metrics.macro_f1(s) == pytest.approx(f1_score(ref, pred, average="macro"))


def test_class_absent_from_reference_gives_nan_and_a_note_not_an_error():
    # class B is mapped twice but never in the reference; class C nowhere
    m = np.array([[8, 2, 0], [0, 0, 0], [0, 0, 0]])
    with np.errstate(all="raise"):
        s = metrics.accuracy_summary(m, ["A", "B", "C"])
    assert math.isnan(s.producers_accuracy[1])
    assert s.users_accuracy[1] == 0.0
    assert s.f1[1] == 0.0  # as scikit-learn: two false positives, no true positive
    assert math.isnan(s.producers_accuracy[2]) and math.isnan(s.users_accuracy[2])
    assert math.isnan(s.f1[2])
    assert any("'B' is absent from the reference" in note for note in s.notes)
    assert any("'C' occurs neither" in note for note in s.notes)
    assert s.overall_accuracy == pytest.approx(0.8)


def test_class_never_mapped_is_noted():
    s = metrics.accuracy_summary(np.array([[5, 0], [3, 0]]), ["A", "B"])
    assert math.isnan(s.users_accuracy[1])
    assert s.producers_accuracy[1] == 0.0
    assert any("'B' is never mapped" in note for note in s.notes)


def test_empty_matrix_is_all_nan_with_a_note():
    s = metrics.accuracy_summary(np.zeros((2, 2), dtype=int))
    assert s.n == 0
    assert math.isnan(s.overall_accuracy) and math.isnan(s.kappa)
    assert s.notes


def test_kappa_is_nan_when_everything_is_one_class():
    assert math.isnan(metrics.kappa(np.array([[10, 0], [0, 0]])))


def test_disagreement_accepts_proportions():
    q, a = metrics.disagreement(HAND / HAND.sum())
    assert (q, a) == pytest.approx((2 / 120, 18 / 120))


def test_non_square_matrix_is_rejected():
    with pytest.raises(ValueError):
        metrics.accuracy_summary(np.zeros((2, 3)))


def test_reference_values_match_by_name_any_case_or_by_code():
    from landcover.core.io.classes import make_classes

    classes = make_classes([1, 2, 5], ["Water", "Forest", "Built-up"])
    values = ["water", " FOREST", "Built-up", 5, "2", 1.0, None, "", "NULL"]
    match = metrics.match_reference_classes(values, classes)
    assert match.codes == [1, 2, 5, 5, 2, 1, None, None, None]
    # three numbers matched to codes of named classes: the caller must say which is which
    assert match.by_number == 3
    assert match.mapping == "code 1 = Water; code 2 = Forest; code 5 = Built-up"
    assert match.absent == []


def test_reference_classes_absent_from_the_map_get_codes_below_zero():
    from landcover.core.io.classes import make_classes

    classes = make_classes([1, 2, 5], ["Water", "Forest", "Built-up"])
    match = metrics.match_reference_classes(["water", "lake", 3, "Lake"], classes)
    assert match.codes == [1, -1, -2, -1]
    assert [(c.code, c.name) for c in match.absent] == [(-1, "lake"), (-2, "3")]
    assert match.by_number == 0


def test_reference_numbers_match_recoded_classes_by_their_training_value():
    from landcover.core.io.classes import ClassInfo, make_classes, recoded_name

    classes = [*make_classes([1, 2]), ClassInfo(3, recoded_name(0, 3), (1, 2, 3))]
    match = metrics.match_reference_classes([0, "0", 1, 2, "class 0 (code 3)"], classes)
    assert match.codes == [3, 3, 1, 2, 3]
    assert match.by_number == 0  # classes without names: numbers are their codes


# Three reference polygons worked by hand (correct pixels y, pixels m):
#   polygon 1: y = 8, m = 10; polygon 2: y = 3, m = 5; polygon 3: y = 0, m = 5
#   R = 11 / 20 = 0.55; residuals y - R m = 2.5, 0.25, -2.75; squares sum 13.875
#   v(R) = n / (n - 1) * 13.875 / 20^2 = 1.5 * 13.875 / 400 = 0.05203125
def test_ratio_standard_error_matches_the_hand_computed_cluster_variance():
    se = metrics.ratio_se(np.array([8, 3, 0, 0]), np.array([10, 5, 5, 0]))
    assert se == pytest.approx(math.sqrt(0.05203125), rel=1e-12)
    assert math.isnan(metrics.ratio_se(np.array([4]), np.array([5])))


def test_cluster_intervals_of_overall_producers_and_users_accuracy():
    # polygon 1 (class 1): 8 of 10 mapped 1, 2 mapped 2; polygon 2 (class 1): 3 of 5
    # mapped 1, 2 mapped 2; polygon 3 (class 2): 5 mapped 1
    groups = np.repeat([1, 2, 3], [10, 5, 5])
    reference = np.repeat([1, 1, 2], [10, 5, 5])
    mapped = np.array([1] * 8 + [2] * 2 + [1] * 3 + [2] * 2 + [1] * 5)
    matrix, summary = metrics.summarise(reference, mapped, [1, 2], groups=groups)
    assert matrix.tolist() == [[11, 4], [5, 0]]
    assert summary.interval == "cluster" and summary.clusters == 3
    half = metrics.Z95 * math.sqrt(0.05203125)
    lo, hi = summary.overall_accuracy_ci95
    assert (lo, hi) == pytest.approx((0.55 - half, 0.55 + half))
    # producer's accuracy of class 1: polygons 1 and 2 only, R = 11/15
    # residuals 8 - 10R = 0.6667, 3 - 5R = -0.6667; v = 2 * 0.8889 / 225
    r = 11 / 15
    se = math.sqrt(2 * ((8 - 10 * r) ** 2 + (3 - 5 * r) ** 2) / 15**2)
    lo, hi = summary.producers_accuracy_ci95[0]
    assert (lo, hi) == pytest.approx((r - metrics.Z95 * se, min(1.0, r + metrics.Z95 * se)))
    # user's accuracy of class 1: mapped-1 pixels per polygon 8, 3, 5; correct 8, 3, 0
    u = 11 / 16
    se = math.sqrt(1.5 * ((8 - 8 * u) ** 2 + (3 - 3 * u) ** 2 + (0 - 5 * u) ** 2) / 16**2)
    assert summary.users_accuracy_ci95[0] == pytest.approx(
        (max(0.0, u - metrics.Z95 * se), min(1.0, u + metrics.Z95 * se))
    )
    # class 2 is in a single polygon: no interval for its producer's accuracy
    assert all(math.isnan(v) for v in summary.producers_accuracy_ci95[1])


def test_a_class_right_in_every_polygon_gets_an_interval_not_one_point():
    # class 1: five polygons, all pixels right; class 2: five polygons, 9 of 10 right
    groups = np.repeat(np.arange(10), 10)
    reference = np.repeat([1, 2], 50)
    mapped = reference.copy()
    mapped[50::10] = 1  # one pixel of each class-2 polygon mapped 1
    _, summary = metrics.summarise(reference, mapped, [1, 2], groups=groups)
    assert summary.interval == "cluster"
    lo, hi = summary.producers_accuracy_ci95[0]
    assert (lo, hi) == metrics.wilson_interval(5, 5)  # 0.566 to 1, not [1, 1]
    assert 0.56 < lo < 0.57 and hi == 1.0
    # class 2: 0.9 in every polygon, no spread either: 4.5 of 5 clusters
    assert summary.producers_accuracy_ci95[1] == pytest.approx(metrics.wilson_interval(4.5, 5))


def test_one_sample_per_polygon_keeps_the_wilson_interval():
    reference = np.array([1, 1, 2, 2, 2])
    mapped = np.array([1, 2, 2, 2, 1])
    _, summary = metrics.summarise(reference, mapped, [1, 2], groups=np.arange(5))
    assert summary.interval == "wilson"
    assert summary.overall_accuracy_ci95 == metrics.wilson_interval(3, 5)
    assert summary.producers_accuracy_ci95[1] == metrics.wilson_interval(2, 3)
    assert summary.users_accuracy_ci95[0] == metrics.wilson_interval(1, 2)
    assert summary.clusters is None


def test_cluster_summary_counts_its_clusters():
    groups = np.repeat([1, 2, 3], [10, 5, 5])
    reference = np.repeat([1, 1, 2], [10, 5, 5])
    _, cluster = metrics.summarise(reference, reference, [1, 2], groups=groups)
    assert cluster.interval == "cluster"
    assert cluster.clusters == 3


def test_cluster_intervals_are_wider_than_wilson_for_alike_pixels():
    # 20 polygons of 50 pixels each, every polygon wholly right or wholly wrong
    rng = np.random.default_rng(1)
    right = rng.random(20) < 0.7
    groups = np.repeat(np.arange(20), 50)
    reference = np.ones(1000, dtype=int)
    mapped = np.where(np.repeat(right, 50), 1, 2)
    _, summary = metrics.summarise(reference, mapped, [1, 2], groups=groups)
    lo, hi = summary.overall_accuracy_ci95
    w_lo, w_hi = metrics.wilson_interval(float((mapped == 1).sum()), 1000)
    assert hi - lo > 4 * (w_hi - w_lo)


def test_vote_per_group_takes_the_majority_and_breaks_ties_to_the_smallest_code():
    groups = np.array([7, 7, 7, 3, 3, 9, 9, 9, 9])
    mapped = np.array([2, 2, 1, 4, 1, 3, 3, 5, 5])
    reference = np.array([2, 2, 2, 1, 1, 3, 3, 3, 3])
    ids, votes, ref = metrics.vote_per_group(groups, mapped, reference)
    assert ids.tolist() == [3, 7, 9]
    assert votes.tolist() == [1, 2, 3]  # 3: tie 4/1 -> 1; 9: tie 3/5 -> 3
    assert ref.tolist() == [1, 2, 3]


def _class_map(path, crs="EPSG:32633", names=("grass", "crop")):
    import rasterio
    from rasterio.transform import from_origin

    from landcover.core.io.classes import make_classes

    data = np.repeat(np.array([1, 2], dtype=np.uint8), 10)[None, :].repeat(10, axis=0)
    data[:2, :2] = 0
    transform = from_origin(0, 100, 10, 10) if crs != "EPSG:4326" else from_origin(0, 1, 0.1, 0.1)
    classes = make_classes([1, 2], list(names))
    write_raster(path, data, crs=crs, transform=transform, nodata=0, classes=classes)
    return rasterio.open(path).transform


def _pt(transform, row, col):
    x, y = transform * (col + 0.5, row + 0.5)
    return {"type": "Point", "coordinates": [x, y]}


def test_assess_accuracy_counts_what_it_could_not_use(tmp_path):
    transform = _class_map(tmp_path / "map.tif")
    tiny = {"type": "Polygon", "coordinates": [[[101, 51], [102, 51], [102, 52], [101, 51]]]}
    features = [
        (_pt(transform, 5, 3), 1, 1),
        (_pt(transform, 5, 13), 1, 2),  # grass mapped as crop
        (_pt(transform, 6, 14), 2, 3),
        (_pt(transform, 0, 0), 1, 4),  # nodata
        (_pt(transform, 0, 40), 2, 5),  # outside
        (tiny, 2, 6),  # covers no pixel centre
    ]
    result = metrics.assess_accuracy(
        str(tmp_path / "map.tif"), features, skipped_unfilled=2,
        report_html=str(tmp_path / "r.html"),
    )  # fmt: skip
    np.testing.assert_array_equal(result.matrix, [[1, 1], [0, 1]])
    assert result.counts == metrics.AccuracyCounts(
        features=8,
        unfilled=2,
        outside=1,
        without_pixels=2,  # the nodata point and the tiny polygon
        nodata_pixels=1,
        overlap_pixels=0,
        unknown_map_values=0,
        samples=3,
    )
    assert (tmp_path / "r.html").exists()


def test_reports_and_tables_escape_class_names(tmp_path):
    import csv

    names = ("<script>alert(1)</script>", '=HYPERLINK("http://evil")')
    transform = _class_map(tmp_path / "map.tif", names=names)
    features = [(_pt(transform, 5, 3), 1, 1), (_pt(transform, 5, 13), 2, 2)]
    metrics.assess_accuracy(
        str(tmp_path / "map.tif"), features, report_html=str(tmp_path / "r.html"),
        matrix_csv=str(tmp_path / "m.csv"), metrics_csv=str(tmp_path / "k.csv"),
    )  # fmt: skip
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for table in ("m.csv", "k.csv"):
        with open(tmp_path / table, newline="", encoding="utf-8") as handle:
            cells = [cell for row in csv.reader(handle) for cell in row]
        assert "'" + names[1] in cells
        assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_area_adjusted_on_a_geographic_map_sums_ellipsoidal_pixel_areas(tmp_path):
    from landcover.core.accuracy.area_estimation import pixel_areas_m2

    transform = _class_map(tmp_path / "map.tif", crs="EPSG:4326")
    features = [(_pt(transform, r, c), 1 if c < 10 else 2, i) for i, (r, c) in
                enumerate([(5, 3), (6, 4), (7, 5), (5, 13), (6, 14), (8, 15)])]  # fmt: skip
    result = metrics.assess_accuracy(str(tmp_path / "map.tif"), features, area_adjusted=True)
    assert result.area.area_unit == "ha"
    # 1 x 1 degree north of the equator on WGS 84: 12 308.46 km2 (half the map is crop)
    grass, crop = result.area.mapped_area_ha
    assert crop == pytest.approx(1_230_846.4, rel=1e-6)
    rows = pixel_areas_m2(transform, rasterio_crs(4326), 10) / 10_000
    assert grass == pytest.approx(crop - 2 * (rows[0] + rows[1]))  # 4 nodata pixels
    assert rows[0] < rows[-1]  # pixels shrink towards the pole
    assert any("geographic CRS" in note for note in result.notes)


def rasterio_crs(epsg):
    from rasterio.crs import CRS

    return CRS.from_epsg(epsg)


def test_pixel_areas_on_the_ellipsoid_add_up_to_the_earth():
    from affine import Affine

    from landcover.core.accuracy.area_estimation import pixel_areas_m2

    rows = pixel_areas_m2(Affine(1, 0, -180, 0, -1, 90), rasterio_crs(4326), 180)
    assert rows.sum() * 360 / 1e6 == pytest.approx(510_065_621.7, rel=1e-9)  # WGS 84 surface
    projected = pixel_areas_m2(Affine(10, 0, 0, 0, -10, 0), rasterio_crs(32632), 3)
    assert projected.tolist() == [100.0, 100.0, 100.0]


def test_assess_accuracy_rejects_bad_mode_and_no_overlap(tmp_path):
    from landcover.core.io.errors import InputError

    transform = _class_map(tmp_path / "map.tif")
    with pytest.raises(InputError, match="unknown mode"):
        metrics.assess_accuracy(str(tmp_path / "map.tif"), [], mode="votes")
    with pytest.raises(InputError, match="none of the 1 reference features"):
        metrics.assess_accuracy(str(tmp_path / "map.tif"), [(_pt(transform, 50, 50), 1, 1)])
    with pytest.raises(InputError, match="no reference sample falls on a mapped pixel"):
        metrics.assess_accuracy(str(tmp_path / "map.tif"), [(_pt(transform, 0, 0), 1, 1)])
