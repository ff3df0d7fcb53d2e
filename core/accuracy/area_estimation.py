"""Area-adjusted accuracy and error-adjusted class areas (Olofsson et al. 2014).

Olofsson, P., Foody, G. M., Herold, M., Stehman, S. V., Woodcock, C. E., Wulder, M. A.
(2014). Good practices for estimating area and assessing accuracy of land change.
Remote Sensing of Environment 148: 42-57.

The estimators hold for a stratified random sample whose strata are the map classes
(and, post-stratified, for a simple random sample). Each map class is weighted by its
share of the mapped area, so a class sampled heavily relative to its area does not
dominate the figures, and the class areas are corrected for the map's omission and
commission errors.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..io.progress import Progress, as_progress
from ..io.raster import DEFAULT_WINDOW_PIXELS, blocks_for, open_raster, read_block, run_blocks

Z95 = 1.959963984540054  # two-sided 95% quantile of the standard normal


def _safe_divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    out = np.full(np.broadcast(numerator, denominator).shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def _interval(estimate: np.ndarray, se: np.ndarray, low: float, high: float) -> list:
    half = Z95 * se
    return [
        (float(max(low, e - h)), float(min(high, e + h)))
        if not (math.isnan(e) or math.isnan(h))
        else (math.nan, math.nan)
        for e, h in zip(np.atleast_1d(estimate), np.atleast_1d(half))
    ]


@dataclass
class AreaEstimates:
    """Stratified estimates of accuracy and class areas (:func:`olofsson`).

    ``proportions`` (k, k) are the estimated area proportions, rows reference, columns
    map; ``weights`` the share of the mapped area of each map class (the strata).
    ``overall_accuracy`` comes with its standard error ``overall_accuracy_se`` and
    95% interval ``overall_accuracy_ci95``. Per class, in matrix order:
    ``users_accuracy`` and ``producers_accuracy`` (each with ``_se`` and ``_ci95``),
    ``area_proportion`` (+ ``_se``), the error-adjusted area ``area_ha`` (+ ``_se`` and
    ``_ci95``) and the ``mapped_area_ha``; ``total_area_ha`` is the mapped total.
    Intervals are estimate +/- 1.96 standard errors clipped to the possible range
    (0-1 for accuracies, >= 0 for areas). Figures that cannot be estimated are NaN and
    explained in ``notes``. ``area_unit`` names the unit of the ``_ha`` figures: ``ha``,
    or ``pixels`` when the map's pixel area is unknown.
    """

    proportions: np.ndarray
    weights: list[float]
    overall_accuracy: float
    overall_accuracy_se: float
    overall_accuracy_ci95: tuple[float, float]
    users_accuracy: list[float]
    users_accuracy_se: list[float]
    users_accuracy_ci95: list[tuple[float, float]]
    producers_accuracy: list[float]
    producers_accuracy_se: list[float]
    producers_accuracy_ci95: list[tuple[float, float]]
    area_proportion: list[float]
    area_proportion_se: list[float]
    area_ha: list[float]
    area_ha_se: list[float]
    area_ha_ci95: list[tuple[float, float]]
    mapped_area_ha: list[float]
    total_area_ha: float
    notes: list[str]
    area_unit: str = "ha"


def olofsson(
    matrix: np.ndarray,
    mapped_pixels: Sequence[float],
    pixel_area_ha: float = 1.0,
    names: Sequence[str] | None = None,
) -> AreaEstimates:
    """Stratified estimates of accuracy and class areas from a sample confusion matrix.

    ``matrix`` holds sample counts, (k, k), rows = reference and columns = map (the
    convention of :func:`.metrics.confusion_matrix`; the paper's tables are the
    transpose). ``mapped_pixels`` is the number of map pixels of each class (the strata
    sizes), ``pixel_area_ha`` the area of one pixel in hectares.
    """
    counts = np.asarray(matrix, dtype=np.float64).T  # rows map (strata), columns reference
    k = counts.shape[0]
    if counts.shape != (k, k):
        raise ValueError(f"a confusion matrix must be square, not {counts.shape}")
    mapped = np.asarray(mapped_pixels, dtype=np.float64)
    if mapped.shape != (k,):
        raise ValueError(f"{mapped.size} mapped areas for {k} classes")
    labels = list(names) if names is not None else [f"class {i + 1}" for i in range(k)]
    total_pixels = mapped.sum()
    weights = mapped / total_pixels if total_pixels > 0 else np.zeros(k)
    n_stratum = counts.sum(axis=1)
    notes: list[str] = []
    for i in range(k):
        if weights[i] > 0 and n_stratum[i] == 0:
            notes.append(
                f"Map class '{labels[i]}' covers {weights[i]:.2%} of the map but has no "
                "reference sample: the area-adjusted estimates leave it out and are biased. "
                "Add reference samples inside this class."
            )
        elif weights[i] > 0 and n_stratum[i] == 1:
            notes.append(
                f"Map class '{labels[i]}' has a single reference sample: its variance "
                "cannot be estimated, so intervals that depend on it are undefined."
            )
    # share of each stratum's sample in each reference class: n_ij / n_i.
    share = np.nan_to_num(_safe_divide(counts, n_stratum[:, None]))
    p = weights[:, None] * share  # estimated area proportions, rows map
    dof = n_stratum - 1.0  # variance denominators of eqs. 5, 6, 7 and 10
    inv_dof = _safe_divide(np.ones(k), dof)  # NaN for strata with fewer than 2 samples
    weighted = weights > 0
    undefined = bool(np.any(np.isnan(inv_dof) & weighted))
    # strata without area contribute nothing to the population figures
    stratum_factor = np.where(weighted, np.nan_to_num(inv_dof), 0.0)

    users = _safe_divide(np.diag(counts), n_stratum)
    users_se = np.sqrt(users * (1.0 - users) * inv_dof)

    overall = float(np.trace(p))
    overall_var = float(np.sum(weights**2 * np.nan_to_num(users * (1 - users)) * stratum_factor))
    overall_se = math.nan if undefined else math.sqrt(overall_var)

    area_proportion = p.sum(axis=0)
    area_var = (weights[:, None] ** 2 * share * (1 - share) * stratum_factor[:, None]).sum(axis=0)
    area_se = np.full(k, np.nan) if undefined else np.sqrt(area_var)

    # producer's accuracy, eq. 7: N_.j estimated reference total in pixels
    reference_pixels = (mapped[:, None] * share).sum(axis=0)
    producers = _safe_divide(np.diag(p), area_proportion)
    producers_se = np.full(k, np.nan)
    for j in range(k):
        if undefined or reference_pixels[j] <= 0 or math.isnan(producers[j]):
            continue
        own = 0.0
        if weighted[j]:
            own = mapped[j] ** 2 * (1 - producers[j]) ** 2 * users[j] * (1 - users[j])
            own *= stratum_factor[j]
        others = sum(
            mapped[i] ** 2 * share[i, j] * (1 - share[i, j]) * stratum_factor[i]
            for i in range(k)
            if i != j
        )
        producers_se[j] = math.sqrt(own + producers[j] ** 2 * others) / reference_pixels[j]

    for j in range(k):
        if area_proportion[j] == 0 and n_stratum.sum() > 0:
            notes.append(
                f"Class '{labels[j]}' was never found in the reference sample: its "
                "producer's accuracy is undefined and its estimated area is zero."
            )

    total_ha = float(total_pixels * pixel_area_ha)
    area_ha = area_proportion * total_ha
    area_ha_se = area_se * total_ha
    return AreaEstimates(
        proportions=p.T.copy(),
        weights=weights.tolist(),
        overall_accuracy=overall,
        overall_accuracy_se=overall_se,
        overall_accuracy_ci95=_interval(np.array([overall]), np.array([overall_se]), 0, 1)[0],
        users_accuracy=users.tolist(),
        users_accuracy_se=users_se.tolist(),
        users_accuracy_ci95=_interval(users, users_se, 0.0, 1.0),
        producers_accuracy=producers.tolist(),
        producers_accuracy_se=producers_se.tolist(),
        producers_accuracy_ci95=_interval(producers, producers_se, 0.0, 1.0),
        area_proportion=area_proportion.tolist(),
        area_proportion_se=area_se.tolist(),
        area_ha=area_ha.tolist(),
        area_ha_se=area_ha_se.tolist(),
        area_ha_ci95=_interval(area_ha, area_ha_se, 0.0, math.inf),
        mapped_area_ha=(mapped * pixel_area_ha).tolist(),
        total_area_ha=total_ha,
        notes=notes,
    )


WGS84_ELLIPSOID = (6378137.0, 298.257223563)  # semi-major axis (m), inverse flattening


def _ellipsoid(crs) -> tuple[float, float]:
    """Semi-major axis (m) and inverse flattening of a CRS's ellipsoid (WGS 84 if unknown)."""
    found = re.search(
        r'(?:SPHEROID|ELLIPSOID)\["[^"]*",\s*([0-9.eE+-]+),\s*([0-9.eE+-]+)', crs.to_wkt()
    )
    return (float(found.group(1)), float(found.group(2))) if found else WGS84_ELLIPSOID


