"""Step 1: reproject and resample several rasters onto one grid and stack them.

Each source is seen through a GDAL warped VRT onto the target grid; the target grid
is processed window by window (planned by :func:`.raster.plan_blocks`), so GDAL warps
only the part of each source a window needs and memory is set by the window size,
never by the raster size.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
from affine import Affine
from rasterio.crs import CRS
from rasterio.enums import Resampling
from rasterio.vrt import WarpedVRT
from rasterio.warp import calculate_default_transform, transform_bounds

from ..io import bands
from ..io.errors import InputError
from ..io.progress import Progress, as_progress
from ..io.raster import (
    DEFAULT_WINDOW_PIXELS,
    check_writable,
    create_raster,
    geotiff_profile,
    open_raster,
    plan_blocks,
    run_blocks,
)

# Resampling methods offered to the user, in the order of the RESAMPLING enum.
RESAMPLING_METHODS: tuple[str, ...] = ("nearest", "bilinear", "cubic", "average", "mode")

# A target grid above this many pixels is almost certainly a pixel size in the wrong
# unit (metres given for a grid in degrees, or the reverse).
MAX_GRID_PIXELS = 1 << 36


@dataclass(frozen=True)
class Grid:
    """A raster grid: CRS, affine transform (north up) and size in pixels."""

    crs: CRS
    transform: Affine
    width: int
    height: int

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(left, bottom, right, top) in CRS units."""
        left, top = self.transform.c, self.transform.f
        right = left + self.transform.a * self.width
        bottom = top + self.transform.e * self.height
        return (min(left, right), min(bottom, top), max(left, right), max(bottom, top))

    @property
    def res(self) -> tuple[float, float]:
        return (abs(self.transform.a), abs(self.transform.e))


@dataclass
class AlignResult:
    """What :func:`align_rasters` wrote."""

    path: Path
    grid: Grid
    dtype: str
    nodata: float
    descriptions: list[str]
    partial: list[str] = field(default_factory=list)  # sources covering only part of the grid
    # sources without nodata: pixels whose every band is 0, kept as data
    zeros_kept: dict[str, int] = field(default_factory=dict)
    roles: list[str | None] = field(default_factory=list)  # each band's role, if known
    role_notes: list[str] = field(default_factory=list)  # roles read from file names


def to_crs(value: Any) -> CRS:
    """A rasterio CRS from an EPSG code, ``EPSG:n`` text, WKT or a CRS object."""
    if isinstance(value, CRS):
        return value
    try:
        return CRS.from_user_input(value)
    except Exception as exc:
        raise InputError(f"{value!r} is not a coordinate reference system: {exc}") from exc


def grid_of(path: str | os.PathLike) -> Grid:
    """The grid of the raster at ``path``."""
    with open_raster(path) as src:
        if src.crs is None:
            raise InputError(
                f"{path} has no coordinate reference system; assign one (for example "
                "with GDAL's 'Assign projection' tool) and try again"
            )
        return Grid(src.crs, src.transform, src.width, src.height)


def make_grid(
    crs: Any,
    bounds: tuple[float, float, float, float],
    pixel_size: float | tuple[float, float],
) -> Grid:
    """A north-up grid covering ``bounds`` (left, bottom, right, top) with square or
    (x, y) pixels in CRS units, anchored at the top-left corner."""
    size_x, size_y = (
        (pixel_size, pixel_size) if np.isscalar(pixel_size) else tuple(pixel_size)  # type: ignore[misc]
    )
    if not (math.isfinite(size_x) and math.isfinite(size_y) and size_x > 0 and size_y > 0):
        raise InputError(
            f"the pixel size must be a positive number of map units (got {pixel_size!r})"
        )
    left, bottom, right, top = bounds
    if not (right > left and top > bottom):
        raise InputError(f"the extent {bounds!r} is empty; give a left < right, bottom < top")
    # A tiny tolerance keeps an extent that is an exact multiple of the pixel size from
    # gaining a sliver column through rounding.
    width = max(1, math.ceil((right - left) / size_x - 1e-9))
    height = max(1, math.ceil((top - bottom) / size_y - 1e-9))
    if width * height > MAX_GRID_PIXELS:
        raise InputError(
            f"a pixel size of {size_x:g} x {size_y:g} gives a {width} x {height} pixel grid "
            "over this extent, which is far too large; check that the pixel size is in the "
            "units of the target CRS (metres or degrees)"
        )
    return Grid(to_crs(crs), Affine(size_x, 0.0, left, 0.0, -size_y, top), width, height)


