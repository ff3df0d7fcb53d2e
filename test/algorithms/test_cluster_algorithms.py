"""The DASK_SCHEDULER parameter through processing.run: the cluster gives the local
pixels, a wrong address is a clear error, and without ``distributed`` the plugin
still loads and only the cluster asks for it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import rasterio
from conftest import write_raster

CLUSTER_STEPS = {
    "landcover:classify": lambda folder: {"MODEL": str(folder / "model.lcmodel")},
    "landcover:texture": lambda folder: {"BANDS": [1, 3], "WINDOW_SIZE": 5, "MEASURES": [0, 1]},
    "landcover:spectralindices": lambda folder: {"SENSOR": 0, "INDICES": [0], "RED": 1, "NIR": 3},
}


def test_every_block_wise_raster_step_offers_a_cluster(qgis_app):
    from qgis.core import QgsApplication, QgsProcessingParameterDefinition

    registry = QgsApplication.processingRegistry()
    steps = [*CLUSTER_STEPS, "landcover:majorityfilter", "landcover:smooth"]
    for algorithm in steps:
        parameter = registry.algorithmById(algorithm).parameterDefinition("DASK_SCHEDULER")
        assert parameter is not None, algorithm
        assert parameter.flags() & QgsProcessingParameterDefinition.FlagAdvanced
        assert "tcp://" in parameter.description() and parameter.help()


@pytest.fixture
def scene(tmp_path):
    """A 3-band scene of 300 x 300 pixels in 256 x 256 tiles (4 windows), with a model."""
    from landcover.core.io.classes import make_classes
    from landcover.core.learn.model import kmeans_model

    rng = np.random.default_rng(5)
    data = rng.uniform(0.05, 0.6, size=(3, 300, 300)).astype(np.float32)
    data[:, 20:40, 100:180] = -1
    path = tmp_path / "scene.tif"
    write_raster(path, data, crs="EPSG:32633", nodata=-1, block=256)
    centres = rng.normal(size=(4, 3))
    kmeans_model(
        centres, np.full(3, 0.3), np.full(3, 0.15), make_classes([1, 2, 3, 4]), ["a", "b", "c"]
    ).save(tmp_path / "model.lcmodel")
    return path


@pytest.mark.parametrize("algorithm", sorted(CLUSTER_STEPS))
def test_a_cluster_run_gives_the_local_pixels(run_alg, dask_cluster, scene, tmp_path, algorithm):
    outputs = {}
    for where, address in (("local", ""), ("cluster", dask_cluster.address)):
        parameters = {
            "INPUT": str(scene),
            "OUTPUT": str(tmp_path / f"{where}.tif"),
            "DASK_SCHEDULER": address,
            **CLUSTER_STEPS[algorithm](tmp_path),
        }
        outputs[where] = run_alg(algorithm, parameters)["OUTPUT"]
    with rasterio.open(outputs["local"]) as local, rasterio.open(outputs["cluster"]) as remote:
        assert local.read().tobytes() == remote.read().tobytes()
        assert local.descriptions == remote.descriptions
        assert np.isfinite(local.read()).any()


def test_workers_read_inputs_gdal_opens_by_a_virtual_path(run_alg, dask_cluster, scene, tmp_path):
    """A GDAL virtual path (here /vsizip/, like /vsicurl/ or /vsis3/) is an input too."""
    import zipfile

    archive = tmp_path / "scene.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(scene, "scene.tif")
    from qgis.core import QgsRasterLayer

    layer = QgsRasterLayer(f"/vsizip/{archive}/scene.tif", "zipped", "gdal")
    assert layer.isValid()
    outputs = []
    for address in ("", dask_cluster.address):
        parameters = {
            "INPUT": str(scene) if not outputs else layer,
            "OUTPUT": str(tmp_path / f"out{len(outputs)}.tif"),
            "DASK_SCHEDULER": address,
            **CLUSTER_STEPS["landcover:texture"](tmp_path),
        }
        outputs.append(run_alg("landcover:texture", parameters)["OUTPUT"])
    with rasterio.open(outputs[0]) as local, rasterio.open(outputs[1]) as remote:
        assert local.read().tobytes() == remote.read().tobytes()


def test_an_unreachable_scheduler_names_the_address(run_alg, scene, tmp_path):
    from qgis.core import QgsProcessingException

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    parameters = {
        "INPUT": str(scene),
        "OUTPUT": str(tmp_path / "out.tif"),
        "DASK_SCHEDULER": address,
        **CLUSTER_STEPS["landcover:texture"](tmp_path),
    }
    with pytest.raises(QgsProcessingException, match=address):
        run_alg("landcover:texture", parameters)
    assert not (tmp_path / "out.tif").exists()


WITHOUT_DISTRIBUTED = """
import importlib.util, sys
assert importlib.util.find_spec("distributed") is None, "distributed is importable"
from qgis.core import QgsApplication, QgsProcessingException, QgsProcessingFeedback
app = QgsApplication([], False)
app.initQgis()
sys.path.append(QgsApplication.pkgDataPath() + "/python/plugins")
from processing.core.Processing import Processing
Processing.initialize()
import processing
from landcover.provider import LandcoverProvider
provider = LandcoverProvider()
QgsApplication.processingRegistry().addProvider(provider)
parameters = {{"INPUT": {scene!r}, "BANDS": [1], "WINDOW_SIZE": 3, "MEASURES": [0]}}
processing.run("landcover:texture", dict(parameters, OUTPUT={local!r}))
print("LOCAL OK")
try:
    processing.run(
        "landcover:texture",
        dict(parameters, OUTPUT={remote!r}, DASK_SCHEDULER="tcp://10.0.0.5:8786"),
        feedback=QgsProcessingFeedback(),
    )
except QgsProcessingException as exc:
    print("ERROR", exc)
"""


def test_without_distributed_the_plugin_runs_and_only_a_cluster_asks_for_it(scene, tmp_path):
    """A Python whose site packages are those of this one minus Dask."""
    site = tmp_path / "site-packages"
    site.mkdir()
    packages = Path("/usr/lib/python3/dist-packages")
    for entry in packages.iterdir():
        if not entry.name.lower().startswith(("dask", "distributed")):
            (site / entry.name).symlink_to(entry)
    plugins = Path(__file__).resolve().parents[2] / "build" / "test-plugins"
    env = dict(os.environ, PYTHONPATH=f"{plugins}:{site}")
    env["QGIS_CUSTOM_CONFIG_PATH"] = str(tmp_path / "profile")
    script = WITHOUT_DISTRIBUTED.format(
        scene=str(scene), local=str(tmp_path / "local.tif"), remote=str(tmp_path / "remote.tif")
    )
    result = subprocess.run(
        [sys.executable, "-S", "-c", textwrap.dedent(script)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "LOCAL OK" in result.stdout
    error = result.stdout.split("ERROR", 1)[1]
    assert "tcp://10.0.0.5:8786" in error and "python3-distributed" in error
    assert (tmp_path / "local.tif").exists() and not (tmp_path / "remote.tif").exists()
