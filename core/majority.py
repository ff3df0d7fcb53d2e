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
from typing import Any

import numpy as np

from .classes import CLASS_NODATA, ClassInfo
from .errors import InputError
from .progress import Progress, as_progress
from .raster import (
    DEFAULT_WINDOW_PIXELS,
    Block,
    blocks_for,
    create_raster,
    open_raster,
    read_block,
    read_classes,
    run_blocks,
)

SHAPES = ("square", "circle")


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
    rows = window_rows(radius, shape)
    h, w = mask.shape
    r = radius
    dtype = np.uint16 if (2 * r + 1) ** 2 < 65536 else np.int32
    # A leading zero column makes every box sum a difference of two cumulative sums.
    cs = np.zeros((h + 2 * r, w + 2 * r + 1), dtype=dtype)
    cs[r : r + h, r + 1 : r + 1 + w] = mask
    np.add.accumulate(cs, axis=1, out=cs)
    if all(half == r for _, half in rows):  # a square: two cumulative sums
        vertical = np.zeros((h + 2 * r + 1, w), dtype=dtype)
        np.subtract(cs[:, 2 * r + 1 : 2 * r + 1 + w], cs[:, 0:w], out=vertical[1:])
        np.add.accumulate(vertical, axis=0, out=vertical)
        return vertical[2 * r + 1 : 2 * r + 1 + h] - vertical[0:h]
    count = np.zeros((h, w), dtype=dtype)
    by_half: dict[int, np.ndarray] = {}
    for dy, half in rows:
        if half not in by_half:
            by_half[half] = cs[:, r + half + 1 : r + half + 1 + w] - cs[:, r - half : r - half + w]
        count += by_half[half][r + dy : r + dy + h]
    return count


def present_codes(image: np.ndarray, nodata: int = CLASS_NODATA) -> list[int]:
    """Class codes present in ``image`` (unsigned integers), ascending, without nodata."""
    if image.size == 0:
        return []
    if image.dtype.itemsize <= 2:
        codes = np.flatnonzero(np.bincount(image.ravel()))
    else:
        codes = np.unique(image)
    return [int(c) for c in codes if c != nodata]


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
    """
    best = np.zeros(votes.shape, dtype=np.int32)
    winner = np.full(votes.shape, nodata, dtype=votes.dtype)
    preferred = np.zeros(votes.shape, dtype=np.int32) if prefer is not None else None
    for code in present_codes(votes, nodata):
        count = window_count(votes == code, radius, shape)
        better = count > best  # strict: among equal counts the smaller code stays
        np.copyto(winner, code, where=better)
        np.maximum(best, count, out=best)
        if preferred is not None:
            np.copyto(preferred, count, where=prefer == code)
    if prefer is not None:
        keep = (preferred == best) & (best > 0) & (prefer != nodata)
        winner[keep] = prefer[keep]
    return winner, best


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


def class_source(src: Any) -> tuple[np.dtype, list[ClassInfo]]:
    """The data type and classes of an open class raster, or an error saying why not."""
    if src.count != 1:
        raise InputError(
            f"the input has {src.count} bands; a class raster has one band of class codes"
        )
    dtype = np.dtype(src.dtypes[0])
    if not np.issubdtype(dtype, np.unsignedinteger):
        raise InputError(
            f"the input holds {dtype.name} values; a class raster holds unsigned integer "
            "class codes (0 = nodata). Use the output of a classification step."
        )
    return dtype, read_classes(src)


def process_class_raster(
    input_path: str | os.PathLike,
    output_path: str | os.PathLike,
    compute: Callable[[np.ndarray], np.ndarray],
    halo: int,
    progress: Progress | None = None,
    max_pixels: int = DEFAULT_WINDOW_PIXELS,
    workers: int | None = None,
) -> dict:
    """Apply ``compute`` block by block to a class raster, writing a class raster.

    ``compute`` receives a block's codes (rows, cols) grown by ``halo`` pixels on every
    side, nodata (and everything beyond the raster) as 0, and returns an array of the
    same shape; only the block's own part is written. Names and colours are kept.
    Returns ``{"classes": [...], "blocks": n}``.
    """
    with open_raster(input_path) as src:
        dtype, classes = class_source(src)
        blocks = blocks_for(src, max_pixels, halo)

        def read(block: Block) -> tuple[Block, np.ndarray]:
            data, valid = read_block(src, block, [1])
            return block, np.where(valid, data[0], CLASS_NODATA).astype(dtype, copy=False)

        def work(item: tuple[Block, np.ndarray]) -> np.ndarray:
            block, image = item
            return np.asarray(compute(image), dtype=dtype)[block.inner]

        with create_raster(
            output_path,
            width=src.width,
            height=src.height,
            count=1,
            dtype=dtype,
            crs=src.crs,
            transform=src.transform,
            nodata=CLASS_NODATA,
            classes=classes,
            overviews=True,
        ) as dst:

            def write(block: Block, result: np.ndarray) -> None:
                dst.write(result, 1, window=block.window)

            run_blocks(blocks, read, work, write, as_progress(progress), workers)
    return {"classes": classes, "blocks": len(blocks)}


def majority_raster(
    input_path: str | os.PathLike,
    output_path: str | os.PathLike,
    size: int = 3,
    shape: str = "square",
    iterations: int = 1,
    progress: Progress | None = None,
    max_pixels: int = DEFAULT_WINDOW_PIXELS,
    workers: int | None = None,
) -> dict:
    """Majority-filter a class raster file block by block (see :func:`majority_filter`).

    Blocks are read with a halo of ``iterations * (size // 2)`` pixels, so the result
    equals filtering the whole raster at once.
    """
    check_window(size, iterations)
    window_rows(size // 2, shape)
    return process_class_raster(
        input_path,
        output_path,
        lambda image: majority_filter(image, size, shape, iterations),
        majority_halo(size, iterations),
        progress,
        max_pixels,
        workers,
    )
