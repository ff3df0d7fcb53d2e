"""Styles for the outputs: class rasters open coloured and labelled, everywhere.

A ``.qml`` written beside a file is picked up by QGIS whenever that file is opened;
a layer post-processor applies the same style to the layer QGIS loads at the end of
a run inside the application.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsContrastEnhancement,
    QgsMapLayer,
    QgsPalettedRasterRenderer,
    QgsProcessingContext,
    QgsProcessingLayerPostProcessorInterface,
    QgsRasterLayer,
    QgsRendererCategory,
    QgsSingleBandGrayRenderer,
    QgsSymbol,
    QgsVectorLayer,
)
from qgis.PyQt.QtGui import QColor

# QGIS does not own a layer post-processor: it must outlive the run. The algorithm
# instance does not when it runs as a step of a model (the model deletes each step
# when it ends, long before the layers load), so the last ones are kept here.
_KEEP_ALIVE: deque = deque(maxlen=256)


def paletted_renderer(layer: QgsRasterLayer, classes) -> QgsPalettedRasterRenderer:
    """A paletted renderer showing each class in its colour with its name."""
    entries = [QgsPalettedRasterRenderer.Class(c.code, QColor(*c.color), c.name) for c in classes]
    return QgsPalettedRasterRenderer(layer.dataProvider(), 1, entries)


def categorized_renderer(
    layer: QgsVectorLayer, field: str, classes
) -> QgsCategorizedSymbolRenderer:
    """A categorised renderer on ``field`` (class codes) labelled with class names."""
    categories = []
    for c in classes:
        symbol = QgsSymbol.defaultSymbol(layer.geometryType())
        symbol.setColor(QColor(*c.color))
        categories.append(QgsRendererCategory(c.code, symbol, c.name))
    return QgsCategorizedSymbolRenderer(field, categories)


def grey_renderer(
    layer: QgsRasterLayer, band: int = 1, minimum: float = 0.0, maximum: float = 1.0
) -> QgsSingleBandGrayRenderer:
    """One band in grey from ``minimum`` (black) to ``maximum`` (white)."""
    renderer = QgsSingleBandGrayRenderer(layer.dataProvider(), band)
    stretch = QgsContrastEnhancement(layer.dataProvider().dataType(band))
    stretch.setContrastEnhancementAlgorithm(
        QgsContrastEnhancement.ContrastEnhancementAlgorithm.StretchToMinimumMaximum
    )
    stretch.setMinimumValue(minimum)
    stretch.setMaximumValue(maximum)
    renderer.setContrastEnhancement(stretch)
    return renderer


def write_raster_style(path: str, classes) -> None:
    """Write ``<name>.qml`` beside a class raster so QGIS opens it styled."""
    layer = QgsRasterLayer(path, Path(path).stem, "gdal")
    if not layer.isValid():
        return
    layer.setRenderer(paletted_renderer(layer, classes))
    layer.saveNamedStyle(str(Path(path).with_suffix(".qml")))


class GreyPostProcessor(QgsProcessingLayerPostProcessorInterface):
    """Shows a raster QGIS loads after the run as one band in grey."""

    def postProcessLayer(self, layer: QgsMapLayer, context, feedback) -> None:
        if isinstance(layer, QgsRasterLayer):
            layer.setRenderer(grey_renderer(layer))
            layer.triggerRepaint()


def style_measure_raster(context: QgsProcessingContext, path: str) -> None:
    """A raster of measures from 0 to 1 per band (probabilities, uncertainty) opens
    in grey, one band at a time, not as a colour composite of its first three bands:
    a ``.qml`` beside it, and the same style on the layer QGIS loads after the run."""
    layer = QgsRasterLayer(path, Path(path).stem, "gdal")
    if layer.isValid():
        layer.setRenderer(grey_renderer(layer))
        layer.saveNamedStyle(str(Path(path).with_suffix(".qml")))
    if context.willLoadLayerOnCompletion(path):
        processor = GreyPostProcessor()
        _KEEP_ALIVE.append(processor)
        context.layerToLoadOnCompletionDetails(path).setPostProcessor(processor)


class ClassStylePostProcessor(QgsProcessingLayerPostProcessorInterface):
    """Applies the class style to a layer QGIS loads after the run."""

    def __init__(self, classes, field: str | None = None):
        super().__init__()
        self.classes = list(classes)
        self.field = field

    def postProcessLayer(self, layer: QgsMapLayer, context, feedback) -> None:
        if isinstance(layer, QgsRasterLayer):
            layer.setRenderer(paletted_renderer(layer, self.classes))
        elif isinstance(layer, QgsVectorLayer) and self.field:
            layer.setRenderer(categorized_renderer(layer, self.field, self.classes))
        layer.triggerRepaint()


def style_on_load(
    algorithm, context: QgsProcessingContext, output: str, classes, field: str | None = None
) -> None:
    """Style ``output`` with the classes when QGIS loads it at the end of the run,
    from a single tool or as the output of a model."""
    if not context.willLoadLayerOnCompletion(output):
        return
    processor = ClassStylePostProcessor(classes, field)
    _KEEP_ALIVE.append(processor)
    context.layerToLoadOnCompletionDetails(output).setPostProcessor(processor)


def style_class_raster(algorithm, context: QgsProcessingContext, path: str, classes) -> None:
    """Everything a class raster output needs to open coloured and labelled."""
    write_raster_style(path, classes)
    style_on_load(algorithm, context, path, classes)
