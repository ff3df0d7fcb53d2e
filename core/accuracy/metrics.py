"""Accuracy figures of a classification from a confusion matrix.

Conventions used throughout: a confusion matrix is (k, k) with rows = reference
(truth) and columns = map (prediction), in the order of the class codes given.
Figures that are undefined (a class absent from the reference has no producer's
accuracy) are NaN and come with a note, never a division by zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from ..io.classes import ClassInfo, original_value
from ..io.errors import InputError
from ..io.files import atomic_outputs
from ..io.progress import as_progress
from ..io.raster import open_raster, read_classes
from ..learn.sampling import sample_raster
from ..report.html import (
    accuracy_report_html,
    interval_description,
    write_accuracy_tables,
    write_html,
)
from .area_estimation import (
    Z95,
    AreaEstimates,
    mapped_pixel_counts,
    olofsson,
    pixel_area_ha,
    pixel_areas_m2,
)

Interval = tuple[float, float]


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


def ratio_se(y: np.ndarray, m: np.ndarray) -> float:
    """Standard error of the ratio estimator ``sum(y) / sum(m)`` over clusters.

    ``y`` (c,) and ``m`` (c,) are per-cluster totals (for example correct pixels and
    pixels of each reference polygon). Clusters with ``m == 0`` lie outside the domain
    and are ignored; with ``n`` clusters left and ``M = sum(m)``, the linearised
    variance is ``n / (n - 1) * sum((y - R m)^2) / M^2`` (Cochran 1977, 6.9; clusters
    drawn with replacement). NaN with fewer than two clusters.
    """
    y = np.asarray(y, dtype=np.float64)
    m = np.asarray(m, dtype=np.float64)
    inside = m > 0
    y, m = y[inside], m[inside]
    n = y.size
    if n < 2:
        return math.nan
    total = m.sum()
    ratio = y.sum() / total
    return float(math.sqrt(n / (n - 1) * float(((y - ratio * m) ** 2).sum()) / (total * total)))


def _normal_interval(estimate: float, se: float, z: float = Z95) -> tuple[float, float]:
    if math.isnan(estimate) or math.isnan(se):
        return (math.nan, math.nan)
    return (max(0.0, estimate - z * se), min(1.0, estimate + z * se))


@dataclass
class ClusterIntervals:
    """95% intervals with clusters as units (:func:`cluster_intervals`).

    ``overall_accuracy_ci95`` of the overall accuracy; per class, in ``codes`` order,
    ``producers_accuracy_ci95`` and ``users_accuracy_ci95`` (NaN pairs where fewer
    than two clusters hold the class); ``clusters`` the number of clusters used.
    """

    overall_accuracy_ci95: Interval
    producers_accuracy_ci95: list[Interval]
    users_accuracy_ci95: list[Interval]
    clusters: int


def cluster_intervals(
    reference: np.ndarray, predicted: np.ndarray, groups: np.ndarray, codes: Sequence[int]
) -> ClusterIntervals:
    """95% intervals of overall, producer's and user's accuracy with clusters as units.

    Samples of one cluster (the pixels of one reference polygon) are not independent,
    so each figure is a ratio of cluster totals and its interval comes from
    :func:`ratio_se` (estimate +- 1.96 SE, clipped to [0, 1]). Samples whose reference
    or map value is not among ``codes`` are ignored, as in :func:`confusion_matrix`.
    A figure every cluster shares (all right, say) gets Wilson's interval with the
    clusters as the sample, not the single point [1, 1].
    """
    reference = np.asarray(reference, dtype=np.int64).ravel()
    predicted = np.asarray(predicted, dtype=np.int64).ravel()
    groups = np.asarray(groups).ravel()
    keep = np.isin(reference, list(codes)) & np.isin(predicted, list(codes))
    reference, predicted, groups = reference[keep], predicted[keep], groups[keep]
    _, cluster = np.unique(groups, return_inverse=True)
    cluster = cluster.ravel()
    c = int(cluster.max()) + 1 if cluster.size else 0
    correct = (reference == predicted).astype(np.float64)

    def interval(domain: np.ndarray) -> tuple[float, float]:
        weights = domain.astype(np.float64)
        y = np.bincount(cluster, weights=correct * weights, minlength=c)
        m = np.bincount(cluster, weights=weights, minlength=c)
        if m.sum() <= 0:
            return (math.nan, math.nan)
        estimate, se = float(y.sum() / m.sum()), ratio_se(y, m)
        if se == 0.0:
            # Every cluster alike (all right, say): the spread between clusters is 0,
            # which says nothing of the clusters not drawn. Wilson's interval with the
            # clusters as the sample stays honest: 5 of 5 gives [0.57, 1].
            k = int((m > 0).sum())
            return wilson_interval(estimate * k, k) if k >= 2 else (math.nan, math.nan)
        return _normal_interval(estimate, se)

    everything = np.ones(reference.size, dtype=bool)
    return ClusterIntervals(
        overall_accuracy_ci95=interval(everything),
        producers_accuracy_ci95=[interval(reference == code) for code in codes],
        users_accuracy_ci95=[interval(predicted == code) for code in codes],
        clusters=c,
    )


def summarise(
    reference: np.ndarray,
    predicted: np.ndarray,
    codes: Sequence[int],
    names: Sequence[str] | None = None,
    groups: np.ndarray | None = None,
) -> tuple[np.ndarray, AccuracySummary]:
    """Confusion matrix and :func:`accuracy_summary` of paired samples.

    With ``groups`` (the polygon of every sample) and some polygon giving more than one
    sample, the intervals are those of :func:`cluster_intervals` (``interval`` is
    ``"cluster"``); otherwise every sample is independent and the intervals are Wilson
    score intervals (``interval`` is ``"wilson"``).
    """
    matrix = confusion_matrix(reference, predicted, codes)
    summary = accuracy_summary(matrix, names)
    if groups is not None and len(groups):
        _, sizes = np.unique(np.asarray(groups), return_counts=True)
        if sizes.max() > 1:
            found = cluster_intervals(reference, predicted, groups, codes)
            summary = replace(
                summary,
                overall_accuracy_ci95=found.overall_accuracy_ci95,
                producers_accuracy_ci95=found.producers_accuracy_ci95,
                users_accuracy_ci95=found.users_accuracy_ci95,
                interval="cluster",
                clusters=found.clusters,
            )
    return matrix, summary


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


@dataclass
class AccuracySummary:
    """The accuracy figures of a confusion matrix (:func:`accuracy_summary`).

    ``n`` is the sample size; ``overall_accuracy`` the share of samples mapped right,
    ``overall_accuracy_ci95`` its 95% interval; per class, ``producers_accuracy_ci95``
    and ``users_accuracy_ci95`` likewise; ``interval`` says how the intervals were
    computed: ``"wilson"`` (Wilson score interval, for a simple random sample) or
    ``"cluster"`` (:func:`cluster_intervals`, then ``clusters`` is the number of
    clusters, None otherwise). ``kappa`` is Cohen's kappa, ``quantity_disagreement``
    and ``allocation_disagreement`` proportions (Pontius and Millones 2011). Per-class
    lists in matrix order: ``producers_accuracy`` (correct / reference total),
    ``users_accuracy`` (correct / map total), ``f1`` (2 TP / (2 TP + FP + FN)),
    ``reference_totals`` and ``map_totals`` (sample counts); NaN where a figure is
    undefined. ``notes`` lists such cases in plain words.
    """

    n: int
    overall_accuracy: float
    overall_accuracy_ci95: Interval
    producers_accuracy_ci95: list[Interval]
    users_accuracy_ci95: list[Interval]
    interval: str
    kappa: float
    producers_accuracy: list[float]
    users_accuracy: list[float]
    f1: list[float]
    reference_totals: list[int]
    map_totals: list[int]
    quantity_disagreement: float
    allocation_disagreement: float
    notes: list[str]
    clusters: int | None = None


def accuracy_summary(matrix: np.ndarray, names: Sequence[str] | None = None) -> AccuracySummary:
    """The standard accuracy figures of a confusion matrix of counts.

    ``matrix`` is (k, k), rows reference, columns map. The intervals are Wilson score
    intervals; the notes name classes from ``names``, else by their position.
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
    return AccuracySummary(
        n=n,
        overall_accuracy=overall,
        overall_accuracy_ci95=wilson_interval(float(correct.sum()), n),
        producers_accuracy_ci95=[
            wilson_interval(float(a), float(b)) for a, b in zip(correct, reference_totals)
        ],
        users_accuracy_ci95=[
            wilson_interval(float(a), float(b)) for a, b in zip(correct, map_totals)
        ],
        interval="wilson",
        kappa=kappa(m),
        producers_accuracy=producers.tolist(),
        users_accuracy=users.tolist(),
        f1=f1.tolist(),
        reference_totals=reference_totals.tolist(),
        map_totals=map_totals.tolist(),
        quantity_disagreement=quantity,
        allocation_disagreement=allocation,
        notes=notes,
    )


