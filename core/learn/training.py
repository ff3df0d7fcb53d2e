"""A whole training run: samples, a polygon-grouped split, tuning, scores, the model.

Pixels of one polygon look alike, so every split here keeps whole polygons (or
points) on one side: the validation set holds out whole polygons, stratified per
class, and cross-validation folds are grouped by polygon and stratified by class,
the folds and the loop of :mod:`.folds` that spatial cross-validation uses
too. Scores are computed with the portable model (:mod:`.model`), the same code that
will classify the map.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..accuracy.metrics import summarise
from ..io.classes import ClassInfo
from ..io.errors import InputError
from ..io.files import atomic_outputs
from ..io.progress import Progress, as_progress
from ..io.raster import DEFAULT_WINDOW_PIXELS, open_raster
from ..report.html import training_report_html, write_html
from .classifiers import CLASSIFIERS, resolve_params, train_model, tuning_candidates
from .folds import CrossValidation, assign_folds, cross_validate, split_by_feature
from .model import LandcoverModel
from .registry import PARAMETER_WORDS, classifier
from .sampling import Samples, classes_with_pixels, sample_raster, subsample

TUNE_MODES = ("none", "grid", "random")
FEATURE_TAG = "LANDCOVER_FEATURE"
# Samples kept per class while sampling, before the split and the final subsample:
# bounds memory for huge polygons while leaving plenty to choose from.
SAMPLING_CAP_FACTOR = 10
SAMPLING_CAP_MIN = 100_000
# The largest code of a uint16 class raster (0 is nodata).
MAX_CLASS_CODE = 65535


@dataclass
class TrainingResult:
    """Everything a training run produced, for the model file, the log and the report.

    ``samples`` maps each class code to a dict of counts: ``available`` (valid pixels
    under its features), ``dropped`` (invalid pixels), ``train`` and ``validation``
    (pixels used), ``train_features`` and ``validation_features``.
    ``cross_validation`` is the cross-validation on the training part (folds grouped by
    feature, :mod:`.folds`); ``validation`` holds ``matrix`` (rows reference,
    columns predicted, in class order) and ``summary`` (see
    :class:`.metrics.AccuracySummary`) on the held-out features. Either is None when it
    could not be computed (the reason is in ``messages``).
    """

    model: LandcoverModel
    classes: list[ClassInfo]
    samples: dict[int, dict[str, int]]
    overlap_dropped: int
    validation_ids: list[int]
    single_feature_classes: list[int]
    cross_validation: CrossValidation | None
    validation: dict | None
    tuning: list[dict]
    params: dict[str, Any]
    importances: list[float] | None
    messages: list[str] = field(default_factory=list)

    @property
    def cv(self) -> dict | None:
        """The pooled cross-validation scores as :attr:`validation` holds its own:
        ``matrix``, ``summary`` and the number of ``folds`` tested."""
        cv = self.cross_validation
        if cv is None:
            return None
        return {"matrix": cv.matrix, "summary": cv.summary, "folds": len(cv.folds)}

    @property
    def classifier_label(self) -> str:
        """The classifier's name for a reader (``Random forest``)."""
        return CLASSIFIERS[self.model.kind]

    @property
    def importance_method(self) -> str:
        """How the band importances were measured: ``impurity`` or ``permutation``."""
        return classifier(self.model.kind).importances

    @property
    def parameter_words(self) -> dict[str, str]:
        """What each classifier parameter means, for the report."""
        return dict(PARAMETER_WORDS)


def band_description(path: str | os.PathLike) -> tuple[list[str], list[dict], str | None]:
    """Band names, what each band is (description, type, nodata, feature tag) and CRS WKT."""
    with open_raster(path) as src:
        names, info = [], []
        for index in range(1, src.count + 1):
            description = src.descriptions[index - 1] or ""
            entry: dict[str, Any] = {
                "band": index,
                "description": description,
                "dtype": src.dtypes[index - 1],
                "nodata": src.nodatavals[index - 1],
            }
            tag = src.tags(index).get(FEATURE_TAG)
            if tag:
                try:
                    entry["feature"] = json.loads(tag)
                except ValueError:
                    entry["feature"] = tag
            names.append(description or f"band {index}")
            info.append(entry)
        crs = src.crs.to_wkt() if src.crs else None
    return names, info, crs


