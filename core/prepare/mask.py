"""Step 1: set nodata on invalid and cloudy pixels.

A pixel is masked in every band when any band holds nodata or one of the invalid
values, falls outside the valid range, or when the mask raster (a cloud mask, a
Sentinel-2 SCL or a Landsat QA_PIXEL band) flags it by value or by QA bit. The mask
raster is resampled (nearest) onto the input grid when the grids differ.

Nodata of the output: float input keeps its type with NaN. Integer input keeps its
type with a nodata value outside the valid data: its own nodata value, else the first
invalid value, else a type limit outside the valid range or above/below every value
present; only when the data use the whole range of the type is it promoted to float32
with NaN.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rasterio.enums import Resampling
from rasterio.vrt import WarpedVRT
from rasterio.warp import transform_bounds

from ..io.errors import InputError
from ..io.progress import Progress, as_progress
from ..io.raster import (
    DEFAULT_WINDOW_PIXELS,
    blocks_for,
    check_writable,
    create_raster,
    open_raster,
    read_block,
    run_blocks,
)


@dataclass
class MaskResult:
    """What :func:`mask_raster` wrote and how much it masked."""

    path: Path
    dtype: str
    nodata: float
    masked: int  # pixels that are nodata in the output (including those already nodata)
    newly_masked: int  # pixels that were valid in the input and are now masked
    total: int

    @property
    def share(self) -> float:
        """Fraction (0..1) of the raster's pixels that are nodata in the output."""
        return self.masked / self.total if self.total else 0.0


def parse_numbers(text: str, what: str = "values") -> list[float]:
    """Numbers from text like ``"0, 65535"`` or ``"3 8 9 10"``; ranges ``"3-5"`` expand
    to integers. Raises :class:`InputError` naming ``what`` on anything else."""
    numbers: list[float] = []
    for item in re.split(r"[,;\s]+", text.strip()):
        if not item:
            continue
        span = re.fullmatch(r"(-?\d+)(?:-|\.\.)(-?\d+)", item)
        if span:
            lo, hi = sorted((int(span.group(1)), int(span.group(2))))
            numbers.extend(float(v) for v in range(lo, hi + 1))
            continue
        try:
            numbers.append(float(item))
        except ValueError:
            raise InputError(
                f"{what}: {item!r} is not a number; give numbers separated by commas, "
                "e.g. '0, 65535'"
            ) from None
    return numbers


def parse_bits(text: str) -> list[int]:
    """QA bit numbers (0..63) from text like ``"3, 4"``."""
    bits = []
    for value in parse_numbers(text, "QA bits"):
        if not value.is_integer() or not 0 <= value <= 63:
            raise InputError(
                f"QA bits: {value:g} is not a bit number; give bit positions from 0 to 63, "
                "e.g. '3, 4' for Landsat QA_PIXEL cloud and cloud shadow"
            )
        bits.append(int(value))
    return bits


def _same_grid(a, b) -> bool:
    return (
        a.crs == b.crs
        and a.width == b.width
        and a.height == b.height
        and a.transform.almost_equals(b.transform, precision=1e-9 * max(abs(a.transform.a), 1e-12))
    )


def _nodata_for(
    src,
    invalid_values: Sequence[float],
    valid_range: tuple[float, float] | None,
    progress: Progress,
    max_pixels: int,
) -> tuple[np.dtype, float]:
    """Output type and nodata value (see the module docstring)."""
    dtype = np.dtype(src.dtypes[0])
    if dtype.kind == "f":
        return dtype, float("nan")
    info = np.iinfo(dtype)

    def fits(value: float | None) -> bool:
        return (
            value is not None
            and math.isfinite(value)
            and float(value).is_integer()
            and info.min <= value <= info.max
        )

    if fits(src.nodata):
        return dtype, float(src.nodata)
    for value in invalid_values:
        if fits(value):
            return dtype, float(value)
    if valid_range is not None:
        lo, hi = valid_range
        if lo > info.min:
            return dtype, float(info.min)
        if hi < info.max:
            return dtype, float(info.max)
    low, high = info.max, info.min
    blocks = blocks_for(src, max_pixels)
    for done, block in enumerate(blocks, start=1):
        data = src.read(window=block.window)
        low, high = min(low, int(data.min())), max(high, int(data.max()))
        progress(done / len(blocks))
    if high < info.max:
        return dtype, float(info.max)
    if low > info.min:
        return dtype, float(info.min)
    return np.dtype("float32"), float("nan")


def _check_mask_arguments(
    input: str | os.PathLike,
    output: str | os.PathLike,
    mask: str | os.PathLike | None,
    mask_values: Sequence[float],
    mask_bits: Sequence[int],
) -> Path:
    """The checked output path; refuses an output that is the input and a mask raster
    without values or bits."""
    output = check_writable(output)
    if Path(input).resolve() == output.resolve():
        raise InputError(f"the output {output} is also the input; choose another output path")
    if mask is not None and not (len(mask_values) or len(mask_bits)):
        raise InputError(
            "a mask raster was given without mask values or QA bits; say which values "
            "(e.g. SCL 3, 8, 9, 10) or bits (e.g. QA_PIXEL 3, 4) mean cloud or shadow"
        )
    return output


def _valid_bounds(
    valid_range: tuple[float | None, float | None] | None,
) -> tuple[float, float] | None:
    """(min, max) of the valid range, infinite where not given; refuses an empty one."""
    if valid_range is None:
        return None
    lo = -math.inf if valid_range[0] is None else float(valid_range[0])
    hi = math.inf if valid_range[1] is None else float(valid_range[1])
    if lo > hi:
        raise InputError(f"the valid range {lo:g} .. {hi:g} is empty; give the minimum first")
    return (lo, hi)


