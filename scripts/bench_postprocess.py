"""Benchmark section ``postprocess``: majority filter, sieve and polygons.

* Majority filter of a noisy 8-class map (4000², window 5 and 11, square and circle),
  block-wise from file to file, against ``scipy.ndimage.generic_filter`` with a
  per-pixel mode function. The baseline runs on a crop and is scaled by pixel count
  (it would take hours on the whole map); it breaks ties by the smallest code and
  ignores nodata, otherwise the same mode.
* Sieve (minimum 20 pixels, 4-connected) against ``gdal_sieve.py`` on the same map
  and GDAL's filter in process (ours calls that filter, then copies its result with the
  class table and overviews; the pixels must be identical), and the sieve's peak memory
  and time for MIN_SIZE 20, 500 and 2500 pixels on a 2000² map (the memory must not grow
  with MIN_SIZE).
* Polygonize at 2000² and 8000²: throughput and peak memory of a fresh process (GDAL
  cache fixed small), against ``rasterio.features.shapes`` on the whole in-memory
  array (GDAL's polygonizer; holds the whole raster in memory).

The maps are the benchmark scene's smooth class regions; the filter and sieve maps get
10 % speckle noise (a raw pixel classification), the polygon maps 0.5 % (a cleaned map).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
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
        "print('SECONDS', time.perf_counter() - start, info.changed)\n"
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
                "time includes starting Python); GDAL's filter keeps a few numbers per "
                "patch, so memory does not grow with MIN_SIZE",
                {"peak_mb": f"{peak:.0f}"},
            )
        )
    return rows


def _same_pixels(first: Path, second: Path) -> bool:
    import rasterio

    with rasterio.open(first) as a, rasterio.open(second) as b:
        return bool(np.array_equal(a.read(1), b.read(1)))


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


CASES = ("majority", "sieve", "polygonize")
POLYGON_MAPS = ((2000, 0.005), (8000, 0.005), (4000, 0.1))


def _goal(text: str, baseline: float | None, ours: float) -> dict[str, str]:
    """A goal line for the benchmark page: met when we are at least as fast."""
    if not baseline:
        return {}
    ratio = baseline / ours
    return {"goal": f"{text}: {'met' if ratio >= 1 else 'NOT met'} ({ratio:.2f}x)"}


REPEAT = 5


def interleaved_medians(functions: dict[str, Callable[[], object]], repeat: int) -> dict:
    """Median wall-clock time of each function, run in turn ``repeat`` times: on a
    shared machine the load then weighs on both sides alike."""
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def _gdal_polygonize(path: Path) -> int:
    """GDAL's polygonizer in process into an in-memory layer: the patch count."""
    from osgeo import gdal, ogr

    source = gdal.Open(str(path))
    band = source.GetRasterBand(1)
    memory = ogr.GetDriverByName("Memory").CreateDataSource("")
    layer = memory.CreateLayer("patches", source.GetSpatialRef(), ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("code", ogr.OFTInteger))
    gdal.Polygonize(band, band.GetMaskBand(), layer, 0, [])
    return layer.GetFeatureCount()


def polygonize_rows(workdir: Path, quick: bool) -> list[Row]:
    """Polygonize: throughput and peak memory, interleaved with GDAL's polygonizer (in
    rasterio and in process), on a cleaned map (0.5 % speckle) at two sizes and on a
    raw classification (10 %)."""
    import rasterio
    import rasterio.features

    from landcover.core.postprocess.polygonize import polygonize_raster

    rows = []
    for size, noise in ((300, 0.005), (1200, 0.005), (600, 0.1)) if quick else POLYGON_MAPS:
        path = _noisy_map(workdir, size, noise)
        count = [0, 0, 0]

        def emit(patch, count=count) -> None:
            count[0] += 1

        def ours_polygons(path=path, count=count) -> None:
            count[0] = 0
            polygonize_raster(path, emit)

        def gdal_shapes(path=path, count=count) -> None:
            with rasterio.open(path) as src:
                image = src.read(1)
                transform = src.transform
            count[1] = sum(
                1
                for _ in rasterio.features.shapes(
                    image, mask=image > 0, connectivity=4, transform=transform
                )
            )

        def gdal_in_process(path=path, count=count) -> None:
            count[2] = _gdal_polygonize(path)

        repeat = 2 if quick else (REPEAT if size <= 2000 else 1)
        times = interleaved_medians(
            {"ours": ours_polygons, "gdal": gdal_shapes, "filter": gdal_in_process}, repeat
        )
        ours, baseline = times["ours"], times["gdal"]
        ours_mb = peak_rss_mb(_polygonize_code(path), {"GDAL_CACHEMAX": GDAL_CACHE_MB})
        baseline_mb = peak_rss_mb(_shapes_code(path), {"GDAL_CACHEMAX": GDAL_CACHE_MB})
        case = f"polygonize {size}², {noise * 100:g} % speckle ({count[0]} polygons)"
        goal = f"polygonize {size}², {noise * 100:g} % speckle >= 1x rasterio.features.shapes"
        rows.append(
            Row(
                SECTION,
                case,
                ours,
                "rasterio.features.shapes, whole array (read included)",
                baseline,
                f"median of {repeat}, interleaved; {size * size / ours / 1e6:.1f} Mpx/s, "
                f"{count[0] / ours:.0f} polygons/s "
                f"(WKB, areas, perimeters); peak memory {ours_mb:.0f} MiB vs "
                f"{baseline_mb:.0f} MiB (GDAL cache {GDAL_CACHE_MB} MiB); baseline "
                f"{count[1]} polygons as GeoJSON dicts",
                {
                    "peak_mb": f"{ours_mb:.0f}",
                    "baseline_peak_mb": f"{baseline_mb:.0f}",
                    **_goal(goal, baseline, ours),
                },
            )
        )
        rows.append(
            Row(
                SECTION,
                case,
                ours,
                "osgeo.gdal.Polygonize in process, into a memory layer",
                times["filter"],
                f"the same runs; GDAL's polygonizer alone, one thread, {count[2]} polygons "
                "without areas or perimeters",
                _goal(
                    f"polygonize {size}², {noise * 100:g} % speckle >= 1x GDALPolygonize",
                    times["filter"],
                    ours,
                ),
            )
        )
    return rows


