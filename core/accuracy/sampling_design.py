"""Stratified random validation samples drawn from a class raster.

The map classes are the strata. Memory stays bounded by one window whatever the map
size: a first block-wise pass counts the pixels of each class, random pixel ranks are
drawn per class, and a second pass turns the ranks into pixel positions. A minimum
distance between points is enforced by drawing spare candidates and accepting them in
random order with a grid index (rare classes first, so the common classes cannot crowd
them out).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..io.errors import InputError
from ..io.progress import Progress, as_progress
from ..io.raster import DEFAULT_WINDOW_PIXELS, blocks_for, open_raster, read_block, run_blocks
from .area_estimation import count_values

ALLOCATIONS = ("proportional", "equal")


@dataclass
class SampleDesign:
    """Validation points drawn from a class raster.

    ``xy`` (n, 2) float64 map coordinates of the pixel centres; ``codes`` (n,) int32
    map class of each point; ``requested`` and ``placed`` points per class code;
    ``pixels`` valid pixels per class code; ``notes`` plain-language remarks (classes
    that could not get all their points).
    """

    xy: np.ndarray
    codes: np.ndarray
    requested: dict[int, int]
    placed: dict[int, int]
    pixels: dict[int, int]
    notes: list[str] = field(default_factory=list)


def _largest_remainder(shares: np.ndarray, total: int) -> np.ndarray:
    raw = shares / shares.sum() * total if shares.sum() > 0 else np.zeros_like(shares)
    base = np.floor(raw).astype(np.int64)
    remainder = total - int(base.sum())
    if remainder > 0:
        order = np.argsort(-(raw - base), kind="stable")
        base[order[:remainder]] += 1
    return base


def allocate(
    pixels: dict[int, int],
    points_per_class: int | None = None,
    total: int | None = None,
    allocation: str = "proportional",
    min_per_class: int = 0,
) -> dict[int, int]:
    """Points per class code.

    Either ``points_per_class`` (the same number for every class) or ``total`` shared
    ``"proportional"``-ly to the class areas or ``"equal"``-ly; with a total, every
    class gets at least ``min_per_class`` (the other classes give way, so the total is
    kept when possible). No class gets more points than it has pixels; classes without
    pixels get none.
    """
    codes = [c for c in pixels if pixels[c] > 0]
    result = dict.fromkeys(pixels, 0)
    if not codes:
        return result
    available = np.array([pixels[c] for c in codes], dtype=np.int64)
    if points_per_class is not None:
        if points_per_class < 1:
            raise InputError("the number of points per class must be at least 1")
        counts = np.minimum(available, points_per_class)
        result.update(zip(codes, counts.tolist()))
        return result
    if total is None or total < 1:
        raise InputError("give a number of points per class or a total of at least 1 point")
    if allocation not in ALLOCATIONS:
        raise InputError(f"unknown allocation {allocation!r}; use one of {ALLOCATIONS}")
    total = min(total, int(available.sum()))
    floor = np.minimum(available, max(0, min_per_class))
    if floor.sum() >= total:
        counts = np.minimum(floor, _largest_remainder(np.ones(len(codes)), total))
        result.update(zip(codes, counts.tolist()))
        return result
    shares = available.astype(np.float64) if allocation == "proportional" else np.ones(len(codes))
    fixed = np.zeros(len(codes), dtype=bool)
    counts = floor.copy()
    while True:
        free = ~fixed
        remaining = total - int(counts[fixed].sum())
        share = np.zeros(len(codes))
        share[free] = shares[free]
        proposal = _largest_remainder(share, remaining)
        # classes pushed below their minimum or above their pixels are fixed there
        low = free & (proposal < floor)
        high = free & (proposal > available)
        if not low.any() and not high.any():
            counts[free] = proposal[free]
            break
        counts[low] = floor[low]
        counts[high] = available[high]
        fixed |= low | high
        if fixed.all():
            break
    result.update(zip(codes, counts.tolist()))
    return result


def _accept_with_distance(
    xy: np.ndarray, classes: np.ndarray, quota: dict[int, int], order: list[int], distance: float
) -> np.ndarray:
    """Indices of accepted candidates: classes in ``order``, no two closer than ``distance``."""
    cells: dict[tuple[int, int], list[int]] = {}
    accepted: list[int] = []
    limit = distance * distance
    for code in order:
        need = quota.get(code, 0)
        if need <= 0:
            continue
        for index in np.flatnonzero(classes == code):
            x, y = xy[index]
            cx, cy = math.floor(x / distance), math.floor(y / distance)
            clear = True
            for gx in (cx - 1, cx, cx + 1):
                for gy in (cy - 1, cy, cy + 1):
                    for other in cells.get((gx, gy), ()):
                        dx, dy = xy[other] - (x, y)
                        if dx * dx + dy * dy < limit:
                            clear = False
                            break
                    if not clear:
                        break
                if not clear:
                    break
            if clear:
                cells.setdefault((cx, cy), []).append(int(index))
                accepted.append(int(index))
                need -= 1
                if need == 0:
                    break
    return np.array(sorted(accepted), dtype=np.int64)


def _random_ranks(
    quota: dict[int, int], pixels: dict[int, int], min_distance: float, rng: np.random.Generator
) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Per class with a quota: sorted random ranks among its pixels (in block order), and
    a random priority per rank so acceptance under a minimum distance is not spatial.

    Under a minimum distance, more candidates than the quota are drawn, since some will
    be refused.
    """
    wanted: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for code, need in quota.items():
        if need > 0:
            n = need if min_distance <= 0 else min(pixels[code], 10 * need + 100)
            ranks = np.sort(rng.choice(pixels[code], size=n, replace=False).astype(np.int64))
            wanted[code] = (ranks, rng.permutation(n))
    return wanted


