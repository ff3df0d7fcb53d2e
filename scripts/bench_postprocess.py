"""Benchmark section ``postprocess``: majority filter, sieve and polygons.

* Majority filter of a noisy 8-class map (4000², window 5 and 11, square and circle),
  block-wise from file to file, against ``scipy.ndimage.generic_filter`` with a
  per-pixel mode function. The baseline runs on a crop and is scaled by pixel count
  (it would take hours on the whole map); it breaks ties by the smallest code and
  ignores nodata, otherwise the same mode.
* Sieve (minimum 20 pixels, 4-connected) against ``gdal_sieve.py`` on the same map
  (GDAL's rule: merge into the largest neighbour, one pass; ours: longest shared border,
  passes until stable), and the sieve's peak memory and time for MIN_SIZE 20, 500 and
  2500 pixels on a 2000² map (the memory must not grow with MIN_SIZE).
* Polygonize at 2000² and 8000²: throughput and peak memory of a fresh process (GDAL
  cache fixed small), against ``rasterio.features.shapes`` on the whole in-memory
  array (GDAL's polygonizer; holds the whole raster in memory).

The maps are the benchmark scene's smooth class regions; the filter and sieve maps get
10 % speckle noise (a raw pixel classification), the polygon maps 0.5 % (a cleaned map).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from benchlib import PLUGINS, Row, best_of, link_plugin, peak_rss_mb

SECTION = "postprocess"
CLASSES = 8
GDAL_CACHE_MB = "32"


def _noisy_map(workdir: Path, size: int, noise: float, seed: int = 5) -> Path:
    """The benchmark scene's class regions with ``noise`` of the pixels set at random."""
    import rasterio

    from landcover.core.io.raster import create_raster, read_classes
    from landcover.core.synthetic import make_benchmark_scene

    path = workdir / f"classes_{size}_{int(noise * 1000)}.tif"
    if path.exists():
        return path
    scene = workdir / f"pp_scene_{size}.tif"
    truth = scene.with_name(f"{scene.stem}_truth.tif")
    if not truth.exists():
        make_benchmark_scene(scene, size, bands=1, classes=CLASSES, seed=seed)
    with rasterio.open(truth) as src:
        image = src.read(1)
        classes = read_classes(src)
        profile = {"crs": src.crs, "transform": src.transform}
    rng = np.random.default_rng(seed)
    speck = rng.random(image.shape) < noise
    image[speck] = rng.integers(1, CLASSES + 1, int(speck.sum()), dtype=np.uint8)
    with create_raster(
        path,
        width=size,
        height=size,
        count=1,
        dtype="uint8",
        nodata=0,
        classes=classes,
        **profile,
    ) as dst:
        dst.write(image, 1)
    return path


def _scipy_mode(path: Path, size: int, crop: int) -> tuple[float, int]:
    import rasterio
    from rasterio.windows import Window
    from scipy import ndimage

    with rasterio.open(path) as src:
        image = src.read(1, window=Window(0, 0, crop, crop))

    def mode(values: np.ndarray) -> float:
        return float(np.bincount(values.astype(np.intp)).argmax())

    start = time.perf_counter()
    ndimage.generic_filter(image, mode, size=size, mode="constant", cval=0)
    return time.perf_counter() - start, crop * crop


def _sieve_code(path: Path, out: Path, min_size: int) -> str:
    return (
        "import time\n"
        "from landcover.core.postprocess.sieve import sieve_raster\n"
        "start = time.perf_counter()\n"
        f"info = sieve_raster({str(path)!r}, {str(out)!r}, {min_size}, 4)\n"
        "print('SECONDS', time.perf_counter() - start, info.passes)\n"
    )


SIEVE_SIZES = (20, 500, 2500)  # 2500 px: 25 ha at 10 m


def sieve_memory_rows(workdir: Path, quick: bool) -> list[Row]:
    """Peak memory and time of the sieve against MIN_SIZE, each in a fresh process."""
    size = 600 if quick else 2000
    noisy = _noisy_map(workdir, size, 0.10)
    rows = []
    for min_size in SIEVE_SIZES:
        out = workdir / f"sieved_{min_size}.tif"
        start = time.perf_counter()
        peak = peak_rss_mb(_sieve_code(noisy, out, min_size), {"GDAL_CACHEMAX": GDAL_CACHE_MB})
        seconds = time.perf_counter() - start
        rows.append(
            Row(
                SECTION,
                f"sieve memory {size}², 10 % speckle, min {min_size} px, 4-connected",
                seconds,
                "",
                None,
                f"peak memory {peak:.0f} MiB (fresh process, GDAL cache {GDAL_CACHE_MB} MiB; "
                "time includes starting Python); blocks without a halo, patches joined "
                "across block edges, so memory does not grow with MIN_SIZE",
                {"peak_mb": f"{peak:.0f}"},
            )
        )
    return rows


def _polygonize_code(path: Path) -> str:
    return (
        "from landcover.core.postprocess.polygonize import polygonize_raster\n"
        "count = [0]\n"
        "def emit(patch):\n"
        "    count[0] += 1\n"
        f"polygonize_raster({str(path)!r}, emit)\n"
    )


