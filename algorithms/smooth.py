"""Smooth class boundaries: morphological opening per class, freed pixels by majority."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
)

from .base import LandcoverAlgorithm
from .qgis_compat import NUMBER_INTEGER


class SmoothBoundaries(LandcoverAlgorithm):
    INPUT = "INPUT"
    RADIUS = "RADIUS"
    OUTPUT = "OUTPUT"

    def name(self) -> str:
        return "smooth"

    def displayName(self) -> str:
        return self.tr("Smooth class boundaries")

    def groupId(self) -> str:
        return "postprocess"

    def shortHelpString(self) -> str:
        return self.tr(
            "Makes class boundaries less jagged without shifting them. Each class is "
            "opened (eroded, then dilated) with a disc of the given radius: spurs, strands, "
            "specks and teeth narrower than the disc are freed, and since the classes "
            "share the map, a notch in one class is a spur of its neighbour, so both sides "
            "of a boundary are smoothed (opening one class closes the others). Freed pixels "
            "take the most frequent class among the kept pixels of the disc around them (a "
            "tie keeps the pixel's class); a pixel with no kept pixel near it keeps its "
            "class. Nodata stays nodata and never votes. Class names and colours are kept. "
            "The raster is processed in overlapping blocks; the result equals smoothing it "
            "all at once.\n\n"
            "Example: radius 2 on a 10 m classification removes features narrower than "
            "about 50 m along boundaries; follow with 'Polygonize classes' for smoother "
            "polygons."
        )

    def initAlgorithm(self, config: dict | None = None) -> None:
        param = QgsProcessingParameterRasterLayer(self.INPUT, self.tr("Class raster"))
        param.setHelp(self.tr("One-band raster of class codes (0 = nodata)."))
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.RADIUS,
            self.tr("Radius (pixels)"),
            type=NUMBER_INTEGER,
            defaultValue=1,
            minValue=1,
            maxValue=50,
        )
        param.setHelp(
            self.tr(
                "Radius of the disc in pixels (1: a 3 x 3 square). Parts of a class "
                "narrower than twice the radius plus one pixel are removed."
            )
        )
        self.addParameter(param)

        self.addSchedulerParameter()

        param = QgsProcessingParameterRasterDestination(self.OUTPUT, self.tr("Smoothed map"))
        param.setHelp(self.tr("The smoothed class raster, with the input's classes."))
        self.addParameter(param)

    def processAlgorithm(
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        from ..core.postprocess.smooth import smooth_raster
        from .styling import style_class_raster

        scheduler = self.parameterAsScheduler(parameters, context)
        _, path = self.raster_path(parameters, self.INPUT, context)
        radius = self.parameterAsInt(parameters, self.RADIUS, context)
        output = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        progress = self.progress(feedback)
        result = self.run_core(
            smooth_raster, path, output, radius, progress=progress, scheduler=scheduler
        )
        style_class_raster(self, context, output, result.classes)
        return {self.OUTPUT: output}