def _block_tasks(
    wanted: dict[int, tuple[np.ndarray, np.ndarray]],
    per_block: np.ndarray,
    index_of: dict[int, int],
) -> dict[int, list[tuple[int, np.ndarray, np.ndarray]]]:
    """Block index -> (code, ranks within the block, priorities) of the wanted ranks.

    ``per_block`` (blocks, classes) counts the pixels of each class in each block.
    """
    starts = np.cumsum(per_block, axis=0) - per_block  # first rank of each block
    tasks: dict[int, list[tuple[int, np.ndarray, np.ndarray]]] = {}
    for code, (ranks, priority) in wanted.items():
        i = index_of[code]
        block_of = np.searchsorted(starts[:, i], ranks, side="right") - 1
        for b in np.unique(block_of):
            inside = block_of == b
            local = ranks[inside] - starts[b, i]
            tasks.setdefault(int(b), []).append((code, local, priority[inside]))
    return tasks


def _candidates(
    parts: Sequence[tuple[int, np.ndarray, np.ndarray, np.ndarray]], transform
) -> tuple[np.ndarray, np.ndarray]:
    """Pixel centres (n, 2) in map units and class codes (n,) of the placed candidates:
    those of each class in random priority order, classes one after the other."""
    xy_parts, code_parts, priority_parts = [], [], []
    for code, rows, cols, priority in parts:
        xs, ys = transform * (cols + 0.5, rows + 0.5)
        xy_parts.append(np.column_stack([xs, ys]))
        code_parts.append(np.full(len(rows), code, dtype=np.int32))
        priority_parts.append(priority)
    xy = np.concatenate(xy_parts) if xy_parts else np.zeros((0, 2))
    classes = np.concatenate(code_parts) if code_parts else np.zeros(0, dtype=np.int32)
    priority = np.concatenate(priority_parts) if priority_parts else np.zeros(0, dtype=np.int64)
    order = np.lexsort((priority, classes))
    return xy[order], classes[order]