def sample_training(
    raster_path: str | os.PathLike,
    features: Sequence[tuple[dict, int, int]],
    max_per_class: int,
    seed: int = 0,
    *,
    all_touched: bool = False,
    max_pixels: int = DEFAULT_WINDOW_PIXELS,
    progress: Progress | None = None,
) -> Samples:
    """The valid pixels under the training ``features``, as every tool that trains on
    them draws them: with ``max_per_class`` (0: no cap), at most
    ``max(SAMPLING_CAP_FACTOR * max_per_class, SAMPLING_CAP_MIN)`` per class are kept
    while sampling, for :func:`.sampling.subsample` to draw from afterwards.
    """
    cap = None
    if max_per_class and max_per_class > 0:
        cap = max(SAMPLING_CAP_FACTOR * int(max_per_class), SAMPLING_CAP_MIN)
    samples = sample_raster(
        raster_path,
        features,
        all_touched=all_touched,
        progress=progress,
        max_pixels=max_pixels,
        max_per_class=cap,
        seed=seed,
    )
    if not len(samples):
        raise InputError(
            "no valid pixel lies under the training features: every pixel they cover is "
            "nodata, NaN or infinite in at least one band, or the features are too small "
            "to contain a pixel centre (try ALL_TOUCHED)"
        )
    return samples


def grouped_folds(
    y: np.ndarray, groups: np.ndarray, folds: int, seed: int = 0
) -> np.ndarray | None:
    """The fold of every sample for the cross-validation of a training run: whole
    features per fold, stratified by class (:func:`.folds.assign_folds`).

    Fewer folds than asked when there are fewer features; None below two.
    """
    folds = min(int(folds), int(np.unique(groups).size))
    if folds < 2:
        return None
    return assign_folds(y, groups, folds, seed)


def scores_of(
    reference: np.ndarray,
    predicted: np.ndarray,
    classes: Sequence[ClassInfo],
    groups: np.ndarray | None = None,
) -> dict:
    """Confusion matrix and accuracy summary of predictions against reference codes;
    with ``groups`` (the feature of every pixel), intervals treat features as clusters."""

    codes = [c.code for c in classes]
    matrix, summary = summarise(reference, predicted, codes, [c.name for c in classes], groups)
    return {"matrix": matrix, "summary": summary}


def _permutation_importances(
    model: LandcoverModel, x: np.ndarray, y: np.ndarray, seed: int
) -> list[float]:
    """Drop in accuracy when each band is shuffled (mean of two shuffles)."""
    rng = np.random.default_rng(seed)
    if len(y) > 2000:
        keep = rng.choice(len(y), 2000, replace=False)
        x, y = x[keep], y[keep]
    base = float((model.predict(x) == y).mean())
    result = []
    for band in range(x.shape[1]):
        drops = []
        for _ in range(2):
            shuffled = x.copy()
            shuffled[:, band] = rng.permutation(shuffled[:, band])
            drops.append(base - float((model.predict(shuffled) == y).mean()))
        result.append(max(0.0, float(np.mean(drops))))
    return result


def _describe(code: int, names: dict[int, str]) -> str:
    return f"'{names.get(code, code)}' (code {code})"


