"""Benchmark section: texture features (``landcover:texture`` core).

Our figures are file to file: read a tiled GeoTIFF block by block, compute on the
worker threads, write a compressed float32 GeoTIFF. The baselines run in memory on
an array already loaded, which favours them.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import Row, best_of, link_plugin, peak_rss_mb

SECTION = "features"
LEVELS = 16


def make_band(path: Path, size: int, seed: int = 0) -> None:
    """A ``size`` x ``size`` uint16 band with fields of texture, written in strips."""
    from rasterio.windows import Window

    from landcover.core.io.raster import create_raster

    rng = np.random.default_rng(seed)
    coarse = rng.integers(500, 4000, size=(size // 50 + 2, size // 50 + 2))
    with create_raster(
        path,
        width=size,
        height=size,
        count=1,
        dtype="uint16",
        crs="EPSG:32633",
        transform=(10.0, 0.0, 500000.0, 0.0, -10.0, 6000000.0),
        nodata=0,
    ) as dst:
        strip = 512
        for row in range(0, size, strip):
            rows = min(strip, size - row)
            base = np.repeat(np.repeat(coarse[row // 50 : (row + rows) // 50 + 2], 50, 0), 50, 1)
            base = base[row % 50 : row % 50 + rows, :size]
            noise = rng.normal(0.0, 1.0, size=(rows, size)) * (base / 20.0)
            data = np.clip(base + noise, 1, 65535).astype(np.uint16)
            dst.write(data[np.newaxis], window=Window(0, row, size, rows))


def _entropy_of_window(values: np.ndarray) -> float:
    counts = np.bincount(values.astype(np.int64))
    p = counts[counts > 0] / values.size
    return float(-(p * np.log2(p)).sum())


def run(workdir: Path, quick: bool) -> list[Row]:
    link_plugin()
    from scipy import ndimage

    from landcover.core.features import texture as tx
    from landcover.core.io.raster import default_workers

    size, crop = (1000, 200) if quick else (4000, 500)
    memory_sizes = (500, 1000) if quick else (2000, 8000)
    workdir.mkdir(parents=True, exist_ok=True)
    source = workdir / f"texture_{size}.tif"
    make_band(source, size)
    import rasterio

    with rasterio.open(source) as src:
        band = src.read(1).astype(np.float64)
    piece = band[:crop, :crop]
    scale = (size * size) / (crop * crop)
    value_range = tx.quantile_range(band)
    grey = tx.quantise(band, value_range, LEVELS)
    grey_piece = grey[:crop, :crop].astype(np.float64)
    workers = default_workers()
    tx.texture(source, workdir / "warm-up.tif", [1], 3, ["mean"])  # imports, thread pool
    rows: list[Row] = []
    times: dict[tuple[str, int], float] = {}
    for window in (7, 15):
        for measure in ("variance", "entropy"):
            output = workdir / f"texture_{measure}_{window}.tif"
            ours = best_of(
                lambda m=measure, w=window, o=output: tx.texture(
                    source, o, [1], w, [m], levels=LEVELS
                ),
                repeat=2 if quick else 3,
            )
            times[(measure, window)] = ours
            function = np.var if measure == "variance" else _entropy_of_window
            data = piece if measure == "variance" else grey_piece
            baseline = best_of(
                lambda f=function, d=data, w=window: ndimage.generic_filter(d, f, size=w),
                repeat=1,
            )
            rows.append(
                Row(
                    SECTION,
                    f"texture {measure} {window}x{window}, {size}² band",
                    ours,
                    f"scipy.ndimage.generic_filter({function.__name__})",
                    baseline * scale,
                    f"ours: file to file, {workers} threads; baseline: one run in memory on a "
                    f"{crop}² crop ({baseline:.2f} s) and scaled by the pixel count (x{scale:g})"
                    + (f"; {LEVELS} grey levels" if measure == "entropy" else ""),
                )
            )
            if measure == "entropy":
                rows.append(_skimage_row(grey, window, ours, size))
    for measure in ("variance", "entropy"):
        ratio = times[(measure, 15)] / times[(measure, 7)]
        rows.append(
            Row(
                SECTION,
                f"texture {measure}: time 15x15 / time 7x7",
                None,
                "",
                None,
                f"{ratio:.2f} (1.00 = cost independent of the window; 225/49 = "
                f"{225 / 49:.2f} for a per-pixel window loop)",
                {"ratio_15_over_7": f"{ratio:.2f}"},
            )
        )
    rows.append(_memory_row(workdir, memory_sizes))
    return rows


def _skimage_row(grey: np.ndarray, window: int, ours: float, size: int) -> Row:
    case = f"texture entropy {window}x{window}, {size}² band"
    try:
        from skimage.filters.rank import entropy
        from skimage.morphology import square
    except ImportError:
        return Row(SECTION, case, ours, "skimage.filters.rank.entropy", None, "not installed")
    image = grey.astype(np.uint8)
    baseline = best_of(lambda: entropy(image, square(window)), repeat=1)
    return Row(
        SECTION,
        case,
        ours,
        "skimage.filters.rank.entropy",
        baseline,
        f"baseline in memory on the whole {size}² band, already in {LEVELS} grey levels "
        "(uint8), one thread, one run",
    )


GDAL_CACHE_MB = "32"


def _memory_row(workdir: Path, sizes: tuple[int, int]) -> Row:
    peaks = {}
    for size in sizes:
        source = workdir / f"memory_{size}.tif"
        make_band(source, size, seed=1)
        code = (
            "from landcover.core.features.texture import texture\n"
            f"texture({str(source)!r}, {str(workdir / f'memory_{size}_out.tif')!r}, [1], 15, "
            "['variance', 'entropy'])\n"
        )
        # GDAL's block cache fills up to its cap whatever the step: a small cap that both
        # sizes reach shows the memory of the step itself
        peaks[size] = peak_rss_mb(code, {"GDAL_CACHEMAX": GDAL_CACHE_MB})
        source.unlink()
        (workdir / f"memory_{size}_out.tif").unlink()
    small, large = sizes
    growth = peaks[large] / peaks[small]
    return Row(
        SECTION,
        f"texture peak memory, {small}² vs {large}² (variance + entropy 15x15)",
        None,
        "",
        None,
        f"{peaks[small]:.0f} MiB vs {peaks[large]:.0f} MiB (x{growth:.2f} for "
        f"x{(large / small) ** 2:g} pixels; GDAL_CACHEMAX={GDAL_CACHE_MB} MB)",
        {f"peak_{small}_mb": f"{peaks[small]:.0f}", f"peak_{large}_mb": f"{peaks[large]:.0f}"},
    )


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    with tempfile.TemporaryDirectory() as folder:
        for row in run(Path(folder), quick):
            ratio = f"{row.ratio:.1f}x" if row.ratio else ""
            ours = f"{row.ours_s:.2f} s" if row.ours_s else ""
            base = f"{row.baseline_s:.2f} s" if row.baseline_s else ""
            print(f"{row.case:55} {ours:>10} {base:>10} {ratio:>8}  {row.notes}")
