"""Classify a raster of any size with a trained model, one window at a time.

Memory is set by the window size, never by the raster size: each window's valid
pixels are stacked into one contiguous ``(n, bands)`` float32 batch and the model
predicts it in one call. Windows are computed on every core through
:func:`~.raster.run_blocks`; each worker runs the model single-threaded so the
cores are not oversubscribed. Every output is written atomically: an error or a
cancel leaves none of them behind.
"""

from __future__ import annotations

import math
import os
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from rasterio.crs import CRS

from ..io.classes import CLASS_NODATA, CLASSES_TAG, MAP_TAG, ClassInfo, class_dtype, classes_to_json
from ..io.errors import InputError
from ..io.progress import Progress, as_progress
from ..io.raster import (
    DEFAULT_WINDOW_PIXELS,
    Block,
    blocks_for,
    compressed_size,
    create_raster,
    default_workers,
    grid_of,
    open_raster,
    read_block,
    run_blocks,
)

UNCERTAINTY_BANDS = ("max probability", "margin", "entropy")


@dataclass
class ClassifyResult:
    """What :func:`classify_raster` did: ``pixels`` (raster size), ``classified``
    (valid pixels), ``counts`` (class code -> pixels), ``blocks``, ``workers``,
    ``max_pixels`` (the window budget), ``seconds`` (wall time) and
    ``predict_seconds`` (time inside the model, summed over workers)."""

    counts: dict[int, int] = field(default_factory=dict)
    classified: int = 0
    predict_seconds: float = 0.0
    pixels: int = 0
    blocks: int = 0
    workers: int = 0
    max_pixels: int = 0
    seconds: float = 0.0


_GENERIC_BAND_NAME = re.compile(r"^\s*(band)?[\s_#-]*\d+\s*$", re.IGNORECASE)


class ClassModel(Protocol):
    """What :func:`classify_raster` needs from a model (``core.model.LandcoverModel``)."""

    classes: list[ClassInfo]
    band_names: list[str]

    def predict_proba(self, x: np.ndarray) -> np.ndarray: ...

    # Optional: ``predict_index(x)``, the argmax of predict_proba's columns, used when
    # only classes are written.


@dataclass
class _Window:
    """Everything computed for one window, handed from a worker to the writer."""

    classes: np.ndarray  # (rows, cols) class codes, CLASS_NODATA where invalid
    counts: np.ndarray  # (n_classes,) pixels per class
    valid: int
    probabilities: np.ndarray | None  # (n_classes, rows, cols) float32, NaN where invalid
    uncertainty: np.ndarray | None  # (3, rows, cols) float32, NaN where invalid
    seconds: float  # time spent in the model (predict_proba or predict_index)


def known_band_name(name: str | None) -> bool:
    """True for a band name that says what the band is (not empty, not 'band 3')."""
    return bool(name and name.strip()) and not _GENERIC_BAND_NAME.match(name)


def check_bands(model: ClassModel, count: int, descriptions: Sequence[str | None]) -> None:
    """Raise :class:`InputError` unless a raster with ``count`` bands named
    ``descriptions`` is what ``model`` was trained on."""
    expected = list(model.band_names)
    if count != len(expected):
        listing = ", ".join(expected)
        raise InputError(
            f"the model was trained on {len(expected)} bands ({listing}) but the input "
            f"raster has {count}; classify a raster with the same bands, in the same order, "
            "as the one the model was trained on"
        )
    for index, (want, have) in enumerate(zip(expected, descriptions), start=1):
        if (
            known_band_name(want)
            and known_band_name(have)
            and want.strip().casefold() != str(have).strip().casefold()
        ):
            raise InputError(
                f"band {index} of the input raster is '{have}' but the model expects "
                f"'{want}' there (the model expects the bands {', '.join(expected)}); "
                "stack the bands in the order the model was trained on"
            )


def same_crs(path: str | os.PathLike, wkt: str) -> bool:
    """True when the raster at ``path`` is in the CRS described by ``wkt``, compared by
    equivalence (the same definition under another name or WKT version is the same)."""
    with open_raster(path) as src:
        crs = src.crs
    try:
        return crs is not None and crs == CRS.from_wkt(wkt)
    except Exception:
        return False


