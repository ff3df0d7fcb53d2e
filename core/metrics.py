"""Accuracy figures of a classification from a confusion matrix.

Conventions used throughout: a confusion matrix is (k, k) with rows = reference
(truth) and columns = map (prediction), in the order of the class codes given.
Figures that are undefined (a class absent from the reference has no producer's
accuracy) are NaN and come with a note, never a division by zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

Z95 = 1.959963984540054  # two-sided 95% quantile of the standard normal


def confusion_matrix(
    reference: Sequence[int] | np.ndarray,
    predicted: Sequence[int] | np.ndarray,
    codes: Sequence[int],
) -> np.ndarray:
    """Counts of (reference, map) pairs as a (k, k) int64 matrix.

    Rows are the reference classes and columns the map classes, both in the order of
    ``codes``; pairs where either value is not among ``codes`` are ignored.
    """
    reference = np.asarray(reference).ravel()
    predicted = np.asarray(predicted).ravel()
    if reference.shape != predicted.shape:
        raise ValueError(
            f"reference ({reference.size} values) and map ({predicted.size} values) differ in size"
        )
    codes_array = np.asarray(list(codes), dtype=np.int64)
    k = codes_array.size
    if k == 0:
        return np.zeros((0, 0), dtype=np.int64)
    order = np.argsort(codes_array, kind="stable")
    sorted_codes = codes_array[order]

    def index_of(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        values = values.astype(np.int64, copy=False)
        pos = np.clip(np.searchsorted(sorted_codes, values), 0, k - 1)
        found = sorted_codes[pos] == values
        return order[pos], found

    ref_index, ref_ok = index_of(reference)
    map_index, map_ok = index_of(predicted)
    keep = ref_ok & map_ok
    flat = ref_index[keep] * k + map_index[keep]
    return np.bincount(flat, minlength=k * k).reshape(k, k).astype(np.int64)


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    out = np.full(numerator.shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def wilson_interval(successes: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a proportion; stays inside [0, 1] even at 0% or 100%."""
    if n <= 0:
        return (math.nan, math.nan)
    p = successes / n
    denominator = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def kappa(matrix: np.ndarray) -> float:
    """Cohen's kappa of a confusion matrix (NaN when chance agreement is total)."""
    matrix = np.asarray(matrix, dtype=np.float64)
    n = matrix.sum()
    if n <= 0:
        return math.nan
    observed = np.trace(matrix) / n
    expected = float((matrix.sum(axis=1) * matrix.sum(axis=0)).sum() / (n * n))
    if expected >= 1.0:
        return math.nan
    return float((observed - expected) / (1.0 - expected))


def disagreement(matrix: np.ndarray) -> tuple[float, float]:
    """Quantity and allocation disagreement (Pontius and Millones 2011), as proportions.

    ``matrix`` holds counts or estimated proportions (rows reference, columns map);
    it is normalised to proportions first. Their sum equals 1 - overall accuracy.
    """
    p = np.asarray(matrix, dtype=np.float64)
    total = p.sum()
    if total <= 0:
        return (math.nan, math.nan)
    p = p / total
    diagonal = np.diag(p)
    reference = p.sum(axis=1)
    mapped = p.sum(axis=0)
    quantity = float(np.abs(reference - mapped).sum() / 2.0)
    allocation = float((2.0 * np.minimum(reference - diagonal, mapped - diagonal)).sum() / 2.0)
    return quantity, allocation


def accuracy_summary(matrix: np.ndarray, names: Sequence[str] | None = None) -> dict:
    """The standard accuracy figures of a confusion matrix of counts.

    ``matrix`` is (k, k), rows reference, columns map. Returns a dict with
    ``n`` (sample size), ``overall_accuracy`` and ``overall_accuracy_ci95`` (Wilson
    score interval, for a simple random sample), ``kappa``, ``quantity_disagreement``
    and ``allocation_disagreement`` (proportions), and per-class lists in matrix order:
    ``producers_accuracy`` (correct / reference total), ``users_accuracy``
    (correct / map total), ``f1`` (2 TP / (2 TP + FP + FN)), ``reference_totals``,
    ``map_totals``; NaN where a figure is undefined. ``notes`` lists such cases in
    plain words (class names from ``names``, else the class position).
    """
    m = np.asarray(matrix, dtype=np.int64)
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise ValueError(f"a confusion matrix must be square, not {m.shape}")
    k = m.shape[0]
    labels = list(names) if names is not None else [f"class {i + 1}" for i in range(k)]
    n = int(m.sum())
    correct = np.diag(m)
    reference_totals = m.sum(axis=1)
    map_totals = m.sum(axis=0)
    producers = _ratio(correct, reference_totals)
    users = _ratio(correct, map_totals)
    f1 = _ratio(2 * correct, reference_totals + map_totals)
    overall = float(correct.sum() / n) if n else math.nan
    quantity, allocation = disagreement(m)
    notes = []
    if n == 0:
        notes.append("The confusion matrix is empty: no reference sample matched the map.")
    for i in range(k):
        if n and reference_totals[i] == 0 and map_totals[i] == 0:
            notes.append(
                f"Class '{labels[i]}' occurs neither in the reference nor in the map at the "
                "sample locations; its figures are undefined."
            )
        elif n and reference_totals[i] == 0:
            notes.append(
                f"Class '{labels[i]}' is absent from the reference sample: its producer's "
                "accuracy is undefined. Add reference samples of this class."
            )
        elif n and map_totals[i] == 0:
            notes.append(
                f"Class '{labels[i]}' is never mapped at the sample locations: its user's "
                "accuracy is undefined."
            )
    return {
        "n": n,
        "overall_accuracy": overall,
        "overall_accuracy_ci95": wilson_interval(float(correct.sum()), n),
        "kappa": kappa(m),
        "producers_accuracy": producers.tolist(),
        "users_accuracy": users.tolist(),
        "f1": f1.tolist(),
        "reference_totals": reference_totals.tolist(),
        "map_totals": map_totals.tolist(),
        "quantity_disagreement": quantity,
        "allocation_disagreement": allocation,
        "notes": notes,
    }


def macro_f1(summary: dict) -> float:
    """Mean F1 over the classes where it is defined."""
    values = [v for v in summary["f1"] if not math.isnan(v)]
    return float(np.mean(values)) if values else math.nan
