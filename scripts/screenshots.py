"""Screenshots for the user guide: ``docs/images/toolbox.png`` and ``docs/images/modeler.png``.

Starts the real QGIS desktop (under Xvfb when there is no display) with the plugin
enabled in a throw-away profile (``build/screenshots``), loads the class map and the
polygons of ``make demo`` (run it first), expands *Land cover classification* in the
Processing Toolbox and grabs the main window, then opens the shipped model in the
Graphical Modeler and grabs that. The same file is the ``--code`` script QGIS runs.

Usage: ``make demo && /usr/bin/python3 scripts/screenshots.py``
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import traceback
from pathlib import Path

ENV_KEY = "LANDCOVER_SCREENSHOTS"  # set (to JSON) only for the run inside QGIS
SIZE = (1440, 900)  # main window, in pixels; the Modeler is narrower (the model is tall)
SCREEN = "-screen 0 1600x1000x24"


def launch() -> int:
    repo = Path(__file__).resolve().parent.parent
    work = repo / "build" / "screenshots"
    demo = repo / "build" / "demo" / "output"
    layers = [demo / "landcover.tif", demo / "landcover.gpkg"]
    if not all(p.exists() for p in layers):
        sys.exit("Run `make demo` first: build/demo/output has no landcover.tif/.gpkg")
    shutil.rmtree(work, ignore_errors=True)
    (work / "plugins").mkdir(parents=True)
    (work / "plugins" / "landcover").symlink_to(repo)
    ini = work / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    # Plugin enabled, English whatever the system language.
    ini.write_text(
        "[PythonPlugins]\nlandcover=true\n\n[locale]\noverrideFlag=true\nuserLocale=en_US\n"
    )
    images = repo / "docs" / "images"
    images.mkdir(parents=True, exist_ok=True)
    job = {
        "layers": [str(p) for p in layers],
        "model": str(repo / "resources" / "models" / "landcover_workflow.model3"),
        "toolbox": str(images / "toolbox.png"),
        "modeler": str(images / "modeler.png"),
    }
    env = dict(os.environ, QGIS_PLUGINPATH=str(work / "plugins"), **{ENV_KEY: json.dumps(job)})
    env.pop("QT_QPA_PLATFORM", None)  # `make` exports offscreen; the desktop needs X
    cmd = ["qgis", "--nologo", "--noversioncheck", "--profiles-path", str(work)]
    cmd += ["--code", str(Path(__file__).resolve())]
    if not env.get("DISPLAY"):
        cmd = ["xvfb-run", "-a", "-s", SCREEN, *cmd]
    for key in ("toolbox", "modeler"):
        Path(job[key]).unlink(missing_ok=True)
    qgis = subprocess.Popen(cmd, env=env, start_new_session=True)
    try:
        qgis.wait(timeout=300)
    except subprocess.TimeoutExpired:  # a dialog waits for a click: end QGIS and Xvfb
        os.killpg(qgis.pid, signal.SIGTERM)
        qgis.wait()
    missing = [job[k] for k in ("toolbox", "modeler") if not Path(job[k]).exists()]
    for key in ("toolbox", "modeler"):
        if Path(job[key]).exists():
            print(f"{job[key]}  {Path(job[key]).stat().st_size // 1024} KB")
    return 1 if missing else 0


def inside_qgis(job: dict) -> None:
    """Runs in QGIS (``--code``): stage the windows, grab them one after the other."""
    from processing.modeler.ModelerDialog import ModelerDialog
    from qgis.core import (
        QgsApplication,
        QgsProcessingModelAlgorithm,
        QgsProject,
        QgsRasterLayer,
        QgsVectorLayer,
    )
    from qgis.PyQt.QtCore import Qt, QTimer
    from qgis.PyQt.QtWidgets import QDockWidget
    from qgis.utils import iface, plugins

    window = iface.mainWindow()
    window.resize(*SIZE)
    for dock in window.findChildren(QDockWidget):
        if dock.objectName() == "Browser":
            dock.hide()
    for path in job["layers"]:  # default styles: the .qml beside the tif, the gpkg's own
        if path.endswith(".tif"):
            layer = QgsRasterLayer(path, "landcover (class map)")
        else:
            layer = QgsVectorLayer(f"{path}|layername=landcover", "landcover (polygons)")
        QgsProject.instance().addMapLayer(layer)
    iface.mapCanvas().zoomToFullExtent()

    toolbox = plugins["processing"].toolbox
    toolbox.show()
    toolbox.raise_()
    window.resizeDocks([toolbox], [380], Qt.Orientation.Horizontal)  # room for the tool names
    tree = toolbox.algorithmTree
    model = tree.model()
    tree.collapseAll()
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if model.data(index) == "Land cover classification":
            tree.expand(index)
            for child in range(model.rowCount(index)):
                tree.expand(model.index(child, 0, index))
            tree.scrollTo(index, tree.PositionAtTop)

    def guarded(step):  # an error would open a dialog and wait for a click: quit instead
        def run(*args):
            try:
                step(*args)
            except Exception:
                traceback.print_exc()
                QgsApplication.instance().exit(1)

        return run

    @guarded
    def grab_toolbox() -> None:
        window.grab().save(job["toolbox"])
        algorithm = QgsProcessingModelAlgorithm()
        algorithm.fromFile(job["model"])
        dialog = ModelerDialog.create(algorithm)
        dialog.resize(1120, SIZE[1])
        dialog.show()
        QTimer.singleShot(2000, lambda: grab_modeler(dialog))

    @guarded
    def grab_modeler(dialog) -> None:
        view = dialog.view()
        view.fitInView(
            view.scene().itemsBoundingRect().adjusted(-20, -20, 20, 20),
            Qt.AspectRatioMode.KeepAspectRatio,
        )
        QgsApplication.processEvents()
        dialog.grab().save(job["modeler"])
        dialog.setModel(QgsProcessingModelAlgorithm())  # nothing to save on close
        dialog.close()
        QgsProject.instance().setDirty(False)
        QgsApplication.instance().exit(0)

    QTimer.singleShot(5000, grab_toolbox)


if os.environ.get(ENV_KEY):
    inside_qgis(json.loads(os.environ[ENV_KEY]))
elif __name__ == "__main__":
    sys.exit(launch())