def target_grid(
    reference: str | os.PathLike,
    crs: Any = None,
    pixel_size: float | tuple[float, float] | None = None,
    extent: tuple[float, float, float, float] | None = None,
) -> Grid:
    """The target grid: the grid of ``reference``, with any of CRS, pixel size and
    extent (left, bottom, right, top, in the target CRS) replaced.

    With nothing replaced the reference grid is used exactly. A new CRS without a
    pixel size uses the resolution GDAL suggests for the reference in that CRS.
    """
    base = grid_of(reference)
    if crs is None and pixel_size is None and extent is None:
        return base
    if pixel_size is not None and (
        not np.all(np.isfinite(pixel_size)) or np.any(np.asarray(pixel_size) <= 0)
    ):
        raise InputError(
            f"the pixel size must be a positive number of map units (got {pixel_size!r})"
        )
    target_crs = to_crs(crs) if crs is not None else base.crs
    if target_crs == base.crs:
        bounds, res = base.bounds, base.res
    else:
        transform, width, height = calculate_default_transform(
            base.crs, target_crs, base.width, base.height, *base.bounds
        )
        res = (abs(transform.a), abs(transform.e))
        bounds = Grid(target_crs, transform, width, height).bounds
    return make_grid(target_crs, extent if extent is not None else bounds, pixel_size or res)


def output_dtype(dtypes: Sequence[Any]) -> np.dtype:
    """The widest of the input types: a type holding every input value.

    Integers of mixed sign are widened (uint16 with int16 gives int32); any float input
    makes the stack float32 (float64 if an input is float64).
    """
    kinds = [np.dtype(d) for d in dtypes]
    floats = [d for d in kinds if d.kind in "fc"]
    if floats:
        return np.dtype("float64") if any(d.itemsize >= 8 for d in floats) else np.dtype("float32")
    result = np.result_type(*kinds)
    if result.kind == "f":  # uint64 with a signed type: no integer holds both
        return np.dtype("int64")
    return result


def choose_nodata(dtype: Any, nodatas: Sequence[float | None]) -> float:
    """The nodata value of the stack: NaN for floats; for integers the nodata value the
    inputs share most often if it fits the type, else the type's largest (unsigned) or
    smallest (signed) value."""
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return float("nan")
    info = np.iinfo(dtype)
    usable = [
        int(v)
        for v in nodatas
        if v is not None
        and math.isfinite(v)
        and float(v).is_integer()
        and info.min <= v <= info.max
    ]
    if usable:
        return float(max(set(usable), key=usable.count))
    return float(info.max if dtype.kind == "u" else info.min)


def _check_overlap(path: str, src: rasterio.io.DatasetReader, grid: Grid) -> bool:
    """True when ``src`` covers all of ``grid``; False when only part; error when none."""
    try:
        left, bottom, right, top = transform_bounds(src.crs, grid.crs, *src.bounds, densify_pts=21)
    except Exception as exc:
        raise InputError(
            f"{path} cannot be transformed to the target CRS ({exc}); check its CRS"
        ) from exc
    g_left, g_bottom, g_right, g_top = grid.bounds
    if not all(math.isfinite(v) for v in (left, bottom, right, top)) or (
        left >= g_right or right <= g_left or bottom >= g_top or top <= g_bottom
    ):
        raise InputError(
            f"{Path(path).name} does not overlap the target extent "
            f"({g_left:.6g}, {g_bottom:.6g}, {g_right:.6g}, {g_top:.6g} in "
            f"{grid.crs.to_string()}); remove it, or choose a reference or extent it covers"
        )
    return left <= g_left and right >= g_right and bottom <= g_bottom and top >= g_top


def band_description(
    path: str, src: rasterio.io.DatasetReader, index: int, role: str | None = None
) -> str:
    """``file.tif band 2`` (with the band's own description, if it has one), led by
    its ``role`` if known: ``nir (T32TQM_..._B08_10m.jp2 band 1)``."""
    text = f"{Path(path).name} band {index}"
    own = src.descriptions[index - 1]
    if role:
        inner = bands.source_name(own or "")
        return bands.describe(role, f"{text}, {inner}" if inner and inner != role else text)
    return f"{text} ({own})" if own else text