def blank_classes(summary: AccuracySummary, indices: Sequence[int]) -> None:
    """Leave the per-class figures of the classes at ``indices`` undefined (NaN), in
    place: for a class a figure cannot honestly describe, no figure beats a 0."""
    nan_pair = (math.nan, math.nan)
    for i in indices:
        for values in (summary.producers_accuracy, summary.users_accuracy, summary.f1):
            values[i] = math.nan
        for pairs in (summary.producers_accuracy_ci95, summary.users_accuracy_ci95):
            pairs[i] = nan_pair


def macro_f1(summary: AccuracySummary) -> float:
    """Mean F1 over the classes where it is defined."""
    values = [v for v in summary.f1 if not math.isnan(v)]
    return float(np.mean(values)) if values else math.nan


@dataclass
class ReferenceMatch:
    """Map codes of reference values (:func:`match_reference_classes`).

    ``codes`` has one entry per value (None: no class given); ``absent`` are the
    reference classes the map does not have, with codes below 0 that no map pixel
    carries; ``by_number`` counts the values matched to a map code by their number
    although the map's classes have names; ``mapping`` says which code is which class.
    """

    codes: list[int | None]
    absent: list = field(default_factory=list)
    by_number: int = 0
    mapping: str = ""


def match_reference_classes(values: Sequence[object], classes: Sequence) -> ReferenceMatch:
    """Map codes for reference values given as class names or codes.

    ``classes`` are the map's :class:`~.classes.ClassInfo`. Names match
    case-insensitively (surrounding spaces ignored), then the integer a class was
    labelled with in training (``0`` for a class named ``class 0 (code 7)``), then
    codes (``3``, ``3.0`` or ``"3"``). Empty values (None, "", NULL) give None: a
    validation point not yet filled in. Any other value is a reference class the map
    lacks: it gets a code below 0 and its samples count as omission errors.
    """
    by_name = {str(c.name).strip().casefold(): int(c.code) for c in classes}
    by_value = {}
    for c in classes:
        value = original_value(c.name)
        if value is not None and value != c.code:
            by_value[value] = int(c.code)
    by_code = {int(c.code) for c in classes}
    named = any(original_value(c.name) is None for c in classes)
    absent: dict[str, int] = {}
    result: list[int | None] = []
    by_number = 0
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
            if number.is_integer() and int(number) in by_value:
                code = by_value[int(number)]
            elif number.is_integer() and int(number) in by_code:
                code = int(number)
                by_number += int(named)
        if code is None:
            code = absent.setdefault(text.casefold(), -1 - len(absent))
        result.append(code)
    names = {}
    for value, code in zip(values, result):
        if code is not None and code < 0:
            names.setdefault(code, str(value).strip())
    missing = [
        ClassInfo(code, names[code], (128, 128, 128)) for code in sorted(names, reverse=True)
    ]
    mapping = "; ".join(f"code {c.code} = {c.name}" for c in classes)
    return ReferenceMatch(result, missing, by_number, mapping)


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


