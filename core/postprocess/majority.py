"""A true majority (mode) filter for class rasters, and the block-wise class raster job
shared by the post-processing steps.

Counting is done with moving-window sums, one pass per class present: the count of
class ``c`` around every pixel is a box sum of the indicator ``image == c``, computed
from cumulative sums. A square window costs two cumulative sums whatever its size; a
circular window adds up one row-wise box sum per window row. No per-pixel Python.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from ..io.classes import CLASS_NODATA, ClassInfo
from ..io.errors import InputError
from ..io.progress import Progress, as_progress
from ..io.raster import (
    DEFAULT_WINDOW_PIXELS,
    Block,
    blocks_for,
    class_source,
    create_class_raster,
    open_raster,
    read_class_block,
    run_blocks,
)

SHAPES = ("square", "circle")


@dataclass
class ClassRasterResult:
    """What a block-wise filter of a class raster wrote: the ``classes`` (names and
    colours kept from the input) and the number of ``blocks`` it was computed in."""

    classes: list[ClassInfo]
    blocks: int


def window_rows(radius: int, shape: str) -> list[tuple[int, int]]:
    """The window as rows: ``(dy, half_width)`` for dy in ``-radius..radius``.

    A square spans ``2 * radius + 1`` pixels each way. A circle holds the pixels whose
    centre lies within ``radius`` pixels of the window's centre (centre to centre), so a
    circle of radius 1 is a cross of five pixels. A "disc" (used for morphology) holds
    the pixels with ``dx² + dy² <= radius² + radius``, a rounder digital disc without
    one-pixel tips (radius 1: the 3 x 3 square).
    """
    if shape not in (*SHAPES, "disc"):
        raise InputError(f"unknown window shape {shape!r}; use one of {', '.join(SHAPES)}")
    if radius < 0:
        raise InputError(f"the window radius must be 0 or more, not {radius}")
    if shape == "square":
        return [(dy, radius) for dy in range(-radius, radius + 1)]
    reach = radius * radius + (radius if shape == "disc" else 0)
    return [(dy, math.isqrt(reach - dy * dy)) for dy in range(-radius, radius + 1)]


def window_count(mask: np.ndarray, radius: int, shape: str = "square") -> np.ndarray:
    """How many True pixels of ``mask`` (rows, cols) lie in the window around each pixel.

    Pixels beyond the array count as False. Returns counts of the same shape, uint16
    while the window holds fewer than 65536 pixels (half the memory traffic of int32;
    cumulative sums wrap around, but their differences, the counts, are exact), else
    int32.
    """
    dtype = np.uint16 if (2 * radius + 1) ** 2 < 65536 else np.int32
    return window_sum(mask, radius, shape, dtype)


def window_sum(values: np.ndarray, radius: int, shape: str, dtype: Any) -> np.ndarray:
    """Sum of ``values`` (rows, cols) over the window around each pixel, in ``dtype``.

    Pixels beyond the array count as 0. Cumulative sums in an unsigned ``dtype`` wrap
    around; their differences are exact modulo its range, so the sums are exact
    whenever they fit.
    """
    rows = window_rows(radius, shape)
    along_rows = np.cumsum(values, axis=1, dtype=dtype)
    if all(half == radius for _, half in rows):  # a square: two cumulative sums
        horizontal = _box_from_cumsum(along_rows, radius, axis=1)
        # numpy accumulates down the columns several times slower than adding
        # whole rows one after the other
        for row in range(1, horizontal.shape[0]):
            np.add(horizontal[row - 1], horizontal[row], out=horizontal[row])
        return _box_from_cumsum(horizontal, radius, axis=0)
    h = values.shape[0]
    total = np.zeros(values.shape, dtype=dtype)
    by_half: dict[int, np.ndarray] = {}
    for dy, half in rows:
        if half not in by_half:
            by_half[half] = _box_from_cumsum(along_rows, half, axis=1)
        if abs(dy) < h:  # row i gets the sums of row i + dy
            total[max(0, -dy) : h - max(0, dy)] += by_half[half][max(0, dy) : h + min(0, dy)]
    return total


def _box_from_cumsum(cumsum: np.ndarray, half: int, axis: int) -> np.ndarray:
    """Sums over ``-half..half`` along ``axis`` from inclusive cumulative sums along it.

    Interior positions are one subtraction of two shifted views; the few positions
    whose window leaves the array clamp it to the array.
    """
    n = cumsum.shape[axis]

    def along(start: int, stop: int) -> tuple:
        index: list[Any] = [slice(None)] * cumsum.ndim
        index[axis] = slice(start, stop)
        return tuple(index)

    result = np.empty_like(cumsum)
    inner_start, inner_stop = half + 1, n - half
    if inner_stop > inner_start:
        np.subtract(
            cumsum[along(2 * half + 1, n)],
            cumsum[along(0, n - 2 * half - 1)],
            out=result[along(inner_start, inner_stop)],
        )
    edges = np.r_[0 : min(inner_start, n), max(inner_stop, inner_start) : n].astype(np.intp)
    if edges.size:
        upper = np.take(cumsum, np.minimum(edges + half, n - 1), axis=axis)
        lower_index = edges - half - 1
        lower = np.take(cumsum, np.maximum(lower_index, 0), axis=axis)
        shape = [1] * cumsum.ndim
        shape[axis] = edges.size
        lower = np.where((lower_index >= 0).reshape(shape), lower, 0).astype(cumsum.dtype)
        result[(slice(None),) * axis + (edges,)] = upper - lower
    return result


def present_codes(image: np.ndarray, nodata: int = CLASS_NODATA) -> list[int]:
    """Class codes present in ``image`` (unsigned integers), ascending, without nodata."""
    if image.size == 0:
        return []
    if image.dtype.itemsize <= 2:
        codes = np.flatnonzero(np.bincount(image.ravel()))
    else:
        codes = np.unique(image)
    return [int(c) for c in codes if c != nodata]


def _lane_bits(radius: int, shape: str) -> int:
    """Bits per class count: enough for a window full of one class."""
    pixels = sum(2 * half + 1 for _, half in window_rows(radius, shape))
    return 8 if pixels < 2**8 else 16 if pixels < 2**16 else 32


def mode(
    votes: np.ndarray,
    radius: int,
    shape: str = "square",
    prefer: np.ndarray | None = None,
    nodata: int = CLASS_NODATA,
) -> tuple[np.ndarray, np.ndarray]:
    """The most frequent class of ``votes`` in the window around each pixel.

    ``nodata`` pixels do not vote. Ties go to ``prefer`` (same shape, e.g. the centre
    pixel's own class) when it is among the tied classes, otherwise to the smallest
    tied class code. Returns ``(winner, count)``: winner is ``nodata`` and count 0
    where no pixel of the window votes.

    The counts of up to 8 classes are summed at once: each class gets its own byte
    (or wider lane, for large windows) of a 64-bit word, one window sum counts them
    all, since no lane can overflow into the next.
    """
    winner = np.full(votes.shape, nodata, dtype=votes.dtype)
    codes = present_codes(votes, nodata)
    if not codes:
        return winner, np.zeros(votes.shape, dtype=np.int32)
    lane = _lane_bits(radius, shape)
    per_word = 64 // lane
    lane_dtype = np.dtype(f"uint{lane}")
    groups = [codes[i : i + per_word] for i in range(0, len(codes), per_word)]
    lookup_size = int(votes.max()) + 1
    if prefer is not None:
        lookup_size = max(lookup_size, int(prefer.max()) + 1)

    words, lanes = [], []  # per group: packed window sums, and as (pixels, classes) counts
    best = None
    for group in groups:
        table = np.zeros(lookup_size, dtype=np.uint64)
        for slot, code in enumerate(group):
            table[code] = np.uint64(1) << np.uint64(lane * slot)
        packed = window_sum(table[votes], radius, shape, np.uint64).reshape(-1)
        counts = packed.view(lane_dtype).reshape(-1, per_word)[:, : len(group)]
        words.append(packed)
        lanes.append(counts)
        for slot in range(len(group)):
            if best is None:
                best = counts[:, slot].copy()
            else:
                np.maximum(best, counts[:, slot], out=best)

    flat_winner = winner.reshape(-1)
    if prefer is not None:
        # the count of each pixel's preferred class: its lane, shifted down
        group_of = np.full(lookup_size, -1, dtype=np.int16)
        shift_of = np.zeros(lookup_size, dtype=np.uint64)
        for index, group in enumerate(groups):
            group_of[group] = index
            shift_of[group] = lane * np.arange(len(group), dtype=np.uint64)
        flat_prefer = prefer.reshape(-1)
        preferred_group = group_of[flat_prefer]
        shifts = shift_of[flat_prefer]
        preferred = np.zeros(best.shape, dtype=lane_dtype)
        for index, packed in enumerate(words):
            own = (packed >> shifts).astype(lane_dtype)  # the low lane: that count
            np.copyto(preferred, own, where=preferred_group == index)
        keep = (preferred == best) & (best > 0) & (flat_prefer != nodata)
        np.copyto(flat_winner, flat_prefer, where=keep)
        undecided = np.flatnonzero(~keep & (best > 0))
    else:
        undecided = np.flatnonzero(best > 0)
    if undecided.size:
        tied = np.concatenate([counts[undecided] for counts in lanes], axis=1)
        first = np.argmax(tied == best[undecided, None], axis=1)  # smallest tied code
        flat_winner[undecided] = np.asarray(codes, dtype=votes.dtype)[first]
    return winner, best.reshape(votes.shape).astype(np.int32)


def majority_filter(
    image: np.ndarray,
    size: int = 3,
    shape: str = "square",
    iterations: int = 1,
    nodata: int = CLASS_NODATA,
) -> np.ndarray:
    """Majority (mode) filter of a class array (rows, cols) of unsigned codes.

    ``size`` is the odd window width in pixels (``size // 2`` is the circle's radius).
    Each pixel takes the most frequent class of its window; a tie keeps the pixel's
    own class when it is among the tied ones, else the smallest tied code. Nodata
    never votes and stays nodata; pixels beyond the array count as nodata.
    """
    check_window(size, iterations)
    radius = size // 2
    result = np.asarray(image)
    for _ in range(iterations):
        winner, _count = mode(result, radius, shape, prefer=result, nodata=nodata)
        result = np.where(result != nodata, winner, result)
    return result


def check_window(size: int, iterations: int = 1) -> None:
    if size < 1 or size % 2 == 0:
        raise InputError(f"the window size must be an odd number of pixels (3, 5, ...), not {size}")
    if iterations < 1:
        raise InputError(f"the number of iterations must be 1 or more, not {iterations}")


def majority_halo(size: int, iterations: int) -> int:
    """Pixels of context a block needs so that filtering it is seamless."""
    return iterations * (size // 2)


def _read_classes(src, block: Block, dtype: Any) -> tuple[Block, np.ndarray]:
    return block, read_class_block(src, block, dtype)


def _class_window(
    item: tuple[Block, np.ndarray], compute: Callable[[np.ndarray], np.ndarray], dtype: Any
) -> np.ndarray:
    block, image = item
    return np.asarray(compute(image), dtype=dtype)[block.inner]


def process_class_raster(
    input_path: str | os.PathLike,
    output_path: str | os.PathLike,
    compute: Callable[[np.ndarray], np.ndarray],
    halo: int,
    progress: Progress | None = None,
    max_pixels: int = DEFAULT_WINDOW_PIXELS,
    workers: int | None = None,
    scheduler: str | None = None,
) -> ClassRasterResult:
    """Apply ``compute`` block by block to a class raster, writing a class raster.

    ``compute`` receives a block's codes (rows, cols) grown by ``halo`` pixels on every
    side, nodata (and everything beyond the raster) as 0, and returns an array of the
    same shape; only the block's own part is written. Names and colours are kept.
    With ``scheduler`` (a Dask scheduler address) the cluster computes the blocks;
    ``compute`` must then be a plain function or a partial of one.
    """
    with open_raster(input_path) as src:
        dtype, classes = class_source(src)
        blocks = blocks_for(src, max_pixels, halo)

        read = partial(_read_classes, src, dtype=dtype)
        work = partial(_class_window, compute=compute, dtype=dtype)

        with create_class_raster(output_path, src, dtype, classes) as dst:

            def write(block: Block, result: np.ndarray) -> None:
                dst.write(result, 1, window=block.window)

            run_blocks(blocks, read, work, write, as_progress(progress), workers, scheduler)
    return ClassRasterResult(classes, len(blocks))


def majority_raster(
    input_path: str | os.PathLike,
    output_path: str | os.PathLike,
    size: int = 3,
    shape: str = "square",
    iterations: int = 1,
    progress: Progress | None = None,
    max_pixels: int = DEFAULT_WINDOW_PIXELS,
    workers: int | None = None,
    scheduler: str | None = None,
) -> ClassRasterResult:
    """Majority-filter a class raster file block by block (see :func:`majority_filter`).

    Blocks are read with a halo of ``iterations * (size // 2)`` pixels, so the result
    equals filtering the whole raster at once. ``scheduler``: a Dask scheduler
    address whose workers compute the blocks.
    """
    check_window(size, iterations)
    window_rows(size // 2, shape)
    return process_class_raster(
        input_path,
        output_path,
        partial(majority_filter, size=size, shape=shape, iterations=iterations),
        majority_halo(size, iterations),
        progress,
        max_pixels,
        workers,
        scheduler,
    )
