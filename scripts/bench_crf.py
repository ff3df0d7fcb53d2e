"""Benchmark section ``crf``: CRF regularisation against the raw map and a majority filter.

* A synthetic scene with known truth (``make_thin_feature_scene``): three overlapping
  land classes, 2- and 3-pixel rivers and ponds 4-6 pixels across whose pixels are
  mixed with the land around them, classified by a Gaussian classifier that knows the
  class means. Agreement with truth, recall of the thin water and agreement on the
  rest, for the raw map, a 5x5 majority filter and the CRF (with the image as guide,
  and without a guide), mean over three seeds.
* The example scene (``make_example_scene``): the four 10 m bands, a Random Forest
  trained on pixels of the truth's class interiors, its probabilities regularised.
  Thin features there are the parts of classes narrower than 5 pixels (what a 5x5
  opening removes); the interior, pixels 3 or more pixels away from a class edge.
* Throughput file to file on both cores, and peak memory of a fresh process at two
  raster sizes (memory flat in the raster size).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np
from benchlib import PLUGINS, Row, link_plugin, peak_rss_mb

SECTION = "crf"
SEEDS = (0, 1, 2)
GDAL_CACHE_MB = "32"


def _write(path: Path, data: np.ndarray, classes=None, nodata=float("nan")) -> Path:
    from rasterio.transform import from_origin

    from landcover.core.io.classes import CLASSES_TAG, classes_to_json
    from landcover.core.io.raster import create_raster

    tags = {CLASSES_TAG: classes_to_json(classes)} if classes else None
    with create_raster(
        path,
        width=data.shape[2],
        height=data.shape[1],
        count=data.shape[0],
        dtype=data.dtype,
        crs="EPSG:32632",
        transform=from_origin(690000, 5340000, 10, 10),
        nodata=nodata,
        tags=tags,
    ) as dst:
        dst.write(data)
    return path


def _read(path: Path) -> np.ndarray:
    import rasterio

    with rasterio.open(path) as src:
        return src.read(1)


def _scores(labels: np.ndarray, truth: np.ndarray, thin: np.ndarray, interior: np.ndarray):
    valid = labels > 0
    return (
        float(np.mean(labels[valid] == truth[valid])),
        float(np.mean(labels[thin & valid] == truth[thin & valid])),
        float(np.mean(labels[interior & valid] == truth[interior & valid])),
    )


def _variants(workdir: Path, stem: str, proba: Path, guide: Path) -> dict[str, tuple[Path, float]]:
    """Raw map, majority 5x5 and CRF (with and without guide): path and seconds."""
    from landcover.core.postprocess.crf import crf_raster
    from landcover.core.postprocess.majority import majority_raster

    out: dict[str, tuple[Path, float]] = {}
    raw = workdir / f"{stem}_raw.tif"
    start = time.perf_counter()
    crf_raster(proba, raw, settings=_identity())
    out["raw"] = (raw, time.perf_counter() - start)
    start = time.perf_counter()
    majority_raster(raw, workdir / f"{stem}_majority.tif", 5)
    out["majority 5x5"] = (workdir / f"{stem}_majority.tif", time.perf_counter() - start)
    start = time.perf_counter()
    crf_raster(proba, workdir / f"{stem}_crf.tif", guide)
    out["CRF, image guide"] = (workdir / f"{stem}_crf.tif", time.perf_counter() - start)
    start = time.perf_counter()
    crf_raster(proba, workdir / f"{stem}_crf_noguide.tif")
    out["CRF, no guide"] = (workdir / f"{stem}_crf_noguide.tif", time.perf_counter() - start)
    return out


def _identity():
    """Settings under which the CRF leaves every pixel's most probable class: the raw map."""
    from landcover.core.postprocess.crf import CrfSettings

    return CrfSettings(spatial_weight=0.0, edge_weight=0.0, radius=1, iterations=1)


