"""Majority filter: every pixel of a class raster takes the most frequent class around it."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingParameterEnum,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
)

from .base import LandcoverAlgorithm
from .qgis_compat import NUMBER_INTEGER


class MajorityFilter(LandcoverAlgorithm):
    INPUT = "INPUT"
    WINDOW_SIZE = "WINDOW_SIZE"
    SHAPE = "SHAPE"
    ITERATIONS = "ITERATIONS"
    OUTPUT = "OUTPUT"

    SHAPES = ("square", "circle")

    def name(self) -> str:
        return "majorityfilter"

    def displayName(self) -> str:
        return self.tr("Majority filter")

    def groupId(self) -> str:
        return "postprocess"

    def shortHelpString(self) -> str:
        return self.tr(
            "Removes salt-and-pepper noise from a class raster: every pixel takes the class "
            "that is most frequent in the window around it (a true mode filter: no class is "
            "ever invented at a boundary). When classes tie, the pixel keeps its own class if "
            "it is among them, otherwise the smallest tied class code wins. Nodata pixels "
            "never vote and stay nodata. Class names and colours are kept.\n\n"
            "The window is a square as wide as the window size, or a circle holding the "
            "pixels whose centre lies within half the window size (rounded down) of the "
            "centre (size 3: a cross of five pixels). Iterations repeat the filter on its "
            "own result. The "
            "raster is processed in blocks with enough overlap that the result is the same "
            "as filtering it all at once, and the time per pixel barely depends on the "
            "window size.\n\n"
            "Example: a classified Sentinel-2 tile, window size 5, square, 1 iteration."
        )

    def initAlgorithm(self, config: dict | None = None) -> None:
        param = QgsProcessingParameterRasterLayer(self.INPUT, self.tr("Class raster"))
        param.setHelp(
            self.tr("One-band raster of class codes (0 = nodata), e.g. a classification.")
        )
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.WINDOW_SIZE,
            self.tr("Window size (pixels, odd)"),
            type=NUMBER_INTEGER,
            defaultValue=3,
            minValue=1,
            maxValue=101,
        )
        param.setHelp(
            self.tr(
                "Width of the window in pixels: an odd number, 3 or more; 1 leaves the map "
                "as it is."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterEnum(
            self.SHAPE,
            self.tr("Window shape"),
            options=[self.tr("Square"), self.tr("Circle")],
            defaultValue=0,
        )
        param.setHelp(
            self.tr(
                "Square: every pixel of the window votes. Circle: only pixels within half "
                "the window size (rounded down) of the centre vote, which keeps corners "
                "rounder."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.ITERATIONS,
            self.tr("Iterations"),
            type=NUMBER_INTEGER,
            defaultValue=1,
            minValue=1,
            maxValue=20,
        )
        param.setHelp(self.tr("How many times the filter is applied in a row."))
        self.addParameter(param)

        self.addSchedulerParameter()

        param = QgsProcessingParameterRasterDestination(self.OUTPUT, self.tr("Filtered map"))
        param.setHelp(self.tr("The filtered class raster, with the input's classes."))
        self.addParameter(param)

    def checkParameterValues(
        self, parameters: dict, context: QgsProcessingContext
    ) -> tuple[bool, str]:
        ok, message = super().checkParameterValues(parameters, context)
        if not ok:
            return ok, message
        size = self.parameterAsInt(parameters, self.WINDOW_SIZE, context)
        if size % 2 == 0:
            return False, self.tr(
                "The window size must be odd (3, 5, 7, ...) so the window has a centre; "
                "{0} is even."
            ).format(size)
        return True, ""

    def processAlgorithm(
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        from ..core.postprocess.majority import majority_raster
        from .styling import style_class_raster

        scheduler = self.parameterAsScheduler(parameters, context)
        _, path = self.raster_path(parameters, self.INPUT, context)
        size = self.parameterAsInt(parameters, self.WINDOW_SIZE, context)
        shape = self.SHAPES[self.parameterAsEnum(parameters, self.SHAPE, context)]
        iterations = self.parameterAsInt(parameters, self.ITERATIONS, context)
        output = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        result = self.run_core(
            majority_raster,
            path,
            output,
            size=size,
            shape=shape,
            iterations=iterations,
            progress=self.progress(feedback),
            scheduler=scheduler,
        )
        style_class_raster(self, context, output, result.classes)
        return {self.OUTPUT: output}