def band_roles(paths: Sequence[str], sources: Sequence) -> tuple[list, list[str]]:
    """The role of every output band and how each file's role was found.

    A band's role comes from its tag or description, else, for a single-band file,
    from its file name (``B08``, ``SR_B5``, ``nir.tif``, see :mod:`.bands`), read
    with the sensor that all the file names together point to.
    """
    from_names = bands.roles_from_names([Path(p).name for p in paths])
    roles, notes = [], []
    for path, src, (name_role, note) in zip(paths, sources, from_names):
        described = bands.dataset_roles(src)
        for index in src.indexes:
            role = described.get(index) or (name_role if src.count == 1 else None)
            roles.append(role)
            if role and index not in described:
                notes.append(f"{Path(path).name}: {role} ({note})")
    return roles, notes


def _check_align_arguments(
    inputs: Sequence[str | os.PathLike], output: str | os.PathLike, resampling: str
) -> tuple[Path, list[str]]:
    """The checked output path and the input paths; refuses no inputs, an unknown
    resampling method and an output that is also an input."""
    if not inputs:
        raise InputError("no input rasters; choose at least one raster to align")
    if resampling not in RESAMPLING_METHODS:
        raise InputError(
            f"unknown resampling method {resampling!r}; use one of {', '.join(RESAMPLING_METHODS)}"
        )
    output = check_writable(output)
    paths = [str(p) for p in inputs]
    if any(Path(p).resolve() == output.resolve() for p in paths):
        raise InputError(f"the output {output} is also an input; choose another output path")
    return output, paths


def _open_sources(stack: ExitStack, paths: Sequence[str]) -> list[rasterio.io.DatasetReader]:
    """Open every input on ``stack``; refuses one without a coordinate reference system."""
    sources = []
    for path in paths:
        src = stack.enter_context(open_raster(path))
        if src.crs is None:
            raise InputError(
                f"{Path(path).name} has no coordinate reference system; assign one (for "
                "example with GDAL's 'Assign projection' tool) and try again"
            )
        sources.append(src)
    return sources


def _stack_warped(
    arrays: Sequence[np.ndarray],
    counts: Sequence[int],
    paths: Sequence[str],
    zeros: dict[str, int],
    dtype: np.dtype,
    nodata: float,
) -> tuple[np.ndarray, list[tuple[str, int]]]:
    """One block of the output from the warped reads of the inputs (each its ``counts``
    bands then an alpha band): the bands in ``dtype``, with ``nodata`` where a source has
    no valid value, and for the inputs in ``zeros`` the number of all-zero data pixels."""
    parts = []
    zero_counts = []
    for data, count, path in zip(arrays, counts, paths):
        values, alpha = data[:count], data[count]
        out = values.astype(dtype, copy=False)
        invalid = alpha == 0
        if path in zeros:
            zero_counts.append((path, int(((values == 0).all(axis=0) & ~invalid).sum())))
        if values.dtype.kind == "f":
            invalid = invalid | ~np.isfinite(values).all(axis=0)
        if invalid.any():
            out = out.copy() if out is values else out
            out[:, invalid] = nodata
        parts.append(out)
    return np.concatenate(parts, axis=0), zero_counts