def _check_settings(
    kind: str, tune: str, validation_fraction: float, classes: Sequence[ClassInfo]
) -> None:
    """Raise :class:`InputError` for settings or classes a run cannot train with."""
    if kind not in CLASSIFIERS:
        raise InputError(f"unknown classifier {kind!r}; choose one of {', '.join(CLASSIFIERS)}")
    if tune not in TUNE_MODES:
        raise InputError(f"unknown tuning mode {tune!r}; choose one of {', '.join(TUNE_MODES)}")
    if not 0 <= validation_fraction < 1:
        raise InputError("the validation fraction must be at least 0 and below 1")
    if len(classes) < 2:
        raise InputError(
            "training needs at least two classes; the class field has only "
            f"{', '.join(c.name for c in classes) or 'no values'}"
        )
    out_of_range = [c for c in classes if not 1 <= c.code <= MAX_CLASS_CODE]
    if out_of_range:
        raise InputError(
            f"class code {out_of_range[0].code} ({out_of_range[0].name}) is outside 1 to "
            f"{MAX_CLASS_CODE}, the codes a class raster can hold; renumber the classes in "
            "the class field, or use a text field (its classes are numbered 1, 2, ...)"
        )


def _sampling_messages(samples: Samples, names: dict[int, str]) -> list[str]:
    """What sampling dropped: pixels of overlapping classes, invalid pixels per class."""
    messages = []
    if samples.overlap_dropped:
        messages.append(
            f"{samples.overlap_dropped} pixels claimed by polygons of different classes were "
            "dropped; check the overlapping polygons."
        )
    for code, dropped in sorted(samples.dropped.items()):
        if dropped:
            messages.append(
                f"Class {_describe(code, names)}: {dropped} pixels dropped (nodata, NaN or "
                "infinite in at least one band)."
            )
    return messages


@dataclass
class _Split:
    """The validation hold-out of a run: ``held`` (n,) marks the held-out samples,
    ``single`` the classes with a single feature (kept in training); ``train`` and
    ``validation`` the samples used for each (after the cap per class)."""

    held: np.ndarray
    single: list[int]
    train: Samples
    validation: Samples


def _hold_out(
    samples: Samples, fraction: float, max_per_class: int, balance: bool, seed: int
) -> _Split:
    held, single = split_by_feature(samples.y, samples.groups, fraction, seed)
    return _Split(
        held,
        single,
        subsample(samples.take(~held), max_per_class, seed, balance),
        subsample(samples.take(held), max_per_class, seed + 1),
    )


def _cross_validation(
    kind: str,
    samples: Samples,
    classes: Sequence[ClassInfo],
    band_names: Sequence[str],
    params: dict,
    tune: str,
    folds: int,
    n_iter: int,
    seed: int,
    progress: Progress,
) -> tuple[dict, CrossValidation | None, list[dict], list[str]]:
    """Cross-validate the training part, searching parameters when ``tune`` says so.

    Returns the parameters to train with, the cross-validation (of the best candidate
    when tuning), the tuning trials and messages for the log.
    """
    fold = grouped_folds(samples.y, samples.groups, folds, seed)
    codes = [c.code for c in classes]
    names = [c.name for c in classes]

    def scored(trial: dict, span: Progress) -> CrossValidation | None:
        def fit(x: np.ndarray, y: np.ndarray, fit_progress: Progress) -> LandcoverModel:
            return train_model(kind, x, y, classes, band_names, trial, seed, fit_progress)

        return cross_validate(samples.X, samples.y, fold, codes, fit, names, samples.groups, span)

    tuning: list[dict] = []
    messages: list[str] = []
    cv = None
    if tune != "none":
        candidates = tuning_candidates(kind, tune, n_iter=n_iter, seed=seed)
        best = None
        for i, candidate in enumerate(candidates):
            trial = {**params, **candidate}
            result = None
            if fold is not None:
                span = progress.span(i / len(candidates), (i + 1) / len(candidates))
                result = scored(trial, span)
            if result is None:
                messages.append(
                    "Tuning skipped: there are too few training features for "
                    "cross-validation (at least two are needed)."
                )
                break
            accuracy = result.summary.overall_accuracy
            tuning.append({"params": candidate, "overall_accuracy": accuracy})
            if best is None or accuracy > best[0]:
                best = (accuracy, trial, result)
        if best is not None:
            params, cv = best[1], best[2]
    elif fold is not None:
        cv = scored(params, progress)
    if cv is None and folds >= 2:
        messages.append(
            "Cross-validation skipped: it needs classes with at least two training features "
            "(better five or more), so that each fold is tested by a classifier that has "
            "seen its classes."
        )
    if cv is not None:
        messages.extend(cv.notes)
    return params, cv, tuning, messages


