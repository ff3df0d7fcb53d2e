"""How labelled samples are split, for every tool that tests a classifier on them.

Pixels of one training polygon (or of one neighbourhood) look alike, so a split that
puts pixels of one polygon on both sides tests the classifier on near-copies of what
it learnt. Here whole units go to one side: the validation hold-out keeps whole
features, and cross-validation folds keep whole units, either every polygon or every
square block of the map (merged with the polygons it shares samples with),
stratified by class so that every fold sees every class in about the same share. A
random pixel split is there only to show how optimistic it is.

'Train classifier' and 'Spatial cross-validation' both assign folds with
:func:`assign_folds` and score them with :func:`cross_validate`, so the same samples,
folds and seed give the same figures in both.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ..accuracy.metrics import (
    AccuracySummary,
    accuracy_summary,
    blank_classes,
    confusion_matrix,
    macro_f1,
    summarise,
)
from ..io.errors import InputError
from ..io.progress import Progress, as_progress

STRATEGIES = ("polygon", "blocks")

# fit(features, labels, progress) -> an object whose predict(features) returns class codes
Fit = Callable[[np.ndarray, np.ndarray, Progress], Any]


def split_by_feature(
    y: np.ndarray, groups: np.ndarray, fraction: float, seed: int = 0
) -> tuple[np.ndarray, list[int]]:
    """Hold out whole features (polygons or points), stratified per class.

    Per class, ``round(fraction * features)`` features go to validation, at least
    one and never all of them when ``fraction > 0``. Returns the validation mask
    (n,) and the codes of classes with a single feature (kept in training).
    """
    held = np.zeros(len(y), dtype=bool)
    single = []
    if fraction <= 0:
        return held, single
    rng = np.random.default_rng(seed)
    for code in np.unique(y):
        ids = np.unique(groups[y == code])
        if len(ids) < 2:
            single.append(int(code))
            continue
        n = min(max(round(fraction * len(ids)), 1), len(ids) - 1)
        chosen = rng.choice(ids, size=n, replace=False)
        held |= (y == code) & np.isin(groups, chosen)
    return held, single


def fold_units(
    groups: np.ndarray, xy: np.ndarray | None, strategy: str, block_size: float | None = None
) -> np.ndarray:
    """The unit (int64 id, 0..m-1) of every sample: units never cross folds.

    ``groups`` (n,) identifies the polygon each sample came from; ``xy`` (n, 2) are map
    coordinates; ``strategy`` is ``"polygon"`` or ``"blocks"`` (squares of
    ``block_size`` map units, merged with the polygons they share samples with).
    """
    groups = np.asarray(groups)
    if strategy not in STRATEGIES:
        raise InputError(f"unknown strategy {strategy!r}; use one of {STRATEGIES}")
    _, polygon = np.unique(groups, return_inverse=True)
    polygon = polygon.ravel().astype(np.int64)
    if strategy == "polygon":
        return polygon
    if xy is None or block_size is None or not block_size > 0:
        raise InputError("spatial blocks need sample coordinates and a block size above 0")
    xy = np.asarray(xy, dtype=np.float64)
    cells = np.floor(xy / float(block_size)).astype(np.int64)
    _, block = np.unique(cells, axis=0, return_inverse=True)
    block = block.ravel().astype(np.int64)
    n_poly = int(polygon.max()) + 1 if polygon.size else 0
    n_block = int(block.max()) + 1 if block.size else 0
    size = n_poly + n_block
    graph = coo_matrix(
        (np.ones(polygon.size, dtype=np.int8), (polygon, n_poly + block)), shape=(size, size)
    )
    _, component = connected_components(graph, directed=False)
    return component[polygon].astype(np.int64)


def assign_folds(y: np.ndarray, units: np.ndarray, folds: int, seed: int = 0) -> np.ndarray:
    """Fold index (0..folds-1) of every sample: whole units per fold, stratified by class.

    ``y`` (n,) are the class codes, ``units`` (n,) the unit of every sample (a polygon
    id, or a unit of :func:`fold_units`). Units are taken largest first (ties in the
    random order of ``seed``) and each goes to the fold where it least increases the
    spread of the class shares across folds (the sum of squared shares of each class
    per fold), ties to the fold with the fewest samples: every class is spread over
    the folds as evenly as its units allow, and the folds are about equal in size.
    The first ``folds`` units open one fold each, so no fold is empty.
    """
    y = np.asarray(y)
    units = np.asarray(units)
    if folds < 2:
        raise InputError("cross-validation needs at least 2 folds")
    ids, unit = np.unique(units, return_inverse=True)
    unit = unit.ravel()
    if ids.size < folds:
        raise InputError(
            f"only {ids.size} separate polygons or blocks for {folds} folds; use at most "
            f"{ids.size} folds, smaller blocks, or more training polygons"
        )
    _, label = np.unique(y, return_inverse=True)
    label = label.ravel()
    # per unit, its samples of every class; per class, 1 / total^2 (shares are squared)
    per_unit = np.zeros((ids.size, int(label.max()) + 1), dtype=np.float64)
    np.add.at(per_unit, (unit, label), 1.0)
    weight = 1.0 / per_unit.sum(axis=0) ** 2
    sizes = per_unit.sum(axis=1)
    shuffled = np.random.default_rng(seed).permutation(ids.size)
    order = shuffled[np.argsort(-sizes[shuffled], kind="stable")]
    counts = np.zeros((folds, per_unit.shape[1]), dtype=np.float64)
    load = np.zeros(folds, dtype=np.float64)
    fold_of_unit = np.empty(ids.size, dtype=np.int64)
    for index in order:
        cost = counts @ (per_unit[index] * weight)
        best = np.flatnonzero(cost <= cost.min() + 1e-9 * max(cost.min(), 1e-12))
        target = int(best[np.argmin(load[best])])
        fold_of_unit[index] = target
        counts[target] += per_unit[index]
        load[target] += sizes[index]
    return fold_of_unit[unit]


def random_folds(n: int, folds: int, seed: int = 0) -> np.ndarray:
    """Fold index of every sample for a plain random (pixel-wise) split."""
    rng = np.random.default_rng(seed)
    return (rng.permutation(n) % folds).astype(np.int64)


@dataclass
class Figures:
    """Overall accuracy, kappa and macro F1 (mean F1 over the classes where defined)."""

    overall_accuracy: float
    kappa: float
    macro_f1: float


@dataclass
class FoldScore:
    """The figures of one fold (``fold`` counts from 1), tested on ``n_test`` samples
    by a classifier trained on ``n_train``; ``f1`` per class, in class order."""

    fold: int
    n_train: int
    n_test: int
    overall_accuracy: float
    kappa: float
    macro_f1: float
    f1: list[float]


@dataclass
class CrossValidation:
    """A cross-validation: ``fold`` (n,) the fold of every sample; ``folds`` the
    figures of every fold that was tested, their ``mean`` and ``std`` (NaN with one
    fold); ``matrix`` (rows reference, columns predicted, in class order) and
    ``summary`` (:class:`.metrics.AccuracySummary`) of the out-of-fold predictions
    pooled; ``unseen`` the positions of classes whose samples all lie in one fold
    (their per-class figures are NaN); ``skipped`` the folds (from 1) left out because
    the other folds hold a single class; ``notes`` say both."""

    fold: np.ndarray
    folds: list[FoldScore]
    mean: Figures
    std: Figures
    matrix: np.ndarray
    summary: AccuracySummary
    unseen: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _figures(rows: Sequence[FoldScore], statistic: Callable[[list[float]], float]) -> Figures:
    def of(key: str) -> float:
        values = [getattr(r, key) for r in rows if not math.isnan(getattr(r, key))]
        return statistic(values)

    return Figures(of("overall_accuracy"), of("kappa"), of("macro_f1"))


def _mean(values: list[float]) -> float:
    return float(np.mean(values)) if values else math.nan


def _std(values: list[float]) -> float:
    return float(np.std(values, ddof=1)) if len(values) > 1 else math.nan


def cross_validate(
    features: np.ndarray,
    y: np.ndarray,
    fold: np.ndarray,
    codes: Sequence[int],
    fit: Fit,
    names: Sequence[str] | None = None,
    groups: np.ndarray | None = None,
    progress: Progress | None = None,
) -> CrossValidation | None:
    """Test every fold on a classifier trained on the other folds: the one loop.

    ``features`` (n, bands), ``y`` (n,) class codes, ``fold`` (n,) the fold of every
    sample (:func:`assign_folds`, :func:`random_folds`), ``codes`` the class codes in
    report order (``names`` their names); ``fit(x, y, progress)`` returns a trained
    classifier. With ``groups`` (the polygon of every sample), the pooled intervals
    treat polygons as clusters. A fold whose training part holds a single class is
    skipped with a note; None when every fold is, or when no class has samples in two
    folds (each fold would test only classes its classifier never saw).
    """
    progress = as_progress(progress)
    features = np.asarray(features)
    y = np.asarray(y)
    fold = np.asarray(fold, dtype=np.int64)
    count = int(fold.max()) + 1 if fold.size else 0
    labels = list(names) if names is not None else [str(c) for c in codes]
    notes: list[str] = []
    unseen = []
    for i, (code, label) in enumerate(zip(codes, labels)):
        if np.unique(fold[y == code]).size == 1:
            unseen.append(i)
            notes.append(
                f"Cross-validation: class '{label}' (code {code}) has fewer than two "
                "training features in separate folds, so the classifier that tests its "
                "fold has never seen it; its producer's and user's accuracy and F1 are "
                "left empty (None) rather than reported as 0, and its pixels count as "
                "errors in the overall accuracy and kappa, which are therefore "
                "pessimistic. Add training polygons of it in other places."
            )
    if unseen and len(unseen) == len(codes):
        # Found on real imagery with two polygons per class, one held out: every fold
        # then tests classes it never saw, and the figures (0 %) say nothing.
        return None
    predicted = np.zeros(len(y), dtype=np.int64)
    tested = np.zeros(len(y), dtype=bool)
    rows: list[FoldScore] = []
    skipped = []
    for f in range(count):
        test = fold == f
        train = ~test
        if not test.any():
            continue
        if np.unique(y[train]).size < 2:
            skipped.append(f + 1)
            continue
        span = progress.span(f / count, (f + 0.9) / count)
        try:
            model = fit(features[train], y[train], span)
        except InputError as exc:
            raise InputError(
                f"fold {f + 1} of {count}: {exc}. With few training polygons, use fewer "
                "folds or smaller blocks so every fold keeps several classes for training."
            ) from exc
        predicted[test] = np.asarray(model.predict(features[test]))
        tested |= test
        summary = accuracy_summary(confusion_matrix(y[test], predicted[test], codes), names)
        blank_classes(summary, unseen)
        rows.append(
            FoldScore(
                fold=f + 1,
                n_train=int(train.sum()),
                n_test=int(test.sum()),
                overall_accuracy=summary.overall_accuracy,
                kappa=summary.kappa,
                macro_f1=macro_f1(summary),
                f1=list(summary.f1),
            )
        )
        progress((f + 1) / count)
    if skipped:
        notes.append(
            f"Cross-validation fold(s) {', '.join(map(str, skipped))} of {count} skipped: "
            "the other folds hold a single class, too few to train a classifier."
        )
    if not rows:
        return None
    matrix, pooled = summarise(
        y[tested], predicted[tested], codes, names, None if groups is None else groups[tested]
    )
    blank_classes(pooled, unseen)
    progress(1.0)
    return CrossValidation(
        fold=fold,
        folds=rows,
        mean=_figures(rows, _mean),
        std=_figures(rows, _std),
        matrix=matrix,
        summary=pooled,
        unseen=unseen,
        skipped=skipped,
        notes=notes,
    )
