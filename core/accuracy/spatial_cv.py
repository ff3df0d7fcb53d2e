"""Spatial cross-validation: honest accuracy from training data that are autocorrelated.

Pixels of one training polygon (or of one neighbourhood) look alike, so a random pixel
split puts near-copies of the test pixels into the training set and reports an
accuracy the map will not have. Here whole units go to one fold: every polygon, or
every square block of the map (blocks and polygons that overlap are merged, so a
polygon straddling two blocks still never ends up in two folds), with the folds of
:mod:`.folds` that 'Train classifier' uses too. The same classifier is also scored on
a plain random pixel split, so the optimism of the naive estimate is visible side by
side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..io.errors import InputError
from ..io.files import atomic_outputs
from ..io.progress import Progress, as_progress
from ..learn.classifiers import train_model
from ..learn.folds import (
    CrossValidation,
    Fit,
    assign_folds,
    cross_validate,
    fold_units,
    random_folds,
)
from ..learn.sampling import classes_with_pixels, subsample
from ..learn.training import band_description, sample_training
from ..report.html import spatial_cv_report_html, write_csv, write_html
from .metrics import macro_f1


@dataclass
class SplitComparison:
    """Cross-validation with units kept together (``spatial``: polygons or blocks, as
    ``strategy`` says; ``units`` separate ones) beside a random pixel split
    (``random``), with ``notes`` on both. :func:`run_spatial_cv` adds the ``classes``,
    the number of ``samples`` and the ``settings`` of the run, for the report."""

    spatial: CrossValidation
    random: CrossValidation
    strategy: str
    block_size: float | None
    units: int
    notes: list[str]
    classes: list = field(default_factory=list)
    samples: int = 0
    settings: dict = field(default_factory=dict)

    @property
    def optimism(self) -> float:
        """Random minus spatial mean overall accuracy."""
        return float(self.random.mean.overall_accuracy - self.spatial.mean.overall_accuracy)


def compare_splits(
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
) -> SplitComparison:
    """Spatial and random-split cross-validation of the classifier built by ``fit``.

    ``features`` (n, bands) float32, ``y`` (n,) class codes, ``groups`` (n,) polygon ids,
    ``xy`` (n, 2) map coordinates (needed for ``strategy="blocks"``), ``codes`` the
    class codes in report order. The spatial folds keep every unit of
    :func:`.folds.fold_units` whole, stratified by class (:func:`.folds.assign_folds`);
    both splits are scored by :func:`.folds.cross_validate`.
    """
    progress = as_progress(progress)
    features = np.asarray(features)
    y = np.asarray(y)
    if features.shape[0] != y.shape[0] or len(groups) != y.shape[0]:
        raise ValueError("features, y and groups must have one row per sample")
    if y.size == 0:
        raise InputError("there are no training samples to cross-validate")
    units = fold_units(groups, xy, strategy, block_size)
    spatial_fold = assign_folds(y, units, folds, seed)
    spatial = cross_validate(
        features, y, spatial_fold, codes, fit, names, np.asarray(groups), progress.span(0.0, 0.5)
    )
    plain_fold = random_folds(y.size, folds, seed)
    plain = cross_validate(features, y, plain_fold, codes, fit, names, None, progress.span(0.5, 1))
    if spatial is None or plain is None:
        raise InputError(
            "no fold could be tested: the training part of every fold holds a single "
            "class; use fewer folds or smaller blocks, or draw polygons of more classes"
        )
    notes = [*spatial.notes, *plain.notes]
    sizes = np.bincount(spatial_fold, minlength=folds)
    if sizes.max() > 2 * y.size / folds:
        notes.append(
            f"The spatial folds are unbalanced: the largest holds {sizes.max() / y.size:.0%} "
            "of the pixels, because neighbouring polygons and blocks have to stay together. "
            "Use smaller blocks, grouping by polygon, or fewer folds for steadier figures."
        )
    return SplitComparison(
        spatial=spatial,
        random=plain,
        strategy=strategy,
        block_size=block_size,
        units=int(np.unique(units).size),
        notes=notes,
    )


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
) -> SplitComparison:
    """Sample the training polygons on the raster, cross-validate classifier ``kind``
    spatially and randomly, and write the metrics table and the HTML report.

    ``features`` are ``(geojson_geometry_in_the_raster_crs, class_code, feature_id)``;
    at most ``max_per_class`` pixels per class are used (0: all), drawn as 'Train
    classifier' draws them (:func:`..learn.training.sample_training`), so that both
    tools cross-validate the same pixels with the same folds.
    """
    progress = as_progress(progress)
    band_names = band_description(raster_path)[0]
    samples = sample_training(
        raster_path, features, max_per_class, seed, progress=progress.span(0.0, 0.2)
    )
    samples = subsample(samples, max_per_class, seed)
    classes, missing = classes_with_pixels(samples, features, classes)

    def fit(x: np.ndarray, y: np.ndarray, fit_progress: Progress):
        return train_model(kind, x, y, classes, band_names, seed=seed, progress=fit_progress)

    result = compare_splits(
        samples.X,
        samples.y,
        samples.groups,
        samples.xy,
        [c.code for c in classes],
        fit,
        folds=folds,
        strategy=strategy,
        block_size=block_size,
        seed=seed,
        names=[c.name for c in classes],
        progress=progress.span(0.2, 1.0),
    )
    result.notes = [*missing, *result.notes]
    result.classes = list(classes)
    result.samples = len(samples)
    result.settings = dict(settings or {})
    # Both outputs or neither, moved into place after the last cancel check.
    with atomic_outputs([metrics_csv, report_html]) as (metrics, report):
        if metrics:
            write_csv(metrics, *cv_table(result))
        if report:
            write_html(report, spatial_cv_report_html(result))
        progress.check()
    return result


def cv_table(result: SplitComparison) -> tuple[list, list, list]:
    """(header, rows, types) of the per-fold and mean figures of both splits."""
    header = ["split", "fold", "n_train", "n_test", "overall_accuracy", "kappa", "macro_f1"]
    rows: list[list] = []
    for split, part in (("spatial", result.spatial), ("random", result.random)):
        for r in part.folds:
            rows.append(
                [split, str(r.fold), r.n_train, r.n_test, r.overall_accuracy, r.kappa,
                 r.macro_f1]
            )  # fmt: skip
        for label, stats in (("mean", part.mean), ("std", part.std)):
            rows.append(
                [split, label, None, None, stats.overall_accuracy, stats.kappa, stats.macro_f1]
            )
        pooled = part.summary
        rows.append(
            [split, "pooled", None, pooled.n, pooled.overall_accuracy, pooled.kappa,
             macro_f1(pooled)]
        )  # fmt: skip
    types = ["String", "String", "Integer", "Integer", "Real", "Real", "Real"]
    return header, rows, types
