"""A whole training run without QGIS: grouped splits, scores, errors and the report."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import write_raster
from rasterio.transform import from_origin

from landcover.core.io.classes import make_classes
from landcover.core.io.errors import InputError
from landcover.core.learn.folds import split_by_feature
from landcover.core.learn.model import LandcoverModel
from landcover.core.learn.training import grouped_folds, summary_lines, train
from landcover.core.report.html import training_report_html

LEFT, TOP, PIXEL = 1000.0, 2000.0, 10.0
# Three classes, one per band of 20 columns; band means well apart.
MEANS = np.array([[100.0, 300.0, 500.0], [50.0, 60.0, 70.0], [900.0, 500.0, 100.0]])


def write_scene(path, nodata_box=None):
    """60 x 60 float32, 3 bands; class k (1..3) in columns 20(k-1)..20k-1.

    ``nodata_box`` (row0, col0, row1, col1) is set to nodata in band 2 only.
    """
    rng = np.random.default_rng(1)
    cls = np.repeat(np.arange(3), 20)[None, :].repeat(60, axis=0)
    data = np.stack([MEANS[b][cls] for b in range(3)]) + rng.normal(0, 5, (3, 60, 60))
    data = data.astype(np.float32)
    if nodata_box:
        r0, c0, r1, c1 = nodata_box
        data[1, r0:r1, c0:c1] = -9999
    write_raster(
        path,
        data,
        transform=from_origin(LEFT, TOP, PIXEL, PIXEL),
        nodata=-9999,
        descriptions=("blue", "red", "nir"),
    )
    return path


def box(row0, col0, row1, col1):
    x0, x1 = LEFT + col0 * PIXEL + 1, LEFT + col1 * PIXEL - 1
    y0, y1 = TOP - row0 * PIXEL - 1, TOP - row1 * PIXEL + 1
    return {"type": "Polygon", "coordinates": [[(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]]}


def polygons():
    """Four 5 x 5 polygons per class, ids 10 * class + i."""
    features = []
    for k in range(3):
        for i in range(4):
            row = 2 + 14 * i
            features.append((box(row, 20 * k + 5, row + 5, 20 * k + 10), k + 1, 10 * (k + 1) + i))
    return features


CLASSES = make_classes([1, 2, 3], ["water", "forest", "urban"])


def test_split_holds_out_whole_features_per_class():
    y = np.repeat([1, 1, 1, 1, 2, 2, 2, 2, 3], 10)
    groups = np.repeat(np.arange(9), 10)
    held, single = split_by_feature(y, groups, 0.5, seed=3)
    assert single == [3]
    for g in np.unique(groups):
        assert len(set(held[groups == g].tolist())) == 1  # never both sides
    for code in (1, 2):
        assert len(np.unique(groups[held & (y == code)])) == 2
    assert not held[y == 3].any()
    assert not split_by_feature(y, groups, 0.0)[0].any()


def test_grouped_folds_never_share_a_feature():
    y = np.repeat([1, 2] * 6, 7)
    groups = np.repeat(np.arange(12), 7)
    fold = grouped_folds(y, groups, 3, seed=0)
    assert sorted(np.unique(fold)) == [0, 1, 2]
    for g in np.unique(groups):
        assert np.unique(fold[groups == g]).size == 1
    for f in range(3):  # stratified: two features of each class per fold
        assert [np.unique(groups[(fold == f) & (y == c)]).size for c in (1, 2)] == [2, 2]
    assert grouped_folds(y[:7], groups[:7], 3) is None
    assert np.unique(grouped_folds(y[:21], groups[:21], 5)).size == 3  # 3 features


def test_train_scores_counts_and_held_out_features(tmp_path):
    path = write_scene(tmp_path / "s.tif")
    result = train(path, polygons(), CLASSES, "random_forest", {"n_trees": 20},
                   validation_fraction=0.25, folds=3, seed=0)  # fmt: skip
    assert result.validation["summary"].overall_accuracy == 1.0
    assert result.cv["summary"].overall_accuracy == 1.0
    assert result.cv["folds"] == 3
    # one of four polygons per class held out: 25 pixels each
    assert len(result.validation_ids) == 3
    for code in (1, 2, 3):
        row = result.samples[code]
        assert row == {
            "available": 100, "dropped": 0, "train": 75, "validation": 25,
            "train_features": 3, "validation_features": 1,
        }  # fmt: skip
        assert sum(1 for i in result.validation_ids if i // 10 == code) == 1
    model = result.model
    assert model.band_names == ["blue", "red", "nir"]
    assert [c.name for c in model.classes] == ["water", "forest", "urban"]
    assert model.scores["validation"]["overall_accuracy"] == 1.0
    assert len(model.scores["feature_importances"]) == 3
    assert model.crs_wkt and "32632" in model.crs_wkt
    x = np.array([MEANS[:, 0], MEANS[:, 1], MEANS[:, 2]], dtype=np.float32)
    np.testing.assert_array_equal(model.predict(x), [1, 2, 3])


def test_pixels_invalid_in_a_later_band_are_dropped_and_counted(tmp_path):
    # polygon 10 (class 1, rows 2-6, cols 5-9): band 2 nodata on 2 x 5 of its pixels
    path = write_scene(tmp_path / "s.tif", nodata_box=(2, 5, 4, 10))
    result = train(path, polygons(), CLASSES, "gaussian_ml", validation_fraction=0, folds=0)
    assert result.samples[1]["dropped"] == 10
    assert result.samples[1]["available"] == 90
    assert result.samples[2]["dropped"] == 0
    assert any("'water' (code 1): 10 pixels dropped" in m for m in result.messages)


def test_overlap_of_two_classes_is_dropped_and_reported(tmp_path):
    path = write_scene(tmp_path / "s.tif")
    features = [*polygons(), (box(2, 5, 4, 10), 2, 99)]  # over part of a water polygon
    result = train(path, features, CLASSES, "knn", validation_fraction=0, folds=0)
    assert result.overlap_dropped == 10
    assert any("overlapping" in m for m in result.messages)


def test_each_classifier_trains_and_cap_and_balance_apply(tmp_path):
    path = write_scene(tmp_path / "s.tif")
    for kind in ("extra_trees", "hist_gradient_boosting", "svm", "knn", "gaussian_ml"):
        result = train(path, polygons(), CLASSES, kind, {"n_trees": 10},
                       max_per_class=30, validation_fraction=0.25, folds=0)  # fmt: skip
        assert result.validation["summary"].overall_accuracy > 0.95, kind
        assert all(result.samples[c]["train"] == 30 for c in (1, 2, 3))
    features = [f for f in polygons() if not (f[1] == 3 and f[2] > 30)]  # urban: 1 polygon
    result = train(path, features, CLASSES, "knn", balance=True, max_per_class=0,
                   validation_fraction=0.5, folds=0)  # fmt: skip
    assert {result.samples[c]["train"] for c in (1, 2, 3)} == {25}
    assert result.single_feature_classes == [3]


def test_tuning_keeps_the_best_candidate(tmp_path):
    path = write_scene(tmp_path / "s.tif")
    result = train(path, polygons(), CLASSES, "knn", tune="grid", folds=3,
                   validation_fraction=0.25)  # fmt: skip
    assert [t["params"]["k"] for t in result.tuning] == [1, 3, 5, 9, 15]
    best = max(t["overall_accuracy"] for t in result.tuning)
    assert result.cv["summary"].overall_accuracy == best
    assert result.model.scores["tuning"]


def test_report_and_summary_name_classes_and_scores(tmp_path):
    path = write_scene(tmp_path / "s.tif")
    result = train(path, polygons(), CLASSES, "random_forest", {"n_trees": 5},
                   validation_fraction=0.25)  # fmt: skip
    page = training_report_html(result)
    for text in ("water", "forest", "urban", "Validation on held-out polygons", "<svg"):
        assert text in page
    assert "http://" not in page and "https://" not in page
    lines = summary_lines(result)
    assert lines[0] == "Classifier: Random Forest"
    assert any(line.startswith("Validation (held-out polygons): overall accuracy 100.0%")
               for line in lines)  # fmt: skip


def test_report_escapes_class_names(tmp_path):
    path = write_scene(tmp_path / "s.tif")
    hostile = "<img src=x onerror=alert(1)>"
    classes = make_classes([1, 2, 3], ["water", hostile, "urban"])
    result = train(path, polygons(), classes, "random_forest", {"n_trees": 3},
                   validation_fraction=0.25)  # fmt: skip
    page = training_report_html(result)
    assert "<img" not in page
    assert page.count("&lt;img src=x onerror=alert(1)&gt;") >= 3  # samples, matrix, chart


def test_model_file_round_trip_after_training(tmp_path):
    path = write_scene(tmp_path / "s.tif")
    result = train(path, polygons(), CLASSES, "random_forest", {"n_trees": 10}, folds=0)
    result.model.save(tmp_path / "m.lcmodel")
    loaded = LandcoverModel.load(tmp_path / "m.lcmodel")
    x = np.random.default_rng(0).normal(400, 300, (500, 3)).astype(np.float32)
    np.testing.assert_array_equal(loaded.predict_proba(x), result.model.predict_proba(x))
    assert loaded.scores["samples"]["1"]["train"] == result.samples[1]["train"]


def test_bad_training_input_is_a_clear_error(tmp_path):
    path = write_scene(tmp_path / "s.tif")
    with pytest.raises(InputError, match="at least two classes"):
        train(path, [f for f in polygons() if f[1] == 1], CLASSES[:1])
    outside = (box(0, 0, 1, 1), 3, 50)
    outside[0]["coordinates"] = [[(0, 0), (5, 0), (5, 5), (0, 5), (0, 0)]]
    with pytest.raises(InputError, match=r"'urban' \(code 3, feature ids 50\): none of its"):
        train(path, [*(f for f in polygons() if f[1] == 1), outside], CLASSES)
    with pytest.raises(InputError, match="unknown classifier"):
        train(path, polygons(), CLASSES, "deep_net")
    with pytest.raises(InputError, match="validation fraction"):
        train(path, polygons(), CLASSES, validation_fraction=1.0)


def test_a_class_without_valid_pixels_is_dropped_with_its_feature_ids(tmp_path):
    nodata = write_scene(tmp_path / "n.tif", nodata_box=(0, 40, 60, 60))
    tiny = ({"type": "Point", "coordinates": [-50.0, -50.0]}, 1, 99)  # off the raster
    result = train(nodata, [*polygons(), tiny], CLASSES, n_iter=1, folds=0)
    assert [c.code for c in result.classes] == [1, 2]
    assert [c.code for c in result.model.classes] == [1, 2]
    text = " ".join(result.messages)
    assert "Dropped class 'urban' (code 3, feature ids 30, 31, 32, 33): all 100 pixels" in text
    assert "'water' 99; 'urban' 30, 31, 32, 33" in text
    assert 3 not in result.samples
    assert any("Dropped class 'urban'" in line for line in summary_lines(result))
    assert "Dropped class" in training_report_html(result)


def test_cross_validation_leaves_a_class_with_one_feature_empty(tmp_path):
    import math

    path = write_scene(tmp_path / "s.tif")
    features = [f for f in polygons() if f[1] != 3 or f[2] == 30]
    result = train(path, features, CLASSES, validation_fraction=0.0, folds=3)
    summary = result.cv["summary"]
    assert math.isnan(summary.f1[2]) and math.isnan(summary.producers_accuracy[2])
    assert not math.isnan(summary.f1[0])
    assert result.model.scores["cross_validation"]["f1"][2] is None
    assert any("'urban' (code 3) has fewer than two training features" in m
               for m in result.messages)  # fmt: skip


def test_no_cross_validation_figure_when_no_class_spans_two_folds(tmp_path):
    """Found on a real Landsat scene with two polygons per class, one held out for
    validation: every fold tested only classes its classifier never saw, and the tool
    reported a cross-validated accuracy of 0 %."""
    path = write_scene(tmp_path / "s.tif")
    features = [f for f in polygons() if f[2] % 10 < 2]  # two polygons of each class
    result = train(path, features, CLASSES, validation_fraction=0.5, folds=3)
    assert result.cross_validation is None and result.cv is None
    assert result.validation is not None
    assert any("Cross-validation skipped" in m for m in result.messages)
    assert "cross_validation" not in result.model.scores


def test_training_and_spatial_cross_validation_give_the_same_folds_and_figures(tmp_path):
    """The two tools cross-validate through one fold assignment and one loop: the same
    pixels, folds and seed give identical folds and scores in both."""
    from dataclasses import asdict

    from landcover.core.accuracy.spatial_cv import run_spatial_cv

    path = write_scene(tmp_path / "s.tif")
    # the last polygon of each class carries the next class's label: errors to count
    features = [(g, code % 3 + 1 if fid % 10 == 3 else code, fid) for g, code, fid in polygons()]
    for seed in (0, 5):
        trained = train(path, features, CLASSES, "knn", validation_fraction=0.0,
                        max_per_class=60, folds=3, seed=seed)  # fmt: skip
        compared = run_spatial_cv(path, features, CLASSES, "knn", folds=3, strategy="polygon",
                                  seed=seed, max_per_class=60)  # fmt: skip
        ours, theirs = trained.cross_validation, compared.spatial
        np.testing.assert_array_equal(ours.fold, theirs.fold)
        assert trained.validation_ids == []  # nothing held out: all is cross-validated
        np.testing.assert_array_equal(ours.matrix, theirs.matrix)
        assert 0.4 < ours.summary.overall_accuracy < 1.0  # the folds matter
        assert ours.summary.overall_accuracy == theirs.summary.overall_accuracy
        assert ours.summary.kappa == theirs.summary.kappa
        assert [asdict(r) for r in ours.folds] == [asdict(r) for r in theirs.folds]
        assert trained.model.scores["cross_validation"]["confusion_matrix"] == ours.matrix.tolist()
