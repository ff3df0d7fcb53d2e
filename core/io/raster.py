"""The one way every step reads and writes rasters.

* Reading happens in windows aligned to the source's internal blocks (several blocks
  merged up to a pixel budget), optionally with a halo for moving-window steps, so
  memory is set by the window size, never by the raster size.
* Computation on windows runs on a small thread pool (numpy, scipy and scikit-learn
  release the GIL) while the calling thread reads and writes, because GDAL datasets
  must not be shared between threads.
* Writing goes to a partial file beside the target (see :mod:`.files`), which is
  renamed over the target only when everything succeeded and GDAL reported no write
  error: a full disk, a crash or a cancel never leaves a half-written output at the
  requested path.
"""

from __future__ import annotations

import logging
import math
import os
import shutil
import threading
import warnings
import xml.etree.ElementTree as ElementTree
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import rasterio
from rasterio.enums import MaskFlags, Resampling
from rasterio.errors import NotGeoreferencedWarning
from rasterio.io import MemoryFile
from rasterio.windows import Window

from .classes import (
    CLASS_NODATA,
    CLASSES_TAG,
    ClassInfo,
    classes_from_json,
    classes_to_json,
    make_classes,
    parse_color,
)
from .classes import colormap as class_colormap
from .cluster import run_on_cluster
from .errors import InputError
from .files import (
    MIN_FREE_BYTES,
    check_output_path,
    disk_full_error,
    move_into_place,
    output_folder,
    partial_path,
    remove_quietly,
    remove_stale_partials,
)
from .gdal_bindings import osgeo_raising
from .progress import Progress, as_progress

DEFAULT_WINDOW_PIXELS = 1 << 20  # about one megapixel per window
THREADS_ENV = "LANDCOVER_THREADS"

T = TypeVar("T")
R = TypeVar("R")


class RasterError(InputError):
    """A raster cannot be read or written; the message says what to do."""


@dataclass(frozen=True)
class Block:
    """One window of a raster, as planned by :func:`plan_blocks`.

    ``window`` is the part of the raster this block owns (and writes). ``read_window``
    is ``window`` grown by the halo and clipped to the raster. Arrays returned by
    :func:`read_block` with a halo are padded to the full halo at the raster edges, so
    ``inner`` (row and column slices) always locates ``window`` inside them.
    """

    index: int
    window: Window
    read_window: Window
    halo: int
    pad: tuple[int, int, int, int]  # rows above, rows below, columns left, columns right

    @property
    def inner(self) -> tuple[slice, slice]:
        h, w = int(self.window.height), int(self.window.width)
        return (slice(self.halo, self.halo + h), slice(self.halo, self.halo + w))

    @property
    def shape(self) -> tuple[int, int]:
        return (int(self.window.height), int(self.window.width))


