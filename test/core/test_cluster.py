"""Raster steps on a Dask cluster of real processes on this computer: the same pixels
as a local run, workers that die, schedulers that cannot be reached or go away,
cancel. The cluster comes from the ``dask_cluster`` fixture (test/conftest.py)."""

from __future__ import annotations

import importlib.util
import socket
import time

import numpy as np
import pytest
import rasterio
from conftest import write_raster

from landcover.core.features import indices, texture
from landcover.core.io import cluster
from landcover.core.io.classes import MAP_TAG, make_classes
from landcover.core.io.progress import Cancelled, Progress
from landcover.core.learn import classify
from landcover.core.learn.classifiers import train_model
from landcover.core.postprocess import majority, smooth

BANDS = ["blue", "green", "red", "nir"]
# 32 x 32 tiles and windows of one tile: 5 x 4 = 20 windows.
WIDTH, HEIGHT, TILE = 160, 128, 32
WINDOW = TILE * TILE


def write_scene(path):
    rng = np.random.default_rng(7)
    data = rng.uniform(100, 4000, size=(4, HEIGHT, WIDTH)).astype(np.float32)
    data[:, 10:20, 30:70] = -1  # nodata in every band
    data[3, 90, :] = -1  # and in one band
    write_raster(path, data, crs="EPSG:32633", nodata=-1, block=TILE, descriptions=BANDS)
    return path


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    return write_scene(tmp_path_factory.mktemp("scene") / "scene.tif")


@pytest.fixture(scope="module")
def model():
    rng = np.random.default_rng(3)
    y = rng.integers(1, 4, 600)
    x = (rng.uniform(500, 3500, size=(4, 4))[y] + rng.normal(scale=400, size=(600, 4))).astype(
        np.float32
    )
    classes = make_classes([1, 2, 3], ["water", "forest", "urban"])
    return train_model("random_forest", x, y, classes, BANDS, params={"n_trees": 12}, seed=1)


def same_rasters(a, b) -> None:
    """Bit for bit the same pixels, and the same metadata."""
    with rasterio.open(a) as x, rasterio.open(b) as y:
        assert (x.count, x.shape, x.dtypes) == (y.count, y.shape, y.dtypes)
        assert str(x.nodatavals) == str(y.nodatavals)
        assert x.read().tobytes() == y.read().tobytes()
        assert x.descriptions == y.descriptions
        # every map gets its own identifier; everything else is the same
        assert {**x.tags(), MAP_TAG: ""} == {**y.tags(), MAP_TAG: ""}
        assert [x.tags(i) for i in range(1, x.count + 1)] == [
            y.tags(i) for i in range(1, y.count + 1)
        ]
        assert x.crs == y.crs and x.transform == y.transform
        if x.dtypes[0].startswith("uint"):
            assert x.colormap(1) == y.colormap(1)


def run_classify(scene, model, folder, **kwargs):
    folder.mkdir(exist_ok=True)
    outputs = [folder / name for name in ("classes.tif", "proba.tif", "uncertainty.tif")]
    stats = classify.classify_raster(scene, model, *outputs, max_pixels=WINDOW, **kwargs)
    return outputs, stats


def test_classify_on_a_cluster_gives_the_local_pixels(dask_cluster, scene, model, tmp_path):
    local, local_stats = run_classify(scene, model, tmp_path / "local", workers=2)
    fractions, in_flight = [], []
    client = dask_cluster.client

    def windows_per_run(dask_scheduler):  # runs on the scheduler (pickled by value)
        runs = {}
        for key, task in dask_scheduler.tasks.items():
            if str(key).startswith("landcover-window-") and task.state != "released":
                run = str(key).split("-")[2]
                runs[run] = runs.get(run, 0) + 1
        return runs

    def report(fraction):
        fractions.append(fraction)
        in_flight.append(max(client.run_on_scheduler(windows_per_run).values(), default=0))

    since = time.time()
    remote, remote_stats = run_classify(
        scene,
        model,
        tmp_path / "cluster",
        scheduler=dask_cluster.address,
        progress=Progress(report),
    )
    for a, b in zip(local, remote):
        same_rasters(a, b)
    assert remote_stats.counts == local_stats.counts
    assert remote_stats.classified == local_stats.classified > 0
    blocks = local_stats.blocks
    assert blocks == 20
    # Progress counts written windows, then the end.
    assert fractions == pytest.approx([0.97 * k / blocks for k in range(1, blocks + 1)] + [1.0])
    # Windows in flight stay bounded: two per worker thread, whatever the raster size
    # (the scheduler may see the last results written a moment after the client).
    assert 0 < max(in_flight) <= cluster.IN_FLIGHT_PER_THREAD * 2 + cluster.GATHER_AT_ONCE
    assert max(in_flight) < blocks
    # The scheduler ran every window, and on both workers.
    records = dask_cluster.windows(since)
    assert len({record["key"] for record in records}) == blocks
    assert len({record["worker"] for record in records}) == 2


def test_workers_run_the_plugin_they_were_sent_not_one_on_disk(
    dask_cluster, scene, model, tmp_path
):
    run_classify(scene, model, tmp_path, scheduler=dask_cluster.address)
    client = dask_cluster.client
    assert set(client.run(importlib.util.find_spec, "landcover").values()) == {None}
    name, package = cluster.core_package()
    assert name.startswith("landcover_core_") and package[:2] == b"PK"
    assert all(client.run(importlib.util.find_spec, name).values())
    # The name carries the hash of the source: the same source gives the same package.
    cluster.core_package.cache_clear()
    assert cluster.core_package() == (name, package)


