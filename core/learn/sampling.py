"""Training samples: the pixels under training polygons and points.

Each feature is rasterised only inside the raster windows it covers, one window of
the block plan at a time, so memory is set by the window size and the number of
samples kept, never by the raster size. A pixel belongs to a feature when its centre
falls inside the polygon (or, with ``all_touched``, when the polygon touches it); a
point samples the pixel it falls in.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from rasterio import features as rio_features
from rasterio import windows as rio_windows

from ..io.errors import InputError
from ..io.progress import Progress, as_progress
from ..io.raster import (
    DEFAULT_WINDOW_PIXELS,
    Block,
    blocks_for,
    open_raster,
    read_block,
    run_blocks,
)


@dataclass
class Samples:
    """Pixels sampled from a raster under training features.

    ``X`` (n, bands) float32 band values; ``y`` (n,) int32 class codes; ``groups``
    (n,) int64 id of the feature each pixel came from; ``xy`` (n, 2) float64 map
    coordinates of the pixel centres; ``dropped`` pixels dropped per class code
    because a band was nodata, NaN or infinite; ``overlap_dropped`` pixels dropped
    because features of different classes claimed them; ``available`` valid pixels
    per class before any cap on the number kept; ``feature_pixels`` valid pixels per
    feature id (features that gave none are absent).
    """

    X: np.ndarray
    y: np.ndarray
    groups: np.ndarray
    xy: np.ndarray
    dropped: dict[int, int] = field(default_factory=dict)
    overlap_dropped: int = 0
    available: dict[int, int] = field(default_factory=dict)
    feature_pixels: dict[int, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.y.shape[0])

    def take(self, index: np.ndarray) -> Samples:
        """The samples at ``index`` (integer or boolean), with the same counts."""
        return Samples(
            self.X[index],
            self.y[index],
            self.groups[index],
            self.xy[index],
            dict(self.dropped),
            self.overlap_dropped,
            dict(self.available),
            dict(self.feature_pixels),
        )

    def counts(self) -> dict[int, int]:
        """Samples per class code."""
        codes, counts = np.unique(self.y, return_counts=True)
        return {int(c): int(n) for c, n in zip(codes, counts)}


def empty_samples(bands: int) -> Samples:
    return Samples(
        np.empty((0, bands), dtype=np.float32),
        np.empty(0, dtype=np.int32),
        np.empty(0, dtype=np.int64),
        np.empty((0, 2), dtype=np.float64),
    )


def _pixel_bounds(geometry: dict, inverse, height: int, width: int) -> tuple[int, ...] | None:
    """Rows and columns (r0, r1, c0, c1) a geometry may touch, clipped; None if outside."""
    try:
        left, bottom, right, top = rio_features.bounds(geometry)
    except (KeyError, TypeError, ValueError, IndexError):
        return None
    if not all(np.isfinite([left, bottom, right, top])):
        return None
    corners = [inverse * (x, y) for x in (left, right) for y in (bottom, top)]
    cols = [c for c, _ in corners]
    rows = [r for _, r in corners]
    # One pixel of margin: points on a pixel edge and all_touched pixels.
    r0 = max(0, int(np.floor(min(rows))) - 1)
    r1 = min(height, int(np.floor(max(rows))) + 2)
    c0 = max(0, int(np.floor(min(cols))) - 1)
    c1 = min(width, int(np.floor(max(cols))) + 2)
    if r0 >= r1 or c0 >= c1:
        return None
    return (r0, r1, c0, c1)


class _Reservoir:
    """At most ``cap`` samples per class, a uniform random choice of all offered.

    Every offered pixel gets a random key; the ``cap`` smallest keys of a class are
    kept. The result depends only on the seed and the order of offers.
    """

    def __init__(self, cap: int | None, seed: int) -> None:
        self.cap = cap
        self.rng = np.random.default_rng(seed)
        self.parts: dict[int, list[tuple[np.ndarray, ...]]] = {}
        self.sizes: dict[int, int] = {}
        self.offered: dict[int, int] = {}

    def offer(self, code: int, *arrays: np.ndarray) -> None:
        keys = self.rng.random(len(arrays[0]))
        self.parts.setdefault(code, []).append((keys, *arrays))
        self.sizes[code] = self.sizes.get(code, 0) + len(keys)
        self.offered[code] = self.offered.get(code, 0) + len(keys)
        if self.cap is not None and self.sizes[code] > 2 * self.cap + 65536:
            self.parts[code] = [self._shrink(code)]
            self.sizes[code] = len(self.parts[code][0][0])

    def _shrink(self, code: int) -> tuple[np.ndarray, ...]:
        merged = [np.concatenate(column) for column in zip(*self.parts[code])]
        if self.cap is not None and len(merged[0]) > self.cap:
            keep = np.sort(np.argpartition(merged[0], self.cap - 1)[: self.cap])
            merged = [column[keep] for column in merged]
        return tuple(merged)

    def result(self) -> dict[int, tuple[np.ndarray, ...]]:
        return {code: self._shrink(code)[1:] for code in sorted(self.parts)}


def _features_on_raster(
    features: Sequence[tuple[dict, int, int]], inverse, height: int, width: int
) -> tuple[list[tuple[dict, int, int]], np.ndarray]:
    """The features with a class that overlap the raster, and their pixel bounds
    (n, 4: row start, row end, column start, column end); ``inverse`` is the inverse of
    the raster's transform. Raises :class:`InputError` when there is none."""
    boxes = []
    items = []
    for geometry, code, fid in features:
        if not geometry or int(code) == 0:
            continue
        box = _pixel_bounds(geometry, inverse, height, width)
        if box is not None:
            boxes.append(box)
            items.append((geometry, int(code), int(fid)))
    if not items:
        raise InputError(
            "no training feature overlaps the raster; check that the training layer "
            "covers the raster (and that its CRS is set correctly)"
        )
    return items, np.array(boxes, dtype=np.int64).reshape(-1, 4)