def align_rasters(
    inputs: Sequence[str | os.PathLike],
    output: str | os.PathLike,
    grid: Grid,
    resampling: str = "nearest",
    max_pixels: int = DEFAULT_WINDOW_PIXELS,
    progress: Progress | None = None,
    workers: int | None = None,
    source_nodata: Sequence[float | None] | None = None,
) -> AlignResult:
    """Warp every band of every input onto ``grid`` and write them as one stack.

    Bands keep the input order (all bands of the first input, then the second...).
    The output type is :func:`output_dtype` of the inputs and its nodata
    :func:`choose_nodata`; pixels outside a source or invalid in it get nodata in that
    source's bands. ``source_nodata`` (one per input, None to keep the file's) sets
    the nodata value of an input, for files that have none. Pixels whose every band is
    0 in an input without nodata are kept as data and counted in ``zeros_kept`` (a
    zero-filled border is often not marked as nodata). ``resampling`` is one of
    :data:`RESAMPLING_METHODS`. Raises
    :class:`InputError` for no inputs, an unreadable file, a source without CRS or one
    that does not overlap the grid; nothing is written then.
    """
    progress = as_progress(progress)
    output, paths = _check_align_arguments(inputs, output, resampling)
    method = Resampling[resampling]

    with ExitStack() as stack:
        sources = _open_sources(stack, paths)
        partial = [p for p, src in zip(paths, sources) if not _check_overlap(p, src, grid)]
        overrides = list(source_nodata or [None] * len(sources))
        given = [
            override if override is not None else src.nodata
            for src, override in zip(sources, overrides)
        ]
        dtype = output_dtype([d for src in sources for d in src.dtypes])
        nodata = choose_nodata(
            dtype,
            [
                v
                for src, o in zip(sources, overrides)
                for v in (src.nodatavals if o is None else [o])
            ],
        )
        roles, role_notes = band_roles(paths, sources)
        numbered = [(p, src, i) for p, src in zip(paths, sources) for i in src.indexes]
        descriptions = [
            band_description(p, src, i, role) for (p, src, i), role in zip(numbered, roles)
        ]
        vrts = [
            stack.enter_context(
                WarpedVRT(
                    src,
                    crs=grid.crs,
                    transform=grid.transform,
                    width=grid.width,
                    height=grid.height,
                    resampling=method,
                    add_alpha=True,
                    **({} if override is None else {"src_nodata": override}),
                )
            )
            for src, override in zip(sources, overrides)
        ]
        zeros = dict.fromkeys((p for p, v in zip(paths, given) if v is None), 0)
        counts = [src.count for src in sources]
        profile = geotiff_profile(grid.width, grid.height, len(descriptions), dtype)
        native = (profile["blockysize"], profile["blockxsize"])
        blocks = plan_blocks(grid.width, grid.height, native, max_pixels)

        def read(block):
            # GDAL warps while reading, so reads (the expensive part) stay in this thread:
            # a warped VRT must not be shared between threads.
            return [vrt.read(window=block.window) for vrt in vrts]

        def compute(arrays):
            return _stack_warped(arrays, counts, paths, zeros, dtype, nodata)

        with create_raster(
            output,
            width=grid.width,
            height=grid.height,
            count=len(descriptions),
            dtype=dtype,
            crs=grid.crs,
            transform=grid.transform,
            nodata=nodata,
            descriptions=descriptions,
        ) as dst:

            def write(block, result):
                data, zero_counts = result
                dst.write(data, window=block.window)
                for path, n in zero_counts:
                    zeros[path] += n

            run_blocks(blocks, read, compute, write, progress, workers)
            for number, role in enumerate(roles, start=1):
                if role:
                    dst.update_tags(number, **{bands.ROLE_TAG: role})
    progress(1.0)
    kept = {p: n for p, n in zeros.items() if n}
    return AlignResult(
        Path(output), grid, dtype.name, nodata, descriptions, partial, kept, roles, role_notes
    )


def same_grid(src: rasterio.io.DatasetReader, grid: Grid) -> bool:
    """True when ``src`` is exactly on ``grid`` (no resampling needed)."""
    return (
        src.crs == grid.crs
        and (src.width, src.height) == (grid.width, grid.height)
        and src.transform.almost_equals(grid.transform, precision=1e-9 * max(grid.res[0], 1e-12))
    )


def on_grid(
    src: rasterio.io.DatasetReader,
    grid: Grid,
    resampling: str = "nearest",
    src_nodata: float | None = None,
) -> rasterio.io.DatasetReader | WarpedVRT:
    """``src`` itself when it is on ``grid``, else a warped view of it on ``grid``.

    Reading a window of the result reads that window of the grid. ``src_nodata``
    marks source values that the resampling ignores (and that fill pixels with no
    valid source pixel); the caller closes a returned view.
    """
    if same_grid(src, grid):
        return src
    options: dict[str, Any] = {}
    if src_nodata is not None:
        options.update(src_nodata=src_nodata, nodata=src_nodata)
    return WarpedVRT(
        src,
        crs=grid.crs,
        transform=grid.transform,
        width=grid.width,
        height=grid.height,
        resampling=Resampling[resampling],
        **options,
    )
