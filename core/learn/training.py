"""A whole training run: samples, a polygon-grouped split, tuning, scores, the model.

Pixels of one polygon look alike, so every split here keeps whole polygons (or
points) on one side: the validation set holds out whole polygons, stratified per
class, and cross-validation folds are grouped by polygon. Scores are computed with
the portable model (:mod:`.model`), the same code that will classify the map.
"""

from __future__ import annotations

import json
import math
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..accuracy.metrics import blank_classes
from ..io.classes import ClassInfo
from ..io.errors import InputError
from ..io.files import atomic_outputs
from ..io.progress import Progress, as_progress
from ..io.raster import DEFAULT_WINDOW_PIXELS, open_raster
from ..report.html import training_report_html, write_html
from .classifiers import CLASSIFIERS, resolve_params, train_model, tuning_candidates
from .model import LandcoverModel
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
    (pixels used), ``train_features`` and ``validation_features``. ``cv`` and
    ``validation`` hold ``matrix`` (rows reference, columns predicted, in class order)
    and ``summary`` (see :func:`.metrics.accuracy_summary`), or are None when they could
    not be computed (the reason is in ``messages``).
    """

    model: LandcoverModel
    classes: list[ClassInfo]
    samples: dict[int, dict[str, int]]
    overlap_dropped: int
    validation_ids: list[int]
    single_feature_classes: list[int]
    cv: dict | None
    validation: dict | None
    tuning: list[dict]
    params: dict[str, Any]
    importances: list[float] | None
    messages: list[str] = field(default_factory=list)

    @property
    def classifier_label(self) -> str:
        """The classifier's name for a reader (``Random forest``)."""
        return CLASSIFIERS[self.model.kind]


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