def _covered_blocks(plan: Sequence[Block], bounds: np.ndarray) -> list[tuple[Block, np.ndarray]]:
    """The blocks of ``plan`` that some feature's pixel ``bounds`` touch, each cut to
    the part the features cover (only that part is read), with the indices of those
    features."""
    work = []
    for block in plan:
        w = block.window
        r0, c0 = int(w.row_off), int(w.col_off)
        r1, c1 = r0 + int(w.height), c0 + int(w.width)
        rows_hit = (bounds[:, 0] < r1) & (bounds[:, 1] > r0)
        hit = np.flatnonzero(rows_hit & (bounds[:, 2] < c1) & (bounds[:, 3] > c0))
        if hit.size:
            sr0 = max(r0, int(bounds[hit, 0].min()))
            sr1 = min(r1, int(bounds[hit, 1].max()))
            sc0 = max(c0, int(bounds[hit, 2].min()))
            sc1 = min(c1, int(bounds[hit, 3].max()))
            window = rio_windows.Window(sc0, sr0, sc1 - sc0, sr1 - sr0)
            work.append((Block(len(work), window, window, 0, (0, 0, 0, 0)), hit))
    return work


def _burn_features(
    window,
    hit: np.ndarray,
    items: Sequence[tuple[dict, int, int]],
    bounds: np.ndarray,
    transform,
    all_touched: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rasterise the features ``hit`` (indices into ``items`` and ``bounds``) on
    ``window``: the class of each pixel (0: none), the index of the feature that claimed
    it first (-1: none), and whether features of different classes claim it."""
    r0, c0 = int(window.row_off), int(window.col_off)
    shape = (int(window.height), int(window.width))
    label = np.zeros(shape, dtype=np.int64)
    owner = np.full(shape, -1, dtype=np.int64)
    conflict = np.zeros(shape, dtype=bool)
    for i in hit:
        b0, b1, d0, d1 = bounds[i]
        a0, a1 = max(b0, r0) - r0, min(b1, r0 + shape[0]) - r0
        e0, e1 = max(d0, c0) - c0, min(d1, c0 + shape[1]) - c0
        if a0 >= a1 or e0 >= e1:
            continue
        geometry, code, _ = items[i]
        sub = rio_windows.Window(c0 + e0, r0 + a0, e1 - e0, a1 - a0)
        mask = rio_features.rasterize(
            [(geometry, 1)],
            out_shape=(a1 - a0, e1 - e0),
            transform=rio_windows.transform(sub, transform),
            all_touched=all_touched,
            dtype="uint8",
        ).astype(bool)
        if not mask.any():
            continue
        lab = label[a0:a1, e0:e1]
        own = owner[a0:a1, e0:e1]
        conflict[a0:a1, e0:e1] |= mask & (lab != 0) & (lab != code)
        free = mask & (lab == 0)
        lab[free] = code
        own[free] = i
    return label, owner, conflict


def sample_raster(
    path: str | os.PathLike,
    features: Sequence[tuple[dict, int, int]],
    all_touched: bool = False,
    progress: Progress | None = None,
    max_pixels: int = DEFAULT_WINDOW_PIXELS,
    max_per_class: int | None = None,
    seed: int = 0,
) -> Samples:
    """Band values of the pixels under ``features`` in the raster at ``path``.

    ``features`` are ``(geometry, class_code, feature_id)`` with GeoJSON-like
    geometries in the raster's CRS (polygons, points, lines and their multi forms).
    Pixels invalid in any band are dropped and counted per class; pixels claimed by
    features of different classes are dropped and counted; a pixel claimed by two
    features of the same class belongs to the first. ``max_per_class`` keeps at most
    that many pixels per class (a uniform random choice, seeded), so memory stays
    bounded however large the polygons are. Samples are grouped by class code,
    in raster order within a class.
    """
    progress = as_progress(progress)
    src = open_raster(path)
    with src:
        height, width, count = src.height, src.width, src.count
        inverse = ~src.transform
        plan = blocks_for(src, max_pixels)
        items, bounds = _features_on_raster(features, inverse, height, width)
        work = _covered_blocks(plan, bounds)
        transform = src.transform

        reservoir = _Reservoir(max_per_class, seed)
        per_feature: dict[int, int] = {}
        dropped: dict[int, int] = {}
        overlap = 0
        hits = {block.index: hit for block, hit in work}
        fids = np.array([item[2] for item in items], dtype=np.int64)

        def read(block: Block):
            data, valid = read_block(src, block, dtype=np.float32)
            return block, data, valid

        def compute(item):
            block, data, valid = item
            label, owner, conflict = _burn_features(
                block.window, hits[block.index], items, bounds, transform, all_touched
            )
            claimed = label != 0
            clash = int((claimed & conflict).sum())
            keep = claimed & ~conflict
            bad = keep & ~valid
            bad_codes, bad_counts = np.unique(label[bad], return_counts=True)
            keep &= valid
            rows, cols = np.nonzero(keep)
            x = np.ascontiguousarray(data[:, rows, cols].T, dtype=np.float32)
            xs, ys = rio_windows.transform(block.window, transform) * (cols + 0.5, rows + 0.5)
            xy = np.column_stack([np.asarray(xs, float), np.asarray(ys, float)])
            return label[rows, cols], x, fids[owner[rows, cols]], xy, clash, bad_codes, bad_counts

        def write(block: Block, result) -> None:
            nonlocal overlap
            codes, x, groups, xy, clash, bad_codes, bad_counts = result
            overlap += clash
            for code, n in zip(bad_codes.tolist(), bad_counts.tolist()):
                dropped[int(code)] = dropped.get(int(code), 0) + int(n)
            for fid, n in zip(*(a.tolist() for a in np.unique(groups, return_counts=True))):
                per_feature[int(fid)] = per_feature.get(int(fid), 0) + int(n)
            order = np.argsort(codes, kind="stable")
            codes, x, groups, xy = codes[order], x[order], groups[order], xy[order]
            starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if len(codes) else []
            ends = [*starts[1:], len(codes)]
            for s, e in zip(starts, ends):  # a stable sort keeps raster order within a class
                reservoir.offer(int(codes[s]), x[s:e], groups[s:e], xy[s:e])

        run_blocks([block for block, _ in work], read, compute, write, progress, workers=1)

    kept = reservoir.result()
    if not kept:
        samples = empty_samples(count)
        samples.dropped, samples.overlap_dropped = dropped, overlap
        return samples
    X = np.concatenate([kept[c][0] for c in kept])  # noqa: N806
    y = np.concatenate([np.full(len(kept[c][0]), c, dtype=np.int32) for c in kept])
    groups = np.concatenate([kept[c][1] for c in kept])
    xy = np.concatenate([kept[c][2] for c in kept])
    return Samples(X, y, groups, xy, dropped, overlap, dict(reservoir.offered), per_feature)


def subsample(
    samples: Samples, max_per_class: int, seed: int = 0, balance: bool = False
) -> Samples:
    """At most ``max_per_class`` samples per class, drawn at random (seeded).

    With ``balance``, every class keeps as many samples as the smallest class (still
    at most ``max_per_class``). Counts of dropped pixels are carried over.
    """
    counts = samples.counts()
    if not counts:
        return samples
    limit = int(max_per_class) if max_per_class and max_per_class > 0 else max(counts.values())
    if balance:
        limit = min(limit, min(counts.values()))
    rng = np.random.default_rng(seed)
    keep = []
    for code in sorted(counts):
        index = np.flatnonzero(samples.y == code)
        if len(index) > limit:
            index = np.sort(rng.choice(index, size=limit, replace=False))
        keep.append(index)
    return samples.take(np.sort(np.concatenate(keep)))


def classes_with_pixels(
    samples: Samples, features: Sequence[tuple[dict, int, int]], classes: Sequence
) -> tuple[list, list[str]]:
    """The classes that have valid samples, and messages naming what gave none.

    ``features`` are those sampled (``(geometry, code, feature_id)``). Every feature
    that gave no valid pixel is listed by id; a class none of whose features gave one
    is dropped with a warning saying why. Raises :class:`InputError` when fewer than
    two classes remain.
    """
    counts = samples.counts()
    empty: dict[int, list[int]] = {}
    for _, code, fid in features:
        if int(fid) not in samples.feature_pixels:
            empty.setdefault(int(code), []).append(int(fid))
    names = {c.code: c.name for c in classes}

    def ids(values: list[int]) -> str:
        return ", ".join(str(v) for v in values)

    messages = []
    if empty:
        messages.append(
            "Features that gave no valid pixel (all on nodata, or too small to hold a "
            "pixel centre): "
            + "; ".join(f"'{names.get(c, c)}' {ids(v)}" for c, v in sorted(empty.items()))
            + "."
        )
    kept, dropped = [], []
    for c in classes:
        if c.code in counts:
            kept.append(c)
            continue
        reason = (
            f"all {samples.dropped[c.code]} pixels under its features are nodata in some band"
            if samples.dropped.get(c.code)
            else "none of its features covers a pixel centre of the raster"
        )
        dropped.append(
            f"class '{c.name}' (code {c.code}, feature ids {ids(empty.get(c.code, []))}): {reason}"
        )
    if dropped and len(kept) < 2:
        raise InputError(
            "fewer than two classes have valid training pixels ("
            + "; ".join(dropped)
            + "). Move or add polygons of these classes over valid pixels, or try "
            "ALL_TOUCHED for polygons smaller than a pixel."
        )
    for text in dropped:
        messages.append(
            f"Dropped {text}. The model does not know this class; move or add polygons of "
            "it over valid pixels to keep it."
        )
    return kept, messages
