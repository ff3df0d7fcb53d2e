"""Shared test set-up.

The repository root is the plugin folder; tests import it as the package
``landcover`` through a link in ``build/test-plugins``, which also serves as the
``QGIS_PLUGINPATH`` of the headless tests. Core tests never start QGIS; algorithm
tests share one ``QgsApplication`` for the whole session.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PLUGINS = REPO / "build" / "test-plugins"
PLUGIN_NAME = "landcover"


def _link_plugin() -> None:
    PLUGINS.mkdir(parents=True, exist_ok=True)
    link = PLUGINS / PLUGIN_NAME
    if not (link.is_symlink() and link.resolve() == REPO):
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(REPO, target_is_directory=True)
    if str(PLUGINS) not in sys.path:
        sys.path.insert(0, str(PLUGINS))


_link_plugin()


def load_script(name: str):
    """The module ``scripts/<name>.py`` (scripts are not a package)."""
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The grid of most test rasters: UTM 32N, 10 m pixels, top left at (500000, 5000000).
TEST_CRS = "EPSG:32632"
TEST_ORIGIN = (500000, 5000000, 10, 10)


def write_raster(
    path,
    data,
    *,
    crs=TEST_CRS,
    transform=None,
    nodata=None,
    descriptions=(),
    block: int | None = None,
    strip_rows: int | None = None,
    classes=None,
    tags: dict[str, str] | None = None,
    colormap: dict | None = None,
    plugin_writer: bool = False,
):
    """Write ``data`` ((rows, cols) for one band, or (bands, rows, cols)) as a GeoTIFF at
    ``path`` and return it as a string (what QGIS parameters take).

    By default a plain rasterio GeoTIFF (``transform`` defaults to ``TEST_ORIGIN``): in
    strips of GDAL's choosing, square tiles of ``block`` pixels, or strips of
    ``strip_rows`` rows; ``colormap`` sets band 1's colour table. With ``classes`` (or
    ``plugin_writer``) the plugin's own writer (``create_raster``) writes it instead, as
    the plugin writes its class rasters: tiled, compressed, class colours and names.
    """
    import numpy as np
    import rasterio
    from rasterio.transform import from_origin

    data = np.asarray(data)
    bands = data[None] if data.ndim == 2 else data
    transform = transform or from_origin(*TEST_ORIGIN)
    if classes is not None or plugin_writer:
        from landcover.core.io.raster import create_raster

        with create_raster(
            path,
            width=bands.shape[2],
            height=bands.shape[1],
            count=bands.shape[0],
            dtype=bands.dtype,
            crs=crs,
            transform=transform,
            nodata=nodata,
            descriptions=list(descriptions) or None,
            classes=classes,
            tags=tags,
        ) as dst:
            dst.write(bands)
        return str(path)
    layout: dict = {}
    if block:
        layout = {"tiled": True, "blockxsize": block, "blockysize": block}
    elif strip_rows:
        layout = {"tiled": False, "blockysize": strip_rows}
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=bands.shape[2],
        height=bands.shape[1],
        count=bands.shape[0],
        dtype=bands.dtype.name,
        crs=crs,
        transform=transform,
        nodata=nodata,
        **layout,
    ) as dst:
        if colormap:
            dst.write_colormap(1, colormap)
        dst.write(bands)
        for index, text in enumerate(descriptions, start=1):
            dst.set_band_description(index, text)
        if tags:
            dst.update_tags(**tags)
    return str(path)


def write_band_stack(path, data, *, descriptions=("B2", "B3", "B4", "B8"), **options):
    """:func:`write_raster` for a small band stack (0 as nodata)
    on a 10 m UTM 33N grid, its bands described as Sentinel-2 blue, green, red and NIR."""
    from rasterio.transform import from_origin

    return write_raster(
        path,
        data,
        crs="EPSG:32633",
        transform=from_origin(500000, 6000000, 10, 10),
        nodata=0,
        descriptions=descriptions,
        **options,
    )


@pytest.fixture
def class_raster(tmp_path):
    """Write a one-band class raster through the plugin's writer: ``class_raster(image,
    name="classes.tif", classes=None, **write_raster options)`` returns its path and
    classes (by default one per code above 0 in ``image``, with default names and
    colours); nodata 0."""

    def write(image, name: str = "classes.tif", classes=None, **options):
        import numpy as np

        from landcover.core.io.classes import make_classes

        if classes is None:
            classes = make_classes(sorted(int(c) for c in np.unique(image) if c))
        path = write_raster(tmp_path / name, image, nodata=0, classes=classes, **options)
        return path, classes

    return write


os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")


@pytest.fixture(scope="session")
def qgis_app(tmp_path_factory):
    """One QgsApplication with Processing and the landcover provider, for the session."""
    os.environ["QGIS_CUSTOM_CONFIG_PATH"] = str(tmp_path_factory.mktemp("qgis-profile"))
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    sys.path.append(str(Path(QgsApplication.pkgDataPath()) / "python" / "plugins"))
    from processing.core.Processing import Processing

    Processing.initialize()
    from landcover.provider import LandcoverProvider

    provider = LandcoverProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    yield app
    QgsApplication.processingRegistry().removeProvider(provider)


@pytest.fixture
def run_alg(qgis_app):
    """Run ``landcover:<name>`` through ``processing.run`` and return its results."""
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    def run(algorithm: str, parameters: dict, feedback=None, context=None) -> dict:
        return processing.run(
            algorithm,
            parameters,
            feedback=feedback or QgsProcessingFeedback(),
            context=context or QgsProcessingContext(),
        )

    return run


QGIS_PROCESS = shutil.which("qgis_process.bin") or "/usr/bin/qgis_process.bin"


@pytest.fixture(scope="session")
def qgis_process(tmp_path_factory):
    """Run ``qgis_process.bin`` with the plugin enabled in a throw-away profile."""
    profile = tmp_path_factory.mktemp("qgis-process-profile")
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        QGIS_PLUGINPATH=str(PLUGINS),
        QGIS_CUSTOM_CONFIG_PATH=str(profile),
    )

    def run(*args: str, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [QGIS_PROCESS, *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"qgis_process.bin {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}"
            )
        return result

    run("plugins", "enable", PLUGIN_NAME)
    return run


class DaskCluster:
    """A Dask scheduler and single-threaded workers as real processes on 127.0.0.1.

    Ports are chosen by the operating system. Workers start with a clean environment
    in an empty folder, so they cannot import the plugin from disk: everything they
    run of it, the plugin must send them.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.processes: list[subprocess.Popen] = []
        self.env = {"PATH": "/usr/bin:/bin", "HOME": str(folder), "LANG": "C.UTF-8"}
        self.client = None
        try:
            self._start_scheduler()
        except BaseException:
            self.stop()
            raise

    def _start_scheduler(self) -> None:
        import json
        import time

        scheduler_file = self.folder / "scheduler.json"
        self.scheduler = self._start(
            "dask_scheduler",
            "--host=127.0.0.1",
            "--port=0",
            "--no-dashboard",
            f"--scheduler-file={scheduler_file}",
            log="scheduler.log",
        )
        deadline = time.monotonic() + 60
        while not scheduler_file.exists():
            if self.scheduler.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((self.folder / "scheduler.log").read_text())
            time.sleep(0.1)
        time.sleep(0.1)  # the file may still be being written
        self.address = json.loads(scheduler_file.read_text())["address"]
        from distributed import Client

        self.client = Client(self.address, timeout=30, set_as_default=False)
        self.client.get_task_stream()  # starts the scheduler's record of finished tasks

    def _start(self, module: str, *args: str, log: str) -> subprocess.Popen:
        with open(self.folder / log, "w") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", f"distributed.cli.{module}", *args],
                cwd=self.folder,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes.append(process)
        return process

    def add_worker(self) -> tuple[subprocess.Popen, str]:
        """One more single-threaded worker (no nanny: a killed worker stays dead) and
        its address."""
        number = len(self.processes)
        before = set(self.client.scheduler_info()["workers"])
        worker = self._start(
            "dask_worker",
            self.address,
            "--host=127.0.0.1",
            "--nthreads=1",
            "--no-nanny",
            "--no-dashboard",
            "--memory-limit=0",
            f"--local-directory={self.folder / f'worker{number}'}",
            log=f"worker{number}.log",
        )
        self.client.wait_for_workers(len(before) + 1, timeout=60)
        (address,) = set(self.client.scheduler_info()["workers"]) - before
        return worker, address

    def windows(self, since: float) -> list[dict]:
        """The scheduler's records of the landcover windows finished since ``since``."""
        return [
            record
            for record in self.client.get_task_stream(start=since)
            if str(record["key"]).startswith("landcover-window")
        ]

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        import contextlib
        import signal

        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def stop(self) -> None:
        import contextlib

        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.close(timeout=5)
        for process in reversed(self.processes):
            self.kill(process)


@pytest.fixture(scope="session")
def dask_cluster(tmp_path_factory):
    """A scheduler with two workers for the session; stopped at the end."""
    cluster = None
    try:
        cluster = DaskCluster(tmp_path_factory.mktemp("dask-cluster"))
        cluster.add_worker()
        cluster.add_worker()
        yield cluster
    finally:
        if cluster is not None:
            cluster.stop()


@pytest.fixture
def new_dask_cluster(tmp_path_factory):
    """A factory of clusters of their own (for tests that break them), all stopped
    at the end of the test."""
    clusters = []

    def start() -> DaskCluster:
        clusters.append(DaskCluster(tmp_path_factory.mktemp("dask-cluster")))
        return clusters[-1]

    try:
        yield start
    finally:
        for cluster in clusters:
            cluster.stop()
