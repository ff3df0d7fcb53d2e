"""Benchmark section ``accuracy``: metrics, class areas and validation sampling.

* Confusion matrix and accuracy figures of millions of samples against scikit-learn's
  ``confusion_matrix`` + ``cohen_kappa_score`` + ``f1_score``.
* Mapped class areas (the strata weights of the area-adjusted estimates), counted
  block-wise, against reading the whole class raster and ``numpy.unique``.
* Stratified random validation points (50 per class), block-wise, against drawing from
  the whole in-memory raster; peak memory of a fresh process at two sizes.
* The whole accuracy assessment of 1 000 points, with area-adjusted estimates.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from benchlib import Row, best_of, link_plugin, peak_rss_mb

SECTION = "accuracy"
CLASSES = 8
# A uint8 class raster of 8000² is 64 MB: GDAL's default block cache would keep it all
# and hide the memory of the engine itself, so the cache is fixed small.
GDAL_CACHE_MB = "16"


def _truth(workdir: Path, size: int) -> Path:
    from landcover.core.synthetic import make_benchmark_scene

    path = workdir / f"scene_{size}.tif"
    truth = workdir / f"scene_{size}_truth.tif"
    if not truth.exists():
        make_benchmark_scene(path, size, bands=1, classes=CLASSES, seed=3)
    return truth


def _whole_array_sample(path: Path, per_class: int, seed: int) -> int:
    import rasterio

    with rasterio.open(path) as src:
        data = src.read(1)
        transform = src.transform
    rng = np.random.default_rng(seed)
    placed = 0
    for code in range(1, CLASSES + 1):
        where = np.flatnonzero(data == code)
        if where.size:
            pick = rng.choice(where, min(per_class, where.size), replace=False)
            rows, cols = np.divmod(pick, data.shape[1])
            xs, _ = transform * (cols + 0.5, rows + 0.5)
            placed += len(xs)
    return placed


def _sample_code(path: Path) -> str:
    return (
        "from landcover.core.accuracy.sampling_design import draw_sample\n"
        f"draw_sample({str(path)!r}, list(range(1, {CLASSES + 1})), points_per_class=50,"
        " min_distance=100.0)\n"
    )


def _whole_code(path: Path) -> str:
    return (
        "import rasterio, numpy as np\n"
        f"data = rasterio.open({str(path)!r}).read(1)\n"
        f"for c in range(1, {CLASSES + 1}):\n"
        "    np.random.default_rng(0).choice(np.flatnonzero(data == c), 50, replace=False)\n"
    )


def run(workdir: Path, quick: bool) -> list[Row]:
    link_plugin()
    import rasterio
    from sklearn.metrics import cohen_kappa_score, f1_score
    from sklearn.metrics import confusion_matrix as sk_confusion

    from landcover.core.accuracy import metrics
    from landcover.core.accuracy.area_estimation import mapped_pixel_counts
    from landcover.core.accuracy.sampling_design import draw_sample

    workdir.mkdir(parents=True, exist_ok=True)
    small_size, large_size = (300, 1200) if quick else (2000, 8000)
    n_samples = 1_000_000 if quick else 10_000_000
    small, large = _truth(workdir, small_size), _truth(workdir, large_size)
    codes = list(range(1, CLASSES + 1))
    rows: list[Row] = []

    rng = np.random.default_rng(0)
    reference = rng.integers(1, CLASSES + 1, n_samples)
    predicted = np.where(rng.random(n_samples) < 0.8, reference, rng.integers(1, 9, n_samples))

    def ours_metrics() -> None:
        metrics.accuracy_summary(metrics.confusion_matrix(reference, predicted, codes))

    def sklearn_metrics() -> None:
        sk_confusion(reference, predicted, labels=codes)
        cohen_kappa_score(reference, predicted)
        f1_score(reference, predicted, labels=codes, average=None)

    ours = best_of(ours_metrics, 3)
    baseline = best_of(sklearn_metrics, 1 if not quick else 2)
    rows.append(
        Row(
            SECTION,
            f"confusion matrix + all figures, {n_samples:,} samples, {CLASSES} classes",
            ours,
            "sklearn confusion_matrix + cohen_kappa_score + f1_score",
            baseline,
            "figures identical (tested); best of 3",
        )
    )

    for path, size in ((small, small_size), (large, large_size)):
        ours = best_of(lambda p=path: mapped_pixel_counts(p, codes), 2)

        def whole(p: Path = path) -> None:
            with rasterio.open(p) as src:
                np.unique(src.read(1), return_counts=True)

        baseline = best_of(whole, 2)
        rows.append(
            Row(
                SECTION,
                f"mapped class areas, {size}² class raster",
                ours,
                "whole raster read + numpy.unique",
                baseline,
                f"{size * size / ours / 1e6:.0f} Mpx/s block-wise; best of 2",
            )
        )

    for path, size in ((small, small_size), (large, large_size)):
        start = time.perf_counter()
        design = draw_sample(path, codes, points_per_class=50, min_distance=100.0)
        ours = time.perf_counter() - start
        start = time.perf_counter()
        _whole_array_sample(path, 50, 0)
        baseline = time.perf_counter() - start
        rows.append(
            Row(
                SECTION,
                f"stratified sample 50/class, 100 m apart, {size}² class raster",
                ours,
                "whole raster in memory, numpy choice per class (no distance rule)",
                baseline,
                f"{sum(design.placed.values())} points; one run",
            )
        )

    env = {"GDAL_CACHEMAX": GDAL_CACHE_MB}
    peaks = [peak_rss_mb(_sample_code(p), env) for p in (small, large)]
    whole_large = peak_rss_mb(_whole_code(large), env)
    rows.append(
        Row(
            SECTION,
            f"peak memory of sampling, {small_size}² vs {large_size}²",
            notes=(
                f"{peaks[0]:.0f} MB vs {peaks[1]:.0f} MB ({peaks[1] / peaks[0]:.2f}x for "
                f"{(large_size // small_size) ** 2}x pixels); whole-array baseline at "
                f"{large_size}²: {whole_large:.0f} MB"
            ),
            extra={
                "peak RSS small (MB)": f"{peaks[0]:.0f}",
                "peak RSS large (MB)": f"{peaks[1]:.0f}",
                "whole-array baseline, large (MB)": f"{whole_large:.0f}",
            },
        )
    )

    design = draw_sample(large, codes, total=1000, allocation="proportional", min_per_class=50)
    rng = np.random.default_rng(1)
    features = []
    for i, ((x, y), code) in enumerate(zip(design.xy.tolist(), design.codes.tolist())):
        truth = code if rng.random() < 0.85 else int(rng.integers(1, CLASSES + 1))
        features.append(({"type": "Point", "coordinates": [x, y]}, truth, i))
    start = time.perf_counter()
    metrics.assess_accuracy(
        str(large),
        features,
        area_adjusted=True,
        matrix_csv=str(workdir / "matrix.csv"),
        metrics_csv=str(workdir / "metrics.csv"),
        report_html=str(workdir / "report.html"),
    )
    wall = time.perf_counter() - start
    rows.append(
        Row(
            SECTION,
            f"accuracy assessment, {len(features)} points, area-adjusted, {large_size}² map",
            wall,
            notes="sampling, class areas, tables and HTML report; one run",
        )
    )
    return rows


if __name__ == "__main__":
    import sys

    for row in run(Path("build/bench/accuracy"), "--quick" in sys.argv):
        print(row)
