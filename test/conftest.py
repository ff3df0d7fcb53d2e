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