def _authalic_q(latitude_deg: np.ndarray, eccentricity: float) -> np.ndarray:
    """``q`` of the authalic latitude: the area from the equator to a latitude, per
    radian of longitude, is ``a^2 q / 2`` (Snyder 1987, eq. 3-12)."""
    s = np.sin(np.radians(latitude_deg))
    e = eccentricity
    if e < 1e-12:
        return 2.0 * s
    return (1 - e * e) * (s / (1 - (e * s) ** 2) - np.log((1 - e * s) / (1 + e * s)) / (2 * e))


def pixel_areas_m2(transform, crs, height: int) -> np.ndarray | None:
    """Area in square metres of one pixel in each of the ``height`` rows of a raster.

    The single place that knows pixel areas: in a projected CRS every row has the
    same area (map units converted with the CRS's linear unit factor); in a
    geographic CRS a pixel is the cell between two parallels and two meridians on the
    CRS's ellipsoid, so its area shrinks with the cosine of the latitude. None when
    the CRS is unknown.
    """
    if crs is None:
        return None
    if crs.is_projected:
        try:
            factor = float(crs.linear_units_factor[1])
        except Exception:
            factor = 1.0
        area = abs(transform.a * transform.e - transform.b * transform.d) * factor * factor
        return np.full(int(height), area, dtype=np.float64)
    if not crs.is_geographic:
        return None
    a, inverse_flattening = _ellipsoid(crs)
    flattening = 1.0 / inverse_flattening if inverse_flattening > 0 else 0.0
    eccentricity = math.sqrt(max(0.0, 2 * flattening - flattening * flattening))
    rows = np.arange(int(height) + 1, dtype=np.float64)
    # Latitude of each row edge (north-up grids; a rotation term moves them little).
    edges = np.clip(transform.f + transform.e * rows, -90.0, 90.0)
    q = _authalic_q(edges, eccentricity)
    width = math.radians(math.hypot(transform.a, transform.d))
    return np.abs(np.diff(q)) * a * a / 2.0 * width


