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


def match_reference_classes(values: Sequence[object], classes: Sequence) -> list[int | None]:
    """Map codes for reference values given as class names or codes.

    ``classes`` are the map's :class:`~.classes.ClassInfo`. Names match
    case-insensitively (surrounding spaces ignored), then codes (``3``, ``3.0`` or
    ``"3"``). Empty values (None, "", NULL) give None: a validation point not yet
    filled in. Any other value that matches no class raises :class:`~.errors.InputError`
    listing the unknown values and the map's classes.
    """
    from .errors import InputError

    by_name = {str(c.name).strip().casefold(): int(c.code) for c in classes}
    by_code = {int(c.code) for c in classes}
    result: list[int | None] = []
    unknown: list[str] = []
    for value in values:
        text = "" if value is None else str(value).strip()
        if text == "" or text.upper() == "NULL":
            result.append(None)
            continue
        code = by_name.get(text.casefold())
        if code is None:
            try:
                number = float(text)
            except ValueError:
                number = math.nan
            if number.is_integer() and int(number) in by_code:
                code = int(number)
        if code is None:
            if text not in unknown:
                unknown.append(text)
            result.append(None)
            continue
        result.append(code)
    if unknown:
        listed = ", ".join(f"'{u}'" for u in unknown[:10]) + (" ..." if len(unknown) > 10 else "")
        known = "; ".join(f"{c.code} = {c.name}" for c in classes)
        raise InputError(
            f"{len(unknown)} reference class value(s) match no class of the map: {listed}. "
            f"The map's classes are: {known}. Use these names or codes in the reference "
            "layer's class field (or choose the right field)."
        )
    return result