def _sample_table(
    samples: Samples, split: _Split, classes: Sequence[ClassInfo]
) -> dict[int, dict[str, int]]:
    """The counts per class of :attr:`TrainingResult.samples`."""
    counts = samples.counts()
    train_counts = split.train.counts()
    validation_counts = split.validation.counts()
    table: dict[int, dict[str, int]] = {}
    for c in classes:
        class_rows = samples.y == c.code
        table[c.code] = {
            "available": int(samples.available.get(c.code, counts.get(c.code, 0))),
            "dropped": int(samples.dropped.get(c.code, 0)),
            "train": int(train_counts.get(c.code, 0)),
            "validation": int(validation_counts.get(c.code, 0)),
            "train_features": len(np.unique(samples.groups[class_rows & ~split.held])),
            "validation_features": len(np.unique(samples.groups[class_rows & split.held])),
        }
    return table


def _record_scores(
    model: LandcoverModel,
    result: TrainingResult,
    tune: str,
    folds: int,
    validation_fraction: float,
) -> None:
    """Store the settings and scores of the run in the model file's metadata."""
    model.params = {**model.params, "tune": tune, "folds": int(folds)}
    model.scores = {
        **model.scores,
        "samples": {str(code): row for code, row in result.samples.items()},
        "overlap_dropped": int(result.overlap_dropped),
        "validation_fraction": float(validation_fraction),
    }
    if result.importances is not None:
        model.scores["feature_importances"] = result.importances
    for key, scores in (("cross_validation", result.cv), ("validation", result.validation)):
        if scores is not None:
            summary = scores["summary"]
            model.scores[key] = {
                "overall_accuracy": summary.overall_accuracy,
                "kappa": summary.kappa,
                "f1": [None if math.isnan(v) else v for v in summary.f1],
                "n": summary.n,
                "confusion_matrix": scores["matrix"].tolist(),
            }
    if result.tuning:
        model.scores["tuning"] = result.tuning


