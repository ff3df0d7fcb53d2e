"""The ``landcover`` Processing provider."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

from qgis.core import QgsApplication, QgsProcessingAlgorithm, QgsProcessingProvider
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from . import algorithms
from .algorithms.base import LandcoverAlgorithm

ICON_PATH = Path(__file__).resolve().parent / "resources" / "icon.svg"
MODELS_DIR = Path(__file__).resolve().parent / "resources" / "models"


def algorithm_classes() -> list[type[LandcoverAlgorithm]]:
    """Every concrete algorithm class in ``algorithms/``, one module per algorithm.

    Adding an algorithm means adding a module; no central list to keep in step.
    """
    found = []
    for module_info in pkgutil.iter_modules(algorithms.__path__):
        module = importlib.import_module(f"{algorithms.__name__}.{module_info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, LandcoverAlgorithm)
                and cls.__module__ == module.__name__
                and not inspect.isabstract(cls)
                and cls.__dict__.get("name") is not None
            ):
                found.append(cls)
    return sorted(found, key=lambda cls: cls.__name__)


def shipped_models() -> list[QgsProcessingAlgorithm]:
    """Graphical Modeler models shipped in ``resources/models``."""
    from qgis.core import QgsProcessingModelAlgorithm

    models = []
    for path in sorted(MODELS_DIR.glob("*.model3")):
        model = QgsProcessingModelAlgorithm()
        if model.fromFile(str(path)):
            models.append(model)
    return models


class LandcoverProvider(QgsProcessingProvider):
    def __init__(self) -> None:
        super().__init__()
        self._models: list[QgsProcessingAlgorithm] = []
        QgsApplication.processingRegistry().providerAdded.connect(self._reload_models)

    def id(self) -> str:
        return "landcover"

    def name(self) -> str:
        return QCoreApplication.translate("LandcoverProvider", "Land cover classification")

    def longName(self) -> str:
        return self.name()

    def icon(self) -> QIcon:
        return QIcon(str(ICON_PATH))

    def svgIconPath(self) -> str:
        return str(ICON_PATH)

    def loadAlgorithms(self) -> None:
        for cls in algorithm_classes():
            self.addAlgorithm(cls())
        self._models = shipped_models()
        for model in self._models:
            self.addAlgorithm(model)

    def _reload_models(self, provider_id: str) -> None:
        # The models' steps are this provider's algorithms, which the registry finds
        # only once the provider is registered, after loadAlgorithms: read the models
        # again then, or they know none of their outputs (qgis_process help lists none).
        if provider_id == self.id():
            for model in self._models:
                model.loadVariant(model.toVariant())

    def supportedOutputRasterLayerExtensions(self) -> list[str]:
        return ["tif"]

    def defaultRasterFileExtension(self) -> str:
        return "tif"

    def defaultVectorFileExtension(self, has_geometry: bool = True) -> str:
        return "gpkg"