def pixels_for_memory(
    memory_mb: float,
    bands: int,
    n_classes: int,
    workers: int | None = None,
    probabilities: bool = False,
    uncertainty: bool = False,
) -> int:
    """Pixels per window so that all windows in flight fit in ``memory_mb`` MiB.

    Counts, per pixel: the window read (float32 and its source copy), the stacked
    batch, the model's float64 probabilities with a float32 copy, and the outputs,
    for the ``workers + 2`` windows :func:`~.raster.run_blocks` holds at once.
    """
    workers = workers or default_workers()
    per_pixel = bands * 4 * 3 + n_classes * (8 + 4 + 8) + 4 + 1 + 16
    if probabilities:
        per_pixel += n_classes * 4
    if uncertainty:
        per_pixel += 3 * 4
    budget = memory_mb * 1024 * 1024 / (workers + 2)
    return max(256 * 256, int(budget // per_pixel))


def _class_codes(classes: Sequence[ClassInfo]) -> np.ndarray:
    codes = [int(c.code) for c in classes]
    if not codes:
        raise InputError("the model has no classes; train it again with labelled samples")
    if min(codes) <= CLASS_NODATA or max(codes) > 65535:
        raise InputError(
            f"class codes must be between 1 and 65535 (0 marks nodata), the model has "
            f"{min(codes)} to {max(codes)}; recode the training classes and train again"
        )
    return np.asarray(codes)


class _SingleThreaded:
    """Keeps BLAS and OpenMP inside model calls at one thread per worker.

    BLAS limits are process-wide, so they are set once around the whole run; OpenMP
    limits belong to the calling thread, so each worker thread sets its own the
    first time it computes.
    """

    def __init__(self) -> None:
        self._local = threading.local()
        try:
            import threadpoolctl
        except ImportError:
            threadpoolctl = None
        self._threadpoolctl = threadpoolctl

    @contextmanager
    def run(self) -> Iterator[None]:
        if self._threadpoolctl is None:
            yield
            return
        with self._threadpoolctl.threadpool_limits(limits=1, user_api="blas"):
            yield

    def enter_worker(self) -> None:
        if self._threadpoolctl is not None and not getattr(self._local, "done", False):
            self._threadpoolctl.threadpool_limits(limits=1, user_api="openmp")
            self._local.done = True


_LIMITS = _SingleThreaded()


def _classify_window(
    item: tuple[np.ndarray, np.ndarray],
    model: ClassModel,
    codes: np.ndarray,
    dtype: Any,
    probabilities: bool,
    uncertainty: bool,
) -> _Window:
    """:func:`predict_window` of one read window, in a worker thread."""
    _LIMITS.enter_worker()
    data, valid = item
    return predict_window(model, data, valid, codes, dtype, probabilities, uncertainty)


def predict_window(
    model: ClassModel,
    data: np.ndarray,
    valid: np.ndarray,
    codes: np.ndarray,
    dtype: Any,
    probabilities: bool = False,
    uncertainty: bool = False,
) -> _Window:
    """Classify one window: ``data`` (bands, rows, cols), ``valid`` (rows, cols)."""
    bands = data.shape[0]
    rows, cols = valid.shape
    k = len(codes)
    flat = np.flatnonzero(valid.ravel())
    out = np.full(rows * cols, CLASS_NODATA, dtype=dtype)
    counts = np.zeros(k, dtype=np.int64)
    proba_out = np.full((k, rows * cols), np.nan, np.float32) if probabilities else None
    unc_out = np.full((3, rows * cols), np.nan, np.float32) if uncertainty else None
    seconds = 0.0
    if flat.size:
        batch = np.ascontiguousarray(data.reshape(bands, -1)[:, flat].T, dtype=np.float32)
        start = time.perf_counter()
        index = getattr(model, "predict_index", None)
        if index is not None and not (probabilities or uncertainty):
            # Classes only: the model's own argmax, faster for forests, same classes.
            best = np.asarray(index(batch))
            proba = None
        else:
            proba = np.asarray(model.predict_proba(batch))
            if proba.shape != (flat.size, k):
                raise ValueError(
                    f"the model returned probabilities of shape {proba.shape}, "
                    f"expected {(flat.size, k)}"
                )
            best = np.argmax(proba, axis=1)
        seconds = time.perf_counter() - start
        out[flat] = codes[best].astype(dtype, copy=False)
        counts = np.bincount(best, minlength=k).astype(np.int64)
        if proba_out is not None:
            proba_out[:, flat] = proba.T
        if unc_out is not None:
            unc_out[:, flat] = uncertainty_measures(proba)
    return _Window(
        classes=out.reshape(rows, cols),
        counts=counts,
        valid=int(flat.size),
        probabilities=None if proba_out is None else proba_out.reshape(k, rows, cols),
        uncertainty=None if unc_out is None else unc_out.reshape(3, rows, cols),
        seconds=seconds,
    )


def uncertainty_measures(proba: np.ndarray) -> np.ndarray:
    """Per pixel of ``proba`` (n, k): highest probability, margin between the two
    highest, and entropy normalised to [0, 1] (divided by ln k); shape (3, n)."""
    n, k = proba.shape
    result = np.empty((3, n), dtype=np.float32)
    if k == 1:
        result[0] = proba[:, 0]
        result[1] = proba[:, 0]
        result[2] = 0.0
        return result
    top2 = np.partition(proba, k - 2, axis=1)[:, k - 2 :]
    result[0] = top2[:, 1]
    result[1] = top2[:, 1] - top2[:, 0]
    p = np.asarray(proba, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    result[2] = np.clip(-terms.sum(axis=1) / math.log(k), 0.0, 1.0)
    return result


def _distinct_outputs(input_path: Any, outputs: Sequence[Any]) -> None:
    seen = {os.path.abspath(os.fspath(input_path))}
    for path in outputs:
        if path is None:
            continue
        resolved = os.path.abspath(os.fspath(path))
        if resolved in seen:
            raise InputError(
                f"{path} is used twice (as input or as another output); "
                "give every output its own file name"
            )
        seen.add(resolved)


def classify_raster(
    input_path: str | os.PathLike,
    model: ClassModel,
    output_path: str | os.PathLike,
    probabilities_path: str | os.PathLike | None = None,
    uncertainty_path: str | os.PathLike | None = None,
    max_pixels: int = DEFAULT_WINDOW_PIXELS,
    workers: int | None = None,
    progress: Progress | None = None,
    log: Callable[[str], None] | None = None,
    scheduler: str | None = None,
) -> ClassifyResult:
    """Classify every pixel of ``input_path`` with ``model``, window by window.

    Writes ``output_path``: one band of class codes in the smallest unsigned type,
    nodata 0, with the model's class colours and names embedded. Optionally writes
    ``probabilities_path`` (float32, one band per class named after it) and
    ``uncertainty_path`` (float32 bands 'max probability', 'margin' and 'entropy',
    see :func:`uncertainty_measures`); both use NaN as nodata. A pixel that is
    nodata in any input band is nodata in every output.

    ``max_pixels`` bounds the pixels of a window (see :func:`pixels_for_memory`);
    ``workers`` threads compute windows (default: every core); with ``scheduler``
    (a Dask scheduler address such as ``tcp://10.0.0.5:8786``) the cluster's workers
    read and compute the windows instead (the model travels as its file bytes; see
    :mod:`.cluster`) and this process writes the outputs. On a raster of many
    windows, ``log`` receives the estimated time and output size once the first
    windows are written (see :class:`ScaleEstimate`), so a user can cancel knowingly.

    Returns a :class:`ClassifyResult`.
    """
    progress = as_progress(progress)
    started = time.perf_counter()
    _distinct_outputs(input_path, [output_path, probabilities_path, uncertainty_path])
    classes = list(model.classes)
    codes = _class_codes(classes)
    dtype = class_dtype(int(codes.max()))
    workers = workers or default_workers()
    want_proba = probabilities_path is not None
    want_unc = uncertainty_path is not None
    stats = ClassifyResult(counts={int(c): 0 for c in codes})
    with open_raster(input_path) as src:
        check_bands(model, src.count, src.descriptions)
        blocks = blocks_for(src, max_pixels)
        grid = grid_of(src)
        # One id shared by the outputs of this run; the probabilities also carry the
        # classes (codes, names, colours) of their bands for the steps that read them.
        map_tag = {MAP_TAG: uuid.uuid4().hex}
        written: list[Path] = []
        try:
            with ExitStack() as stack:
                dst = stack.enter_context(
                    _tracked(
                        written,
                        output_path,
                        count=1,
                        dtype=dtype,
                        nodata=CLASS_NODATA,
                        classes=classes,
                        tags=map_tag,
                        overviews=True,
                        **grid,
                    )
                )
                proba_dst = unc_dst = None
                if want_proba:
                    proba_dst = stack.enter_context(
                        _tracked(
                            written,
                            probabilities_path,
                            count=len(classes),
                            dtype="float32",
                            nodata=float("nan"),
                            descriptions=[c.name for c in classes],
                            overviews=True,
                            tags={**map_tag, CLASSES_TAG: classes_to_json(classes)},
                            **grid,
                        )
                    )
                if want_unc:
                    unc_dst = stack.enter_context(
                        _tracked(
                            written,
                            uncertainty_path,
                            count=3,
                            dtype="float32",
                            nodata=float("nan"),
                            descriptions=list(UNCERTAINTY_BANDS),
                            overviews=True,
                            tags=map_tag,
                            **grid,
                        )
                    )

                read = partial(read_block, src, dtype=np.float32)
                compute = partial(
                    _classify_window,
                    model=model,
                    codes=codes,
                    dtype=dtype,
                    probabilities=want_proba,
                    uncertainty=want_unc,
                )

                estimate = ScaleEstimate(blocks, log)

                def write(block: Block, result: _Window) -> None:
                    dst.write(result.classes, 1, window=block.window)
                    if proba_dst is not None:
                        proba_dst.write(result.probabilities, window=block.window)
                    if unc_dst is not None:
                        unc_dst.write(result.uncertainty, window=block.window)
                    stats.classified += result.valid
                    stats.predict_seconds += result.seconds
                    for code, count in zip(codes, result.counts):
                        stats.counts[int(code)] += int(count)
                    estimate.written(
                        block, [result.classes, result.probabilities, result.uncertainty]
                    )

                with _LIMITS.run():
                    run_blocks(
                        blocks, read, compute, write, progress.span(0.0, 0.97), workers, scheduler
                    )
        except BaseException:
            for path in written:
                with suppress(FileNotFoundError):
                    path.unlink()
            raise
    progress(1.0)
    stats.pixels = int(src.width) * int(src.height)
    stats.blocks = len(blocks)
    stats.workers = workers
    stats.max_pixels = max_pixels
    stats.seconds = time.perf_counter() - started
    return stats


@contextmanager
def _tracked(written: list[Path], path: Any, **kwargs: Any) -> Iterator[Any]:
    """:func:`~.raster.create_raster`, remembering the path once it is in place, so
    the other outputs of the same run can be removed if a later one fails."""
    with create_raster(path, **kwargs) as dst:
        yield dst
    written.append(Path(path))


class ScaleEstimate:
    """Logs, once, the estimated duration and output size of a run of many blocks.

    After ``ESTIMATE_AFTER`` written blocks (or one percent of them, if more), the
    time so far and the compressed size of the arrays written (measured in memory:
    the files themselves lag behind GDAL's cache) are extrapolated by the share of
    pixels written. Runs of fewer than ``MIN_BLOCKS`` blocks are quick and log
    nothing.
    """

    MIN_BLOCKS = 12
    ESTIMATE_AFTER = 4

    def __init__(self, blocks: Sequence[Block], log: Callable[[str], None] | None) -> None:
        self.log = log if len(blocks) >= self.MIN_BLOCKS else None
        self.total_pixels = sum(b.shape[0] * b.shape[1] for b in blocks)
        self.count = len(blocks)
        self.after = max(self.ESTIMATE_AFTER, self.count // 100)
        self.started = time.perf_counter()
        self.done_blocks = 0
        self.done_pixels = 0
        self.compressed = 0

    def written(self, block: Block, arrays: Sequence[np.ndarray | None]) -> None:
        """Count ``block`` as written with ``arrays`` (None: an output not written)."""
        if self.log is None:
            return
        self.done_blocks += 1
        self.done_pixels += block.shape[0] * block.shape[1]
        self.compressed += sum(
            compressed_size(a if a.ndim == 3 else a[None]) for a in arrays if a is not None
        )
        if self.done_blocks < self.after:
            return
        share = self.done_pixels / max(self.total_pixels, 1)
        seconds = (time.perf_counter() - self.started) / share
        size = self.compressed / share
        self.log(
            f"Estimated {format_duration(seconds)} for {self.count:,} blocks, output about "
            f"{format_size(size)} (from the first {self.done_blocks} blocks)."
        )
        self.log = None


def format_duration(seconds: float) -> str:
    """A duration for reading: '2 h 10 min', '3 min 20 s', '45 s'."""
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s"
    return f"{secs} s"


def format_size(size: float) -> str:
    """A file size for reading: '3.1 GB', '120 MB', '12 kB'."""
    for unit, factor in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= factor:
            digits = 1 if size < 10 * factor else 0
            return f"{size / factor:.{digits}f} {unit}"
    return f"{int(size)} bytes"