def train(
    raster_path: str | os.PathLike,
    features: Sequence[tuple[dict, int, int]],
    classes: Sequence[ClassInfo],
    kind: str = "random_forest",
    params: dict | None = None,
    *,
    max_per_class: int = 5000,
    balance: bool = False,
    all_touched: bool = False,
    validation_fraction: float = 0.3,
    tune: str = "none",
    folds: int = 3,
    n_iter: int = 8,
    seed: int = 0,
    progress: Progress | None = None,
    max_pixels: int = DEFAULT_WINDOW_PIXELS,
    notes: Sequence[str] = (),
) -> TrainingResult:
    """Train classifier ``kind`` on the pixels of ``raster_path`` under ``features``.

    ``features`` are ``(geometry, class_code, feature_id)`` in the raster's CRS;
    ``classes`` the classes of the model. ``max_per_class`` caps the training (and
    validation) pixels per class (0: no cap); ``balance`` gives every class as many
    as the smallest. ``validation_fraction`` of each class's features are held out;
    ``tune`` (``none``, ``grid``, ``random``) searches parameters by ``folds``-fold
    cross-validation grouped by feature (``n_iter`` draws for ``random``).
    ``notes`` (for example how labels were coded) go first into the messages, for the
    log and the report. A class whose features give no valid pixel is dropped with a
    message naming them; fewer than two classes left is an error.
    """
    progress = as_progress(progress)
    classes = list(classes)
    _check_settings(kind, tune, validation_fraction, classes)
    names = {c.code: c.name for c in classes}
    params = resolve_params(kind, params)
    band_names, band_info, crs_wkt = band_description(raster_path)
    messages: list[str] = list(notes)

    samples = sample_training(
        raster_path,
        features,
        max_per_class,
        seed,
        all_touched=all_touched,
        max_pixels=max_pixels,
        progress=progress.span(0.0, 0.3),
    )
    classes, missing = classes_with_pixels(samples, features, classes)
    messages.extend(missing)
    messages.extend(_sampling_messages(samples, names))

    split = _hold_out(samples, validation_fraction, max_per_class, balance, seed)
    for code in split.single:
        messages.append(
            f"Class {_describe(code, names)} has a single training feature: it stays in "
            "training and is not validated. Draw more polygons of it."
        )
    progress(0.3)

    params, cv, tuning, cv_messages = _cross_validation(
        kind, split.train, classes, band_names, params, tune, folds, n_iter, seed,
        progress.span(0.3, 0.7),
    )  # fmt: skip
    messages.extend(cv_messages)

    model = train_model(
        kind,
        split.train.X,
        split.train.y,
        classes,
        band_names,
        params,
        seed,
        progress.span(0.7, 0.95),
        band_info=band_info,
        crs_wkt=crs_wkt,
    )
    validation = None
    if len(split.validation):
        validation = scores_of(
            split.validation.y,
            model.predict(split.validation.X),
            classes,
            split.validation.groups,
        )

    importances = model.scores.get("feature_importances")
    if importances is None and classifier(kind).importances == "permutation":
        part = split.validation if len(split.validation) else split.train
        importances = _permutation_importances(model, part.X, part.y, seed)

    result = TrainingResult(
        model=model,
        classes=classes,
        samples=_sample_table(samples, split, classes),
        overlap_dropped=int(samples.overlap_dropped),
        validation_ids=sorted({int(g) for g in samples.groups[split.held]}),
        single_feature_classes=split.single,
        cross_validation=cv,
        validation=validation,
        tuning=tuning,
        params=dict(params),
        importances=None if importances is None else [float(v) for v in importances],
        messages=messages,
    )
    _record_scores(model, result, tune, folds, validation_fraction)
    progress(1.0)
    return result


def _percent(value: float) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{100 * value:.1f}%"


def summary_lines(result: TrainingResult) -> list[str]:
    """Plain-text lines for the processing log: samples, drops, scores per class."""
    lines = [f"Classifier: {CLASSIFIERS[result.model.kind]}"]
    lines.append("Parameters: " + ", ".join(f"{k}={v}" for k, v in result.params.items()))
    for c in result.classes:
        row = result.samples[c.code]
        lines.append(
            f"Class '{c.name}' (code {c.code}): {row['available']} valid pixels in "
            f"{row['train_features'] + row['validation_features']} features, "
            f"{row['dropped']} dropped; {row['train']} used for training, "
            f"{row['validation']} for validation ({row['validation_features']} features held out)"
        )
    lines.append(f"Pixels dropped where classes overlap: {result.overlap_dropped}")
    for title, scores in (
        ("Cross-validation (grouped by polygon)", result.cv),
        ("Validation (held-out polygons)", result.validation),
    ):
        if scores is None:
            continue
        summary = scores["summary"]
        f1 = ", ".join(f"{c.name} {_percent(v)}" for c, v in zip(result.classes, summary.f1))
        lines.append(
            f"{title}: overall accuracy {_percent(summary.overall_accuracy)}, "
            f"kappa {summary.kappa:.3f}, F1 per class: {f1}"
        )
    lines.extend(result.messages)
    return lines


def save_outputs(
    result: TrainingResult,
    model_path: str | os.PathLike,
    report_path: str | os.PathLike | None,
    report: str = "",
) -> None:
    """Write the model file and, if asked, the HTML ``report`` (default: the plain
    :func:`training_report_html`): both or neither (a full disk while writing the report
    leaves no model behind either)."""
    with atomic_outputs([model_path, report_path]) as (model, report_file):
        result.model.save(model)
        if report_file is not None:
            write_html(report_file, report or training_report_html(result))