def _open_mask(
    stack: ExitStack, mask: str | os.PathLike, src, input: str | os.PathLike
) -> tuple[object, list[int]]:
    """The mask raster on the grid of ``src`` (itself, or warped to it with nearest
    neighbour), opened on ``stack``, and the bands to read from it (the flags, then the
    alpha band of a warped mask)."""
    flags = stack.enter_context(open_raster(mask))
    if _same_grid(flags, src):
        return flags, [1]
    if flags.crs is None or src.crs is None:
        raise InputError(
            f"{Path(mask).name} is not on the grid of {Path(input).name} and one of "
            "them has no CRS, so it cannot be resampled; assign a CRS to both"
        )
    left, bottom, right, top = transform_bounds(flags.crs, src.crs, *flags.bounds)
    s_left, s_bottom, s_right, s_top = src.bounds
    if left >= s_right or right <= s_left or bottom >= s_top or top <= s_bottom:
        raise InputError(
            f"the mask raster {Path(mask).name} does not overlap "
            f"{Path(input).name}; choose the mask of the same scene"
        )
    warped = stack.enter_context(
        WarpedVRT(
            flags,
            crs=src.crs,
            transform=src.transform,
            width=src.width,
            height=src.height,
            resampling=Resampling.nearest,
            add_alpha=True,
        )
    )
    return warped, [1, flags.count + 1]  # the warped VRT's alpha band follows


def _flagged(flags: np.ndarray, mask_src, values: np.ndarray, bit_mask: int) -> np.ndarray:
    """Pixels the mask raster's ``flags`` (bands, rows, cols) mark by one of ``values``
    or one of the bits of ``bit_mask``, where the mask raster holds data."""
    code = flags[0]
    hit = np.zeros(code.shape, dtype=bool)
    if values.size:
        hit |= np.isin(code, values)
    if bit_mask:
        hit |= (code.astype(np.int64) & bit_mask) != 0
    if flags.shape[0] > 1:  # the alpha band of a warped mask
        hit &= flags[-1] > 0
    else:
        hit &= _mask_valid(mask_src, code)
    return hit


def mask_raster(
    input: str | os.PathLike,
    output: str | os.PathLike,
    invalid_values: Sequence[float] = (),
    valid_range: tuple[float | None, float | None] | None = None,
    mask: str | os.PathLike | None = None,
    mask_values: Sequence[float] = (),
    mask_bits: Sequence[int] = (),
    max_pixels: int = DEFAULT_WINDOW_PIXELS,
    progress: Progress | None = None,
    workers: int | None = None,
) -> MaskResult:
    """Write ``input`` to ``output`` with nodata on every masked pixel (all bands).

    ``invalid_values``: values meaning "no data" in any band. ``valid_range``: (min,
    max), inclusive, either may be None; values outside are masked. ``mask``: a raster
    whose first band flags pixels to mask, by ``mask_values`` (e.g. Sentinel-2 SCL 3, 8,
    9, 10) and/or ``mask_bits`` (bit positions, e.g. Landsat QA_PIXEL 3 cloud and 4
    shadow); where the mask raster has no data, nothing is masked by it.
    """
    progress = as_progress(progress)
    output = _check_mask_arguments(input, output, mask, mask_values, mask_bits)
    bounds = _valid_bounds(valid_range)
    invalid = np.array(sorted(set(invalid_values)), dtype="float64")
    values = np.array(sorted(set(mask_values)), dtype="float64")
    bit_mask = 0
    for bit in mask_bits:
        bit_mask |= 1 << int(bit)

    with ExitStack() as stack:
        src = stack.enter_context(open_raster(input))
        mask_src = None
        mask_bands = [1]
        if mask is not None:
            mask_src, mask_bands = _open_mask(stack, mask, src, input)
        dtype, nodata = _nodata_for(src, invalid, bounds, progress.span(0.0, 0.2), max_pixels)
        blocks = blocks_for(src, max_pixels)

        def read(block):
            data, valid = read_block(src, block)
            flags = None
            if mask_src is not None:
                flags = mask_src.read(mask_bands, window=block.window)
            return data, valid, flags

        def compute(item):
            data, valid, flags = item
            bad = np.zeros(valid.shape, dtype=bool)
            if invalid.size:
                bad |= np.isin(data, invalid).any(axis=0)
            if bounds is not None:
                bad |= ((data < bounds[0]) | (data > bounds[1])).any(axis=0)
            if flags is not None:
                bad |= _flagged(flags, mask_src, values, bit_mask)
            masked = bad | ~valid
            out = data.astype(dtype, copy=True)
            out[:, masked] = nodata
            return out, int(masked.sum()), int((bad & valid).sum())

        counts = [0, 0]
        with create_raster(
            output,
            width=src.width,
            height=src.height,
            count=src.count,
            dtype=dtype,
            crs=src.crs,
            transform=src.transform,
            nodata=nodata,
            descriptions=[d or "" for d in src.descriptions] if any(src.descriptions) else None,
        ) as dst:

            def write(block, result):
                out, masked, newly = result
                dst.write(out, window=block.window)
                counts[0] += masked
                counts[1] += newly

            run_blocks(blocks, read, compute, write, progress.span(0.2, 1.0), workers)
    progress(1.0)
    return MaskResult(
        Path(output), dtype.name, nodata, counts[0], counts[1], src.width * src.height
    )


def _mask_valid(mask_src, code: np.ndarray) -> np.ndarray:
    """Pixels of a mask raster on the input grid that hold data."""
    nodata = mask_src.nodata
    if nodata is None:
        return np.ones(code.shape, dtype=bool)
    if isinstance(nodata, float) and math.isnan(nodata):
        return ~np.isnan(code)
    return code != nodata
