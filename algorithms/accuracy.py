"""Accuracy assessment: a class raster against independent reference polygons or points."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterRasterLayer,
    QgsWkbTypes,
)

from .base import LandcoverAlgorithm, crs_name
from .qgis_compat import FIELD_ANY, GEOMETRY_POINT, VECTOR_POINT, VECTOR_POLYGON
from .training_layer import read_reference_features

# A field with this name marks points made by 'Stratified random validation points'.
MAP_CLASS_FIELD = "map_class"


class AccuracyAssessment(LandcoverAlgorithm):
    INPUT = "INPUT"
    REFERENCE = "REFERENCE"
    CLASS_FIELD = "CLASS_FIELD"
    MODE = "MODE"
    AREA_ADJUSTED = "AREA_ADJUSTED"
    CONFUSION_MATRIX = "CONFUSION_MATRIX"
    METRICS = "METRICS"
    OVERALL_ACCURACY = "OVERALL_ACCURACY"
    KAPPA = "KAPPA"
    AREA_ADJUSTED_ACCURACY = "AREA_ADJUSTED_ACCURACY"

    REQUIRES = ("numpy", "rasterio")

    MODES = ("pixels", "polygons")
    AREA_CHOICES = ("auto", "yes", "no")

    def name(self) -> str:
        return "accuracy"

    def displayName(self) -> str:
        return self.tr("Accuracy assessment")

    def groupId(self) -> str:
        return "accuracy"

    def shortHelpString(self) -> str:
        return self.tr(
            "Compares a class raster with independent reference data (polygons or points "
            "whose class is known, never the training data) and reports how accurate the "
            "map is.\n\n"
            "Figures: overall accuracy, producer's and user's accuracy per class, each "
            "with a 95% confidence interval (pixels of one reference polygon are not "
            "independent, so the intervals treat each polygon as a cluster; points and "
            "polygon votes are independent samples), F1 per class, Cohen's kappa, and "
            "quantity and allocation disagreement (Pontius and Millones 2011). When the "
            "reference is a stratified random sample of the map (for example points made "
            "by 'Stratified random validation points' and filled in), also the "
            "area-adjusted accuracies and error-adjusted class areas in hectares with 95% "
            "confidence intervals "
            "(Olofsson et al. 2014), using the mapped area of each class as its weight.\n\n"
            "Inputs: the class raster (its class names and colours are read from it); the "
            "reference layer in any CRS (it is reprojected to the raster's CRS); the field "
            "holding the reference class, as class names (matched to the map's names, "
            "ignoring case) or codes. Numbers against a map whose classes have names are "
            "refused when a text field of the layer names the classes otherwise, and "
            "otherwise used with a warning listing the codes. A reference class the map "
            "does not have counts as omission errors, with a warning. Features with an "
            "empty class are skipped and counted; features outside the map or on nodata "
            "are counted and reported.\n\n"
            "Outputs: the confusion matrix (CSV; rows are the reference, columns the map, "
            "labelled with class names; plus estimated area proportions when "
            "area-adjusted), the metrics table (CSV), and an HTML report with a coloured "
            "matrix, charts, the area table and a plain-language summary that opens in any "
            "browser without network access. Overall accuracy and kappa are also returned "
            "as numbers for models.\n\n"
            "Example: generate 50 points per class with 'Stratified random validation "
            "points', fill in 'reference_class' by photo-interpretation, then run this tool "
            "with the points as reference and 'reference_class' as the class field."
        )

    def initAlgorithm(self, config: dict | None = None) -> None:
        param = QgsProcessingParameterRasterLayer(self.INPUT, self.tr("Class raster"))
        param.setHelp(self.tr("The land-cover map to assess (a one-band raster of class codes)."))
        self.addParameter(param)

        param = QgsProcessingParameterFeatureSource(
            self.REFERENCE,
            self.tr("Reference data"),
            [VECTOR_POLYGON, VECTOR_POINT],
        )
        param.setHelp(
            self.tr(
                "Polygons or points with the true class, collected independently of the "
                "training data. Any CRS: it is reprojected to the raster's CRS."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterField(
            self.CLASS_FIELD,
            self.tr("Reference class field"),
            parentLayerParameterName=self.REFERENCE,
            type=FIELD_ANY,
        )
        param.setHelp(
            self.tr(
                "Field holding each feature's true class: the map's class names (any case) "
                "or class codes. Empty values are skipped."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterEnum(
            self.MODE,
            self.tr("Count"),
            options=[
                self.tr("Every pixel inside the reference polygons"),
                self.tr("One vote per polygon (the majority of its pixels)"),
            ],
            defaultValue=0,
        )
        param.setHelp(
            self.tr(
                "Every pixel: large polygons weigh more. One vote per polygon: each "
                "polygon counts once, with the class most of its pixels have on the map. "
                "Points are one pixel either way."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterEnum(
            self.AREA_ADJUSTED,
            self.tr("Area-adjusted estimates (Olofsson et al. 2014)"),
            options=[
                self.tr("Automatic: when the reference is a stratified random sample"),
                self.tr("Yes"),
                self.tr("No"),
            ],
            defaultValue=0,
        )
        param.setHelp(
            self.tr(
                "Automatic uses them for points carrying a 'map_class' field, as made by "
                "'Stratified random validation points'. Choose Yes for another stratified "
                "random sample with the map classes as strata."
            )
        )
        self.addParameter(param)

        self.addTableDestination(
            self.CONFUSION_MATRIX,
            self.tr("Confusion matrix"),
            self.tr(
                "CSV table, rows = reference classes, columns = map classes; opens in QGIS "
                "as a table and in any spreadsheet."
            ),
        )

        self.addTableDestination(
            self.METRICS,
            self.tr("Accuracy metrics"),
            self.tr(
                "CSV table with one figure per row: class, code, measure, value and the "
                "95% interval where there is one."
            ),
        )

        self.addReportParameter(
            self.tr("Accuracy report"),
            self.tr("Self-contained HTML report to read, send or attach to a publication."),
            optional=False,
        )

        self.addOutput(
            QgsProcessingOutputNumber(self.OVERALL_ACCURACY, self.tr("Overall accuracy"))
        )
        self.addOutput(QgsProcessingOutputNumber(self.KAPPA, self.tr("Kappa")))
        self.addOutput(
            QgsProcessingOutputNumber(
                self.AREA_ADJUSTED_ACCURACY, self.tr("Area-adjusted overall accuracy")
            )
        )

    def checkParameterValues(
        self, parameters: dict, context: QgsProcessingContext
    ) -> tuple[bool, str]:
        ok, message = super().checkParameterValues(parameters, context)
        if not ok:
            return ok, message
        source = self.parameterAsSource(parameters, self.REFERENCE, context)
        if source is not None and source.featureCount() == 0:
            return False, self.tr(
                "The reference layer has no features; draw or generate reference polygons "
                "or points first."
            )
        return True, ""

    def processAlgorithm(
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        from ..core.accuracy.metrics import assess_accuracy
        from ..core.io.raster import open_raster, read_classes

        layer, path = self.raster_path(parameters, self.INPUT, context)
        source = self.parameterAsSource(parameters, self.REFERENCE, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.REFERENCE))
        field = self.parameterAsString(parameters, self.CLASS_FIELD, context)
        mode = self.MODES[self.parameterAsEnum(parameters, self.MODE, context)]
        area_choice = self.AREA_CHOICES[
            self.parameterAsEnum(parameters, self.AREA_ADJUSTED, context)
        ]
        matrix_csv = self.parameterAsFileOutput(parameters, self.CONFUSION_MATRIX, context)
        metrics_csv = self.parameterAsFileOutput(parameters, self.METRICS, context)
        report = self.parameterAsFileOutput(parameters, self.REPORT, context)

        is_points = QgsWkbTypes.geometryType(source.wkbType()) == GEOMETRY_POINT
        stratified = is_points and source.fields().lookupField(MAP_CLASS_FIELD) >= 0
        area_adjusted = area_choice == "yes" or (area_choice == "auto" and stratified)

        with open_raster(path) as src:
            classes = self.run_core(read_classes, src)
        reference = read_reference_features(self, source, field, layer, classes, context, feedback)
        settings = {
            "Map": path,
            "Reference layer": source.sourceName(),
            "Reference CRS": crs_name(source.sourceCrs()),
            "Map CRS": crs_name(layer.crs()),
            "Reference class field": field,
            "Area-adjusted estimates": (self.tr("yes") if area_adjusted else self.tr("no"))
            + (self.tr(" (automatic)") if area_choice == "auto" else ""),
        }
        result = self.run_core(
            assess_accuracy,
            path,
            reference.features,
            mode=mode,
            area_adjusted=area_adjusted,
            matrix_csv=matrix_csv,
            metrics_csv=metrics_csv,
            report_html=report,
            settings=settings,
            skipped_unfilled=reference.unfilled,
            absent_classes=reference.absent,
            notes=reference.notes,
            progress=self.progress(feedback),
        )
        summary = result.summary
        feedback.pushInfo(
            self.tr("Overall accuracy {0:.3f} (95% interval {1:.3f} to {2:.3f}), kappa {3:.3f}, "
                    "{4} samples.").format(
                summary.overall_accuracy, *summary.overall_accuracy_ci95,
                summary.kappa, summary.n,
            )
        )  # fmt: skip
        for note in result.notes:
            feedback.pushWarning(note)
        self._load_tables(context, matrix_csv, metrics_csv)
        area = result.area
        return {
            self.CONFUSION_MATRIX: matrix_csv,
            self.METRICS: metrics_csv,
            self.REPORT: report,
            self.OVERALL_ACCURACY: summary.overall_accuracy,
            self.KAPPA: summary.kappa,
            self.AREA_ADJUSTED_ACCURACY: area.overall_accuracy if area is not None else None,
        }

    def _load_tables(self, context: QgsProcessingContext, matrix: str, metrics: str) -> None:
        """Open the CSV outputs as tables in the project when run inside QGIS."""
        if context.project() is None:
            return
        for path, name, output in (
            (matrix, self.tr("Confusion matrix"), self.CONFUSION_MATRIX),
            (metrics, self.tr("Accuracy metrics"), self.METRICS),
        ):
            if path:
                details = QgsProcessingContext.LayerDetails(name, context.project(), output)
                context.addLayerToLoadOnCompletion(path, details)