def _synthetic(workdir: Path, size: int) -> list[Row]:
    from landcover.core.synthetic import make_thin_feature_scene

    results: dict[str, list[tuple[float, float, float]]] = {}
    seconds: dict[str, float] = {}
    for seed in SEEDS:
        scene = make_thin_feature_scene(size, seed)
        proba = _write(workdir / f"thin_{seed}_p.tif", scene.probabilities, scene.classes)
        guide = _write(workdir / f"thin_{seed}_image.tif", scene.image)
        for name, (path, took) in _variants(workdir, f"thin_{seed}", proba, guide).items():
            results.setdefault(name, []).append(
                _scores(_read(path), scene.truth, scene.thin, ~scene.thin)
            )
            seconds[name] = seconds.get(name, 0.0) + took
    rows = []
    for name, figures in results.items():
        oa, thin, interior = np.mean(figures, axis=0)
        per_seed = "; ".join(
            f"{a * 100:.2f} / {t * 100:.1f} / {i * 100:.2f}" for a, t, i in figures
        )
        rows.append(
            Row(
                SECTION,
                f"thin-feature scene {size}², {name}",
                None if name == "raw" else seconds[name] / len(SEEDS),
                notes=f"agreement with truth {oa * 100:.2f} %, thin water recall "
                f"{thin * 100:.1f} %, rest {interior * 100:.2f} % (mean of seeds "
                f"{', '.join(map(str, SEEDS))}; per seed OA / thin / rest: {per_seed})",
                extra={"oa": f"{oa:.4f}", "thin_recall": f"{thin:.4f}", "rest": f"{interior:.4f}"},
            )
        )
    return rows


def _example(workdir: Path, size: int) -> list[Row]:
    import rasterio
    from scipy import ndimage

    from landcover.core.learn.classifiers import train_model
    from landcover.core.learn.classify import classify_raster
    from landcover.core.synthetic import EXAMPLE_CLASSES, make_example_scene

    paths = make_example_scene(workdir / "example", size=size)
    bands = ("blue", "green", "red", "nir")
    stack = []
    for name in bands:
        with rasterio.open(paths[name]) as src:
            stack.append(src.read(1).astype(np.float32))
            nodata = src.nodata
    data = np.stack(stack)
    data[:, (data == nodata).any(axis=0)] = np.nan
    stack_path = _write(workdir / "example_stack.tif", data)
    with rasterio.open(stack_path) as src:
        descriptions = list(bands)
    truth = _read(paths["truth"])
    rng = np.random.default_rng(0)
    x, y = [], []
    for info in EXAMPLE_CLASSES:
        inside = ndimage.binary_erosion(truth == info.code, iterations=3)
        inside &= np.isfinite(data).all(axis=0)
        rows, cols = np.nonzero(inside)
        pick = rng.choice(rows.size, min(300, rows.size), replace=False)
        x.append(data[:, rows[pick], cols[pick]].T)
        y.append(np.full(pick.size, info.code))
    model = train_model(
        "random_forest", np.concatenate(x), np.concatenate(y), EXAMPLE_CLASSES, descriptions,
        {"n_trees": 50},
    )  # fmt: skip
    proba = workdir / "example_p.tif"
    classify_raster(stack_path, model, workdir / "example_classes.tif", proba)
    box = np.ones((5, 5), bool)
    thin = np.zeros(truth.shape, bool)
    interior = np.zeros(truth.shape, bool)
    for info in EXAMPLE_CLASSES:
        mask = truth == info.code
        thin |= mask & ~ndimage.binary_opening(mask, box)
        interior |= ndimage.binary_erosion(mask, iterations=3)
    rows = []
    for name, (path, took) in _variants(workdir, "example", proba, stack_path).items():
        oa, thin_recall, rest = _scores(_read(path), truth, thin, interior)
        rows.append(
            Row(
                SECTION,
                f"example scene {size}², RF 50 trees on 4 bands, {name}",
                None if name == "raw" else took,
                notes=f"agreement with truth {oa * 100:.2f} %, thin parts (< 5 px, "
                f"{thin.mean() * 100:.1f} % of the scene) {thin_recall * 100:.1f} %, "
                f"interior {rest * 100:.2f} %",
                extra={
                    "oa": f"{oa:.4f}",
                    "thin_recall": f"{thin_recall:.4f}",
                    "interior": f"{rest:.4f}",
                },
            )
        )
    return rows