def vote_per_group(
    groups: np.ndarray, mapped: np.ndarray, reference: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One sample per group (polygon): the majority of its mapped values.

    Returns ``(group_ids, map_vote, reference)``; ties go to the smallest code. The
    reference class of a group is that of its first sample (a polygon has one class).
    """
    groups = np.asarray(groups)
    mapped = np.asarray(mapped, dtype=np.int64)
    reference = np.asarray(reference, dtype=np.int64)
    if groups.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return groups[:0], empty, empty
    # count (group, value) pairs, then keep the most frequent value per group
    pairs, counts = np.unique(np.column_stack([groups, mapped]), axis=0, return_counts=True)
    order = np.lexsort((pairs[:, 1], -counts, pairs[:, 0]))
    pairs, counts = pairs[order], counts[order]
    first = np.ones(len(pairs), dtype=bool)
    first[1:] = pairs[1:, 0] != pairs[:-1, 0]
    ids = pairs[first, 0]
    votes = pairs[first, 1]
    _, first_sample = np.unique(groups, return_index=True)
    return ids, votes, reference[first_sample]


MODES = ("pixels", "polygons")


def _outside(geometry: dict, bounds) -> bool:
    """True when a GeoJSON geometry lies entirely outside ``bounds`` (l, b, r, t)."""

    def coords(value):
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], (int, float)):
            yield value
        elif isinstance(value, (list, tuple)):
            for item in value:
                yield from coords(item)

    points = []
    if geometry.get("type") == "GeometryCollection":
        for part in geometry.get("geometries", []):
            points.extend(coords(part.get("coordinates", [])))
    else:
        points = list(coords(geometry.get("coordinates", [])))
    if not points:
        return True
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    left, bottom, right, top = bounds
    return max(xs) < left or min(xs) > right or max(ys) < bottom or min(ys) > top


def assess_accuracy(
    map_path: str,
    features: Sequence[tuple[dict, int, int]],
    mode: str = "pixels",
    area_adjusted: bool = False,
    matrix_csv: str | None = None,
    metrics_csv: str | None = None,
    report_html: str | None = None,
    settings: dict | None = None,
    skipped_unfilled: int = 0,
    progress=None,
) -> dict:
    """Assess a class raster against reference geometries and write the outputs.

    ``features`` are ``(geojson_geometry_in_the_map_crs, reference_code, feature_id)``;
    ``mode`` ``"pixels"`` counts every pixel inside reference polygons, ``"polygons"``
    gives each feature one vote (the majority of its pixels). With ``area_adjusted``,
    the Olofsson et al. (2014) estimates are added, with the map classes as strata.
    ``settings`` (str -> str) are listed in the report as what was assessed;
    ``skipped_unfilled`` counts reference features without a class, for the report.

    Returns a dict: ``classes``, ``matrix`` (rows reference, columns map),
    ``summary`` (:func:`accuracy_summary`), ``area`` (:func:`.area_estimation.olofsson`
    or None), ``counts`` of samples used and skipped, ``notes``.
    """
    from .area_estimation import mapped_pixel_counts, olofsson, pixel_area_ha
    from .errors import InputError
    from .progress import as_progress
    from .raster import open_raster, read_classes
    from .sampling import sample_raster

    progress = as_progress(progress)
    if mode not in MODES:
        raise InputError(f"unknown mode {mode!r}; use one of {MODES}")
    with open_raster(map_path) as src:
        classes = read_classes(src)
        bounds = tuple(src.bounds)
        transform, crs = src.transform, src.crs
    codes = [c.code for c in classes]
    names = [c.name for c in classes]
    inside = [f for f in features if not _outside(f[0], bounds)]
    outside = len(features) - len(inside)
    if not inside:
        raise InputError(
            f"none of the {len(features)} reference features overlaps the map; check that "
            "the reference layer covers the map's area (and that its CRS is set correctly)"
        )
    samples = sample_raster(map_path, inside, progress=progress.span(0.0, 0.5))
    mapped = np.asarray(samples.X[:, 0]).astype(np.int64)
    reference = np.asarray(samples.y, dtype=np.int64)
    groups = np.asarray(samples.groups)
    sampled_groups = set(np.unique(groups).tolist())
    missed = sum(1 for f in inside if f[2] not in sampled_groups)
    if mode == "polygons":
        groups, mapped, reference = vote_per_group(groups, mapped, reference)
    unknown_map = int((~np.isin(mapped, codes)).sum())
    matrix = confusion_matrix(reference, mapped, codes)
    if matrix.sum() == 0:
        raise InputError(
            "no reference sample falls on a mapped pixel (all are outside the map or on "
            "nodata); check the reference layer and the map"
        )
    summary = accuracy_summary(matrix, names)
    area = None
    notes = list(summary["notes"])
    if area_adjusted:
        pixels = mapped_pixel_counts(map_path, codes, progress.span(0.5, 0.95))
        ha = pixel_area_ha(transform, crs)
        area = olofsson(matrix, [pixels[c] for c in codes], ha or 1.0, names)
        area["area_unit"] = "ha" if ha is not None else "pixels"
        if ha is None:
            notes.append(
                "The map is in a geographic CRS, so areas are given in pixels, not hectares; "
                "reproject the map to a projected CRS for areas in hectares."
            )
        notes.extend(area["notes"])
        if mode == "pixels" and any(
            g.get("type", "").endswith("Polygon") for g, _, _ in inside[:50]
        ):
            notes.append(
                "Area-adjusted estimates assume a stratified random sample of points; "
                "pixels inside reference polygons are not such a sample, so treat the "
                "intervals as indicative."
            )
    dropped = int(sum(samples.dropped.values()))
    counts = {
        "features": len(features) + skipped_unfilled,
        "unfilled": skipped_unfilled,
        "outside": outside,
        "without_pixels": missed,
        "nodata_pixels": dropped,
        "overlap_pixels": int(samples.overlap_dropped),
        "unknown_map_values": unknown_map,
        "samples": int(matrix.sum()),
    }
    if outside:
        notes.append(f"{outside} reference feature(s) lie outside the map and were not used.")
    if dropped:
        notes.append(f"{dropped} reference pixel(s) fall on nodata in the map and were not used.")
    if samples.overlap_dropped:
        notes.append(
            f"{samples.overlap_dropped} pixel(s) claimed by reference polygons of different "
            "classes were not used."
        )
    if unknown_map:
        notes.append(
            f"{unknown_map} sample(s) carry map values that are not among the map's classes."
        )
    if skipped_unfilled:
        notes.append(
            f"{skipped_unfilled} reference feature(s) have no reference class yet and were skipped."
        )
    result = {
        "classes": classes,
        "codes": codes,
        "matrix": matrix,
        "summary": summary,
        "area": area,
        "counts": counts,
        "mode": mode,
        "notes": notes,
        "settings": dict(settings or {}),
    }
    from .report import accuracy_report_html, write_accuracy_tables, write_html

    if matrix_csv or metrics_csv:
        write_accuracy_tables(result, matrix_csv, metrics_csv)
    if report_html:
        write_html(report_html, accuracy_report_html(result))
    progress(1.0)
    return result
