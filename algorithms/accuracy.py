"""Accuracy assessment: a class raster against independent reference polygons or points."""

from __future__ import annotations

import json

from qgis.core import (
    QgsCoordinateTransform,
    QgsCsException,
    QgsFeatureRequest,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterRasterLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QMetaType

from .base import LandcoverAlgorithm, crs_name
from .qgis_compat import FIELD_ANY, GEOMETRY_POINT, VECTOR_POINT, VECTOR_POLYGON

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
    REPORT = "REPORT"
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

        param = QgsProcessingParameterFileDestination(
            self.CONFUSION_MATRIX,
            self.tr("Confusion matrix"),
            fileFilter=self.tr("CSV files (*.csv)"),
        )
        param.setHelp(
            self.tr(
                "CSV table, rows = reference classes, columns = map classes; opens in QGIS "
                "as a table and in any spreadsheet."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterFileDestination(
            self.METRICS,
            self.tr("Accuracy metrics"),
            fileFilter=self.tr("CSV files (*.csv)"),
        )
        param.setHelp(
            self.tr(
                "CSV table with one figure per row: class, code, measure, value and the "
                "95% interval where there is one."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterFileDestination(
            self.REPORT,
            self.tr("Accuracy report"),
            fileFilter=self.tr("HTML files (*.html)"),
        )
        param.setHelp(
            self.tr("Self-contained HTML report to read, send or attach to a publication.")
        )
        self.addParameter(param)

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

    def processAlgorithm(self, parameters: dict, context: QgsProcessingContext, feedback) -> dict:
        from ..core.accuracy.metrics import assess_accuracy

        layer, path = self.raster_path(parameters, self.INPUT, context)
        source = self.parameterAsSource(parameters, self.REFERENCE, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.REFERENCE))
        field = self.parameterAsString(parameters, self.CLASS_FIELD, context)
        if source.fields().lookupField(field) < 0:
            raise QgsProcessingException(
                self.tr("The reference layer has no field '{0}'; choose its class field.").format(
                    field
                )
            )
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

        features, unfilled, absent, notes = self._reference_features(
            source, field, layer, path, context, feedback
        )
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
            features,
            mode=mode,
            area_adjusted=area_adjusted,
            matrix_csv=matrix_csv,
            metrics_csv=metrics_csv,
            report_html=report,
            settings=settings,
            skipped_unfilled=unfilled,
            absent_classes=absent,
            notes=notes,
            progress=self.progress(feedback),
        )
        summary = result["summary"]
        feedback.pushInfo(
            self.tr("Overall accuracy {0:.3f} (95% interval {1:.3f} to {2:.3f}), kappa {3:.3f}, "
                    "{4} samples.").format(
                summary["overall_accuracy"], *summary["overall_accuracy_ci95"],
                summary["kappa"], summary["n"],
            )
        )  # fmt: skip
        for note in result["notes"]:
            feedback.pushWarning(note)
        self._load_tables(context, matrix_csv, metrics_csv)
        area = result["area"]
        return {
            self.CONFUSION_MATRIX: matrix_csv,
            self.METRICS: metrics_csv,
            self.REPORT: report,
            self.OVERALL_ACCURACY: summary["overall_accuracy"],
            self.KAPPA: summary["kappa"],
            self.AREA_ADJUSTED_ACCURACY: area["overall_accuracy"] if area else None,
        }

    def _reference_features(self, source, field, layer, path, context, feedback):
        """Reference geometries in the raster CRS as (geojson, class code, feature id)."""
        from ..core.accuracy.metrics import match_reference_classes
        from ..core.io.raster import open_raster, read_classes

        with open_raster(path) as src:
            classes = self.run_core(read_classes, src)
        transform = QgsCoordinateTransform(
            source.sourceCrs(), layer.crs(), context.transformContext()
        )
        names = {str(c.name).strip().casefold() for c in classes}
        # Text fields whose values may be the map's class names, to check numeric codes.
        text_fields = [
            f.name()
            for f in source.fields()
            if f.name() != field and f.type() == QMetaType.Type.QString
        ]
        request = QgsFeatureRequest().setSubsetOfAttributes([field, *text_fields], source.fields())
        geometries, values, ids = [], [], []
        texts: dict[str, list] = {name: [] for name in text_fields}
        failed = 0
        for feature in source.getFeatures(request):
            if feedback.isCanceled():
                raise QgsProcessingException(
                    self.tr("Cancelled by the user; no output was written.")
                )
            geometry = feature.geometry()
            if geometry is None or geometry.isEmpty():
                continue
            if not transform.isShortCircuited():
                try:
                    geometry.transform(transform)
                except QgsCsException:
                    failed += 1
                    continue
            value = feature[field]
            geometries.append(json.loads(geometry.asJson()))
            values.append(None if value is None or value == "" else value)
            ids.append(int(feature.id()))
            for name in text_fields:
                texts[name].append(_plain(feature[name]))
        if failed:
            feedback.pushWarning(
                self.counted(
                    failed,
                    self.tr(
                        "{0} reference feature could not be reprojected to the map CRS and "
                        "was skipped."
                    ),
                    self.tr(
                        "{0} reference features could not be reprojected to the map CRS and "
                        "were skipped."
                    ),
                )
            )
        match = self.run_core(match_reference_classes, [_plain(v) for v in values], classes)
        notes = []
        if match.by_number:
            note = self._check_codes(field, match, texts, names, classes)
            if note:
                notes.append(note)
        features = [(g, c, i) for g, c, i in zip(geometries, match.codes, ids) if c is not None]
        unfilled = len(match.codes) - len(features)
        if not features:
            raise QgsProcessingException(
                self.tr(
                    "No reference feature has a class in field '{0}'; fill in the reference "
                    "classes (names or codes of the map's classes) first."
                ).format(field)
            )
        return features, unfilled, match.absent, notes

    def _check_codes(self, field, match, texts, names, classes) -> str:
        """Numbers matched to a map whose classes have names: refuse when a text field
        of the reference layer names the classes otherwise, nothing to say when it
        agrees, else say which code is which."""
        from ..core.accuracy.metrics import match_reference_classes

        for name, column in texts.items():
            filled = {str(v).strip().casefold() for v in column if v is not None}
            filled.discard("")
            # A field of class names: most of its values are names of the map's classes
            # (a reference class the map lacks may be among them).
            if not filled or 2 * len(filled & names) < len(filled):
                continue
            by_name = self.run_core(match_reference_classes, column, classes).codes
            differ = sum(
                1
                for a, b in zip(match.codes, by_name)
                if a is not None and b is not None and a != b
            )
            if differ:
                raise QgsProcessingException(
                    self.tr(
                        "The reference class field '{0}' holds numbers, but they do not follow "
                        "the map's class codes ({1}): field '{2}' names the classes and "
                        "disagrees with them for {3} feature(s). Choose '{2}' as the reference "
                        "class field."
                    ).format(field, match.mapping, name, differ)
                )
            return ""
        return self.tr(
            "The reference class field '{0}' holds numbers, matched to the map's class codes "
            "({1}). Check that the reference layer uses these codes; if it has a field with "
            "the class names, choose that field instead."
        ).format(field, match.mapping)

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


def _plain(value):
    """A Python value for an attribute (QGIS NULL variants become None)."""
    if value is None:
        return None
    if hasattr(value, "isNull") and value.isNull():
        return None
    return value
