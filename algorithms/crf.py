"""Regularise a classification with a conditional random field on its probabilities."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
)

from .base import LandcoverAlgorithm
from .qgis_compat import NUMBER_DOUBLE, NUMBER_INTEGER


class CrfRegularise(LandcoverAlgorithm):
    PROBABILITIES = "PROBABILITIES"
    GUIDE = "GUIDE"
    SPATIAL_WEIGHT = "SPATIAL_WEIGHT"
    EDGE_WEIGHT = "EDGE_WEIGHT"
    RADIUS = "RADIUS"
    ITERATIONS = "ITERATIONS"
    OUTPUT = "OUTPUT"
    OUTPUT_PROBABILITIES = "OUTPUT_PROBABILITIES"
    CHANGED_PIXELS = "CHANGED_PIXELS"

    def name(self) -> str:
        return "crf"

    def displayName(self) -> str:
        return self.tr("Regularise with a CRF (probabilities)")

    def groupId(self) -> str:
        return "postprocess"

    def shortHelpString(self) -> str:
        return self.tr(
            "Cleans a classification using its class probabilities instead of its hard "
            "labels: a conditional random field weighs each pixel's probabilities against "
            "those of its neighbours (mean-field inference, Potts model). Unsure specks "
            "give way to their surroundings, while features the classifier is sure of "
            "stay, even when they are only 2 or 3 pixels wide (rivers, roads, hedges), "
            "which a majority filter erases. With a guide raster (the feature or image "
            "raster), neighbours across a sharp edge of the image do not pull on each "
            "other, so boundaries follow the image.\n\n"
            "Inputs: the 'Class probabilities' output of 'Classify raster' (it carries the "
            "classes' codes, names and colours); optionally the guide raster on the same "
            "grid. The spatial weight is the pull of the neighbours everywhere, the "
            "edge-aware weight the extra pull between neighbours that look alike in the "
            "guide; both add to log-probabilities, so a weight of 3 overturns a pixel that is "
            "up to about 20 times more sure of its class than of the neighbours' class. The "
            "radius is the neighbourhood in pixels, the iterations the mean-field steps. The "
            "defaults suit 10-30 m imagery.\n\n"
            "Outputs: the class raster, coded, coloured and labelled like the class map "
            "(nodata where the probabilities are nodata), and optionally the regularised "
            "probabilities. The raster is processed in overlapping blocks on every core: "
            "memory does not grow with the raster size and the result equals processing it "
            "all at once.\n\n"
            "Example: probabilities of a Sentinel-2 classification, the feature stack as "
            "guide, default weights; then 'Remove small patches'."
        )

    def initAlgorithm(self, config: dict | None = None) -> None:
        param = QgsProcessingParameterRasterLayer(
            self.PROBABILITIES, self.tr("Class probabilities")
        )
        param.setHelp(
            self.tr(
                "The 'Class probabilities' output of 'Classify raster': one band per class, "
                "values 0 to 1."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterRasterLayer(
            self.GUIDE, self.tr("Guide raster (edges)"), optional=True
        )
        param.setHelp(
            self.tr(
                "Optional: the image or feature raster the map was classified from, on the "
                "same grid. Neighbours across its edges do not smooth each other. Without "
                "it, the probabilities are the guide."
            )
        )
        self.addParameter(param)

        for name, label, default, help_text in (
            (
                self.SPATIAL_WEIGHT,
                self.tr("Spatial weight"),
                3.0,
                self.tr(
                    "Pull of the neighbours regardless of the image, 0 to 50. Higher: "
                    "fewer specks, but also rounder corners and fewer thin features."
                ),
            ),
            (
                self.EDGE_WEIGHT,
                self.tr("Edge-aware weight"),
                5.0,
                self.tr(
                    "Extra pull between neighbours that look alike in the guide, 0 to 50. "
                    "Higher: cleaner regions that still stop at the image's edges."
                ),
            ),
        ):
            param = QgsProcessingParameterNumber(
                name,
                label,
                type=NUMBER_DOUBLE,
                defaultValue=default,
                minValue=0.0,
                maxValue=50.0,
            )
            param.setHelp(help_text)
            self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.RADIUS,
            self.tr("Radius (pixels)"),
            type=NUMBER_INTEGER,
            defaultValue=2,
            minValue=1,
            maxValue=10,
        )
        param.setHelp(
            self.tr(
                "Neighbours within this many pixels interact (Gaussian weights of half the "
                "radius). 2 suits 10-30 m imagery; the time grows with its square."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.ITERATIONS,
            self.tr("Iterations"),
            type=NUMBER_INTEGER,
            defaultValue=5,
            minValue=0,
            maxValue=50,
        )
        param.setHelp(
            self.tr(
                "Mean-field steps; 5 are usually enough to settle. 0 regularises nothing: "
                "each pixel takes its most probable class, as in the classifier's map."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterRasterDestination(self.OUTPUT, self.tr("Regularised map"))
        param.setHelp(
            self.tr("Class raster with the classes (codes, names, colours) of the probabilities.")
        )
        self.addParameter(param)

        param = QgsProcessingParameterRasterDestination(
            self.OUTPUT_PROBABILITIES,
            self.tr("Regularised probabilities"),
            optional=True,
            createByDefault=False,
        )
        param.setHelp(
            self.tr("Optional: the probabilities after regularisation, one band per class.")
        )
        self.addParameter(param)

        self.addOutput(
            QgsProcessingOutputNumber(self.CHANGED_PIXELS, self.tr("Pixels whose class changed"))
        )

    def processAlgorithm(
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        from ..core.postprocess.crf import CrfSettings, crf_raster
        from .styling import style_class_raster

        _, path = self.raster_path(parameters, self.PROBABILITIES, context)
        guide = None
        if parameters.get(self.GUIDE):
            _, guide = self.raster_path(parameters, self.GUIDE, context)
        settings = CrfSettings(
            spatial_weight=self.parameterAsDouble(parameters, self.SPATIAL_WEIGHT, context),
            edge_weight=self.parameterAsDouble(parameters, self.EDGE_WEIGHT, context),
            radius=self.parameterAsInt(parameters, self.RADIUS, context),
            iterations=self.parameterAsInt(parameters, self.ITERATIONS, context),
        )
        output = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        probabilities = self.parameterAsOutputLayer(parameters, self.OUTPUT_PROBABILITIES, context)
        result = self.run_core(
            crf_raster,
            path,
            output,
            guide,
            settings,
            probabilities or None,
            progress=self.progress(feedback),
        )
        share = 100.0 * result.changed / max(result.pixels, 1)
        feedback.pushInfo(
            self.tr("{0} of {1} pixels ({2:.1f} %) changed class.").format(
                result.changed, result.pixels, share
            )
        )
        style_class_raster(self, context, output, result.classes)
        return {
            self.OUTPUT: output,
            self.OUTPUT_PROBABILITIES: probabilities or None,
            self.CHANGED_PIXELS: result.changed,
        }