def pixel_area_ha(transform, crs=None) -> float | None:
    """Area of one pixel in hectares, or None when the CRS is geographic or unknown
    (then pixels differ in area: see :func:`pixel_areas_m2`)."""
    if crs is None or not crs.is_projected:
        return None
    return float(pixel_areas_m2(transform, crs, 1)[0]) / 10_000.0


def count_values(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values of a 1-D array and how often each occurs.

    Unsigned 8 and 16 bit values (class rasters) are counted with ``bincount``, which
    is several times faster than the sort behind ``numpy.unique``.
    """
    if values.dtype.kind == "u" and values.dtype.itemsize <= 2:
        counts = np.bincount(values)
        present = np.flatnonzero(counts)
        return present, counts[present]
    return np.unique(values, return_counts=True)


def mapped_pixel_counts(
    path: str | os.PathLike,
    codes: Sequence[int] | None = None,
    progress: Progress | None = None,
    max_pixels: int | None = None,
    row_weights: np.ndarray | None = None,
) -> dict[int, float]:
    """Number of valid pixels of each class code in band 1 of a class raster.

    Reads block by block (memory bounded by one window). With ``codes``, every listed
    code appears in the result (zero when absent) and other values are ignored;
    without, every value found is counted. Nodata pixels are never counted. With
    ``row_weights`` (one per raster row, e.g. pixel areas), each pixel counts its row's
    weight instead of 1.
    """
    progress = as_progress(progress)
    wanted = None if codes is None else {int(c) for c in codes}
    totals: dict[int, float] = dict.fromkeys(wanted, 0) if wanted is not None else {}
    with open_raster(path) as src:
        blocks = blocks_for(src, max_pixels or DEFAULT_WINDOW_PIXELS)

        def compute(item):
            block, data, valid = item
            if row_weights is None:
                return count_values(data[0][valid])
            r0 = int(block.window.row_off)
            weights = np.broadcast_to(row_weights[r0 : r0 + data.shape[1], None], data.shape[1:])[
                valid
            ]
            values, inverse = np.unique(data[0][valid], return_inverse=True)
            return values, np.bincount(inverse.ravel(), weights=weights, minlength=values.size)

        def write(_block, result) -> None:
            values, counts = result
            for value, count in zip(values.tolist(), counts.tolist()):
                code = int(value)
                if code != value:
                    continue
                if wanted is None or code in wanted:
                    totals[code] = totals.get(code, 0) + (
                        int(count) if row_weights is None else float(count)
                    )

        run_blocks(blocks, lambda b: (b, *read_block(src, b, [1])), compute, write, progress)
    return dict(sorted(totals.items()))
