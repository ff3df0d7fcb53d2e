"""Classification on a Dask cluster from the command line, as the guide shows it."""

from __future__ import annotations

import json
import time

import numpy as np
import rasterio
from conftest import write_raster
from rasterio.transform import from_origin


def test_qgis_process_classifies_on_the_cluster_like_locally(qgis_process, dask_cluster, tmp_path):
    from landcover.core.io.classes import make_classes
    from landcover.core.learn.model import kmeans_model

    rng = np.random.default_rng(11)
    scene = tmp_path / "tile.tif"
    write_raster(
        scene,
        rng.uniform(0, 100, size=(2, 300, 600)).astype(np.float32),
        transform=from_origin(300000, 5100000, 10, 10),
        nodata=-1,
        block=256,
    )
    model = tmp_path / "model.lcmodel"
    kmeans_model(
        rng.normal(size=(3, 2)),
        np.full(2, 50.0),
        np.full(2, 30.0),
        make_classes([1, 2, 3]),
        ["a", "b"],
    ).save(model)
    outputs = {}
    since = time.time()
    for where, address in (("local", ""), ("cluster", dask_cluster.address)):
        run = qgis_process(
            "run",
            "landcover:classify",
            "--json",
            "--",
            f"INPUT={scene}",
            f"MODEL={model}",
            f"DASK_SCHEDULER={address}",
            f"OUTPUT={tmp_path / where}.tif",
            f"UNCERTAINTY={tmp_path / where}_unc.tif",
        )
        outputs[where] = json.loads(run.stdout)["results"]
    for name in ("OUTPUT", "UNCERTAINTY"):
        with (
            rasterio.open(outputs["local"][name]) as a,
            rasterio.open(outputs["cluster"][name]) as b,
        ):
            assert a.read().tobytes() == b.read().tobytes()
    assert dask_cluster.windows(since)  # the cluster computed the windows
