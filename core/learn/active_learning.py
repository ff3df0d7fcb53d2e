"""Where to label next: points on the pixels the classification is least sure of.

The uncertainty raster of a classification weighs the pixels: each candidate pixel is
drawn with a weight that grows with its uncertainty (the square of 1 - margin, of
the entropy, or of 1 - max probability), by weighted sampling without replacement
(Efraimidis and Spirakis: the pixels of highest ``log(u) / weight`` for a uniform
``u``). Taking only the most uncertain pixels piles the points onto the pixels that
are ambiguous even to a human (mixed pixels, overlapping spectra) and, measured on
the benchmark scene, lowers the accuracy of the next map; weighted draws still favour
where the map hesitates but also cover the rest of the hesitant map.

Block by block, the best keys of every mapped class are kept (at most ``pool`` per
class, so memory does not grow with the raster size); pixels within ``min_distance``
of an existing training feature are left out. ``u`` is a hash of the pixel's position
and the seed, so the points do not depend on the block plan. The points are then
taken in key order, each at least ``min_distance`` from those already taken, and,
when stratified, one per mapped class in turn, so rare classes get points too.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

import numpy as np
from rasterio import features as rio_features
from rasterio import windows as rio_windows
from scipy import ndimage

from ..io.classes import CLASS_NODATA, MAP_TAG, ClassInfo
from ..io.errors import InputError
from ..io.progress import Progress, as_progress
from ..io.raster import (
    DEFAULT_WINDOW_PIXELS,
    Block,
    blocks_for,
    check_same_grid,
    class_source,
    open_raster,
    read_block,
    run_blocks,
)
from .classify import UNCERTAINTY_BANDS

MEASURES = ("margin", "entropy", "max probability")
DEFAULT_SPACING_PIXELS = 5
MIN_POOL = 5000
POOL_PER_POINT = 50
# A class map and an uncertainty raster of the same classification have nodata at
# the same pixels; allow for a few pixels changed by hand.
FOOTPRINT_TOLERANCE = 0.001


@dataclass(frozen=True)
class Proposal:
    """One proposed point: map coordinates of the pixel centre, the pixel's row and
    column, its mapped class code and the value of the uncertainty measure."""

    x: float
    y: float
    row: int
    col: int
    map_class: int
    uncertainty: float


@dataclass
class Proposals:
    points: list[Proposal]
    classes: list[ClassInfo]
    candidates: dict[int, int] = field(default_factory=dict)  # class -> candidate pixels
    min_distance: float = 0.0
    crs: object = None


def score(values: np.ndarray, measure: str) -> np.ndarray:
    """Higher is more uncertain: 1 - margin, entropy, or 1 - max probability."""
    if measure == "entropy":
        return values
    return 1.0 - values


def uniform_hash(rows: np.ndarray, cols: np.ndarray, width: int, seed: int) -> np.ndarray:
    """A uniform number in (0, 1) per pixel, from its position and ``seed`` alone
    (splitmix64), so that every block plan draws the same numbers."""
    z = rows.astype(np.uint64) * np.uint64(width) + cols.astype(np.uint64)
    z += np.full(z.shape, seed, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    return ((z >> np.uint64(11)).astype(np.float64) + 0.5) / float(1 << 53)


def draw_keys(
    values: np.ndarray, rows: np.ndarray, cols: np.ndarray, width: int, measure: str, seed: int
) -> np.ndarray:
    """Weighted-sampling keys: the highest keys are a draw weighted by uncertainty²."""
    weight = np.maximum(score(values.astype(np.float64), measure), 1e-6) ** 2
    return np.log(uniform_hash(rows, cols, width, seed)) / weight


def _uncertainty_band(src, measure: str) -> int:
    if measure not in MEASURES:
        raise InputError(f"unknown uncertainty measure {measure!r}; use one of {MEASURES}")
    names = [str(d or "").strip().casefold() for d in src.descriptions]
    if src.count != len(UNCERTAINTY_BANDS) or names != list(UNCERTAINTY_BANDS):
        raise InputError(
            f"the uncertainty raster has {src.count} band(s) named "
            f"{', '.join(repr(n) for n in names)}; give the 'Uncertainty' output of "
            f"'Classify raster' (bands {', '.join(UNCERTAINTY_BANDS)})"
        )
    return names.index(measure) + 1


def _exclusion(
    geometries: list[tuple[tuple[float, float, float, float], dict]],
    block: Block,
    transform,
    spacing: float,
) -> np.ndarray | None:
    """Pixels of ``block`` (with its halo, padded like :func:`~.raster.read_block`)
    within ``spacing`` map units of a training geometry, or None when none is near."""
    top_pad, bottom_pad, left_pad, right_pad = block.pad
    read = block.read_window
    window = rio_windows.Window(
        read.col_off - left_pad,
        read.row_off - top_pad,
        read.width + left_pad + right_pad,
        read.height + top_pad + bottom_pad,
    )
    left, bottom, right, top = rio_windows.bounds(window, transform)
    near = [
        g
        for (x0, y0, x1, y1), g in geometries
        if x0 <= right + spacing
        and x1 >= left - spacing
        and y0 <= top + spacing
        and y1 >= bottom - spacing
    ]
    if not near:
        return None
    shape = (int(window.height), int(window.width))
    burned = rio_features.rasterize(
        near,
        out_shape=shape,
        transform=rio_windows.transform(window, transform),
        all_touched=True,
        dtype="uint8",
    ).astype(bool)
    pixel = (abs(transform.a), abs(transform.e))
    if not burned.any():
        return None
    distance = ndimage.distance_transform_edt(~burned, sampling=(pixel[1], pixel[0]))
    return distance <= spacing


def _check_same_classification(unc, cls) -> None:
    """Refuse an uncertainty raster and a class map tagged as written by different runs."""
    ids = (unc.tags().get(MAP_TAG), cls.tags().get(MAP_TAG))
    if all(ids) and ids[0] != ids[1]:
        raise InputError(
            "the uncertainty raster comes from another classification than the class "
            "map; give the 'Uncertainty' output of the run that wrote the class map"
        )


def _spacing(pixel: float, min_distance: float | None) -> float:
    """The minimum distance between points in map units (default: a number of
    ``pixel`` sizes); refuses a negative or infinite one."""
    spacing = DEFAULT_SPACING_PIXELS * pixel if min_distance is None else float(min_distance)
    if spacing < 0 or not math.isfinite(spacing):
        raise InputError(f"the minimum distance must be 0 or more, not {spacing:g}")
    return spacing


def _training_shapes(training: list[dict]) -> list[tuple[tuple, dict]]:
    """(bounds, geometry) of the training geometries, skipping those without bounds."""
    shapes = []
    for geometry in training:
        try:
            shapes.append((rio_features.bounds(geometry), geometry))
        except (KeyError, TypeError, ValueError):
            continue
    return shapes


def _top_per_class(
    labels: np.ndarray, keys: np.ndarray, pool: int
) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """Per class of ``labels`` (n,): the indices of its candidates and their ``keys``,
    at most the ``pool`` of highest key."""
    keep = []
    for code in np.unique(labels):
        members = np.flatnonzero(labels == code)
        ranks = keys[members]
        if members.size > pool:
            top = np.argpartition(-ranks, pool - 1)[:pool]
            members, ranks = members[top], ranks[top]
        keep.append((int(code), members, ranks))
    return keep


def propose_points(
    uncertainty_path: str | os.PathLike,
    classified_path: str | os.PathLike,
    points: int = 100,
    min_distance: float | None = None,
    measure: str = "margin",
    stratify: bool = True,
    training: list[dict] | None = None,
    seed: int = 0,
    progress: Progress | None = None,
    max_pixels: int = DEFAULT_WINDOW_PIXELS,
    workers: int | None = None,
) -> Proposals:
    """Propose ``points`` pixels to label, drawn with weights growing with their
    uncertainty (see the module text); the same ``seed`` gives the same points.

    ``uncertainty_path`` is the uncertainty raster of :func:`~.classify.classify_raster`
    and ``classified_path`` its class map (or a cleaned version on the same grid);
    ``min_distance`` is in map units (default: :data:`DEFAULT_SPACING_PIXELS` pixels);
    ``training`` are GeoJSON geometries in the raster's CRS that points keep
    ``min_distance`` away from. Fewer points come back when too few candidates exist.
    """
    progress = as_progress(progress)
    if points < 1:
        raise InputError(f"the number of points must be 1 or more, not {points}")
    with open_raster(uncertainty_path) as unc, open_raster(classified_path) as cls:
        band = _uncertainty_band(unc, measure)
        _, classes = class_source(cls)
        check_same_grid(cls, unc, "uncertainty raster", "class map")
        _check_same_classification(unc, cls)
        pixel = max(abs(cls.transform.a), abs(cls.transform.e))
        spacing = _spacing(pixel, min_distance)
        halo = math.ceil(spacing / pixel) + 1 if training else 0
        blocks = blocks_for(cls, max_pixels, halo)
        pool = max(MIN_POOL, POOL_PER_POINT * points)
        shapes = _training_shapes(training or [])
        transform = cls.transform
        width = cls.width

        def read(block: Block):
            labels, label_valid = read_block(cls, block, [1])
            values, value_valid = read_block(unc, block, [band], dtype=np.float32)
            return block, labels[0], label_valid, values[0], value_valid

        def compute(item):
            block, labels, label_valid, values, value_valid = item
            inner = block.inner
            labels, values = labels[inner], values[inner]
            mapped = label_valid[inner] & (labels != CLASS_NODATA)
            measured = value_valid[inner]
            mismatch = int(np.count_nonzero(mapped != measured))
            candidate = mapped & measured
            if shapes:
                excluded = _exclusion(shapes, block, transform, spacing)
                if excluded is not None:
                    candidate &= ~excluded[inner]
            rows, cols = np.nonzero(candidate)
            row0, col0 = int(block.window.row_off), int(block.window.col_off)
            keys = draw_keys(values[rows, cols], rows + row0, cols + col0, width, measure, seed)
            keep = _top_per_class(labels[rows, cols], keys, pool)
            found = {
                code: (
                    rows[members] + row0,
                    cols[members] + col0,
                    ranks,
                    values[rows[members], cols[members]],
                )
                for code, members, ranks in keep
            }
            counts = {code: int(members.size) for code, members, _ in keep}
            return found, int(np.count_nonzero(mapped)), mismatch, counts

        pools: dict[int, list[np.ndarray]] = {}
        totals = {"mapped": 0, "mismatch": 0}
        candidates: dict[int, int] = {}

        def write(block: Block, result) -> None:
            found, mapped, mismatch, counts = result
            totals["mapped"] += mapped
            totals["mismatch"] += mismatch
            for code, count in counts.items():
                candidates[code] = candidates.get(code, 0) + count
            for code, arrays in found.items():
                merged = (
                    [np.concatenate([a, b]) for a, b in zip(pools[code], arrays)]
                    if code in pools
                    else list(arrays)
                )
                pools[code] = _best(merged, pool)

        run_blocks(blocks, read, compute, write, progress.span(0.0, 0.95), workers)
        if totals["mismatch"] > FOOTPRINT_TOLERANCE * max(totals["mapped"], 1):
            raise InputError(
                f"the class map and the uncertainty raster disagree on where there is data "
                f"({totals['mismatch']} pixels), so they come from different maps; give the "
                "'Uncertainty' output of the run that wrote the class map"
            )
        chosen = _select(pools, points, spacing, stratify, (abs(transform.a), abs(transform.e)))
        proposals = [
            Proposal(
                *(transform * (int(c) + 0.5, int(r) + 0.5)),
                int(r),
                int(c),
                int(code),
                float(value),
            )
            for code, r, c, value in chosen
        ]
        crs = cls.crs
    progress(1.0)
    return Proposals(proposals, classes, candidates, spacing, crs)


def _best(arrays: list[np.ndarray], pool: int) -> list[np.ndarray]:
    """The ``pool`` candidates of highest key (ties: lowest row, then column)."""
    rows, cols, ranks, values = arrays
    order = np.lexsort((cols, rows, -ranks))[:pool]
    return [rows[order], cols[order], ranks[order], values[order]]


class _SpacedChoice:
    """Points chosen so far, kept ``spacing`` map units apart (``pixel`` is the pixel
    width and height); a grid of cells of that size finds the near ones."""

    def __init__(self, spacing: float, pixel: tuple[float, float]) -> None:
        self.spacing = spacing
        self.pixel = pixel
        self.cell = max(spacing, 1e-9)
        self.taken: dict[tuple[int, int], list[tuple[float, float]]] = {}
        self.chosen: list[tuple[int, int, int, float]] = []

    def _too_close(self, key: tuple[int, int], x: float, y: float) -> bool:
        for i in (key[0] - 1, key[0], key[0] + 1):
            for j in (key[1] - 1, key[1], key[1] + 1):
                for px, py in self.taken.get((i, j), ()):
                    if (px - x) ** 2 + (py - y) ** 2 < self.spacing * self.spacing:
                        return True
        return False

    def take(self, code: int, row: int, col: int, value: float) -> bool:
        """Choose the point unless it is too close to one already chosen."""
        x, y = col * self.pixel[0], row * self.pixel[1]
        key = (int(x // self.cell), int(y // self.cell))
        if self.spacing > 0 and self._too_close(key, x, y):
            return False
        self.taken.setdefault(key, []).append((x, y))
        self.chosen.append((code, row, col, value))
        return True


def _take_stratified(
    pools: dict[int, list[np.ndarray]], points: int, choice: _SpacedChoice
) -> None:
    """One point per class in turn, in key order, while a class has candidates left."""
    queues = {code: pools[code] for code in sorted(pools)}
    position = dict.fromkeys(queues, 0)
    while len(choice.chosen) < points and queues:
        for code in list(queues):
            rows, cols, _, values = queues[code]
            while position[code] < rows.size:
                i = position[code]
                position[code] += 1
                if choice.take(code, int(rows[i]), int(cols[i]), float(values[i])):
                    break
            else:
                del queues[code]
            if len(choice.chosen) >= points:
                break


def _take_in_key_order(
    pools: dict[int, list[np.ndarray]], points: int, choice: _SpacedChoice
) -> None:
    """Points of all classes together, in key order (ties: lowest row, then column)."""
    codes = sorted(pools)
    if not codes:
        return
    rows, cols, ranks, values = (np.concatenate([pools[c][k] for c in codes]) for k in range(4))
    labels = np.concatenate([np.full(pools[c][0].size, c) for c in codes])
    for i in np.lexsort((cols, rows, -ranks)):
        if len(choice.chosen) >= points:
            break
        choice.take(int(labels[i]), int(rows[i]), int(cols[i]), float(values[i]))


def _select(
    pools: dict[int, list[np.ndarray]],
    points: int,
    spacing: float,
    stratify: bool,
    pixel: tuple[float, float],
) -> list[tuple[int, int, int, float]]:
    """Greedy choice in key order, keeping ``spacing`` map units between
    points (``pixel`` is the pixel width and height). Stratified: one point per class
    in turn, while a class has candidates left."""
    choice = _SpacedChoice(spacing, pixel)
    if stratify:
        _take_stratified(pools, points, choice)
    else:
        _take_in_key_order(pools, points, choice)
    return choice.chosen