def _shortfall_notes(
    quota: dict[int, int], placed: dict[int, int], pixels: dict[int, int], min_distance: float
) -> list[str]:
    """One note per class that got fewer points than its quota, and why."""
    notes = []
    for code in quota:
        if pixels[code] == 0:
            notes.append(f"Class {code} has no pixel in the map: no point was placed in it.")
        elif placed[code] < quota[code]:
            notes.append(
                f"Class {code}: only {placed[code]} of {quota[code]} points could be placed "
                f"at least {min_distance:g} map units apart; lower the minimum distance or "
                "accept fewer points for this class."
            )
    return notes


def draw_sample(
    path: str | os.PathLike,
    codes: Sequence[int],
    points_per_class: int | None = None,
    total: int | None = None,
    allocation: str = "proportional",
    min_per_class: int = 0,
    min_distance: float = 0.0,
    seed: int = 0,
    progress: Progress | None = None,
    max_pixels: int | None = None,
) -> SampleDesign:
    """A stratified random sample of pixel centres of the class raster at ``path``.

    ``codes`` are the map classes (the strata); the number of points per class comes
    from :func:`allocate`. ``min_distance`` is in map units (0: no constraint). The
    same ``seed`` gives the same points for the same file. Progress: counting is the
    first half, placing the second.
    """
    progress = as_progress(progress)
    codes = [int(c) for c in codes]
    index_of = {code: i for i, code in enumerate(codes)}
    with open_raster(path) as src:
        transform = src.transform
        blocks = blocks_for(src, max_pixels or DEFAULT_WINDOW_PIXELS)
        # pass 1: pixels of each class in each block, so pass 2 knows where ranks fall
        per_block = np.zeros((len(blocks), len(codes)), dtype=np.int64)

        def count(item):
            data, valid = item
            return count_values(data[0][valid])

        def store(block, result) -> None:
            for value, n in zip(*result):
                i = index_of.get(int(value))
                if i is not None and value == int(value):
                    per_block[block.index, i] = n

        run_blocks(blocks, lambda b: read_block(src, b, [1]), count, store, progress.span(0.0, 0.5))
        pixels = dict(zip(codes, per_block.sum(axis=0).tolist()))
        if sum(pixels.values()) == 0:
            raise InputError(
                "the class raster has no pixel of any of its classes (only nodata); "
                "check that it is a classification output"
            )
        quota = allocate(pixels, points_per_class, total, allocation, min_per_class)
        wanted = _random_ranks(quota, pixels, min_distance, np.random.default_rng(seed))
        tasks = _block_tasks(wanted, per_block, index_of)

        def place(item):
            (data, valid), block = item
            flat = data[0].ravel()
            keep = valid.ravel()
            width = block.shape[1]
            found = []
            for code, local, priority in tasks[block.index]:
                where = np.flatnonzero((flat == code) & keep)[local]
                rows = where // width + int(block.window.row_off)
                cols = where % width + int(block.window.col_off)
                found.append((code, rows, cols, priority))
            return found

        parts: list[tuple[int, np.ndarray, np.ndarray, np.ndarray]] = []
        run_blocks(
            [blocks[b] for b in sorted(tasks)],
            lambda b: (read_block(src, b, [1]), b),
            place,
            lambda _b, found: parts.extend(found),
            progress.span(0.5, 1.0),
        )

    xy, classes = _candidates(parts, transform)
    if min_distance > 0 and len(xy):
        rare_first = sorted(wanted, key=lambda c: (pixels[c], c))
        keep = _accept_with_distance(xy, classes, quota, rare_first, float(min_distance))
        xy, classes = xy[keep], classes[keep]

    placed = {c: int((classes == c).sum()) for c in quota}
    notes = _shortfall_notes(quota, placed, pixels, min_distance)
    return SampleDesign(xy, classes.astype(np.int32), quota, placed, pixels, notes)
