"""Minimum mapping unit: small patches of a class raster join their neighbours.

A patch is a connected group of pixels of one class (4- or 8-connected). GDAL's sieve
(``GDALSieveFilter``) replaces every patch smaller than ``min_size`` pixels, in one
pass over the whole raster:

* each patch's largest neighbouring patch is found (neighbours share a pixel edge, or
  for 8-connected patches a corner; among equally large ones, the first met in raster
  order);
* a small patch takes the class of its largest neighbour if that one has at least
  ``min_size`` pixels; if not, it follows that neighbour's own largest neighbour, and
  so on, and takes the class of the first patch of at least ``min_size`` pixels on the
  way. A chain that turns back on itself (two small patches each the other's largest
  neighbour) leaves its patches as they are;
* nodata never changes and is never anyone's neighbour; a patch touching nothing but
  nodata stays as it is.

The rule is exact over the whole raster: GDAL streams the map three times line by line
and keeps about 24 bytes per patch, not per pixel.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import rasterio
from rasterio.enums import MaskFlags

from ..accuracy.area_estimation import pixel_areas_m2
from ..io.classes import CLASS_NODATA
from ..io.errors import InputError
from ..io.files import partial_path, remove_quietly, remove_stale_partials
from ..io.gdal_bindings import osgeo_raising
from ..io.progress import Cancelled, Progress, as_progress
from ..io.raster import (
    DEFAULT_WINDOW_PIXELS,
    Block,
    blocks_for,
    check_writable,
    class_source,
    create_class_raster,
    gdal_write_errors,
    geotiff_profile,
    open_raster,
    read_class_block,
    run_blocks,
    write_failure,
)

# GDAL's filter writes line by line into this temporary GeoTIFF: tiled for the block
# copy after it, uncompressed (ZSTD level 1 made the whole sieve about 10 % slower).
_FILTER_OPTIONS = ["TILED=YES"]


# GDAL's sieve holds class codes as 32-bit signed integers.
GDAL_SIEVE_MAX_CODE = 2**31 - 1


def _largest_code(src) -> int:
    """The largest value of band 1 of an open raster, read block by block."""
    largest = 0
    for _, window in src.block_windows(1):
        largest = max(largest, int(src.read(1, window=window).max(initial=0)))
    return largest


def check_connectivity(connectivity: int) -> None:
    """Refuse a connectivity other than 4 (pixels sharing an edge) or 8 (or a corner)."""
    if connectivity not in (4, 8):
        raise InputError(f"connectivity must be 4 or 8, not {connectivity}")


def _gdal_type(gdal, dtype: np.dtype) -> int:
    types = {"uint8": gdal.GDT_Byte, "uint16": gdal.GDT_UInt16, "uint32": gdal.GDT_UInt32}
    name = np.dtype(dtype).name
    if name not in types:
        raise InputError(f"a class array holds unsigned integer class codes, not {name}")
    return types[name]


def _run_filter(gdal, band, mask, target, min_size: int, connectivity: int, progress) -> None:
    """GDAL's sieve from ``band`` (``mask``: 0 where nodata) into ``target``, with
    ``progress`` reported and a cancel request obeyed (raising Cancelled)."""

    def report(fraction: float, message: str, data: object) -> int:
        try:
            progress(fraction)
        except Cancelled:
            return 0  # GDAL stops and fails with "User terminated"
        return 1

    try:
        gdal.SieveFilter(band, mask, target, min_size, connectivity, callback=report)
    except RuntimeError:
        progress.check()
        raise


def sieve(
    image: np.ndarray, min_size: int, connectivity: int = 4, nodata: int = CLASS_NODATA
) -> np.ndarray:
    """Sieve a whole class array (rows, cols) of unsigned integers in memory, with the
    rule of :func:`sieve_raster`; ``nodata`` pixels never change nor vote."""
    check_connectivity(connectivity)
    image = np.asarray(image)
    rows, cols = image.shape
    with osgeo_raising() as osgeo:
        gdal = osgeo.gdal
        memory = gdal.GetDriverByName("MEM")
        kind = _gdal_type(gdal, image.dtype)
        source = memory.Create("", cols, rows, 1, kind)
        source.GetRasterBand(1).WriteArray(image)
        mask = memory.Create("", cols, rows, 1, gdal.GDT_Byte)
        mask.GetRasterBand(1).WriteArray((image != nodata).astype(np.uint8))
        result = memory.Create("", cols, rows, 1, kind)
        _run_filter(
            gdal,
            source.GetRasterBand(1),
            mask.GetRasterBand(1),
            result.GetRasterBand(1),
            min_size,
            connectivity,
            Progress(),
        )
        return result.GetRasterBand(1).ReadAsArray().astype(image.dtype, copy=False)


def pixels_for_area(hectares: float, pixel_area_m2: float) -> int:
    """The number of whole pixels of ``pixel_area_m2`` square metres covering at least
    ``hectares``."""
    if not pixel_area_m2 > 0:
        raise InputError("the raster has no usable pixel size; check its georeferencing")
    return max(1, math.ceil(hectares * 10000.0 / pixel_area_m2 - 1e-9))


def pixels_for_raster_area(path: str | os.PathLike, hectares: float) -> tuple[int, str | None]:
    """The minimum patch size in pixels for ``hectares`` on the raster at ``path``,
    and a note when pixel areas vary (a geographic CRS: areas on the ellipsoid, per
    row, from :func:`.area_estimation.pixel_areas_m2`; the centre row's area is used).
    """
    with open_raster(path) as src:
        areas = pixel_areas_m2(src.transform, src.crs, src.height)
    if areas is None or not areas.size:
        raise InputError(
            "the raster has no coordinate reference system, so a minimum area in hectares "
            "cannot be turned into pixels; set its CRS, or give the minimum size in pixels"
        )
    centre = float(areas[areas.size // 2])
    size = pixels_for_area(hectares, centre)
    if areas.max() - areas.min() <= 1e-6 * areas.max():
        return size, None
    return size, (
        f"The raster is in a geographic CRS (degrees): its pixels cover "
        f"{areas.min():,.1f} to {areas.max():,.1f} m\u00b2 on the ellipsoid, so "
        f"{hectares:g} ha is taken as {size} pixels of {centre:,.1f} m\u00b2 (the centre row)."
    )


@dataclass(frozen=True)
class SieveResult:
    """What :func:`sieve_raster` did: pixels ``changed`` and the class table carried
    to the output."""

    changed: int
    classes: list


def sieve_raster(
    input_path: str | os.PathLike,
    output_path: str | os.PathLike,
    min_size: int,
    connectivity: int = 4,
    progress: Progress | None = None,
    max_pixels: int = DEFAULT_WINDOW_PIXELS,
    workers: int | None = None,
) -> SieveResult:
    """Remove patches smaller than ``min_size`` pixels from a class raster file.

    GDAL's sieve streams the map line by line into a temporary GeoTIFF beside the
    output (memory grows with the number of patches and the raster width, not with
    ``min_size``); that file is then copied block by block (``max_pixels`` per block,
    computed on ``workers`` threads) into the output, with the class colour table,
    class names and overviews, counting the pixels that changed. The result equals
    :func:`sieve` on the whole array, whatever the block size.
    """
    if min_size < 1:
        raise InputError(f"the minimum patch size must be 1 pixel or more, not {min_size}")
    check_connectivity(connectivity)
    output_path = check_writable(output_path)
    progress = as_progress(progress)
    with open_raster(input_path) as src:
        dtype, classes = class_source(src)
        if dtype.itemsize > 2 and _largest_code(src) > GDAL_SIEVE_MAX_CODE:
            raise InputError(
                f"class codes above {GDAL_SIEVE_MAX_CODE} cannot be sieved (GDAL's sieve "
                "works on 32-bit signed integers); recode the classes to smaller codes"
            )
        pixels = src.width * src.height
        # The band is its own mask (0 = nodata) unless another value or a mask band
        # marks nodata too.
        flags = src.mask_flag_enums[0]
        own_mask = MaskFlags.all_valid in flags or (
            MaskFlags.nodata in flags and src.nodata == CLASS_NODATA
        )
    if min_size > pixels:
        raise InputError(
            f"the minimum patch size ({min_size:,} pixels) is larger than the whole raster "
            f"({pixels:,} pixels); choose a smaller size or area"
        )
    remove_stale_partials(output_path)
    workdir = partial_path(output_path, "")
    workdir.mkdir()
    try:
        mask = None
        start = 0.0
        if not own_mask:
            mask, start = workdir / "mask.tif", 0.1
            _write_mask(input_path, mask, progress.span(0.0, start), max_pixels, workers)
        sieved = workdir / "sieved.tif"
        _gdal_sieve(input_path, mask, sieved, min_size, connectivity, progress.span(start, 0.8))
        copying = progress.span(0.8, 1.0)
        changed = _copy(input_path, sieved, output_path, copying, max_pixels, workers)
        progress(1.0)
    finally:
        remove_quietly(workdir)
    return SieveResult(changed, classes)


def _class_blocks(
    src, dtype: np.dtype, max_pixels: int
) -> tuple[list[Block], Callable[[Block], np.ndarray]]:
    """The blocks of a class raster and a reader giving each one with nodata as 0."""
    return blocks_for(src, max_pixels), partial(read_class_block, src, dtype=dtype)


def _write_mask(path, target: Path, progress: Progress, max_pixels: int, workers) -> None:
    """A byte raster, 0 where ``path`` is nodata (its nodata value, mask or 0)."""
    with open_raster(path) as src:
        blocks, read = _class_blocks(src, np.dtype(src.dtypes[0]), max_pixels)
        profile = geotiff_profile(src.width, src.height, 1, "uint8", "ZSTD")
        profile.update(ZSTD_LEVEL=1, crs=src.crs, transform=src.transform)
        with gdal_write_errors(target), rasterio.open(target, "w", **profile) as out:
            run_blocks(
                blocks,
                read,
                lambda image: (image != CLASS_NODATA).astype(np.uint8),
                lambda block, valid: out.write(valid, 1, window=block.window),
                progress,
                workers,
            )


def _gdal_sieve(path, mask_path, target: Path, min_size, connectivity, progress) -> None:
    """GDAL's sieve of ``path`` into a new GeoTIFF ``target``; nodata where the byte
    raster ``mask_path`` is 0, or (None) where ``path`` itself is 0."""
    with osgeo_raising() as osgeo:
        gdal = osgeo.gdal
        try:
            source = gdal.Open(str(path))
            band = source.GetRasterBand(1)
            masks = gdal.Open(str(mask_path)) if mask_path is not None else None
            mask = masks.GetRasterBand(1) if masks is not None else band
            width, height = source.RasterXSize, source.RasterYSize
            out = gdal.GetDriverByName("GTiff").Create(
                str(target), width, height, 1, band.DataType, _FILTER_OPTIONS
            )
            # The grid too, or reading it back warns that it is not georeferenced.
            out.SetGeoTransform(source.GetGeoTransform())
            out.SetProjection(source.GetProjection())
            _run_filter(gdal, band, mask, out.GetRasterBand(1), min_size, connectivity, progress)
            out.FlushCache()
            out = None
        except RuntimeError as exc:
            raise write_failure(target, [str(exc)]) from exc


def _copy(path, sieved: Path, output: Path, progress: Progress, max_pixels: int, workers) -> int:
    """Write ``sieved`` to ``output`` with ``path``'s classes and nodata as 0; the
    number of pixels that differ from ``path``."""
    changed = 0
    with open_raster(path) as src, open_raster(sieved) as done:
        dtype, classes = class_source(src)
        blocks, read = _class_blocks(src, dtype, max_pixels)

        def fetch(block: Block) -> tuple[np.ndarray, np.ndarray]:
            return read(block), done.read(1, window=block.window)

        def compute(pair: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, int]:
            before, after = pair
            after = np.where(before == CLASS_NODATA, CLASS_NODATA, after).astype(dtype)
            return after, int(np.count_nonzero(after != before))

        with create_class_raster(output, src, dtype, classes) as dst:

            def write(block: Block, result: tuple[np.ndarray, int]) -> None:
                nonlocal changed
                dst.write(result[0], 1, window=block.window)
                changed += result[1]

            run_blocks(blocks, fetch, compute, write, progress, workers)
    return changed
