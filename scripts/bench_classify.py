"""Benchmark section ``classify``: block-wise Random Forest classification.

A synthetic 8-band scene at two sizes (16x the pixels) is classified by a 100-tree
Random Forest. Reported: throughput, the share of worker time spent inside the
model (the rest is per-block overhead: reading, stacking, writing), process CPU time
over wall time (2 on two busy cores), peak memory of a fresh process at both sizes,
and the ratio against scikit-learn's own single-threaded ``predict`` on the whole
in-memory array of the small scene (same training samples, same parameters).
"""

from __future__ import annotations

import resource
import time
from pathlib import Path

import numpy as np
from benchlib import Row, link_plugin, peak_rss_mb

SECTION = "classify"
BANDS = 8
CLASSES = 8
TRAIN_SAMPLES = 20_000
# GDAL's block cache grows with the file up to GDAL_CACHEMAX (5 % of RAM by default);
# fixing it shows the memory of the engine itself.
GDAL_CACHE_MB = "32"


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _scene(workdir: Path, size: int) -> Path:
    from landcover.core.synthetic import make_benchmark_scene

    path = workdir / f"scene_{size}.tif"
    if not path.exists():
        make_benchmark_scene(path, size, bands=BANDS, classes=CLASSES, seed=1)
    return path


def _training(scene: Path) -> tuple[np.ndarray, np.ndarray]:
    import rasterio

    truth = scene.with_name(f"{scene.stem}_truth.tif")
    with rasterio.open(scene) as src, rasterio.open(truth) as ref:
        image = src.read().reshape(BANDS, -1)
        labels = ref.read(1).ravel()
    rng = np.random.default_rng(0)
    pick = rng.choice(np.flatnonzero(labels > 0), TRAIN_SAMPLES, replace=False)
    return image[:, pick].T.astype(np.float32), labels[pick].astype(np.int32)


def _memory_code(scene: Path, model_path: Path, out: Path) -> str:
    return (
        "from landcover.core.learn.classify import classify_raster\n"
        "from landcover.core.learn.model import LandcoverModel\n"
        f"model = LandcoverModel.load({str(model_path)!r})\n"
        f"classify_raster({str(scene)!r}, model, {str(out)!r})\n"
    )


def run(workdir: Path, quick: bool) -> list[Row]:
    link_plugin()
    import rasterio
    from sklearn.ensemble import RandomForestClassifier

    from landcover.core.io.classes import make_classes
    from landcover.core.io.raster import default_workers
    from landcover.core.learn.classifiers import train_model
    from landcover.core.learn.classify import classify_raster

    workdir.mkdir(parents=True, exist_ok=True)
    small_size, large_size = (300, 1200) if quick else (2000, 8000)
    trees = 30 if quick else 100
    small, large = _scene(workdir, small_size), _scene(workdir, large_size)

    samples, labels = _training(small)
    classes = make_classes(list(range(1, CLASSES + 1)))
    names = [f"band {i}" for i in range(1, BANDS + 1)]
    params = {"n_trees": trees}
    model = train_model("random_forest", samples, labels, classes, names, params=params, seed=0)
    model_path = workdir / "rf.lcmodel"
    model.save(model_path)

    rows: list[Row] = []
    workers = default_workers()
    out = workdir / "classes.tif"

    def classified(scene: Path, n_workers: int) -> tuple[float, float, dict]:
        cpu, start = _cpu_seconds(), time.perf_counter()
        stats = classify_raster(scene, model, out, workers=n_workers)
        wall = time.perf_counter() - start
        return wall, (_cpu_seconds() - cpu) / wall, stats

    # Baseline: scikit-learn's forest (same samples and parameters), one thread, whole array.
    forest = RandomForestClassifier(n_estimators=trees, random_state=0, n_jobs=1)
    forest.fit(samples, labels)
    with rasterio.open(small) as src:
        whole = src.read().reshape(BANDS, -1).T.astype(np.float32)
    start = time.perf_counter()
    forest.predict(whole)
    baseline = time.perf_counter() - start
    del whole

    for scene, size in ((small, small_size), (large, large_size)):
        wall, cpu_ratio, stats = classified(scene, workers)
        share = stats.predict_seconds / (wall * stats.workers)
        rows.append(
            Row(
                SECTION,
                f"Random Forest {trees} trees, {size}² x {BANDS} bands, {workers} threads",
                wall,
                "sklearn predict, 1 thread, whole array" if size == small_size else "",
                baseline if size == small_size else None,
                f"{stats.pixels / wall / 1e6:.2f} Mpx/s; CPU/wall {cpu_ratio:.2f}; "
                f"{100 * (1 - share):.0f} % of worker time outside predict; one run",
                {
                    "pixels/s": f"{stats.pixels / wall:.0f}",
                    "CPU time / wall time": f"{cpu_ratio:.2f}",
                    "blocks": str(stats.blocks),
                    "time inside the model (all workers)": f"{stats.predict_seconds:.1f} s",
                },
            )
        )

    wall_1, cpu_1, _ = classified(small, 1)
    rows.append(
        Row(
            SECTION,
            f"Random Forest {trees} trees, {small_size}² x {BANDS} bands, 1 thread",
            wall_1,
            "sklearn predict, 1 thread, whole array",
            baseline,
            f"{small_size**2 / wall_1 / 1e6:.2f} Mpx/s; CPU/wall {cpu_1:.2f}; one run",
        )
    )

    env = {"GDAL_CACHEMAX": GDAL_CACHE_MB}
    peak_small = peak_rss_mb(_memory_code(small, model_path, workdir / "mem_small.tif"), env)
    peak_large = peak_rss_mb(_memory_code(large, model_path, workdir / "mem_large.tif"), env)
    rows.append(
        Row(
            SECTION,
            f"peak memory, {small_size}² vs {large_size}² ({(large_size // small_size) ** 2}x "
            "pixels)",
            notes=(
                f"{peak_small:.0f} MB vs {peak_large:.0f} MB: {peak_large / peak_small:.2f}x "
                f"(fresh process, GDAL_CACHEMAX={GDAL_CACHE_MB} MB)"
            ),
            extra={
                "peak RSS small (MB)": f"{peak_small:.0f}",
                "peak RSS large (MB)": f"{peak_large:.0f}",
                "ratio": f"{peak_large / peak_small:.2f}",
            },
        )
    )
    return rows


if __name__ == "__main__":
    import sys

    for row in run(Path("build/bench/classify"), "--quick" in sys.argv):
        print(row)
