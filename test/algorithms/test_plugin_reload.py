"""Disabling and enabling the plugin, or installing a newer version over it, in QGIS's
own plugin machinery (qgis.utils), in a separate QGIS process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

from conftest import REPO

RUNTIME = (
    "__init__.py",
    "plugin.py",
    "provider.py",
    "metadata.txt",
    "algorithms",
    "core",
    "resources",
)

SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    plugins = sys.argv[1]
    sys.path.insert(0, plugins)
    import qgis.utils

    qgis.utils.plugin_paths = [plugins]
    qgis.utils.updateAvailablePlugins()


    def tools():
        provider = QgsApplication.processingRegistry().providerById("landcover")
        return sorted(a.displayName() for a in provider.algorithms()) if provider else []


    assert qgis.utils.loadPlugin("landcover") and qgis.utils.startPlugin("landcover")
    print("start", len(tools()))
    assert qgis.utils.unloadPlugin("landcover")
    print("disabled", len(tools()))
    assert qgis.utils.loadPlugin("landcover") and qgis.utils.startPlugin("landcover")
    print("enabled", len(tools()))
    assert qgis.utils.unloadPlugin("landcover")
    # a newer version installed over the files, as the plugin installer does
    sieve = Path(plugins) / "landcover" / "algorithms" / "sieve.py"
    text = sieve.read_text(encoding="utf-8")
    newer = text.replace('tr("Remove small patches', 'tr("Newer remove small patches')
    sieve.write_text(newer, encoding="utf-8")
    assert qgis.utils.loadPlugin("landcover") and qgis.utils.startPlugin("landcover")
    print("upgraded", len(tools()), [t for t in tools() if t.startswith("Newer")])
    """
)


CONNECTIONS_SCRIPT = textwrap.dedent(
    """
    import sys

    from qgis.core import QgsApplication, QgsProcessingProvider

    app = QgsApplication([], False)
    app.initQgis()
    plugins = sys.argv[1]
    sys.path.insert(0, plugins)
    import qgis.utils

    qgis.utils.plugin_paths = [plugins]
    qgis.utils.updateAvailablePlugins()
    registry = QgsApplication.processingRegistry()


    def connections():
        return sum(
            registry.receivers(signal)
            for signal in (
                registry.providerAdded,
                registry.providerRemoved,
                registry.parameterTypeAdded,
                registry.parameterTypeRemoved,
            )
        )


    print("before", connections())
    for cycle in range(2):
        assert qgis.utils.loadPlugin("landcover") and qgis.utils.startPlugin("landcover")
        print(f"started{cycle}", connections())
        assert qgis.utils.unloadPlugin("landcover")
        print(f"unloaded{cycle}", connections())


    class Other(QgsProcessingProvider):
        def id(self):
            return "other"

        def name(self):
            return "Other"

        def loadAlgorithms(self):
            pass


    # a provider added after the plugin left: nothing of the plugin may be called
    other = Other()
    assert registry.addProvider(other)
    print("other", connections())
    """
)


def run_in_qgis(tmp_path, script_text: str) -> subprocess.CompletedProcess:
    """Run ``script_text`` in a QGIS process of its own, with a copy of the plugin's
    runtime files in ``tmp_path/plugins/landcover`` (its folder is the argument)."""
    plugin = tmp_path / "plugins" / "landcover"
    plugin.mkdir(parents=True)
    for name in RUNTIME:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, plugin / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, plugin / name)
    script = tmp_path / "script.py"
    script.write_text(script_text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(script), str(tmp_path / "plugins")],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_disable_enable_and_upgrade_keep_every_tool(tmp_path):
    assert 'tr("Remove small patches' in (REPO / "algorithms" / "sieve.py").read_text(
        encoding="utf-8"
    )
    run = run_in_qgis(tmp_path, SCRIPT)
    assert run.returncode == 0, run.stderr
    lines = dict(line.split(" ", 1) for line in run.stdout.splitlines() if " " in line)
    count = int(lines["start"])
    assert count >= 15
    assert lines["disabled"] == "0"
    assert lines["enabled"] == str(count)
    upgraded_count, newer = lines["upgraded"].split(" ", 1)
    assert int(upgraded_count) == count
    assert "Newer remove small patches" in newer


def test_unload_disconnects_what_the_provider_connected(tmp_path):
    run = run_in_qgis(tmp_path, CONNECTIONS_SCRIPT)
    assert run.returncode == 0, run.stderr
    counts = {name: int(n) for name, n in (line.split() for line in run.stdout.splitlines())}
    before = counts["before"]
    assert counts["started0"] > before  # the provider listens to the registry while loaded
    assert counts["started1"] == counts["started0"]
    assert counts["unloaded0"] == counts["unloaded1"] == counts["other"] == before
    assert "Traceback" not in run.stderr, run.stderr