def default_workers() -> int:
    """Worker threads for block computations: every core, or ``LANDCOVER_THREADS``."""
    env = os.environ.get(THREADS_ENV, "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, os.cpu_count() or 1)


def window_shape(
    width: int, height: int, native: tuple[int, int], max_pixels: int
) -> tuple[int, int]:
    """Rows and columns of a processing window: a whole number of native blocks.

    Whole-width strips are preferred for striped files (block height 1 or a few rows);
    tiled files get square-ish groups of tiles. Never below one native block.
    """
    block_rows, block_cols = max(1, native[0]), max(1, native[1])
    max_pixels = max(max_pixels, block_rows * block_cols)
    if block_cols >= width:  # strips
        rows = max(block_rows, (max_pixels // max(width, 1)) // block_rows * block_rows)
        return (min(rows, height), width)
    tiles = max(1, max_pixels // (block_rows * block_cols))
    side = max(1, math.isqrt(tiles))
    return (min(side * block_rows, height), min(side * block_cols, width))


def plan_blocks(
    width: int,
    height: int,
    native: tuple[int, int] = (256, 256),
    max_pixels: int = DEFAULT_WINDOW_PIXELS,
    halo: int = 0,
) -> list[Block]:
    """Windows covering a ``height`` x ``width`` raster, row by row.

    ``native`` is the source's block shape (rows, columns); windows are aligned to
    it. ``max_pixels`` bounds the pixels of a window (before the halo).
    """
    if width <= 0 or height <= 0:
        raise RasterError(f"the raster is empty ({width} x {height} pixels)")
    rows, cols = window_shape(width, height, native, max_pixels)
    blocks = []
    for row in range(0, height, rows):
        for col in range(0, width, cols):
            h, w = min(rows, height - row), min(cols, width - col)
            r0, c0 = max(0, row - halo), max(0, col - halo)
            r1, c1 = min(height, row + h + halo), min(width, col + w + halo)
            pad = (
                halo - (row - r0),
                halo - (r1 - row - h),
                halo - (col - c0),
                halo - (c1 - col - w),
            )
            blocks.append(
                Block(
                    index=len(blocks),
                    window=Window(col, row, w, h),
                    read_window=Window(c0, r0, c1 - c0, r1 - r0),
                    halo=halo,
                    pad=pad,
                )
            )
    return blocks


def blocks_for(
    src: rasterio.io.DatasetReader, max_pixels: int = DEFAULT_WINDOW_PIXELS, halo: int = 0
) -> list[Block]:
    """:func:`plan_blocks` for an open dataset, aligned to its first band's blocks."""
    return plan_blocks(src.width, src.height, tuple(src.block_shapes[0]), max_pixels, halo)


def open_raster(path: str | os.PathLike) -> rasterio.io.DatasetReader:
    """Open a raster for reading, with an error that says what is wrong.

    Complex bands are refused: every step works on real numbers, and casting would
    silently drop the imaginary part.
    """
    try:
        src = rasterio.open(path)
    except rasterio.errors.RasterioIOError as exc:
        raise RasterError(
            f"cannot read {path} as a raster ({exc}); check that the file exists and is a "
            "raster format GDAL can read"
        ) from exc
    if any(np.issubdtype(np.dtype(d), np.complexfloating) for d in src.dtypes):
        src.close()
        raise RasterError(
            f"{path} has complex-valued bands ({', '.join(sorted(set(src.dtypes)))}); "
            "convert them to real values first (amplitude, intensity or phase, for example "
            "with the Raster calculator)"
        )
    return src


def _read(src: rasterio.io.DatasetReader, indexes: list[int], window: Window) -> np.ndarray:
    """``src.read`` with an error that says the file is damaged instead of GDAL's."""
    try:
        return src.read(indexes, window=window)
    except rasterio.errors.RasterioIOError as exc:
        raise RasterError(
            f"cannot read {src.name} near row {int(window.row_off)}, column "
            f"{int(window.col_off)}: the file is damaged or truncated ({exc}); copy or "
            "download it again"
        ) from exc


def valid_mask(
    src: rasterio.io.DatasetReader,
    data: np.ndarray,
    indexes: Sequence[int],
    window: Window,
) -> np.ndarray:
    """Pixels that are valid in every band of ``data`` (bands, rows, cols).

    Invalid: the band's nodata value, a GDAL mask or alpha band saying so, NaN or
    infinity.
    """
    valid = np.ones(data.shape[1:], dtype=bool)
    for i, index in enumerate(indexes):
        flags = src.mask_flag_enums[index - 1]
        nodata = src.nodatavals[index - 1]
        if MaskFlags.nodata in flags and nodata is not None:
            if np.isnan(nodata):
                valid &= ~np.isnan(data[i])
            else:
                valid &= data[i] != nodata
        elif MaskFlags.all_valid not in flags:
            valid &= src.read_masks(index, window=window) > 0
    if np.issubdtype(data.dtype, np.floating):
        valid &= np.isfinite(data).all(axis=0)
    return valid


def read_block(
    src: rasterio.io.DatasetReader,
    block: Block,
    indexes: Sequence[int] | None = None,
    dtype: Any = None,
    fill: float = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Read ``block`` (with its halo) as ``(data, valid)``.

    ``data`` has shape (bands, rows, cols) in ``dtype`` (default: the source's);
    ``valid`` (rows, cols) is True where every band holds data. Halo rows and columns
    beyond the raster edge are padded with ``fill`` and marked invalid.
    """
    indexes = list(indexes or range(1, src.count + 1))
    data = _read(src, indexes, block.read_window)
    valid = valid_mask(src, data, indexes, block.read_window)
    if dtype is not None and data.dtype != np.dtype(dtype):
        data = data.astype(dtype)
    if any(block.pad):
        top, bottom, left, right = block.pad
        data = np.pad(data, ((0, 0), (top, bottom), (left, right)), constant_values=fill)
        valid = np.pad(valid, ((top, bottom), (left, right)), constant_values=False)
    return data, valid


def run_blocks(
    blocks: Sequence[Block],
    read: Callable[[Block], T],
    compute: Callable[[T], R],
    write: Callable[[Block, R], None],
    progress: Progress | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
) -> None:
    """Read, compute and write every block, computing on ``workers`` threads.

    ``read`` and ``write`` run in the calling thread, in block order; ``compute`` runs
    in the pool, at most ``workers + 1`` blocks ahead of the writer, so memory stays
    bounded by a few windows. Progress is reported after each written block and a
    cancel request stops the run (raising :class:`~.progress.Cancelled`).

    With ``scheduler`` (a Dask scheduler address) the cluster's workers read and
    compute instead, and ``write`` runs here as results arrive: ``read`` must then be
    ``functools.partial(function, dataset, ...)`` and ``compute`` a plain function,
    both with plain arguments (see :func:`~.cluster.run_on_cluster`).
    """
    if scheduler:
        run_on_cluster(scheduler, blocks, read, compute, write, progress, open_raster)
        return
    progress = as_progress(progress)
    workers = workers or default_workers()
    total = max(len(blocks), 1)
    if workers == 1:
        for done, block in enumerate(blocks, start=1):
            progress.check()
            write(block, compute(read(block)))
            progress(done / total)
        return
    pending: deque = deque()
    done = 0
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="landcover") as pool:
        try:
            for block in blocks:
                progress.check()
                pending.append((block, pool.submit(compute, read(block))))
                while len(pending) > workers:
                    finished, future = pending.popleft()
                    write(finished, future.result())
                    done += 1
                    progress(done / total)
            while pending:
                finished, future = pending.popleft()
                write(finished, future.result())
                done += 1
                progress(done / total)
        finally:
            for _, future in pending:
                future.cancel()


@lru_cache(maxsize=1)
def best_compression() -> str:
    """ZSTD when this GDAL supports it (faster at the same ratio), else DEFLATE."""
    try:
        with warnings.catch_warnings(), MemoryFile() as memfile:
            # the probe needs no georeferencing
            warnings.simplefilter("ignore", NotGeoreferencedWarning)
            with memfile.open(
                driver="GTiff", width=16, height=16, count=1, dtype="uint8", compress="ZSTD"
            ) as probe:
                probe.write(np.zeros((1, 16, 16), dtype=np.uint8))
            with memfile.open() as check:
                if (check.compression and check.compression.name.upper()) == "ZSTD":
                    return "ZSTD"
    except Exception:
        pass
    return "DEFLATE"


def geotiff_profile(
    width: int, height: int, count: int, dtype: Any, compress: str | None = None
) -> dict:
    """Creation options for a tiled, compressed GeoTIFF that stays readable by GDAL < 3.1."""
    dtype = np.dtype(dtype)
    block = 256 if max(width, height) < 4096 else 512
    profile = {
        "driver": "GTiff",
        "width": width,
        "height": height,
        "count": count,
        "dtype": dtype.name,
        "tiled": True,
        "blockxsize": block,
        "blockysize": block,
        "compress": compress or best_compression(),
        "predictor": 3 if np.issubdtype(dtype, np.floating) else 2,
        "interleave": "pixel" if count <= 4 else "band",
        # Bands are measurements, not colours: GDAL would otherwise tag 3 or 4 byte
        # bands as RGB(A), and QGIS would draw a 4th band (NIR, say) as transparency.
        "photometric": "MINISBLACK",
        "BIGTIFF": "IF_SAFER",
        "NUM_THREADS": "ALL_CPUS",
    }
    if dtype.itemsize == 1:
        profile["predictor"] = 1
    if profile["compress"].upper() == "ZSTD":
        # GDAL's default level 9 writes several times slower than level 3 for files a
        # few percent smaller; writing would otherwise dominate the fast steps.
        profile["ZSTD_LEVEL"] = 3
    return profile


def compressed_size(data: np.ndarray) -> int:
    """Bytes ``data`` (bands, rows, cols) takes as a GeoTIFF written by
    :func:`create_raster` (same tiling, compression and predictor), measured in memory."""
    count, height, width = data.shape
    profile = geotiff_profile(width, height, count, data.dtype)
    profile.pop("NUM_THREADS")
    with warnings.catch_warnings(), MemoryFile() as memfile:
        warnings.simplefilter("ignore", NotGeoreferencedWarning)
        with memfile.open(**profile) as dst:
            dst.write(data)
        return len(memfile.getbuffer())


def check_writable(path: str | os.PathLike) -> Path:
    """The output path, after checking that it is not a folder and that its folder
    exists, can be written and has free space."""
    return check_output_path(path)


class _GdalErrors(logging.Handler):
    """GDAL failures reported in one thread while a dataset is written.

    rasterio logs GDAL's CE_Failure errors that it does not raise (a failed write of
    a tile on a full disk is one) through its loggers, as
    ``(err_no, message)`` arguments, when a :class:`rasterio.Env` is active.
    """

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if (
            record.thread == self.thread
            and isinstance(record.args, tuple)
            and len(record.args) == 2
            and "signalled an error" in str(record.msg)
        ):
            self.messages.append(str(record.args[1]))


_LISTENERS: list[logging.Handler] = []
_LISTENERS_LOCK = threading.Lock()
_SAVED_LEVEL: list[int] = []


def _listen(handler: logging.Handler, on: bool) -> None:
    """Add or remove ``handler`` on rasterio's loggers (``rasterio._env`` in 1.3,
    ``rasterio._err`` in 1.4), lowering their level to INFO while any is listening."""
    logger = logging.getLogger("rasterio")
    with _LISTENERS_LOCK:
        if on:
            if not _LISTENERS:
                _SAVED_LEVEL[:] = [logger.level]
                if logger.getEffectiveLevel() > logging.INFO:
                    logger.setLevel(logging.INFO)
            _LISTENERS.append(handler)
            logger.addHandler(handler)
        else:
            logger.removeHandler(handler)
            _LISTENERS.remove(handler)
            if not _LISTENERS:
                logger.setLevel(_SAVED_LEVEL[0])


@contextmanager
def gdal_write_errors(path: Path) -> Iterator[None]:
    """Raise :class:`RasterError` if GDAL reported a failure while the body wrote
    ``path`` (rasterio only logs most write errors, so without this a full disk would
    leave a truncated file that looks complete)."""
    handler = _GdalErrors()
    _listen(handler, True)
    try:
        with rasterio.Env():
            yield
    finally:
        _listen(handler, False)
    if handler.messages:
        raise write_failure(path, handler.messages)


def write_failure(path: Path, messages: Sequence[str]) -> RasterError:
    """The error for GDAL write failures of ``path``: a full disk said as such."""
    text = "; ".join(dict.fromkeys(messages))
    full = "no space left" in text.lower() or "disk full" in text.lower()
    with suppress(OSError):
        full = full or shutil.disk_usage(output_folder(path)).free < MIN_FREE_BYTES
    if full:
        return RasterError(str(disk_full_error(path)))
    return RasterError(f"writing {path} failed ({text}); nothing was written")


@contextmanager
def create_raster(
    path: str | os.PathLike,
    *,
    width: int,
    height: int,
    count: int,
    dtype: Any,
    crs: Any,
    transform: Any,
    nodata: float | None = None,
    descriptions: Sequence[str] | None = None,
    classes: Sequence[ClassInfo] | None = None,
    tags: dict[str, str] | None = None,
    overviews: bool = False,
    compress: str | None = None,
) -> Iterator[rasterio.io.DatasetWriter]:
    """Create a tiled, compressed GeoTIFF at ``path`` atomically.

    Yields a dataset open for writing on a temporary file beside ``path``. When the
    ``with`` body ends normally, band descriptions, the class colour table and class
    names (``classes``, for a one-band class raster), tags and optional overviews are
    written and the file is renamed to ``path``. If the body raises (including
    :class:`~.progress.Cancelled`), the temporary file is removed and ``path`` is
    left untouched.
    """
    path = check_writable(path)
    remove_stale_partials(path)
    temporary = partial_path(path, ".tif")
    profile = geotiff_profile(width, height, count, dtype, compress)
    profile.update(crs=crs, transform=transform, nodata=nodata)
    try:
        with gdal_write_errors(path), rasterio.open(temporary, "w", **profile) as dst:
            if classes:
                # Before any pixel: GDAL 3.10 refuses to change the TIFF photometric tag
                # (a palette) once writing has begun.
                table_size = min(np.iinfo(dtype).max + 1, 1 << 16)
                dst.write_colormap(1, class_colormap(list(classes), table_size))
            yield dst
            for index, text in enumerate(descriptions or (), start=1):
                dst.set_band_description(index, text)
            if classes:
                dst.update_tags(**{CLASSES_TAG: classes_to_json(list(classes))})
            if tags:
                dst.update_tags(**tags)
        factors = overview_factors(width, height) if overviews else []
        if factors:
            # Only once the pixels are on disk and checked: GDAL 3.10 crashes building
            # overviews of a file whose writes failed (a full disk). GDAL 3.6 reading
            # band-interleaved tiles on several threads fails ("Bad value 7 for
            # ExtraSamples"), so those are read on one thread.
            method = Resampling.nearest if classes else Resampling.average
            threads = {} if profile["interleave"] == "pixel" else {"NUM_THREADS": "1"}
            with gdal_write_errors(path), rasterio.open(temporary, "r+", **threads) as dst:
                dst.build_overviews(factors, method)
        if classes:
            write_class_table(temporary, list(classes), table_size)
        remove_quietly(path)  # stale sidecars would describe the old file
        move_into_place(temporary, path)  # the .aux.xml (class table) goes along
    except BaseException:
        remove_quietly(temporary)
        raise


def grid_of(src: rasterio.io.DatasetReader) -> dict[str, Any]:
    """The grid of an open dataset (width, height, CRS, transform), as
    :func:`create_raster` takes it."""
    return {"width": src.width, "height": src.height, "crs": src.crs, "transform": src.transform}


def create_class_raster(
    path: str | os.PathLike,
    src: rasterio.io.DatasetReader,
    dtype: Any,
    classes: Sequence[ClassInfo],
) -> Any:
    """:func:`create_raster` for a one-band class raster on ``src``'s grid: 0 as nodata,
    the class colours, names and table, overviews."""
    return create_raster(
        path,
        count=1,
        dtype=dtype,
        nodata=CLASS_NODATA,
        classes=classes,
        overviews=True,
        **grid_of(src),
    )


def write_float_stack(
    src: rasterio.io.DatasetReader,
    output_path: str | os.PathLike,
    descriptions: Sequence[str],
    blocks: Sequence[Block],
    read: Callable[[Block], Any],
    compute: Callable[[Any], np.ndarray],
    progress: Progress,
    workers: int | None = None,
    scheduler: str | None = None,
    band_tags: Sequence[dict[str, str]] = (),
) -> None:
    """Compute ``blocks`` (:func:`run_blocks`) into a float32 stack on ``src``'s grid,
    NaN as nodata, one band per description, with optional per-band tags."""
    with create_raster(
        output_path,
        count=len(descriptions),
        dtype="float32",
        nodata=float("nan"),
        descriptions=descriptions,
        **grid_of(src),
    ) as dst:
        run_blocks(
            blocks,
            read,
            compute,
            lambda block, values: dst.write(values, window=block.window),
            progress,
            workers,
            scheduler,
        )
        for number, tags in enumerate(band_tags, start=1):
            dst.update_tags(number, **tags)


def overview_factors(width: int, height: int, smallest: int = 256) -> list[int]:
    """Power-of-two overview levels until the smaller side fits in ``smallest`` pixels."""
    factors = []
    factor = 2
    while min(width, height) / factor >= smallest / 2 and max(width, height) / factor > smallest:
        factors.append(factor)
        factor *= 2
    return factors


def write_class_table(path: str | os.PathLike, classes: Sequence[ClassInfo], size: int) -> None:
    """Describe the classes of band 1 of ``path`` as other software reads them.

    GDAL category names and a raster attribute table (value, name, colour) give the
    names to gdalinfo, QGIS, ArcGIS and R's terra, which ignore our metadata tag; a
    colour table of ``size`` entries with every entry that is no class transparent
    (a TIFF palette has no alpha). Opened read-only, GDAL keeps all three in the
    ``.aux.xml`` beside the file, where it reads them first.
    """
    try:
        with osgeo_raising() as osgeo:
            gdal = osgeo.gdal
            dataset = gdal.Open(str(path))
            if dataset is None:
                raise RuntimeError(gdal.GetLastErrorMsg())
            band = dataset.GetRasterBand(1)
            palette = gdal.ColorTable()
            for code, rgba in class_colormap(list(classes), size).items():
                palette.SetColorEntry(code, rgba)
            band.SetColorTable(palette)
            by_code = {c.code: c.name for c in classes}
            band.SetCategoryNames([by_code.get(code, "") for code in range(max(by_code) + 1)])
            table = gdal.RasterAttributeTable()
            columns = (
                ("Value", gdal.GFT_Integer, gdal.GFU_MinMax),
                ("Class_Name", gdal.GFT_String, gdal.GFU_Name),
                ("Red", gdal.GFT_Integer, gdal.GFU_Red),
                ("Green", gdal.GFT_Integer, gdal.GFU_Green),
                ("Blue", gdal.GFT_Integer, gdal.GFU_Blue),
                ("Alpha", gdal.GFT_Integer, gdal.GFU_Alpha),
            )
            for name, kind, usage in columns:
                table.CreateColumn(name, kind, usage)
            table.SetRowCount(len(classes))
            for row, info in enumerate(classes):
                table.SetValueAsInt(row, 0, info.code)
                table.SetValueAsString(row, 1, info.name)
                for column, value in enumerate((*info.color, 255), start=2):
                    table.SetValueAsInt(row, column, int(value))
            band.SetDefaultRAT(table)
            band = None
            dataset = None  # writes the .aux.xml
    except RuntimeError as exc:
        raise RasterError(f"cannot write the class names of {path}: {exc}") from exc


def _classes_from_table(src: rasterio.io.DatasetReader, nodata: float) -> list[ClassInfo]:
    """Classes from a GDAL raster attribute table or category names, if the file has one."""
    try:
        with osgeo_raising() as osgeo:
            gdal = osgeo.gdal
            dataset = gdal.Open(src.name)
            band = dataset.GetRasterBand(1) if dataset is not None else None
            table = band.GetDefaultRAT() if band is not None else None
            categories = (band.GetCategoryNames() if band is not None else None) or []
            rows: dict[int, tuple[str, tuple[int, ...] | None]] = {}
            if table is not None and table.GetRowCount():
                usages = [table.GetUsageOfCol(i) for i in range(table.GetColumnCount())]
                lowered = [table.GetNameOfCol(i).lower() for i in range(table.GetColumnCount())]

                def column(usage: int, *names: str) -> int | None:
                    if usage in usages:
                        return usages.index(usage)
                    return next((lowered.index(n) for n in names if n in lowered), None)

                value = column(gdal.GFU_MinMax, "value")
                name = column(gdal.GFU_Name, "class_name", "classname", "class", "name", "label")
                rgb = [
                    column(gdal.GFU_Red, "red"),
                    column(gdal.GFU_Green, "green"),
                    column(gdal.GFU_Blue, "blue"),
                ]
                if value is not None and name is not None:
                    for row in range(table.GetRowCount()):
                        color = None
                        if None not in rgb:
                            color = tuple(table.GetValueAsInt(row, c) for c in rgb)
                        rows[table.GetValueAsInt(row, value)] = (
                            table.GetValueAsString(row, name),
                            color,
                        )
            if not rows:
                rows = {code: (text, None) for code, text in enumerate(categories) if text}
    except RuntimeError:
        return []
    rows = {code: item for code, item in rows.items() if code not in (CLASS_NODATA, nodata)}
    if not rows:
        return []
    try:
        palette = src.colormap(1)
    except ValueError:
        palette = {}
    codes = sorted(rows)
    colors = {}
    for code in codes:
        color = rows[code][1]
        if color is None and code in palette and palette[code][3] > 0:
            color = palette[code][:3]
        if color is not None:
            colors[code] = color
    return make_classes(codes, [rows[code][0] for code in codes], colors)


def _classes_from_qml(path: str) -> list[ClassInfo]:
    """Classes of the paletted style in a QGIS ``.qml`` beside ``path``, if any."""
    qml = Path(path).with_suffix(".qml")
    try:
        root = ElementTree.parse(qml).getroot()
    except (OSError, ElementTree.ParseError):
        return []
    entries = {}
    for entry in root.iter("paletteEntry"):
        try:
            code = int(float(entry.get("value", "")))
            entries[code] = (
                entry.get("label") or f"class {code}",
                parse_color(entry.get("color", "")),
            )
        except ValueError:
            continue
    entries.pop(CLASS_NODATA, None)
    codes = sorted(entries)
    return make_classes(codes, [entries[c][0] for c in codes], {c: entries[c][1] for c in codes})


def read_classes(src: rasterio.io.DatasetReader) -> list[ClassInfo]:
    """Classes of a class raster, from the first of these that it has.

    Our own metadata tag; a GDAL raster attribute table (value, name and colour
    columns) or GDAL category names, as other software writes them; a QGIS paletted
    style in a ``.qml`` beside the file; the colour table. Without any, every value
    present in an overview-sized read becomes a class.
    """
    text = src.tags().get(CLASSES_TAG)
    if text:
        return classes_from_json(text)
    nodata = src.nodata if src.nodata is not None else CLASS_NODATA
    found = _classes_from_table(src, nodata) or _classes_from_qml(src.name)
    if found:
        return found
    try:
        table = src.colormap(1)
    except ValueError:
        table = {}
    sample = src.read(
        1, out_shape=(min(src.height, 1024), min(src.width, 1024)), resampling=Resampling.nearest
    )
    nodata = src.nodata if src.nodata is not None else CLASS_NODATA
    present = {int(v) for v in np.unique(sample) if v != nodata}
    # GDAL pads a GeoTIFF colour table to 256 opaque black entries: an opaque black
    # entry is a class only where the value occurs.
    codes = sorted(
        code
        for code, rgba in table.items()
        if code not in (CLASS_NODATA, nodata)
        and rgba[3] > 0
        and (tuple(rgba) != (0, 0, 0, 255) or code in present)
    )
    if codes:
        return make_classes(codes, None, {c: table[c][:3] for c in codes})
    return make_classes(sorted(present))


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


def read_class_block(src: Any, block: Block, dtype: Any) -> np.ndarray:
    """Band 1 of an open class raster in ``block`` (rows, cols) as ``dtype``, with
    everything that is not data (nodata, masked, beyond the raster) as 0."""
    data, valid = read_block(src, block, [1])
    return np.where(valid, data[0], CLASS_NODATA).astype(dtype, copy=False)


def check_same_grid(src, other, what: str, reference: str) -> None:
    """Raise unless ``other`` has the CRS, size and transform of ``src``."""
    if (
        other.width != src.width
        or other.height != src.height
        or other.crs != src.crs
        or not np.allclose(tuple(other.transform)[:6], tuple(src.transform)[:6], rtol=0, atol=1e-9)
    ):
        raise InputError(
            f"the {what} is on another grid ({other.width} x {other.height} pixels, "
            f"{other.crs}, origin {other.transform.c:g}, {other.transform.f:g}, pixel "
            f"{other.transform.a:g}) than the {reference} ({src.width} x {src.height}, "
            f"{src.crs}, origin {src.transform.c:g}, {src.transform.f:g}, pixel "
            f"{src.transform.a:g}); put it on the same grid first with 'Align rasters'"
        )
