"""Smoother class boundaries: morphological opening per class, gaps filled by majority.

Each class is opened with a disc of ``radius`` pixels (``dx² + dy² <= radius² + radius``;
erosion then dilation): parts
of a class narrower than the disc (spurs, one-pixel strands, specks, the tips of
jagged corners) are freed. As the classes partition the map, opening one class is
closing the union of the others, so a notch of one class is the spur of its
neighbour and is smoothed the same way. Freed pixels take the most frequent class
among the kept pixels of the disc around them (a tie keeps the pixel's own class),
in up to :data:`FILL_ROUNDS` rounds; a pixel still without kept neighbours keeps its
class. Nodata stays nodata and never votes. Erosion and dilation are disc counts
(:func:`~.majority.window_count`), so the cost does not grow with the disc's area.
"""

from __future__ import annotations

import os
from functools import partial

import numpy as np

from ..io.classes import CLASS_NODATA
from ..io.errors import InputError
from ..io.progress import Progress
from ..io.raster import DEFAULT_WINDOW_PIXELS
from .majority import (
    ClassRasterResult,
    mode,
    present_codes,
    process_class_raster,
    window_count,
    window_rows,
)

FILL_ROUNDS = 2


def opened(mask: np.ndarray, radius: int) -> np.ndarray:
    """Binary opening of ``mask`` by a disc of ``radius`` pixels (outside = False)."""
    area = sum(2 * half + 1 for _, half in window_rows(radius, "disc"))
    eroded = window_count(mask, radius, "disc") == area
    return window_count(eroded, radius, "disc") > 0


def smooth(image: np.ndarray, radius: int, nodata: int = CLASS_NODATA) -> np.ndarray:
    """Smooth the class boundaries of a class array (rows, cols); see the module text."""
    if radius < 1:
        raise InputError(f"the smoothing radius must be 1 pixel or more, not {radius}")
    kept = np.zeros(image.shape, dtype=bool)
    for code in present_codes(image, nodata):
        mask = image == code
        kept |= mask & opened(mask, radius)
    freed = (image != nodata) & ~kept
    result = np.where(kept, image, nodata).astype(image.dtype, copy=False)
    for _ in range(FILL_ROUNDS):
        if not freed.any():
            break
        winner, count = mode(result, radius, "disc", prefer=image, nodata=nodata)
        fill = freed & (count > 0)
        result[fill] = winner[fill]
        freed &= ~fill
    result[freed] = image[freed]
    return result


def smooth_halo(radius: int) -> int:
    """Context a block needs: ``2 * radius`` for the opening, ``radius`` per fill round."""
    return (2 + FILL_ROUNDS) * radius


def smooth_raster(
    input_path: str | os.PathLike,
    output_path: str | os.PathLike,
    radius: int,
    progress: Progress | None = None,
    max_pixels: int = DEFAULT_WINDOW_PIXELS,
    workers: int | None = None,
    scheduler: str | None = None,
) -> ClassRasterResult:
    """Smooth a class raster file block by block; equals :func:`smooth` on the whole array.

    ``scheduler``: a Dask scheduler address whose workers compute the blocks.
    """
    if radius < 1:
        raise InputError(f"the smoothing radius must be 1 pixel or more, not {radius}")
    return process_class_raster(
        input_path,
        output_path,
        partial(smooth, radius=radius),
        smooth_halo(radius),
        progress,
        max_pixels,
        workers,
        scheduler,
    )
