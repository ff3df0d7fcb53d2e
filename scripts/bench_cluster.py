"""Benchmark section ``cluster``: classification on a Dask cluster over loopback.

The classify section's scene and forest, classified on this computer (one thread,
then every core) and on a cluster of real processes on 127.0.0.1: a scheduler and
one, then two single-threaded workers. Reported: throughput, scaling efficiency from
one to two workers, the client's peak memory (a fresh process, local and on the
cluster), and what a window costs on top of its computation: bytes sent to the
scheduler per window (the pickled task), bytes returned (the scheduler's record of
each result), and seconds. From those, a stated calculation of what limits a run
on 100 workers.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import numpy as np
from bench_classify import BANDS, CLASSES, _scene, _training
from benchlib import Row, link_plugin, peak_rss_mb

SECTION = "cluster"
WINDOW_PIXELS = 512 * 512
TREES = 50


class LoopbackCluster:
    """A scheduler and single-threaded workers as processes on 127.0.0.1."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.processes: list[subprocess.Popen] = []
        self.env = {"PATH": "/usr/bin:/bin", "HOME": str(folder), "LANG": "C.UTF-8"}
        scheduler_file = folder / "scheduler.json"
        self._start(
            "dask_scheduler",
            "--host=127.0.0.1",
            "--port=0",
            "--no-dashboard",
            f"--scheduler-file={scheduler_file}",
        )
        while not scheduler_file.exists():
            time.sleep(0.1)
        time.sleep(0.2)
        self.address = json.loads(scheduler_file.read_text())["address"]
        from distributed import Client

        self.client = Client(self.address, timeout=30, set_as_default=False)
        self.client.get_task_stream()  # starts the scheduler's record of tasks

    def _start(self, module: str, *args: str) -> None:
        self.processes.append(
            subprocess.Popen(
                [sys.executable, "-m", f"distributed.cli.{module}", *args],
                cwd=self.folder,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        )

    def add_worker(self) -> None:
        count = len(self.client.scheduler_info()["workers"])
        self._start(
            "dask_worker",
            self.address,
            "--host=127.0.0.1",
            "--nthreads=1",
            "--no-nanny",
            "--no-dashboard",
            "--memory-limit=0",
            f"--local-directory={self.folder / f'worker{count}'}",
        )
        self.client.wait_for_workers(count + 1, timeout=60)

    def windows(self, since: float) -> list[dict]:
        return [
            r
            for r in self.client.get_task_stream(start=since)
            if str(r["key"]).startswith("landcover-window")
        ]

    def stop(self) -> None:
        self.client.close()
        for process in self.processes:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _task_bytes(scene: Path, model, cluster_module) -> int:
    """Bytes of one window's task as the client pickles it for the scheduler."""
    from distributed.protocol.pickle import dumps

    from landcover.core.io.raster import blocks_for, open_raster, read_block
    from landcover.core.learn import classify

    name, _ = cluster_module.core_package()
    twin = cluster_module._twin_package(name)
    translate = cluster_module._Translator(twin.__name__)
    with open_raster(scene) as src:
        block = blocks_for(src, WINDOW_PIXELS)[0]
        _, reader = cluster_module._reader_parts(partial(read_block, src, dtype=np.float32))
    compute = partial(
        classify._classify_window,
        model=model,
        codes=np.arange(1, CLASSES + 1),
        dtype=np.uint8,
        probabilities=False,
        uncertainty=False,
    )
    runner = sys.modules[f"{twin.__name__}.io.cluster"].run_window
    opener = translate(open_raster)
    task = (runner, opener, str(scene), translate(reader), translate(compute), translate(block), {})
    return len(dumps(task))


def _result_bytes(scene: Path, model) -> int:
    """Bytes of one window's result (classes only) as pickled back to the client."""
    from distributed.protocol.pickle import dumps

    from landcover.core.io.raster import blocks_for, open_raster, read_block
    from landcover.core.learn import classify

    with open_raster(scene) as src:
        item = read_block(src, blocks_for(src, WINDOW_PIXELS)[0], dtype=np.float32)
    codes = np.arange(1, CLASSES + 1)
    return len(dumps(classify._classify_window(item, model, codes, np.uint8, False, False)))


def _client_write_seconds(workdir: Path, scene: Path, windows: int) -> float:
    """Seconds per window the client spends writing a class window (no computing)."""
    from landcover.core.io.raster import blocks_for, create_raster, open_raster

    with open_raster(scene) as src:
        blocks = blocks_for(src, WINDOW_PIXELS)
        grid = dict(width=src.width, height=src.height, crs=src.crs, transform=src.transform)
    rng = np.random.default_rng(0)
    start = time.perf_counter()
    with create_raster(workdir / "write.tif", count=1, dtype="uint8", nodata=0, **grid) as dst:
        for block in blocks:
            data = rng.integers(1, CLASSES + 1, block.shape, dtype=np.uint8)
            dst.write(data, 1, window=block.window)
    return (time.perf_counter() - start) / len(blocks)


def _scheduler_seconds(client, tasks: int = 400) -> float:
    """Seconds per trivial task, submitted in batches and gathered by this client."""
    start = time.perf_counter()
    futures = client.map(abs, range(-tasks, 0), pure=False)
    client.gather(futures)
    return (time.perf_counter() - start) / tasks


def _memory_code(scene: Path, model_path: Path, out: Path, address: str | None) -> str:
    return (
        "from landcover.core.learn.classify import classify_raster\n"
        "from landcover.core.learn.model import LandcoverModel\n"
        f"model = LandcoverModel.load({str(model_path)!r})\n"
        f"classify_raster({str(scene)!r}, model, {str(out)!r}, max_pixels={WINDOW_PIXELS}, "
        f"workers=1, scheduler={address!r})\n"
    )


def run(workdir: Path, quick: bool) -> list[Row]:
    link_plugin()
    from landcover.core.io import cluster as cluster_module
    from landcover.core.io.classes import make_classes
    from landcover.core.learn.classifiers import train_model
    from landcover.core.learn.classify import classify_raster

    workdir.mkdir(parents=True, exist_ok=True)
    size = 1000 if quick else 2000
    scene = _scene(workdir, size)
    samples, labels = _training(scene)
    names = [f"band {i}" for i in range(1, BANDS + 1)]
    model = train_model(
        "random_forest",
        samples,
        labels,
        make_classes(list(range(1, CLASSES + 1))),
        names,
        params={"n_trees": TREES},
        seed=0,
    )
    model_path = workdir / "rf.lcmodel"
    model.save(model_path)
    out = workdir / "classes.tif"
    pixels = size * size

    def timed(**kwargs) -> tuple[float, dict]:
        start = time.perf_counter()
        stats = classify_raster(scene, model, out, max_pixels=WINDOW_PIXELS, **kwargs)
        return time.perf_counter() - start, stats

    local_1, stats = timed(workers=1)
    windows = stats.blocks
    rows = [
        Row(
            SECTION,
            f"local, 1 thread, {size}² x {BANDS} bands, {windows} windows",
            local_1,
            notes=f"{pixels / local_1 / 1e6:.2f} Mpx/s; Random Forest {TREES} trees; one run",
        ),
    ]
    warm_up = _scene(workdir, 512)
    folder = Path(tempfile.mkdtemp(prefix="landcover-bench-cluster-"))
    cluster = LoopbackCluster(folder)
    try:
        walls, records = {}, {}
        for workers in (1, 2):
            cluster.add_worker()
            # Workers import the core and load the model once: not part of a window's cost.
            classify_raster(warm_up, model, workdir / "warm.tif", scheduler=cluster.address)
            since = time.time()
            walls[workers], _ = timed(scheduler=cluster.address)
            records[workers] = cluster.windows(since)
        compute = float(
            np.mean(
                [
                    sum(s["stop"] - s["start"] for s in r["startstops"] if s["action"] == "compute")
                    for r in records[1]
                ]
            )
        )
        result_bytes = _result_bytes(scene, model)
        overhead = (walls[1] - compute * windows) / windows
        efficiency = walls[1] / walls[2] / 2
        task_bytes = _task_bytes(scene, model, cluster_module)
        scheduler_s = _scheduler_seconds(cluster.client)
        write_s = _client_write_seconds(workdir, scene, windows)
        env = {"GDAL_CACHEMAX": "32"}
        memory_local = peak_rss_mb(_memory_code(scene, model_path, workdir / "m1.tif", None), env)
        memory_cluster = peak_rss_mb(
            _memory_code(scene, model_path, workdir / "m2.tif", cluster.address), env
        )
    finally:
        cluster.stop()
    for workers in (1, 2):
        rows.append(
            Row(
                SECTION,
                f"loopback cluster, {workers} single-threaded worker(s)",
                walls[workers],
                "local, 1 thread",
                local_1,
                f"{pixels / walls[workers] / 1e6:.2f} Mpx/s"
                + (
                    f"; scaling efficiency 1 → 2 workers {100 * efficiency:.0f} %"
                    if workers == 2
                    else ""
                ),
            )
        )
    # 100 workers: compute delivers 100 / compute windows per second; the client
    # handles one window in (write + scheduler + transfer) seconds.
    transfer_s = result_bytes / 500e6  # loopback-class; a 1 Gbit/s link: / 125e6
    client_s = write_s + scheduler_s + transfer_s
    demand = 100 / compute
    capacity = 1 / client_s
    limit = "the client (writing and fetching)" if demand > capacity else "the workers' computing"
    rows.append(
        Row(
            SECTION,
            "overhead per window and 100-worker estimate",
            notes=(
                f"{task_bytes} B sent per window, {result_bytes / 1e3:.0f} kB back; "
                f"{overhead * 1e3:.0f} ms per window (run set-up included) over its "
                f"{compute:.2f} s of computing on 1 worker; client peak memory "
                f"{memory_cluster:.0f} MB on the cluster vs {memory_local:.0f} MB local "
                "(1 thread); one run each"
            ),
            extra={
                "compute per window (s)": f"{compute:.3f}",
                "overhead per window, 1 worker (s)": f"{overhead:.3f}",
                "task bytes per window": str(task_bytes),
                "result bytes per window": f"{result_bytes:.0f}",
                "scheduler + client per trivial task (s)": f"{scheduler_s:.4f}",
                "client write per window (s)": f"{write_s:.4f}",
                "client peak RSS local / cluster (MB)": (
                    f"{memory_local:.0f} / {memory_cluster:.0f}"
                ),
                "100 workers": (
                    f"they deliver 100 / {compute:.2f} s = {demand:.0f} windows/s; the client "
                    f"handles 1 / ({write_s:.4f} s write + {scheduler_s:.4f} s scheduling + "
                    f"{transfer_s:.4f} s transfer at 500 MB/s) = {capacity:.0f} windows/s: "
                    f"{limit} limits; the client keeps up with about "
                    f"{capacity * compute:.0f} such workers"
                ),
            },
        )
    )
    return rows


if __name__ == "__main__":
    for row in run(Path("build/bench/cluster"), "--quick" in sys.argv):
        print(row)