def grouped_folds(
    y: np.ndarray, groups: np.ndarray, folds: int, seed: int = 0
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Cross-validation folds that never split a feature, stratified by class.

    Fewer folds than asked when there are fewer features; none below two.
    """
    from sklearn.model_selection import StratifiedGroupKFold

    n_groups = len(np.unique(groups))
    folds = min(int(folds), n_groups)
    if folds < 2:
        return []
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return [
            (train, test)
            for train, test in splitter.split(np.zeros(len(y)), y, groups)
            if len(np.unique(y[train])) >= 2
        ]


def scores_of(
    reference: np.ndarray,
    predicted: np.ndarray,
    classes: Sequence[ClassInfo],
    groups: np.ndarray | None = None,
) -> dict:
    """Confusion matrix and accuracy summary of predictions against reference codes;
    with ``groups`` (the feature of every pixel), intervals treat features as clusters."""
    from ..accuracy.metrics import summarise

    codes = [c.code for c in classes]
    matrix, summary = summarise(reference, predicted, codes, [c.name for c in classes], groups)
    return {"matrix": matrix, "summary": summary}


def cross_validate(
    kind: str,
    samples: Samples,
    classes: Sequence[ClassInfo],
    band_names: Sequence[str],
    params: dict,
    folds: int,
    seed: int = 0,
    progress: Progress | None = None,
) -> dict | None:
    """Out-of-fold predictions of every sample with folds grouped by feature.

    Returns ``matrix``, ``summary`` (pooled over the folds) and ``folds``; None when
    the samples cannot be split into two folds.
    """
    progress = as_progress(progress)
    splits = grouped_folds(samples.y, samples.groups, folds, seed)
    if not splits:
        return None
    predicted = np.zeros(len(samples), dtype=np.int32)
    tested = np.zeros(len(samples), dtype=bool)
    for i, (train, test) in enumerate(splits):
        model = train_model(
            kind,
            samples.X[train],
            samples.y[train],
            classes,
            band_names,
            params,
            seed,
            progress.span(i / len(splits), (i + 0.9) / len(splits)),
        )
        predicted[test] = model.predict(samples.X[test])
        tested[test] = True
        progress((i + 1) / len(splits))
    result = scores_of(samples.y[tested], predicted[tested], classes, samples.groups[tested])
    result["folds"] = len(splits)
    return result


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
    if kind not in CLASSIFIERS:
        raise InputError(f"unknown classifier {kind!r}; choose one of {', '.join(CLASSIFIERS)}")
    if tune not in TUNE_MODES:
        raise InputError(f"unknown tuning mode {tune!r}; choose one of {', '.join(TUNE_MODES)}")
    if not 0 <= validation_fraction < 1:
        raise InputError("the validation fraction must be at least 0 and below 1")
    classes = list(classes)
    names = {c.code: c.name for c in classes}
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
    params = resolve_params(kind, params)
    band_names, band_info, crs_wkt = band_description(raster_path)
    messages: list[str] = list(notes)

    cap = None
    if max_per_class and max_per_class > 0:
        cap = max(SAMPLING_CAP_FACTOR * int(max_per_class), SAMPLING_CAP_MIN)
    samples = sample_raster(
        raster_path,
        features,
        all_touched=all_touched,
        progress=progress.span(0.0, 0.3),
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
    classes, missing = classes_with_pixels(samples, features, classes)
    messages.extend(missing)
    counts = samples.counts()
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

    held, single = split_by_feature(samples.y, samples.groups, validation_fraction, seed)
    for code in single:
        messages.append(
            f"Class {_describe(code, names)} has a single training feature: it stays in "
            "training and is not validated. Draw more polygons of it."
        )
    train_part = subsample(samples.take(~held), max_per_class, seed, balance)
    validation_part = subsample(samples.take(held), max_per_class, seed + 1)
    progress(0.3)

    tuning: list[dict] = []
    cv = None
    if tune != "none":
        candidates = tuning_candidates(kind, tune, n_iter=n_iter, seed=seed)
        best = None
        span = progress.span(0.3, 0.7)
        for i, candidate in enumerate(candidates):
            trial = {**params, **candidate}
            result = cross_validate(
                kind,
                train_part,
                classes,
                band_names,
                trial,
                folds,
                seed,
                span.span(i / len(candidates), (i + 1) / len(candidates)),
            )
            if result is None:
                messages.append(
                    "Tuning skipped: there are too few training features for "
                    "cross-validation (at least two are needed)."
                )
                break
            accuracy = result["summary"]["overall_accuracy"]
            tuning.append({"params": candidate, "overall_accuracy": accuracy})
            if best is None or accuracy > best[0]:
                best = (accuracy, trial, result)
        if best is not None:
            params, cv = best[1], best[2]
    elif folds >= 2:
        cv = cross_validate(
            kind,
            train_part,
            classes,
            band_names,
            params,
            folds,
            seed,
            progress.span(0.3, 0.7),
        )
    if cv is None and folds >= 2:
        messages.append("Cross-validation skipped: at least two training features are needed.")
    if cv is not None:
        lonely = [
            i
            for i, c in enumerate(classes)
            if np.unique(train_part.groups[train_part.y == c.code]).size < 2
        ]
        blank_classes(cv["summary"], lonely)
        for i in lonely:
            messages.append(
                f"Cross-validation: class {_describe(classes[i].code, names)} has fewer than "
                "two training features, so its only feature is tested by a classifier that "
                "never saw the class; its producer's and user's accuracy and F1 are left "
                "empty (None) rather than reported as 0."
            )

    model = train_model(
        kind,
        train_part.X,
        train_part.y,
        classes,
        band_names,
        params,
        seed,
        progress.span(0.7, 0.95),
        band_info=band_info,
        crs_wkt=crs_wkt,
    )
    validation = None
    if len(validation_part):
        validation = scores_of(
            validation_part.y, model.predict(validation_part.X), classes, validation_part.groups
        )

    importances = model.scores.get("feature_importances")
    if importances is None and kind == "hist_gradient_boosting":
        part = validation_part if len(validation_part) else train_part
        importances = _permutation_importances(model, part.X, part.y, seed)

    train_counts = train_part.counts()
    validation_counts = validation_part.counts()
    validation_ids = sorted({int(g) for g in samples.groups[held]})
    table: dict[int, dict[str, int]] = {}
    for c in classes:
        class_rows = samples.y == c.code
        table[c.code] = {
            "available": int(samples.available.get(c.code, counts.get(c.code, 0))),
            "dropped": int(samples.dropped.get(c.code, 0)),
            "train": int(train_counts.get(c.code, 0)),
            "validation": int(validation_counts.get(c.code, 0)),
            "train_features": len(np.unique(samples.groups[class_rows & ~held])),
            "validation_features": len(np.unique(samples.groups[class_rows & held])),
        }

    model.params = {**model.params, "tune": tune, "folds": int(folds)}
    model.scores = {
        **model.scores,
        "samples": {str(code): row for code, row in table.items()},
        "overlap_dropped": int(samples.overlap_dropped),
        "validation_fraction": float(validation_fraction),
    }
    if importances is not None:
        model.scores["feature_importances"] = [float(v) for v in importances]
    for key, scores in (("cross_validation", cv), ("validation", validation)):
        if scores is not None:
            summary = scores["summary"]
            model.scores[key] = {
                "overall_accuracy": summary["overall_accuracy"],
                "kappa": summary["kappa"],
                "f1": [None if math.isnan(v) else v for v in summary["f1"]],
                "n": summary["n"],
                "confusion_matrix": scores["matrix"].tolist(),
            }
    if tuning:
        model.scores["tuning"] = tuning
    progress(1.0)
    return TrainingResult(
        model=model,
        classes=classes,
        samples=table,
        overlap_dropped=int(samples.overlap_dropped),
        validation_ids=validation_ids,
        single_feature_classes=single,
        cv=cv,
        validation=validation,
        tuning=tuning,
        params=dict(params),
        importances=None if importances is None else [float(v) for v in importances],
        messages=messages,
    )


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
        f1 = ", ".join(f"{c.name} {_percent(v)}" for c, v in zip(result.classes, summary["f1"]))
        lines.append(
            f"{title}: overall accuracy {_percent(summary['overall_accuracy'])}, "
            f"kappa {summary['kappa']:.3f}, F1 per class: {f1}"
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
