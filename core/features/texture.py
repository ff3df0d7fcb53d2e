"""Moving-window texture features, block by block and seamless.

Every measure is a ratio of moving-window sums, so its cost does not grow with the
window: local mean, variance and standard deviation from the sums of values and of
squares; entropy from one window count per grey level; GLCM contrast and homogeneity
from window sums of a neighbour-difference image.

Window sums use cumulative sums restarted at chunks of the window length, anchored to
the raster's own pixel grid (van Herk / Gil-Werman for sums): a window is the suffix
of one chunk plus the prefix of the next. Each sum therefore depends only on the
pixels of its own window and their global position, never on where a processing
block starts, so a block-wise result equals the whole-array result bit for bit, and
rounding stays that of a sum over two window lengths (an integral image over a whole
block would accumulate rounding over millions of pixels).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
from rasterio.enums import Resampling

from ..io import raster
from ..io.bands import band_for_role
from ..io.errors import InputError
from ..io.progress import Progress, as_progress
from .indices import FEATURE_TAG, band_feature, band_label

MEASURES = ("mean", "std", "variance", "entropy", "glcm_contrast", "glcm_homogeneity")
TITLES = {
    "mean": "mean",
    "std": "standard deviation",
    "variance": "variance",
    "entropy": "entropy",
    "glcm_contrast": "GLCM contrast",
    "glcm_homogeneity": "GLCM homogeneity",
}
QUANTISED = frozenset({"entropy", "glcm_contrast", "glcm_homogeneity"})
MIN_WINDOW, MAX_WINDOW = 3, 31
MIN_LEVELS, MAX_LEVELS = 2, 256
ROBUST_PERCENTILES = (2.0, 98.0)

# Neighbour offsets (rows, columns) of the GLCM: distance 1 at 0, 45, 90 and 135 degrees.
GLCM_OFFSETS = ((0, 1), (-1, 1), (1, 0), (1, 1))


@dataclass
class TextureResult:
    """What :func:`texture` wrote: the ``descriptions`` of the output bands in order,
    the input ``bands`` measured, the grey-level ``ranges`` (band -> (low, high)) of
    each band and ``warnings`` for the user."""

    descriptions: list[str]
    bands: list[int]
    ranges: dict[int, tuple[float, float]]
    warnings: list[str]


def window_sums(values: np.ndarray, length: int, axis: int, origin: int) -> np.ndarray:
    """Sums of ``length`` consecutive elements along ``axis`` (0 or 1) of a 2-D array.

    ``out[j] = values[j : j + length].sum()`` along ``axis``, so the result is
    ``length - 1`` shorter on that axis. ``origin`` is the global position of
    ``values[0]`` on that axis: chunks are anchored to it, which makes each sum
    independent of where ``values`` was cut from a larger array. Integers are summed
    in their own dtype, which must hold the sum of ``length`` elements.
    """
    size = values.shape[axis]
    if size < length:
        raise ValueError(f"an axis of {size} is shorter than the window {length}")
    skip = origin % length
    chunks = -(-(skip + size + 1) // length)  # one spare chunk for the last window
    count = size - length + 1
    if axis == 1:  # work on rows, whose slices are contiguous
        values = values.T
    columns = values.shape[1]
    buffer = np.zeros((chunks * length, columns), dtype=values.dtype)
    buffer[skip : skip + size] = values
    blocks = buffer.reshape(chunks, length, columns)
    # suffix[c, o] sums offsets o .. length - 1 of chunk c, accumulated from the end;
    # one vectorised add per offset, far faster than a cumulative sum along axis 1
    suffix = np.empty_like(blocks)
    suffix[:, -1] = blocks[:, -1]
    for offset in range(length - 2, -1, -1):
        np.add(suffix[:, offset + 1], blocks[:, offset], out=suffix[:, offset])
    # a window starting at offset o of chunk c: suffix[c, o] + (offsets 0 .. o - 1 of c + 1)
    sums = np.empty((chunks - 1, length, columns), dtype=values.dtype)
    sums[:, 0] = suffix[:-1, 0]
    prefix = blocks[1:, 0].copy()
    for offset in range(1, length):
        np.add(suffix[:-1, offset], prefix, out=sums[:, offset])
        if offset < length - 1:
            prefix += blocks[1:, offset]
    out = sums.reshape(-1, columns)[skip : skip + count]
    return out.T if axis == 1 else out


def box_sums(
    values: np.ndarray, rows: int, cols: int, origin: tuple[int, int] = (0, 0)
) -> np.ndarray:
    """Sums over every ``rows`` x ``cols`` box: ``out[i, j] = values[i:i+rows, j:j+cols].sum()``.

    ``origin`` is the global (row, column) of ``values[0, 0]``; see :func:`window_sums`.
    """
    vertical = window_sums(values, rows, 0, origin[0])
    return window_sums(vertical, cols, 1, origin[1])


def quantile_range(values: np.ndarray) -> tuple[float, float]:
    """Robust range (2nd and 98th percentiles) of the finite ``values``, for grey levels."""
    values = np.asarray(values, dtype=np.float64)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return (0.0, 0.0)
    low, high = np.percentile(values, ROBUST_PERCENTILES)
    return (float(low), float(high))


def quantise(values: np.ndarray, value_range: tuple[float, float], levels: int) -> np.ndarray:
    """Grey levels 0 .. ``levels`` - 1 of ``values``: equal steps over ``value_range``,
    values outside it clipped to the first or last level (uint8 or uint16)."""
    low, high = value_range
    dtype = np.uint8 if levels <= 256 else np.uint16
    if not high > low:
        return np.zeros(values.shape, dtype=dtype)
    with np.errstate(invalid="ignore"):
        scaled = np.floor((values - low) * (levels / (high - low)))
    scaled = np.nan_to_num(scaled, nan=0.0)
    return np.clip(scaled, 0, levels - 1).astype(dtype)


def check_options(window: int, measures: Sequence[str], levels: int) -> None:
    """Raise :class:`InputError` for a window, measure list or level count that cannot work."""
    if window % 2 == 0 or not MIN_WINDOW <= window <= MAX_WINDOW:
        raise InputError(
            f"the window size must be an odd number from {MIN_WINDOW} to {MAX_WINDOW}, not {window}"
        )
    if not measures:
        raise InputError("no texture measure chosen; choose at least one measure")
    for measure in measures:
        if measure not in MEASURES:
            raise InputError(
                f"unknown texture measure {measure!r}; choose among {', '.join(MEASURES)}"
            )
    if not MIN_LEVELS <= levels <= MAX_LEVELS:
        raise InputError(
            f"the number of grey levels must be from {MIN_LEVELS} to {MAX_LEVELS}, not {levels}"
        )


def texture_block(
    values: np.ndarray,
    valid: np.ndarray,
    window: int,
    measures: Sequence[str],
    *,
    levels: int = 16,
    value_range: tuple[float, float] = (0.0, 1.0),
    shift: float = 0.0,
    origin: tuple[int, int] = (0, 0),
) -> np.ndarray:
    """Texture ``measures`` of a block that carries a halo of ``window // 2`` pixels.

    ``values`` and ``valid`` are (rows, cols); ``origin`` is the global (row, column)
    of their first pixel. Returns float32 (len(measures), rows - 2 * halo,
    cols - 2 * halo) for the inner pixels, NaN where the centre pixel is invalid.
    ``shift`` (any constant near the data, e.g. its median) is subtracted before
    squaring to keep variance accurate; ``value_range`` and ``levels`` set the grey
    levels of entropy and GLCM measures. Entropy is in bits; variance is the
    population variance of the valid pixels of the window.
    """
    halo = window // 2
    rows, cols = values.shape[0] - 2 * halo, values.shape[1] - 2 * halo
    out = np.empty((len(measures), rows, cols), dtype=np.float32)
    centre = valid[halo : halo + rows, halo : halo + cols]
    mask = valid.astype(np.uint16)  # window counts up to 31 * 31
    count = box_sums(mask, window, window, origin)
    results: dict[str, np.ndarray] = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        if {"mean", "std", "variance"} & set(measures):
            centred = np.where(valid, values - shift, 0.0)
            mean = box_sums(centred, window, window, origin) / count
            if {"std", "variance"} & set(measures):
                variance = box_sums(centred * centred, window, window, origin) / count
                variance -= mean * mean
                np.maximum(variance, 0.0, out=variance)
                results["variance"] = variance
                results["std"] = np.sqrt(variance)
            results["mean"] = mean + shift
        if QUANTISED & set(measures):
            grey = quantise(np.where(valid, values, value_range[0]), value_range, levels)
            if "entropy" in measures:
                results["entropy"] = _entropy(grey, valid, count, window, levels, origin)
            wanted = {"glcm_contrast", "glcm_homogeneity"} & set(measures)
            if wanted:
                results.update(_glcm(grey, valid, window, origin, wanted))
    for i, measure in enumerate(measures):
        band = results[measure].astype(np.float32)
        band[~centre] = np.nan
        out[i] = band
    return out


def _entropy(
    grey: np.ndarray,
    valid: np.ndarray,
    count: np.ndarray,
    window: int,
    levels: int,
    origin: tuple[int, int],
) -> np.ndarray:
    """Shannon entropy (bits) of the grey levels of each window: one box count per level.

    With n pixels and n_l of level l: H = log2 n - sum(n_l log2 n_l) / n.
    """
    table = np.arange(window * window + 1, dtype=np.float64)
    table[1:] *= np.log2(table[1:])
    present = np.bincount(grey[valid], minlength=levels) > 0
    total = np.zeros(count.shape, dtype=np.float64)
    for level in np.flatnonzero(present):
        member = ((grey == level) & valid).astype(count.dtype)
        total += table[box_sums(member, window, window, origin)]
    pixels = count.astype(np.float64)  # log2 of uint16 would be float32
    entropy = np.log2(pixels) - total / pixels
    return np.maximum(entropy, 0.0)


def _glcm(
    grey: np.ndarray,
    valid: np.ndarray,
    window: int,
    origin: tuple[int, int],
    wanted: set[str],
) -> dict[str, np.ndarray]:
    """GLCM contrast and homogeneity of each window: symmetric co-occurrences at
    distance 1, pooled over the four directions, counting pairs whose two pixels are
    both valid and inside the window."""
    halo = window // 2
    rows, cols = grey.shape[0] - 2 * halo, grey.shape[1] - 2 * halo
    level = grey.astype(np.float64)
    pairs = np.zeros((rows, cols), dtype=np.float64)
    contrast = np.zeros((rows, cols), dtype=np.float64)
    homogeneity = np.zeros((rows, cols), dtype=np.float64)
    height, width = grey.shape
    for dr, dc in GLCM_OFFSETS:
        # pair image indexed by its first pixel p = (i, j); second pixel p + (dr, dc)
        r0, r1 = max(0, -dr), height - max(0, dr)
        c0, c1 = max(0, -dc), width - max(0, dc)
        both = np.zeros(grey.shape, dtype=bool)
        first = (slice(r0, r1), slice(c0, c1))
        second = (slice(r0 + dr, r1 + dr), slice(c0 + dc, c1 + dc))
        both[first] = valid[first] & valid[second]
        square = np.zeros(grey.shape, dtype=np.float64)
        square[first] = (level[first] - level[second]) ** 2
        square[~both] = 0.0
        # first pixels of the pairs inside a window centred at (r, c): rows
        # r - halo + max(0, -dr) .. r + halo - max(0, dr), likewise for columns
        box_rows, box_cols = window - abs(dr), window - abs(dc)
        top, left = max(0, -dr), max(0, -dc)
        inside = (slice(top, top + rows), slice(left, left + cols))
        pairs += box_sums(both.astype(np.uint16), box_rows, box_cols, origin)[inside]
        # squared level differences are integers: sum them exactly, and fast
        if "glcm_contrast" in wanted:
            contrast += box_sums(square.astype(np.uint32), box_rows, box_cols, origin)[inside]
        if "glcm_homogeneity" in wanted:
            weight = np.where(both, 1.0 / (1.0 + square), 0.0)
            homogeneity += box_sums(weight, box_rows, box_cols, origin)[inside]
    return {"glcm_contrast": contrast / pairs, "glcm_homogeneity": homogeneity / pairs}


def texture_array(
    values: np.ndarray,
    valid: np.ndarray | None,
    window: int,
    measures: Sequence[str],
    *,
    levels: int = 16,
    value_range: tuple[float, float] | None = None,
    shift: float | None = None,
) -> np.ndarray:
    """Texture ``measures`` of a whole 2-D array, float32 (len(measures), rows, cols).

    Windows are truncated at the array edges (outside pixels count as nodata).
    ``value_range`` defaults to the robust range of the valid values and ``shift`` to
    their median, as :func:`texture` derives them from a sample of a raster.
    """
    check_options(window, measures, levels)
    values = np.asarray(values, dtype=np.float64)
    valid = np.isfinite(values) if valid is None else valid & np.isfinite(values)
    if value_range is None:
        value_range = quantile_range(values[valid])
    if shift is None:
        shift = float(np.median(values[valid])) if valid.any() else 0.0
    halo = window // 2
    padded = np.pad(values, halo)
    padded_valid = np.pad(valid, halo, constant_values=False)
    return texture_block(
        padded,
        padded_valid,
        window,
        measures,
        levels=levels,
        value_range=value_range,
        shift=shift,
        origin=(-halo, -halo),
    )


def default_band(src) -> tuple[int, str | None]:
    """The band texture is computed on when none is chosen, and a warning when it is
    a guess: the band whose role is NIR (its tag or description, see
    :mod:`.bands`), else band 1."""
    index = band_for_role(src, "nir")
    if index is not None:
        return index, None
    return 1, (
        f"no band is described as NIR, so texture was measured on band 1 "
        f"('{band_label(src, 1)}'); choose the bands to measure, or describe the NIR band "
        "(e.g. import the product with 'Import Sentinel-2 / Landsat product')"
    )


def band_sample(src, index: int, size: int = 1024) -> np.ndarray:
    """The valid values of band ``index`` on a regular grid of at most ``size`` x
    ``size`` pixels (nearest neighbour), as float64."""
    shape = (min(src.height, size), min(src.width, size))
    data = src.read(index, out_shape=shape, resampling=Resampling.nearest)
    valid = src.read_masks(index, out_shape=shape, resampling=Resampling.nearest) > 0
    data = data.astype(np.float64)
    return data[valid & np.isfinite(data)]


def _read_bands(src, block, indexes: Sequence[int]) -> tuple:
    """``(block, {band: (values float64, valid)})`` of one window with its halo."""
    data = {}
    for index in indexes:
        values, valid = raster.read_block(src, block, [index], dtype=np.float64)
        data[index] = (values[0], valid)
    return block, data


def _texture_window(
    item: tuple,
    copies: Sequence[int],
    bands: Sequence[int],
    stats: dict,
    window: int,
    measures: Sequence[str],
    levels: int,
) -> np.ndarray:
    """The output bands (copies, then each band's measures) of one read window."""
    block, data = item
    halo = window // 2
    origin = (int(block.window.row_off) - halo, int(block.window.col_off) - halo)
    parts = []
    for index in copies:
        values, valid = data[index]
        band = values[block.inner].astype(np.float32)
        band[~valid[block.inner]] = np.nan
        parts.append(band[np.newaxis])
    for index in bands:
        value_range, shift = stats[index]
        parts.append(
            texture_block(
                *data[index],
                window,
                measures,
                levels=levels,
                value_range=value_range,
                shift=shift,
                origin=origin,
            )
        )
    return np.concatenate(parts)


def texture(
    input_path: str | os.PathLike,
    output_path: str | os.PathLike,
    bands: Sequence[int] | None,
    window: int,
    measures: Sequence[str],
    *,
    levels: int = 16,
    append: bool = False,
    progress: Progress | None = None,
    max_pixels: int | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
) -> TextureResult:
    """Write texture ``measures`` of ``bands`` of ``input_path`` to ``output_path``.

    The output is float32 with NaN nodata: with ``append`` every input band first,
    then for each band each measure, named like ``NIR variance 7x7`` and tagged with
    a ``LANDCOVER_FEATURE`` JSON (band, measure, window, grey levels and their
    range). ``bands`` None takes :func:`default_band`. Grey levels for entropy and
    GLCM span the robust range of a sample of each band. ``scheduler``: a Dask
    scheduler address whose workers compute the windows (see :mod:`.cluster`).
    Returns a :class:`TextureResult`.
    """
    progress = as_progress(progress)
    measures = list(measures)
    check_options(window, measures, levels)
    halo = window // 2
    with raster.open_raster(input_path) as src:
        warnings = []
        if not bands:
            band, warning = default_band(src)
            bands = [band]
            warnings += [warning] if warning else []
        bands = list(bands)
        for index in bands:
            if not 1 <= index <= src.count:
                raise InputError(f"band {index} does not exist: the input has {src.count} band(s)")
        if min(src.width, src.height) < 1:
            raise InputError("the input raster is empty")
        stats = {}
        sampling = progress.span(0.0, 0.05)
        for done, index in enumerate(bands, start=1):
            sample = band_sample(src, index)
            stats[index] = (
                quantile_range(sample),
                float(np.median(sample)) if sample.size else 0.0,
            )
            sampling(done / len(bands))
        copies = list(range(1, src.count + 1)) if append else []
        descriptions = [band_label(src, i) for i in copies]
        tags = [band_feature(src, i) for i in copies]
        for index in bands:
            for measure in measures:
                descriptions.append(f"{band_label(src, index)} {TITLES[measure]} {window}x{window}")
                tag = {
                    "kind": "texture",
                    "measure": measure,
                    "band": index,
                    "source": band_feature(src, index),
                    "window": window,
                }
                if measure in QUANTISED:
                    tag.update(levels=levels, range=list(stats[index][0]))
                tags.append(tag)
        blocks = raster.blocks_for(src, max_pixels or raster.DEFAULT_WINDOW_PIXELS, halo)

        read = partial(_read_bands, src, indexes=sorted(set(bands) | set(copies)))
        compute = partial(
            _texture_window,
            copies=copies,
            bands=bands,
            stats=stats,
            window=window,
            measures=measures,
            levels=levels,
        )

        raster.write_float_stack(
            src,
            output_path,
            descriptions,
            blocks,
            read,
            compute,
            progress.span(0.05, 1.0),
            workers,
            scheduler,
            band_tags=[{FEATURE_TAG: json.dumps(tag)} for tag in tags],
        )
    return TextureResult(descriptions, bands, {index: stats[index][0] for index in bands}, warnings)