@dataclass
class AccuracyCounts:
    """Reference features and samples of an assessment: used, and skipped and why."""

    features: int
    unfilled: int
    outside: int
    without_pixels: int
    nodata_pixels: int
    overlap_pixels: int
    unknown_map_values: int
    samples: int


@dataclass
class AccuracyResult:
    """What :func:`assess_accuracy` found.

    ``classes`` (:class:`~.classes.ClassInfo`, the map's then the reference classes it
    lacks) and their ``codes`` label the rows (reference) and columns (map) of
    ``matrix``; ``summary`` is :func:`accuracy_summary`, ``area`` the Olofsson et al.
    estimates (:func:`.area_estimation.olofsson`, with ``area_unit`` set) or None;
    ``interval`` says how the intervals were computed; ``settings`` are what was
    assessed, as listed in the report.
    """

    classes: list[ClassInfo]
    codes: list[int]
    matrix: np.ndarray
    summary: AccuracySummary
    area: AreaEstimates | None
    counts: AccuracyCounts
    mode: str
    notes: list[str]
    interval: str
    settings: dict[str, str]


def _features_inside(
    features: Sequence[tuple[dict, int, int]], bounds: tuple
) -> list[tuple[dict, int, int]]:
    """The reference features not entirely outside the map's ``bounds``; raises
    :class:`InputError` when there is none."""
    inside = [f for f in features if not _outside(f[0], bounds)]
    if not inside:
        raise InputError(
            f"none of the {len(features)} reference features overlaps the map; check that "
            "the reference layer covers the map's area (and that its CRS is set correctly)"
        )
    return inside