@pytest.mark.parametrize("step", ["texture", "indices"])
def test_feature_steps_on_a_cluster_give_the_local_pixels(dask_cluster, scene, tmp_path, step):
    def run(path, **kwargs):
        if step == "texture":
            texture.texture(
                scene,
                path,
                [4, 1],
                5,
                ["mean", "variance", "entropy"],
                append=True,
                max_pixels=WINDOW,
                **kwargs,
            )
        else:
            indices.spectral_indices(
                scene,
                path,
                ["NDVI", "NDWI", "SAVI"],
                {"blue": 1, "green": 2, "red": 3, "nir": 4},
                scale=0.0001,
                append=True,
                max_pixels=WINDOW,
                **kwargs,
            )

    since = time.time()
    run(tmp_path / "local.tif", workers=2)
    run(tmp_path / "cluster.tif", scheduler=dask_cluster.address)
    same_rasters(tmp_path / "local.tif", tmp_path / "cluster.tif")
    assert len(dask_cluster.windows(since)) == 20


@pytest.mark.parametrize("step", ["majority", "smooth"])
def test_class_map_steps_on_a_cluster_give_the_local_pixels(
    dask_cluster, scene, model, tmp_path, step
):
    (classes, _, _), _ = run_classify(scene, model, tmp_path / "map", workers=2)

    def run(path, **kwargs):
        if step == "majority":
            majority.majority_raster(classes, path, 5, "circle", max_pixels=WINDOW, **kwargs)
        else:
            smooth.smooth_raster(classes, path, 2, max_pixels=WINDOW, **kwargs)

    since = time.time()
    run(tmp_path / "local.tif", workers=2)
    run(tmp_path / "cluster.tif", scheduler=dask_cluster.address)
    same_rasters(tmp_path / "local.tif", tmp_path / "cluster.tif")
    assert len(dask_cluster.windows(since)) == len(blocks_of(classes))


def blocks_of(path):
    from landcover.core.io.raster import blocks_for, open_raster

    with open_raster(path) as src:
        return blocks_for(src, WINDOW)


def test_a_worker_killed_mid_run_costs_only_time(dask_cluster, scene, model, tmp_path):
    local, _ = run_classify(scene, model, tmp_path / "local", workers=2)
    victim, address = dask_cluster.add_worker()
    client = dask_cluster.client
    killed = []

    def report(fraction):
        # Kill the worker while it computes windows of this run.
        if not killed and client.processing(workers=[address]).get(address):
            dask_cluster.kill(victim)
            killed.append(fraction)

    remote, _ = run_classify(
        scene,
        model,
        tmp_path / "cluster",
        scheduler=dask_cluster.address,
        progress=Progress(report),
    )
    assert killed and killed[0] < 0.97
    assert address not in client.scheduler_info()["workers"]
    for a, b in zip(local, remote):
        same_rasters(a, b)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_scheduler_is_a_clear_error_and_writes_nothing(scene, model, tmp_path):
    address = f"tcp://127.0.0.1:{free_port()}"
    with pytest.raises(cluster.ClusterError, match=f"cannot reach the Dask scheduler at {address}"):
        run_classify(scene, model, tmp_path / "out", scheduler=address)
    assert list((tmp_path / "out").iterdir()) == []


def test_a_scheduler_that_goes_away_is_a_clear_error_and_writes_nothing(
    new_dask_cluster, scene, model, tmp_path
):
    own = new_dask_cluster()
    own.add_worker()

    def report(fraction):
        if own.scheduler.poll() is None:
            own.kill(own.scheduler)

    with pytest.raises(cluster.ClusterError, match=f"Dask scheduler at {own.address} was lost"):
        run_classify(
            scene, model, tmp_path / "out", scheduler=own.address, progress=Progress(report)
        )
    assert list((tmp_path / "out").iterdir()) == []


def test_cancel_stops_the_cluster_run_and_writes_nothing(dask_cluster, scene, model, tmp_path):
    written = []
    progress = Progress(written.append, lambda: len(written) >= 2)
    with pytest.raises(Cancelled):
        run_classify(
            scene, model, tmp_path / "out", scheduler=dask_cluster.address, progress=progress
        )
    assert list((tmp_path / "out").iterdir()) == []
    assert len(written) == 2
    # Nothing of the run is left on the cluster.
    client = dask_cluster.client
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        states = client.sync(client.scheduler.get_task_prefix_states)
        if not any(states.get("landcover-window", {}).values()):
            break
        time.sleep(0.2)
    assert not any(states.get("landcover-window", {}).values())


def test_window_functions_take_plain_arguments_only(dask_cluster, scene, tmp_path):
    from functools import partial

    from landcover.core.io.raster import blocks_for, open_raster, read_block, run_blocks

    class Opaque:
        pass

    with open_raster(scene) as src:
        blocks = blocks_for(src, WINDOW)
        with pytest.raises(TypeError, match="Opaque cannot be sent to a cluster worker"):
            run_blocks(
                blocks,
                partial(read_block, src),
                partial(np.add, Opaque()),
                lambda block, result: None,
                scheduler=dask_cluster.address,
            )