def run(workdir: Path, quick: bool, cases: tuple[str, ...] = CASES) -> list[Row]:
    link_plugin()

    from landcover.core.postprocess.majority import majority_raster
    from landcover.core.postprocess.sieve import sieve_raster

    workdir.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    filter_size = 600 if quick else 4000
    noisy = _noisy_map(workdir, filter_size, 0.10)
    pixels = filter_size * filter_size

    # Majority filter against a per-pixel generic_filter mode.
    for window in (5, 11) if "majority" in cases else ():
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

    # Sieve against gdal_sieve.py, interleaved.
    gdal_sieve = shutil.which("gdal_sieve.py")
    if "sieve" in cases:
        out = workdir / "sieved.tif"
        target = workdir / "gdal_sieved.tif"
        found = []

        def ours_sieve() -> None:
            found[:] = [sieve_raster(noisy, out, 20, 4)]

        def gdal_sieve_run() -> None:
            target.unlink(missing_ok=True)
            subprocess.run(
                [gdal_sieve, "-q", "-st", "20", "-4", str(noisy), str(target)],
                check=True,
                capture_output=True,
            )

        in_process = workdir / "gdal_sieved_in_process.tif"

        def gdal_sieve_filter() -> None:
            # GDALSieveFilter without the script's interpreter start: file to file,
            # the whole raster in GDAL's cache, as gdal_sieve.py does.
            from osgeo import gdal

            source = gdal.Open(str(noisy))
            in_process.unlink(missing_ok=True)
            copy = gdal.GetDriverByName("GTiff").Create(
                str(in_process), source.RasterXSize, source.RasterYSize, 1, gdal.GDT_Byte
            )
            copy.SetGeoTransform(source.GetGeoTransform())
            copy.SetProjection(source.GetProjection())
            band = source.GetRasterBand(1)
            gdal.SieveFilter(band, band.GetMaskBand(), copy.GetRasterBand(1), 20, 4)
            copy = source = None

        functions = {"ours": ours_sieve, "filter": gdal_sieve_filter}
        if gdal_sieve:
            functions["gdal"] = gdal_sieve_run
        times = interleaved_medians(functions, 2 if quick else REPEAT)
        info = found[0]
        rows.append(
            Row(
                SECTION,
                f"sieve {filter_size}², 10 % speckle, min 20 px, 4-connected",
                times["ours"],
                "gdal_sieve.py" if gdal_sieve else "gdal_sieve.py (not installed)",
                times.get("gdal"),
                f"median of {2 if quick else REPEAT}, interleaved; ours: GDAL's filter into a "
                "temporary file, then copied with the class table and overviews "
                f"({info.changed:,} pixels changed); the same largest-neighbour rule, "
                f"outputs {'identical' if _same_pixels(out, in_process) else 'DIFFERENT'}",
                _goal("sieve >= 1x gdal_sieve.py", times.get("gdal"), times["ours"]),
            )
        )
        rows.append(
            Row(
                SECTION,
                f"sieve {filter_size}², 10 % speckle, min 20 px, 4-connected",
                times["ours"],
                "osgeo.gdal.SieveFilter in process",
                times["filter"],
                "the same runs; GDAL's filter file to file without gdal_sieve.py's "
                "interpreter start (about 0.2 s)",
            )
        )

    if "sieve" in cases:
        rows.extend(sieve_memory_rows(workdir, quick))

    if "polygonize" in cases:
        rows.extend(polygonize_rows(workdir, quick))
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--only", nargs="*", choices=CASES, help="run only these cases")
    args = parser.parse_args()
    for row in run(PLUGINS.parent / "bench" / SECTION, args.quick, tuple(args.only or CASES)):
        ratio = f"{row.ratio:.2f}x" if row.ratio else ""
        print(f"{row.case}: ours {row.ours_s:.3g} s, {row.baseline} {row.baseline_s} {ratio}")
        print(f"    {row.notes}")
