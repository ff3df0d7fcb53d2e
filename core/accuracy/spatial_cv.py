"""Spatial cross-validation: honest accuracy from training data that are autocorrelated.

Pixels of one training polygon (or of one neighbourhood) look alike, so a random pixel
split puts near-copies of the test pixels into the training set and reports an
accuracy the map will not have. Here whole units go to one fold: every polygon, or
every square block of the map (blocks and polygons that overlap are merged, so a
polygon straddling two blocks still never ends up in two folds). The same classifier
is also scored on a plain random pixel split, so the optimism of the naive estimate
is visible side by side.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Callable

import numpy as np

from ..io.errors import InputError
from ..io.progress import Progress, as_progress
from .metrics import accuracy_summary, blank_classes, confusion_matrix, macro_f1

STRATEGIES = ("polygon", "blocks")

# fit(features, labels) -> an object whose predict(features) returns class codes
Fit = Callable[[np.ndarray, np.ndarray], Any]


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
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

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


def assign_folds(units: np.ndarray, folds: int, seed: int = 0) -> np.ndarray:
    """Fold index (0..folds-1) of every sample, whole units per fold, sizes balanced.

    Units are taken largest first (ties in random order) and each goes to the fold
    with the fewest samples so far.
    """
    units = np.asarray(units, dtype=np.int64)
    ids, sizes = np.unique(units, return_counts=True)
    if folds < 2:
        raise InputError("cross-validation needs at least 2 folds")
    if ids.size < folds:
        raise InputError(
            f"only {ids.size} separate polygons or blocks for {folds} folds; use at most "
            f"{ids.size} folds, smaller blocks, or more training polygons"
        )
    rng = np.random.default_rng(seed)
    shuffled = rng.permutation(ids.size)
    order = shuffled[np.argsort(-sizes[shuffled], kind="stable")]
    load = np.zeros(folds, dtype=np.int64)
    fold_of_unit = np.empty(ids.size, dtype=np.int64)
    for index in order:
        target = int(np.argmin(load))
        fold_of_unit[index] = target
        load[target] += sizes[index]
    lookup = np.searchsorted(ids, units)
    return fold_of_unit[lookup]


def random_folds(n: int, folds: int, seed: int = 0) -> np.ndarray:
    """Fold index of every sample for a plain random (pixel-wise) split."""
    rng = np.random.default_rng(seed)
    return (rng.permutation(n) % folds).astype(np.int64)


def _score_folds(
    features: np.ndarray,
    y: np.ndarray,
    fold: np.ndarray,
    codes: Sequence[int],
    names: Sequence[str] | None,
    fit: Fit,
    progress: Progress,
    unseen: Sequence[int] = (),
) -> dict:
    """Score every fold and the pooled predictions; the per-class figures of the
    classes at positions ``unseen`` (all their samples in one fold) are left NaN."""
    folds = int(fold.max()) + 1
    k = len(codes)
    pooled = np.zeros((k, k), dtype=np.int64)
    rows = []
    for f in range(folds):
        progress(f / folds)
        test = fold == f
        train = ~test
        try:
            model = fit(features[train], y[train])
        except InputError as exc:
            raise InputError(
                f"fold {f + 1} of {folds}: {exc}. With few training polygons, use fewer "
                "folds or smaller blocks so every fold keeps several classes for training."
            ) from exc
        predicted = np.asarray(model.predict(features[test]))
        matrix = confusion_matrix(y[test], predicted, codes)
        pooled += matrix
        summary = accuracy_summary(matrix, names)
        blank_classes(summary, unseen)
        rows.append(
            {
                "fold": f + 1,
                "n_train": int(train.sum()),
                "n_test": int(test.sum()),
                "overall_accuracy": summary["overall_accuracy"],
                "kappa": summary["kappa"],
                "macro_f1": macro_f1(summary),
                "f1": summary["f1"],
            }
        )
    progress(1.0)
    pooled_summary = accuracy_summary(pooled, names)
    blank_classes(pooled_summary, unseen)

    def mean_of(key: str) -> float:
        values = [r[key] for r in rows if not math.isnan(r[key])]
        return float(np.mean(values)) if values else math.nan

    def std_of(key: str) -> float:
        values = [r[key] for r in rows if not math.isnan(r[key])]
        return float(np.std(values, ddof=1)) if len(values) > 1 else math.nan

    return {
        "folds": rows,
        "mean": {key: mean_of(key) for key in ("overall_accuracy", "kappa", "macro_f1")},
        "std": {key: std_of(key) for key in ("overall_accuracy", "kappa", "macro_f1")},
        "matrix": pooled,
        "summary": pooled_summary,
    }


def cross_validate(
    features: np.ndarray,
    y: np.ndarray,
    groups: np.ndarray,
    xy: np.ndarray | None,
    codes: Sequence[int],
    fit: Fit,
    folds: int = 5,
    strategy: str = "polygon",
    block_size: float | None = None,
    seed: int = 0,
    names: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> dict:
    """Spatial and random-split cross-validation of the classifier built by ``fit``.

    ``features`` (n, bands) float32, ``y`` (n,) class codes, ``groups`` (n,) polygon ids,
    ``xy`` (n, 2) map coordinates (needed for ``strategy="blocks"``), ``codes`` the
    class codes in report order. Returns ``spatial`` and ``random`` results (each with
    per-fold rows, ``mean`` and ``std`` of overall accuracy, kappa and macro F1, the
    pooled confusion ``matrix`` and its ``summary``), ``optimism`` (random minus
    spatial mean overall accuracy), ``fold`` (the spatial fold of every sample),
    ``units`` (number of separate units) and ``notes``.
    """
    progress = as_progress(progress)
    features = np.asarray(features)
    y = np.asarray(y)
    if features.shape[0] != y.shape[0] or len(groups) != y.shape[0]:
        raise ValueError("features, y and groups must have one row per sample")
    if y.size == 0:
        raise InputError("there are no training samples to cross-validate")
    units = fold_units(groups, xy, strategy, block_size)
    spatial_fold = assign_folds(units, folds, seed)
    notes = []
    unseen = []
    labels = list(names) if names is not None else [str(c) for c in codes]
    for i, (code, label) in enumerate(zip(codes, labels)):
        present = np.unique(spatial_fold[y == code])
        if 0 < present.size < 2:
            unseen.append(i)
            notes.append(
                f"All samples of class '{label}' are in one fold (fewer than two separate "
                "polygons or blocks): when that fold is tested, the classifier has never "
                "seen the class, so its spatial figures are left empty (None) rather than "
                "reported as 0. Add training polygons of it in other places."
            )
    spatial = _score_folds(
        features, y, spatial_fold, codes, names, fit, progress.span(0.0, 0.5), unseen
    )
    plain = random_folds(y.size, folds, seed)
    random = _score_folds(features, y, plain, codes, names, fit, progress.span(0.5, 1.0))
    sizes = np.bincount(spatial_fold, minlength=folds)
    if sizes.max() > 2 * y.size / folds:
        notes.append(
            f"The spatial folds are unbalanced: the largest holds {sizes.max() / y.size:.0%} "
            "of the pixels, because neighbouring polygons and blocks have to stay together. "
            "Use smaller blocks, grouping by polygon, or fewer folds for steadier figures."
        )
    optimism = random["mean"]["overall_accuracy"] - spatial["mean"]["overall_accuracy"]
    return {
        "spatial": spatial,
        "random": random,
        "optimism": float(optimism),
        "fold": spatial_fold,
        "units": int(np.unique(units).size),
        "strategy": strategy,
        "block_size": block_size,
        "notes": notes,
    }


def run_spatial_cv(
    raster_path: str,
    features: Sequence[tuple[dict, int, int]],
    classes: Sequence,
    kind: str,
    folds: int = 5,
    strategy: str = "polygon",
    block_size: float | None = None,
    seed: int = 0,
    max_per_class: int = 2000,
    metrics_csv: str | None = None,
    report_html: str | None = None,
    settings: dict | None = None,
    progress: Progress | None = None,
) -> dict:
    """Sample the training polygons on the raster, cross-validate classifier ``kind``
    spatially and randomly, and write the metrics table and the HTML report.

    ``features`` are ``(geojson_geometry_in_the_raster_crs, class_code, feature_id)``;
    at most ``max_per_class`` pixels per class are used (0: all), drawn at random
    while sampling, so memory stays bounded.
    Returns the dict of :func:`cross_validate` plus ``classes`` and ``samples``.
    """
    from ..io.files import atomic_outputs
    from ..io.raster import open_raster
    from ..learn.classifiers import train_model
    from ..learn.sampling import classes_with_pixels, sample_raster
    from ..report.html import spatial_cv_report_html, write_csv, write_html

    progress = as_progress(progress)
    with open_raster(raster_path) as src:
        band_names = [d or f"band {i + 1}" for i, d in enumerate(src.descriptions)]
    samples = sample_raster(
        raster_path,
        features,
        progress=progress.span(0.0, 0.2),
        max_per_class=max_per_class or None,
        seed=seed,
    )
    if samples.y.size == 0:
        raise InputError(
            "no training pixel falls on valid raster data; check that the training "
            "polygons overlap the raster"
        )
    classes, missing = classes_with_pixels(samples, features, classes)
    codes = [c.code for c in classes]
    names = [c.name for c in classes]

    def fit(x: np.ndarray, y: np.ndarray):
        return train_model(kind, x, y, list(classes), band_names, seed=seed)

    result = cross_validate(
        samples.X,
        samples.y,
        samples.groups,
        samples.xy,
        codes,
        fit,
        folds=folds,
        strategy=strategy,
        block_size=block_size,
        seed=seed,
        names=names,
        progress=progress.span(0.2, 1.0),
    )
    result["notes"] = [*missing, *result["notes"]]
    result["classes"] = list(classes)
    result["samples"] = int(samples.y.size)
    result["settings"] = dict(settings or {})
    # Both outputs or neither, moved into place after the last cancel check.
    with atomic_outputs([metrics_csv, report_html]) as (metrics, report):
        if metrics:
            write_csv(metrics, *cv_table(result))
        if report:
            write_html(report, spatial_cv_report_html(result))
        progress.check()
    return result


def cv_table(result: dict) -> tuple[list, list, list]:
    """(header, rows, types) of the per-fold and mean figures of both splits."""
    header = ["split", "fold", "n_train", "n_test", "overall_accuracy", "kappa", "macro_f1"]
    rows: list[list] = []
    for split in ("spatial", "random"):
        part = result[split]
        for r in part["folds"]:
            rows.append(
                [split, str(r["fold"]), r["n_train"], r["n_test"], r["overall_accuracy"],
                 r["kappa"], r["macro_f1"]]
            )  # fmt: skip
        for label in ("mean", "std"):
            stats = part[label]
            rows.append(
                [split, label, None, None, stats["overall_accuracy"], stats["kappa"],
                 stats["macro_f1"]]
            )  # fmt: skip
        pooled = part["summary"]
        rows.append(
            [split, "pooled", None, pooled["n"], pooled["overall_accuracy"], pooled["kappa"],
             macro_f1(pooled)]
        )  # fmt: skip
    types = ["String", "String", "Integer", "Integer", "Real", "Real", "Real"]
    return header, rows, types
