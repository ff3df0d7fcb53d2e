"""The ``landcover`` Processing provider."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from contextlib import suppress
from pathlib import Path

from qgis.core import (
    QgsApplication,
    QgsProcessingAlgorithm,
    QgsProcessingModelAlgorithm,
    QgsProcessingProvider,
)
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


class ShippedModel(QgsProcessingModelAlgorithm):
    """A model of ``resources/models`` that checks its steps' packages before running.

    QGIS runs a model's steps without asking them whether they can run, so a missing
    or broken package would stop the model with a traceback after its first steps.
    """

    def required_modules(self) -> tuple[str, ...]:
        registry = QgsApplication.processingRegistry()
        modules: dict[str, None] = {}
        for child in self.childAlgorithms().values():
            step = registry.algorithmById(child.algorithmId())
            modules.update(dict.fromkeys(getattr(step, "REQUIRES", ())))
        return tuple(modules)

    def canExecute(self) -> tuple[bool, str]:
        from .core.io.deps import install_hint, missing_packages

        missing = missing_packages(self.required_modules())
        if missing:
            return False, install_hint(missing)
        return super().canExecute()

    def checkParameterValues(self, parameters, context):
        ok, message = self.canExecute()
        if not ok:
            return False, message
        return super().checkParameterValues(parameters, context)

    def createInstance(self) -> ShippedModel:
        model = ShippedModel()
        model.loadVariant(self.toVariant())
        model.setSourceFilePath(self.sourceFilePath())
        return model


def shipped_models() -> list[QgsProcessingAlgorithm]:
    """Graphical Modeler models shipped in ``resources/models``."""
    models = []
    for path in sorted(MODELS_DIR.glob("*.model3")):
        model = ShippedModel()
        if model.fromFile(str(path)):
            models.append(model)
    return models


class LandcoverProvider(QgsProcessingProvider):
    def __init__(self) -> None:
        super().__init__()
        self._models: list[QgsProcessingAlgorithm] = []

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

    def load(self) -> bool:
        # Called by the registry when it adds the provider; unload() undoes it when the
        # registry removes the provider (plugin disabled, reloaded or upgraded), which it
        # then deletes: a connection left behind would call a deleted provider.
        if not super().load():
            return False
        QgsApplication.processingRegistry().providerAdded.connect(self._reload_models)
        return True

    def unload(self) -> None:
        # At exit QGIS may have deleted the registry already (qgis_process 3.44 does);
        # its connections went with it.
        registry = QgsApplication.processingRegistry()
        if registry is not None:
            with suppress(TypeError, RuntimeError):  # not connected: load() failed
                registry.providerAdded.disconnect(self._reload_models)
        super().unload()

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
