"""Texture features: moving-window mean, variance, standard deviation, entropy and
GLCM measures, fast and seamless."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingParameterBand,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from .base import LandcoverAlgorithm
from .qgis_compat import FLAG_ADVANCED, NUMBER_INTEGER

# Kept in step with core.texture.MEASURES (a test checks it); listed here
# so the Toolbox can show the tool when numpy is missing.
MEASURE_CHOICES = (
    ("mean", QT_TRANSLATE_NOOP("Texture", "Mean")),
    ("std", QT_TRANSLATE_NOOP("Texture", "Standard deviation")),
    ("variance", QT_TRANSLATE_NOOP("Texture", "Variance")),
    ("entropy", QT_TRANSLATE_NOOP("Texture", "Entropy")),
    ("glcm_contrast", QT_TRANSLATE_NOOP("Texture", "GLCM contrast")),
    ("glcm_homogeneity", QT_TRANSLATE_NOOP("Texture", "GLCM homogeneity")),
)


class Texture(LandcoverAlgorithm):
    INPUT = "INPUT"
    BANDS = "BANDS"
    WINDOW_SIZE = "WINDOW_SIZE"
    MEASURES = "MEASURES"
    LEVELS = "LEVELS"
    APPEND_TO_INPUT = "APPEND_TO_INPUT"
    OUTPUT = "OUTPUT"

    def name(self) -> str:
        return "texture"

    def displayName(self) -> str:
        return self.tr("Texture features")

    def groupId(self) -> str:
        return "features"

    def shortHelpString(self) -> str:
        return self.tr(
            "Computes texture in a square moving window around every pixel: how much the "
            "values vary nearby. Texture separates classes of similar colour, such as forest "
            "and grassland or built-up land and bare soil.\n\n"
            "Measures: mean; standard deviation and variance (population variance); "
            "entropy, in bits, of the grey levels in the window (0 when uniform); GLCM "
            "contrast and homogeneity, from the symmetric grey-level co-occurrences of "
            "neighbouring pixels at distance 1, pooled over the four directions (0, 45, 90 "
            "and 135 degrees). Entropy and GLCM use 'Grey levels' equal steps between the "
            "2nd and 98th percentiles of each band (from a sample of the raster); values "
            "outside go to the first or last level.\n\n"
            "Every measure comes from moving-window sums, so a 31 x 31 window costs no more "
            "than a 3 x 3 one. The raster is processed in blocks overlapping by half a "
            "window, and the result equals that of the whole raster at once, without seams. "
            "Nodata pixels do not count in any window; a pixel that is nodata is nodata "
            "(NaN) in the output; windows at the raster edge use the pixels inside it.\n\n"
            "Bands: by default, the band described as NIR (its description starts with "
            "'nir', as 'Import Sentinel-2 / Landsat product', 'Align and stack rasters' and "
            "'Spectral indices' write it, e.g. 'nir (B08)', or is just 'NIR'); without one, "
            "band 1, with a warning in the log saying so.\n\n"
            "Output: float32 (nodata NaN), for each band each measure, named like 'B8 "
            "variance 7x7'; with 'Append to the input bands' the input bands come first. "
            "Each band records how it was made in its LANDCOVER_FEATURE metadata.\n\n"
            "Example: on a Sentinel-2 stack with NDVI appended, the NIR band (7) with window "
            "7, measures variance and entropy, appended to the input: a feature stack where "
            "fields and forests of similar colour differ by texture."
        )

    def initAlgorithm(self, config: dict | None = None) -> None:
        param = QgsProcessingParameterRasterLayer(self.INPUT, self.tr("Input raster"))
        param.setHelp(self.tr("Raster whose bands are measured."))
        self.addParameter(param)

        param = QgsProcessingParameterBand(
            self.BANDS,
            self.tr("Bands"),
            parentLayerParameterName=self.INPUT,
            optional=True,
            allowMultiple=True,
        )
        param.setHelp(
            self.tr(
                "Bands to measure, each giving one output band per measure. Empty: the "
                "band described as NIR, else band 1 (with a warning)."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.WINDOW_SIZE,
            self.tr("Window size (pixels, odd)"),
            type=NUMBER_INTEGER,
            defaultValue=7,
            minValue=3,
            maxValue=31,
        )
        param.setHelp(
            self.tr(
                "Width of the square window, an odd number from 3 to 31. Larger windows "
                "describe coarser texture and blur class edges more; the run time does not "
                "depend on it."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterEnum(
            self.MEASURES,
            self.tr("Measures"),
            options=[self.tr(title) for _, title in MEASURE_CHOICES],
            allowMultiple=True,
            defaultValue=[0, 2, 3],
        )
        param.setHelp(self.tr("Texture measures to compute for every band, in this order."))
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.LEVELS,
            self.tr("Grey levels (entropy and GLCM)"),
            type=NUMBER_INTEGER,
            defaultValue=16,
            minValue=2,
            maxValue=256,
        )
        param.setHelp(
            self.tr(
                "Number of grey levels the values are divided into for entropy and GLCM "
                "measures. Keep it below the number of pixels in the window; entropy costs "
                "time in proportion to it."
            )
        )
        param.setFlags(param.flags() | FLAG_ADVANCED)
        self.addParameter(param)

        param = QgsProcessingParameterBoolean(
            self.APPEND_TO_INPUT, self.tr("Append to the input bands"), defaultValue=False
        )
        param.setHelp(
            self.tr(
                "Write the input bands first, then the texture bands: one feature stack "
                "ready for training. Otherwise only the texture bands are written."
            )
        )
        self.addParameter(param)

        self.addSchedulerParameter()

        param = QgsProcessingParameterRasterDestination(self.OUTPUT, self.tr("Texture"))
        param.setHelp(
            self.tr("Float32 raster (nodata NaN), one band per band and measure, named after both.")
        )
        self.addParameter(param)

    def checkParameterValues(
        self, parameters: dict, context: QgsProcessingContext
    ) -> tuple[bool, str]:
        ok, message = super().checkParameterValues(parameters, context)
        if not ok:
            return ok, message
        window = self.parameterAsInt(parameters, self.WINDOW_SIZE, context)
        if window % 2 == 0:
            return False, self.tr(
                "The window size must be odd (3, 5, 7, ... 31) so that it has a centre "
                "pixel; {0} is even."
            ).format(window)
        if not self.parameterAsEnums(parameters, self.MEASURES, context):
            return False, self.tr("Choose at least one texture measure.")
        layer = self.parameterAsRasterLayer(parameters, self.INPUT, context)
        if layer is not None and layer.isValid():
            for band in self.parameterAsInts(parameters, self.BANDS, context):
                if not 1 <= band <= layer.bandCount():
                    return False, self.tr("Band {0} does not exist: the input has {1}.").format(
                        band,
                        self.counted(layer.bandCount(), self.tr("{0} band"), self.tr("{0} bands")),
                    )
        return True, ""

    def processAlgorithm(
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        from ..core.features.texture import texture

        scheduler = self.parameterAsScheduler(parameters, context)
        _, path = self.raster_path(parameters, self.INPUT, context)
        bands = self.parameterAsInts(parameters, self.BANDS, context)
        window = self.parameterAsInt(parameters, self.WINDOW_SIZE, context)
        measures = [
            MEASURE_CHOICES[i][0] for i in self.parameterAsEnums(parameters, self.MEASURES, context)
        ]
        levels = self.parameterAsInt(parameters, self.LEVELS, context)
        append = self.parameterAsBoolean(parameters, self.APPEND_TO_INPUT, context)
        output = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        summary = self.run_core(
            texture,
            path,
            output,
            bands or None,
            window,
            measures,
            levels=levels,
            append=append,
            progress=self.progress(feedback),
            scheduler=scheduler,
        )
        for warning in summary.warnings:
            feedback.pushWarning(warning[0].upper() + warning[1:] + ".")
        for band, (low, high) in summary.ranges.items():
            feedback.pushInfo(
                self.tr("Band {0}: grey levels between {1:.6g} and {2:.6g}").format(band, low, high)
            )
        feedback.pushInfo(self.tr("Output bands: {0}").format(", ".join(summary.descriptions)))
        return {self.OUTPUT: output}
