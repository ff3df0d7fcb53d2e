"""Remove small patches (minimum mapping unit): small patches join their neighbours."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
)

from .base import LandcoverAlgorithm
from .qgis_compat import NUMBER_DOUBLE, NUMBER_INTEGER


class SieveClasses(LandcoverAlgorithm):
    INPUT = "INPUT"
    MIN_SIZE = "MIN_SIZE"
    MIN_AREA = "MIN_AREA"
    CONNECTIVITY = "CONNECTIVITY"
    OUTPUT = "OUTPUT"
    MIN_PIXELS = "MIN_PIXELS"
    CHANGED_PIXELS = "CHANGED_PIXELS"

    REQUIRES = ("numpy", "scipy", "rasterio")
    CONNECTIVITIES = (4, 8)

    def name(self) -> str:
        return "sieve"

    def displayName(self) -> str:
        return self.tr("Remove small patches (minimum mapping unit)")

    def groupId(self) -> str:
        return "postprocess"

    def shortHelpString(self) -> str:
        return self.tr(
            "Applies a minimum mapping unit to a class raster with GDAL's sieve: every "
            "patch (connected pixels of one class) smaller than the minimum takes the class "
            "of its largest neighbouring patch. If that neighbour is below the minimum too, "
            "the patch follows that neighbour's own largest neighbour, and so on, up to the "
            "first patch at least as large as the minimum; two small patches that are each "
            "other's largest neighbour stay as they are. Nodata stays nodata and is never "
            "merged into; a patch surrounded by nodata only is kept. Class names and colours "
            "are kept.\n\n"
            "Give the minimum either as a minimum patch size in pixels or as a minimum patch "
            "area in hectares (converted with the pixel size; needs a projected CRS). The "
            "raster is read line by line, so memory grows with the number of patches, not "
            "with the raster size, and the result equals sieving it all at once.\n\n"
            "Example: a 10 m classification with a minimum patch area of 0.5 ha removes "
            "patches smaller than 50 pixels."
        )

    def initAlgorithm(self, config: dict | None = None) -> None:
        param = QgsProcessingParameterRasterLayer(self.INPUT, self.tr("Class raster"))
        param.setHelp(self.tr("One-band raster of class codes (0 = nodata)."))
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.MIN_SIZE,
            self.tr("Minimum patch size (pixels)"),
            type=NUMBER_INTEGER,
            defaultValue=0,
            minValue=0,
            optional=True,
        )
        param.setHelp(
            self.tr(
                "Patches with fewer pixels than this are removed. 0: use the minimum area instead."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.MIN_AREA,
            self.tr("Minimum patch area (hectares)"),
            type=NUMBER_DOUBLE,
            defaultValue=0.0,
            minValue=0.0,
            optional=True,
        )
        param.setHelp(
            self.tr(
                "Patches smaller than this area are removed (1 ha = 10 000 m²), rounded up "
                "to whole pixels. 0: use the minimum size in pixels instead."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterEnum(
            self.CONNECTIVITY,
            self.tr("Pixel connectivity"),
            options=[self.tr("4 (edges)"), self.tr("8 (edges and corners)")],
            defaultValue=0,
        )
        param.setHelp(
            self.tr(
                "4: pixels touching only at a corner belong to different patches. 8: they "
                "belong to the same patch, so diagonal lines count as one patch."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterRasterDestination(self.OUTPUT, self.tr("Sieved map"))
        param.setHelp(self.tr("The class raster without patches below the minimum."))
        self.addParameter(param)

        self.addOutput(
            QgsProcessingOutputNumber(self.MIN_PIXELS, self.tr("Minimum patch size (pixels)"))
        )
        self.addOutput(QgsProcessingOutputNumber(self.CHANGED_PIXELS, self.tr("Changed pixels")))

    def checkParameterValues(
        self, parameters: dict, context: QgsProcessingContext
    ) -> tuple[bool, str]:
        ok, message = super().checkParameterValues(parameters, context)
        if not ok:
            return ok, message
        size = self.parameterAsInt(parameters, self.MIN_SIZE, context)
        area = self.parameterAsDouble(parameters, self.MIN_AREA, context)
        if size > 0 and area > 0:
            return False, self.tr(
                "Give either a minimum size in pixels or a minimum area in hectares, not "
                "both; set the other one to 0."
            )
        if size <= 0 and area <= 0:
            return False, self.tr(
                "Give a minimum size in pixels (e.g. 10) or a minimum area in hectares "
                "(e.g. 0.5); both are 0."
            )
        return True, ""

    def processAlgorithm(
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        from ..core.postprocess.sieve import pixels_for_raster_area, sieve_raster
        from .styling import style_class_raster

        _, path = self.raster_path(parameters, self.INPUT, context)
        size = self.parameterAsInt(parameters, self.MIN_SIZE, context)
        area = self.parameterAsDouble(parameters, self.MIN_AREA, context)
        if size <= 0:
            size, note = self.run_core(pixels_for_raster_area, path, area)
            feedback.pushInfo(self.tr("Minimum area {0:g} ha = {1} pixels.").format(area, size))
            if note:
                feedback.pushInfo(note)
        connectivity = self.CONNECTIVITIES[
            self.parameterAsEnum(parameters, self.CONNECTIVITY, context)
        ]
        output = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        result = self.run_core(
            sieve_raster, path, output, size, connectivity, progress=self.progress(feedback)
        )
        feedback.pushInfo(
            self.tr("{0} changed class.").format(
                self.counted(result.changed, self.tr("{0} pixel"), self.tr("{0} pixels"))
            )
        )
        style_class_raster(self, context, output, result.classes)
        return {
            self.OUTPUT: output,
            self.MIN_PIXELS: size,
            self.CHANGED_PIXELS: result.changed,
        }