def _shapes_code(path: Path) -> str:
    return (
        "import rasterio, rasterio.features\n"
        f"src = rasterio.open({str(path)!r})\n"
        "image = src.read(1)\n"
        "n = sum(1 for _ in rasterio.features.shapes(image, mask=image > 0, "
        "connectivity=4, transform=src.transform))\n"
    )


def run(workdir: Path, quick: bool) -> list[Row]:
    link_plugin()
    import rasterio
    import rasterio.features

    from landcover.core.postprocess.majority import majority_raster
    from landcover.core.postprocess.polygonize import polygonize_raster
    from landcover.core.postprocess.sieve import sieve_raster

    workdir.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    filter_size = 600 if quick else 4000
    noisy = _noisy_map(workdir, filter_size, 0.10)
    pixels = filter_size * filter_size

    # Majority filter against a per-pixel generic_filter mode.
    for window in (5, 11):
        crop = 100 if quick else 250
        baseline_crop, crop_pixels = _scipy_mode(noisy, window, crop)
        baseline = baseline_crop * pixels / crop_pixels
        for shape in ("square", "circle"):
            out = workdir / f"majority_{window}_{shape}.tif"
            ours = best_of(
                lambda s=shape, o=out, w=window: majority_raster(noisy, o, w, s),
                2 if quick else 1,
            )
            rows.append(
                Row(
                    SECTION,
                    f"majority filter {filter_size}², 8 classes, window {window}, {shape}",
                    ours,
                    "scipy generic_filter mode",
                    baseline,
                    f"baseline timed on a {crop}² crop ({baseline_crop:.2f} s), scaled by "
                    f"pixel count; ours file to file, block-wise, {pixels / ours / 1e6:.1f} "
                    "Mpx/s",
                )
            )

    # Sieve against gdal_sieve.py.
    out = workdir / "sieved.tif"
    start = time.perf_counter()
    info = sieve_raster(noisy, out, 20, 4)
    ours = time.perf_counter() - start
    gdal_sieve = shutil.which("gdal_sieve.py")
    baseline = None
    if gdal_sieve:
        target = workdir / "gdal_sieved.tif"
        target.unlink(missing_ok=True)
        start = time.perf_counter()
        subprocess.run(
            [gdal_sieve, "-q", "-st", "20", "-4", str(noisy), str(target)],
            check=True,
            capture_output=True,
        )
        baseline = time.perf_counter() - start
    rows.append(
        Row(
            SECTION,
            f"sieve {filter_size}², 10 % speckle, min 20 px, 4-connected",
            ours,
            "gdal_sieve.py" if gdal_sieve else "gdal_sieve.py (not installed)",
            baseline,
            f"ours: {info.passes} passes on the patch graph, longest-border rule, patches joined "
            "across block edges; GDAL: whole raster, largest-neighbour rule",
        )
    )

    rows.extend(sieve_memory_rows(workdir, quick))

    # Polygonize: throughput and peak memory at two sizes.
    for size in (300, 1200) if quick else (2000, 8000):
        path = _noisy_map(workdir, size, 0.005)
        count = [0]

        def emit(patch, count=count) -> None:
            count[0] += 1

        start = time.perf_counter()
        polygonize_raster(path, emit)
        ours = time.perf_counter() - start
        with rasterio.open(path) as src:
            image = src.read(1)
            transform = src.transform
        start = time.perf_counter()
        shapes = sum(
            1
            for _ in rasterio.features.shapes(
                image, mask=image > 0, connectivity=4, transform=transform
            )
        )
        baseline = time.perf_counter() - start
        del image
        ours_mb = peak_rss_mb(_polygonize_code(path), {"GDAL_CACHEMAX": GDAL_CACHE_MB})
        baseline_mb = peak_rss_mb(_shapes_code(path), {"GDAL_CACHEMAX": GDAL_CACHE_MB})
        rows.append(
            Row(
                SECTION,
                f"polygonize {size}², 0.5 % speckle ({count[0]} polygons)",
                ours,
                "rasterio.features.shapes, whole array",
                baseline,
                f"{size * size / ours / 1e6:.1f} Mpx/s, {count[0] / ours:.0f} polygons/s "
                f"(WKB, areas, perimeters); peak memory {ours_mb:.0f} MiB vs "
                f"{baseline_mb:.0f} MiB (GDAL cache {GDAL_CACHE_MB} MiB); baseline "
                f"{shapes} polygons as GeoJSON dicts",
                {"peak_mb": f"{ours_mb:.0f}", "baseline_peak_mb": f"{baseline_mb:.0f}"},
            )
        )
    return rows


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    for row in run(PLUGINS.parent / "bench" / SECTION, quick):
        ratio = f"{row.ratio:.1f}x" if row.ratio else ""
        print(f"{row.case}: ours {row.ours_s:.2f} s, {row.baseline} {row.baseline_s} {ratio}")
        print(f"    {row.notes}")
