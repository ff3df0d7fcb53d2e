"""Spatial cross-validation: folds keep polygons and blocks whole."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.neighbors import KNeighborsClassifier

from landcover.core.accuracy import spatial_cv
from landcover.core.io.errors import InputError
from landcover.core.learn import folds


def synthetic(seed=0, polygons=40, pixels=30):
    """Polygons of 30 pixels each; each polygon has its own spectral offset (as real
    fields do), so pixels of a polygon are near-copies of each other."""
    rng = np.random.default_rng(seed)
    features, y, groups, xy = [], [], [], []
    for p in range(polygons):
        code = 1 + p % 3
        centre = rng.uniform(0, 1000, 2)
        offset = rng.normal(0, 1.2, 4)  # polygon-specific signature, larger than class signal
        signal = np.array([code, -code, 0.5 * code, 0.0]) * 0.6
        features.append(signal + offset + rng.normal(0, 0.05, (pixels, 4)))
        y.append(np.full(pixels, code))
        groups.append(np.full(pixels, 100 + p))
        xy.append(centre + rng.uniform(-40, 40, (pixels, 2)))
    return (
        np.concatenate(features).astype(np.float32),
        np.concatenate(y).astype(np.int32),
        np.concatenate(groups),
        np.concatenate(xy),
    )


def fit_knn(features, y, progress=None):
    return KNeighborsClassifier(n_neighbors=1).fit(features, y)


def test_polygon_folds_never_share_a_polygon_are_balanced_and_stratified():
    _, y, groups, _ = synthetic()
    units = folds.fold_units(groups, None, "polygon")
    fold = folds.assign_folds(y, units, 5, seed=3)
    for g in np.unique(groups):
        assert np.unique(fold[groups == g]).size == 1
    sizes = np.bincount(fold)
    assert sizes.size == 5 and sizes.min() == sizes.max() == 240
    # stratified by class: 14, 13 and 13 polygons spread 3 or 2 to a fold
    for code in (1, 2, 3):
        per_fold = [np.unique(groups[(fold == f) & (y == code)]).size for f in range(5)]
        assert max(per_fold) - min(per_fold) <= 1, (code, per_fold)


def test_block_folds_never_share_a_block_or_a_polygon():
    _, y, groups, xy = synthetic(seed=1)
    units = folds.fold_units(groups, xy, "blocks", block_size=150.0)
    fold = folds.assign_folds(y, units, 4, seed=0)
    cells = np.floor(xy / 150.0).astype(int)
    for cell in np.unique(cells, axis=0):
        inside = np.all(cells == cell, axis=1)
        assert np.unique(fold[inside]).size == 1, cell
    for g in np.unique(groups):
        assert np.unique(fold[groups == g]).size == 1
    assert np.unique(fold).size == 4


def test_block_units_merge_polygons_that_share_a_block():
    groups = np.array([1, 1, 2, 2, 3, 3])
    xy = np.array([[5, 5], [15, 5], [16, 5], [25, 5], [95, 95], [96, 96]], dtype=float)
    # blocks of 10: polygon 1 spans blocks 0 and 1, polygon 2 blocks 1 and 2 -> one unit
    units = folds.fold_units(groups, xy, "blocks", block_size=10)
    assert units[0] == units[1] == units[2] == units[3]
    assert units[4] == units[5] != units[0]


def test_too_few_units_for_the_folds_is_a_clear_error():
    with pytest.raises(InputError, match="only 2 separate polygons or blocks for 5 folds"):
        folds.assign_folds(np.array([1, 1, 2, 2]), np.array([0, 0, 1, 1]), 5)
    with pytest.raises(InputError, match="block size"):
        folds.fold_units(np.array([1, 2]), np.zeros((2, 2)), "blocks", 0)


def test_random_split_is_optimistic_on_autocorrelated_data():
    features, y, groups, xy = synthetic(seed=2)
    result = spatial_cv.compare_splits(
        features, y, groups, xy, [1, 2, 3], fit_knn, folds=5, strategy="polygon", seed=0
    )
    random_oa = result.random.mean.overall_accuracy
    spatial_oa = result.spatial.mean.overall_accuracy
    # a 1-NN finds a pixel of the same polygon in a random split: near-perfect
    assert random_oa > 0.97
    assert spatial_oa < random_oa - 0.15
    assert result.optimism == pytest.approx(random_oa - spatial_oa)
    assert len(result.spatial.folds) == 5
    assert result.spatial.matrix.sum() == y.size  # every sample tested once
    assert result.random.matrix.sum() == y.size
    assert result.units == 40
    fold_oa = [r.overall_accuracy for r in result.spatial.folds]
    assert result.spatial.mean.overall_accuracy == pytest.approx(np.mean(fold_oa))


def test_same_seed_same_folds():
    _, y, groups, xy = synthetic(seed=4)
    a = folds.assign_folds(y, folds.fold_units(groups, xy, "blocks", 200.0), 3, seed=9)
    b = folds.assign_folds(y, folds.fold_units(groups, xy, "blocks", 200.0), 3, seed=9)
    np.testing.assert_array_equal(a, b)


def test_class_confined_to_one_fold_is_noted():
    features, y, groups, xy = synthetic(seed=5, polygons=9)
    y = y.copy()
    y[groups == 100] = 4  # a class with a single polygon
    result = spatial_cv.compare_splits(
        features, y, groups, xy, [1, 2, 3, 4], fit_knn, folds=3, names=["a", "b", "c", "d"]
    )
    assert any("class 'd' (code 4) has fewer than two training features" in n for n in result.notes)
    assert math.isnan(result.spatial.summary.f1[3])


def test_a_fold_that_cannot_be_trained_says_which_and_what_to_do():
    # classes 1, 2, 3, 1: the fold holding the only polygon of class 2 trains without it
    features, y, groups, xy = synthetic(seed=6, polygons=4)

    def fit_needs_every_class(x, labels, progress):
        if np.unique(labels).size < 3:
            raise InputError("training needs samples of every class")
        return fit_knn(x, labels)

    with pytest.raises(InputError, match=r"fold \d of 3: training needs .* use fewer folds"):
        spatial_cv.compare_splits(
            features, y, groups, xy, [1, 2, 3], fit_needs_every_class, folds=3, seed=1
        )


def test_unbalanced_folds_are_noted_and_pooled_figures_tabled():
    features, y, groups, xy = synthetic(seed=2)
    result = spatial_cv.compare_splits(
        features, y, groups, xy, [1, 2, 3], fit_knn, folds=5, strategy="blocks", block_size=200
    )
    sizes = np.bincount(result.spatial.fold)
    assert sizes.max() > 2 * y.size / 5  # polygons and blocks chain into a few big units
    assert any("folds are unbalanced" in n for n in result.notes)
    header, rows, types = spatial_cv.cv_table(result)
    pooled = {r[0]: r for r in rows if r[1] == "pooled"}
    assert pooled["spatial"][3] == y.size
    assert pooled["spatial"][4] == pytest.approx(result.spatial.summary.overall_accuracy)
    assert len(header) == len(types) == len(rows[0])


def test_label_classes_keep_integer_codes_and_recode_zero_with_the_mapping():
    from landcover.core.io.classes import label_classes, recoding

    codes, classes = label_classes([0, 3, "10", 3.0, 0, -2])
    assert codes == [11, 3, 10, 3, 11, 12]
    assert [(c.code, c.name) for c in classes] == [
        (3, "class 3"), (10, "class 10"), (11, "class 0 (code 11)"), (12, "class -2 (code 12)"),
    ]  # fmt: skip
    note = recoding(classes)
    assert "0 \u2192 code 11" in note and "-2 \u2192 code 12" in note
    codes, classes = label_classes([1, 2, 10])
    assert codes == [1, 2, 10] and recoding(classes) is None
    codes, classes = label_classes(["water", "forest"])
    assert codes == [2, 1] and recoding(classes) is None