def _absent_class_notes(
    absent_classes: Sequence, codes: Sequence[int], matrix: np.ndarray
) -> list[str]:
    """One note per reference class the map lacks, with its samples counted as omissions."""
    notes = []
    for c in absent_classes:
        row = codes.index(c.code)
        notes.append(
            f"Reference class '{c.name}' is not a class of the map: its "
            f"{int(matrix[row].sum())} sample(s) count as omission errors."
        )
    return notes


def _area_estimates(
    map_path: str,
    src_grid: tuple,
    matrix: np.ndarray,
    codes: Sequence[int],
    names: Sequence[str],
    pixel_polygons: bool,
    progress,
) -> tuple[AreaEstimates, list[str]]:
    """Olofsson et al. estimates with the map classes as strata, and their notes.

    ``src_grid`` is the map's (transform, crs, height); areas are in hectares when the
    CRS gives them (on the ellipsoid, row by row, for a geographic CRS), in pixels
    otherwise. ``pixel_polygons``: the samples are pixels of reference polygons.
    """
    transform, crs, height = src_grid
    ha = pixel_area_ha(transform, crs)
    weights = None
    if ha is None:
        rows_m2 = pixel_areas_m2(transform, crs, height)
        weights = None if rows_m2 is None else rows_m2 / 10_000.0
    pixels = mapped_pixel_counts(map_path, codes, progress, row_weights=weights)
    scale = ha if ha is not None else 1.0
    area = olofsson(matrix, [pixels[c] for c in codes], scale, names)
    area.area_unit = "ha" if ha is not None or weights is not None else "pixels"
    notes = []
    if weights is not None:
        notes.append(
            "The map is in a geographic CRS: class areas sum the area of every pixel "
            "on the ellipsoid, row by row."
        )
    elif ha is None:
        notes.append("The map has no known CRS, so areas are given in pixels, not hectares.")
    notes.extend(area.notes)
    if pixel_polygons:
        notes.append(
            "Area-adjusted estimates assume a stratified random sample of points; "
            "pixels inside reference polygons are not such a sample, so treat the "
            "intervals as indicative."
        )
    return area, notes


