"""The plugin zip installs into an empty plugin folder and runs from there."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

from conftest import QGIS_PROCESS, REPO


def test_zip_has_runtime_files_only_and_runs_from_fresh_plugin_folder(tmp_path):
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "make_zip.py"), str(tmp_path / "dist")],
        check=True,
        capture_output=True,
    )
    (archive,) = (tmp_path / "dist").glob("landcover-*.zip")
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        assert all(n.startswith("landcover/") for n in names)
        assert "landcover/metadata.txt" in names and "landcover/__init__.py" in names
        assert not any(n.startswith(("landcover/test/", "landcover/scripts/")) for n in names)
        assert "landcover/core/learn/classify.py" in names
        assert "landcover/core/synthetic.py" not in names
        assert "landcover/CHANGELOG.md" in names
        plugins = tmp_path / "plugins"
        z.extractall(plugins)

    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        QGIS_PLUGINPATH=str(plugins),
        QGIS_CUSTOM_CONFIG_PATH=str(tmp_path / "profile"),
    )
    subprocess.run(
        [QGIS_PROCESS, "plugins", "enable", "landcover"], env=env, check=True, capture_output=True
    )
    listing = subprocess.run(
        [QGIS_PROCESS, "list"], env=env, check=True, capture_output=True, text=True
    ).stdout
    assert "Land cover classification" in listing
    assert "landcover:alignrasters" in listing