def _tiled(workdir: Path, tile: int, repeat: int) -> Path:
    """A probability raster of ``repeat`` x ``repeat`` copies of a thin-feature scene."""
    from rasterio.transform import from_origin
    from rasterio.windows import Window

    from landcover.core.io.classes import CLASSES_TAG, classes_to_json
    from landcover.core.io.raster import create_raster
    from landcover.core.synthetic import make_thin_feature_scene

    path = workdir / f"tiled_{tile * repeat}.tif"
    if path.exists():
        return path
    scene = make_thin_feature_scene(tile, 7)
    size = tile * repeat
    with create_raster(
        path,
        width=size,
        height=size,
        count=4,
        dtype="float32",
        crs="EPSG:32632",
        transform=from_origin(690000, 5340000, 10, 10),
        nodata=float("nan"),
        tags={CLASSES_TAG: classes_to_json(scene.classes)},
    ) as dst:
        for i in range(repeat):
            for j in range(repeat):
                dst.write(scene.probabilities, window=Window(j * tile, i * tile, tile, tile))
    return path  # fmt: skip


def _crf_code(path: Path, out: Path) -> str:
    return (
        "from landcover.core.postprocess.crf import crf_raster\n"
        f"crf_raster({str(path)!r}, {str(out)!r})\n"
    )


def run(workdir: Path, quick: bool) -> list[Row]:
    link_plugin()
    from landcover.core.postprocess.crf import crf_raster

    workdir.mkdir(parents=True, exist_ok=True)
    rows = _synthetic(workdir, 384 if quick else 1024)
    rows += _example(workdir, 256 if quick else 600)

    small, large = (_tiled(workdir, 256, n) for n in ((1, 4) if quick else (4, 16)))
    start, cpu = time.perf_counter(), time.process_time()
    info = crf_raster(large, workdir / "tiled_crf.tif")
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    load = os.getloadavg()[0]
    pixels = info.pixels
    small_mb = peak_rss_mb(_crf_code(small, workdir / "s.tif"), {"GDAL_CACHEMAX": GDAL_CACHE_MB})
    large_mb = peak_rss_mb(_crf_code(large, workdir / "l.tif"), {"GDAL_CACHEMAX": GDAL_CACHE_MB})
    side_small, side_large = (round(np.sqrt(p)) for p in (pixels / 16, pixels))
    rows.append(
        Row(
            SECTION,
            f"CRF throughput {side_large}², 4 classes, radius 2, 5 iterations, no guide",
            took,
            notes=f"{pixels / took / 1e6:.2f} Mpx/s file to file, {info.blocks} blocks, "
            f"both cores; {pixels / cpu / 1e6:.2f} Mpx per CPU second ({cpu:.0f} CPU s); "
            f"load average {load:.1f} during the run; one run",
        )
    )
    rows.append(
        Row(
            SECTION,
            f"CRF peak memory, {side_small}² vs {side_large}² (16x pixels)",
            notes=f"{small_mb:.0f} MiB vs {large_mb:.0f} MiB ({large_mb / small_mb:.2f}x; fresh "
            f"process, GDAL_CACHEMAX={GDAL_CACHE_MB} MB)",
            extra={"peak_small_mb": f"{small_mb:.0f}", "peak_large_mb": f"{large_mb:.0f}"},
        )
    )
    return rows


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    for row in run(PLUGINS.parent / "bench" / SECTION, quick):
        print(f"{row.case}: {row.ours_s if row.ours_s is None else round(row.ours_s, 2)} s")
        print(f"    {row.notes}")