def _skipped_notes(counts: AccuracyCounts) -> list[str]:
    """One note per kind of reference feature or sample that was not used."""
    notes = []
    if counts.outside:
        notes.append(
            f"{counts.outside} reference feature(s) lie outside the map and were not used."
        )
    if counts.nodata_pixels:
        notes.append(
            f"{counts.nodata_pixels} reference pixel(s) fall on nodata in the map and were "
            "not used."
        )
    if counts.overlap_pixels:
        notes.append(
            f"{counts.overlap_pixels} pixel(s) claimed by reference polygons of different "
            "classes were not used."
        )
    if counts.unknown_map_values:
        notes.append(
            f"{counts.unknown_map_values} sample(s) carry map values that are not among the "
            "map's classes."
        )
    if counts.unfilled:
        notes.append(
            f"{counts.unfilled} reference feature(s) have no reference class yet and were skipped."
        )
    return notes


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
    absent_classes: Sequence = (),
    notes: Sequence[str] = (),
    progress=None,
) -> AccuracyResult:
    """Assess a class raster against reference geometries and write the outputs.

    ``features`` are ``(geojson_geometry_in_the_map_crs, reference_code, feature_id)``;
    ``mode`` ``"pixels"`` counts every pixel inside reference polygons, ``"polygons"``
    gives each feature one vote (the majority of its pixels). With ``area_adjusted``,
    the Olofsson et al. (2014) estimates are added, with the map classes as strata.
    ``settings`` (str -> str) are listed in the report as what was assessed;
    ``skipped_unfilled`` counts reference features without a class, for the report.
    ``absent_classes`` are reference classes the map lacks (``ReferenceMatch.absent``):
    they get rows in the matrix and count as omission errors. ``notes`` are added to
    the report's notes. Intervals treat the pixels of one polygon as one cluster
    (:func:`summarise`).

    Returns an :class:`AccuracyResult`: the matrix (rows reference, columns map),
    its :func:`accuracy_summary`, the area estimates or None, the counts of samples
    used and skipped, and the notes.
    """
    progress = as_progress(progress)
    if mode not in MODES:
        raise InputError(f"unknown mode {mode!r}; use one of {MODES}")
    with open_raster(map_path) as src:
        classes = read_classes(src)
        bounds = tuple(src.bounds)
        grid = (src.transform, src.crs, src.height)
    map_codes = [c.code for c in classes]
    classes = [*classes, *absent_classes]
    codes = [c.code for c in classes]
    names = [c.name for c in classes]
    inside = _features_inside(features, bounds)
    samples = sample_raster(map_path, inside, progress=progress.span(0.0, 0.5))
    mapped = np.asarray(samples.X[:, 0]).astype(np.int64)
    reference = np.asarray(samples.y, dtype=np.int64)
    groups = np.asarray(samples.groups)
    sampled_groups = set(np.unique(groups).tolist())
    missed = sum(1 for f in inside if f[2] not in sampled_groups)
    if mode == "polygons":
        groups, mapped, reference = vote_per_group(groups, mapped, reference)
    unknown_map = int((~np.isin(mapped, map_codes)).sum())
    matrix, summary = summarise(reference, mapped, codes, names, groups)
    if matrix.sum() == 0:
        raise InputError(
            "no reference sample falls on a mapped pixel (all are outside the map or on "
            "nodata); check the reference layer and the map"
        )
    area = None
    notes = [*notes, *summary.notes, *_absent_class_notes(absent_classes, codes, matrix)]
    if area_adjusted:
        pixel_polygons = mode == "pixels" and any(
            g.get("type", "").endswith("Polygon") for g, _, _ in inside[:50]
        )
        area, area_notes = _area_estimates(
            map_path, grid, matrix, codes, names, pixel_polygons, progress.span(0.5, 0.95)
        )
        notes.extend(area_notes)
    counts = AccuracyCounts(
        features=len(features) + skipped_unfilled,
        unfilled=skipped_unfilled,
        outside=len(features) - len(inside),
        without_pixels=missed,
        nodata_pixels=int(sum(samples.dropped.values())),
        overlap_pixels=int(samples.overlap_dropped),
        unknown_map_values=unknown_map,
        samples=int(matrix.sum()),
    )
    notes.extend(_skipped_notes(counts))
    result = AccuracyResult(
        classes=classes,
        codes=codes,
        matrix=matrix,
        summary=summary,
        area=area,
        counts=counts,
        mode=mode,
        notes=notes,
        interval=interval_description(summary),
        settings=dict(settings or {}),
    )
    # The outputs go to partial files first and are moved into place together after
    # the last cancel check, so a cancel or a full disk leaves none of them.
    with atomic_outputs([matrix_csv, metrics_csv, report_html]) as (matrix, metrics, report):
        if matrix or metrics:
            write_accuracy_tables(result, matrix, metrics)
        if report:
            write_html(report, accuracy_report_html(result))
        progress.check()
    progress(1.0)
    return result
