"""A qgis_process run killed with SIGKILL leaves a partial file with a recognisable
name; the next run writing the same output removes it."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import numpy as np
import rasterio
from conftest import PLUGIN_NAME, PLUGINS, QGIS_PROCESS
from rasterio.transform import from_origin


def kmeans_model_file(path):
    from landcover.core.io.classes import make_classes
    from landcover.core.learn.model import kmeans_model

    centres = np.array([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0], [-1.0, 1.0, -1.0]])
    classes = make_classes([1, 2, 3], ["water", "forest", "urban"])
    model = kmeans_model(centres, np.full(3, 500.0), np.full(3, 300.0), classes, ["b1", "b2", "b3"])
    model.save(path)


def write_big_scene(path, size=1000):
    rng = np.random.default_rng(0)
    with rasterio.open(
        path, "w", driver="GTiff", width=size, height=size, count=3, dtype="float32",
        crs="EPSG:32633", transform=from_origin(500000, 5000000, 10, 10), tiled=True,
    ) as dst:  # fmt: skip
        for row in range(0, size, 500):
            block = rng.normal(500, 300, (3, 500, size)).astype(np.float32)
            dst.write(block, window=((row, row + 500), (0, size)))


def test_sigkilled_classify_leaves_a_named_partial_that_the_next_run_removes(tmp_path):
    scene, model = tmp_path / "scene.tif", tmp_path / "m.lcmodel"
    write_big_scene(scene)
    kmeans_model_file(model)
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        QGIS_PLUGINPATH=str(PLUGINS),
        QGIS_CUSTOM_CONFIG_PATH=str(tmp_path / "profile"),
        LANDCOVER_THREADS="1",
    )
    subprocess.run([QGIS_PROCESS, "plugins", "enable", PLUGIN_NAME], env=env, check=True,
                   capture_output=True)  # fmt: skip
    output = tmp_path / "out" / "classes.tif"
    output.parent.mkdir()
    arguments = [QGIS_PROCESS, "run", "landcover:classify", "--", f"INPUT={scene}",
                 f"MODEL={model}", f"OUTPUT={output}",]  # fmt: skip
    process = subprocess.Popen(arguments, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    pattern = f"classes.tif.landcover-partial-{process.pid}-*.tif"
    try:
        for _ in range(1200):
            if list(output.parent.glob(pattern)) or process.poll() is not None:
                break
            time.sleep(0.05)
        assert process.poll() is None, process.communicate()
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.communicate()
    partials = list(output.parent.glob(pattern))
    assert partials, f"no partial file while the run was going: {os.listdir(output.parent)}"
    assert not output.exists()

    done = subprocess.run(arguments, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert output.exists()
    left = [p.name for p in output.parent.iterdir() if "landcover-partial" in p.name]
    assert left == []
