"""Benchmark section ``activelearning``: proposed points against random points.

On the benchmark scene (``make_benchmark_scene``: smooth class regions whose spectra
overlap, truth known), a Random Forest starts from a few random pixels per class.
Each round adds N pixels labelled from the truth, either proposed by
``propose_points`` (margin, stratified by mapped class, kept from the points already
labelled) on the current map, or drawn uniformly at random; the forest is trained
again and the whole scene classified. Overall accuracy against the truth after each
round, for several fixed seeds.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from benchlib import PLUGINS, Row, link_plugin

SECTION = "activelearning"
SEEDS = (0, 1, 2)
ROUNDS = 3
START_PER_CLASS = 5
CLASSES = 6


def _train_and_map(workdir: Path, scene: Path, truth: np.ndarray, rows, cols, seed: int, tag):
    """Train on the pixels (rows, cols), classify the scene; (OA, class path, uncertainty)."""
    import rasterio

    from landcover.core.io.classes import make_classes
    from landcover.core.learn.classifiers import train_model
    from landcover.core.learn.classify import classify_raster

    with rasterio.open(scene) as src:
        data = src.read()
        names = list(src.descriptions)
    x = data[:, rows, cols].T.astype(np.float32)
    y = truth[rows, cols]
    classes = make_classes(list(range(1, CLASSES + 1)))
    model = train_model("random_forest", x, y, classes, names, {"n_trees": 50}, seed=seed)
    out, unc = workdir / f"map_{tag}.tif", workdir / f"unc_{tag}.tif"
    classify_raster(scene, model, out, uncertainty_path=unc)
    with rasterio.open(out) as src:
        mapped = src.read(1)
    return float(np.mean(mapped == truth)), out, unc


def run(workdir: Path, quick: bool) -> list[Row]:
    link_plugin()
    import rasterio

    from landcover.core.learn.active_learning import propose_points
    from landcover.core.synthetic import make_benchmark_scene

    workdir.mkdir(parents=True, exist_ok=True)
    size = 256 if quick else 768
    points = 30 if quick else 60
    rows_out: list[Row] = []
    curves: dict[str, list[list[float]]] = {"proposed": [], "random": []}
    seconds = []
    for seed in SEEDS:
        paths = make_benchmark_scene(
            workdir / f"scene_{seed}.tif", size, bands=4, classes=CLASSES, seed=seed
        )
        with rasterio.open(paths["truth"]) as src:
            truth = src.read(1)
            transform = src.transform
        rng = np.random.default_rng(seed)
        start_r, start_c = [], []
        for code in range(1, CLASSES + 1):
            r, c = np.nonzero(truth == code)
            pick = rng.choice(r.size, START_PER_CLASS, replace=False)
            start_r += list(r[pick])
            start_c += list(c[pick])
        for strategy in ("proposed", "random"):
            lab_r, lab_c = list(start_r), list(start_c)
            picker = np.random.default_rng([seed, 1])
            oa, _, unc = _train_and_map(
                workdir, paths["image"], truth, lab_r, lab_c, seed, f"{seed}_{strategy}_0"
            )
            curve = [oa]
            for round_ in range(1, ROUNDS + 1):
                if strategy == "proposed":
                    training = [
                        {"type": "Point", "coordinates": transform * (c + 0.5, r + 0.5)}
                        for r, c in zip(lab_r, lab_c)
                    ]
                    began = time.perf_counter()
                    proposals = propose_points(
                        unc,
                        workdir / f"map_{seed}_{strategy}_{round_ - 1}.tif",
                        points=points,
                        training=training,
                    )
                    seconds.append(time.perf_counter() - began)
                    lab_r += [p.row for p in proposals.points]
                    lab_c += [p.col for p in proposals.points]
                else:
                    flat = picker.choice(size * size, points, replace=False)
                    lab_r += list(flat // size)
                    lab_c += list(flat % size)
                oa, _, unc = _train_and_map(
                    workdir, paths["image"], truth, lab_r, lab_c, seed,
                    f"{seed}_{strategy}_{round_}",
                )  # fmt: skip
                curve.append(oa)
            curves[strategy].append(curve)
    for strategy, runs in curves.items():
        mean = np.mean(runs, axis=0)
        per_seed = "; ".join(
            f"seed {s}: " + " → ".join(f"{v * 100:.1f}" for v in run) for s, run in zip(SEEDS, runs)
        )
        rows_out.append(
            Row(
                SECTION,
                f"{size}², {CLASSES} classes, start {START_PER_CLASS}/class, {ROUNDS} rounds "
                f"of {points} {strategy} points",
                notes="OA after rounds 0-3 (mean of seeds): "
                + " → ".join(f"{v * 100:.2f} %" for v in mean)
                + f" ({per_seed})",
                extra={f"oa_round_{i}": f"{v:.4f}" for i, v in enumerate(mean)},
            )
        )
    gain = np.mean(curves["proposed"], axis=0) - np.mean(curves["random"], axis=0)
    rows_out.append(
        Row(
            SECTION,
            "proposed minus random, OA points per round",
            float(np.mean(seconds)),
            notes=" → ".join(f"{g * 100:+.2f}" for g in gain)
            + f"; time is one propose_points run on the {size}² map",
        )
    )
    return rows_out


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    for row in run(PLUGINS.parent / "bench" / SECTION, quick):
        print(f"{row.case}: {row.notes}")
