"""Stratified random validation points drawn from a class raster."""

from __future__ import annotations

from qgis.core import (
    QgsFeature,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterDistance,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
)

from .base import LandcoverAlgorithm, check_map_distance
from .qgis_compat import (
    FAST_INSERT,
    NUMBER_INTEGER,
    VECTOR_POINT,
    WKB_POINT,
    new_field,
)


class StratifiedValidationPoints(LandcoverAlgorithm):
    INPUT = "INPUT"
    POINTS_PER_CLASS = "POINTS_PER_CLASS"
    TOTAL = "TOTAL"
    ALLOCATION = "ALLOCATION"
    MIN_PER_CLASS = "MIN_PER_CLASS"
    MIN_DISTANCE = "MIN_DISTANCE"
    OUTPUT = "OUTPUT"

    REQUIRES = ("numpy", "rasterio")
    ALLOCATIONS = ("proportional", "equal")

    def name(self) -> str:
        return "samplingdesign"

    def displayName(self) -> str:
        return self.tr("Stratified random validation points")

    def groupId(self) -> str:
        return "accuracy"

    def shortHelpString(self) -> str:
        return self.tr(
            "Creates validation points at random inside each class of a land-cover map "
            "(a stratified random sample with the map classes as strata), ready to be "
            "labelled by field visits or photo-interpretation and then assessed with "
            "'Accuracy assessment', which uses the area-adjusted estimates of Olofsson et "
            "al. (2014) for such a sample.\n\n"
            "Inputs: the class raster; either a number of points per class, or a total "
            "shared among the classes in proportion to their area or equally, with a "
            "minimum per class so rare classes are assessed too; a minimum distance "
            "between points (map units) to limit spatial clustering; a random seed (the "
            "same seed gives the same points).\n\n"
            "Output: points at pixel centres, in the raster's CRS, with the fields "
            "'map_class' (class code on the map), 'map_name' (class name) and an empty "
            "'reference_class' to fill in with the true class (a name or code of the "
            "map's classes). Nodata pixels never receive a point. Classes too small for "
            "their points at the minimum distance get fewer points, with a warning.\n\n"
            "Example: 50 points per class, at least 100 m apart; fill in "
            "'reference_class', then run 'Accuracy assessment' with 'reference_class' as "
            "the class field."
        )

    def initAlgorithm(self, config: dict | None = None) -> None:
        param = QgsProcessingParameterRasterLayer(self.INPUT, self.tr("Class raster"))
        param.setHelp(self.tr("The land-cover map whose classes are the strata."))
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.POINTS_PER_CLASS,
            self.tr("Points per class"),
            type=NUMBER_INTEGER,
            defaultValue=50,
            minValue=1,
        )
        param.setHelp(
            self.tr(
                "Number of points in every class (fewer in a class with fewer pixels). "
                "Used when the total number of points is 0."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.TOTAL,
            self.tr("Total number of points (0: use points per class)"),
            type=NUMBER_INTEGER,
            defaultValue=0,
            minValue=0,
        )
        param.setHelp(
            self.tr(
                "When above 0, this many points are shared among the classes by the "
                "allocation below, instead of a fixed number per class."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterEnum(
            self.ALLOCATION,
            self.tr("Allocation of the total"),
            options=[self.tr("Proportional to class area"), self.tr("Equal per class")],
            defaultValue=0,
        )
        param.setHelp(
            self.tr(
                "How the total is shared: in proportion to each class's mapped area, or "
                "the same number for each class."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.MIN_PER_CLASS,
            self.tr("Minimum points per class"),
            type=NUMBER_INTEGER,
            defaultValue=20,
            minValue=0,
        )
        param.setHelp(
            self.tr(
                "With a total, every class gets at least this many points (the larger "
                "classes give way), so rare classes still get usable accuracy figures."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterDistance(
            self.MIN_DISTANCE,
            self.tr("Minimum distance between points"),
            defaultValue=0.0,
            parentParameterName=self.INPUT,
            minValue=0.0,
        )
        param.setHelp(
            self.tr(
                "Points are at least this far apart (in the raster's map units, degrees on "
                "a geographic raster; 0 for no limit), so neighbouring, alike pixels are "
                "not counted twice."
            )
        )
        self.addParameter(param)

        self.addSeedParameter(self.tr("The same seed always gives the same points."))

        param = QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Validation points"), VECTOR_POINT
        )
        param.setHelp(
            self.tr(
                "Points with 'map_class', 'map_name' and an empty 'reference_class' to fill in."
            )
        )
        self.addParameter(param)

    def processAlgorithm(
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        from ..core.accuracy.sampling_design import draw_sample
        from ..core.io.raster import open_raster, read_classes

        layer, path = self.raster_path(parameters, self.INPUT, context)
        total = self.parameterAsInt(parameters, self.TOTAL, context)
        per_class = self.parameterAsInt(parameters, self.POINTS_PER_CLASS, context)
        allocation = self.ALLOCATIONS[self.parameterAsEnum(parameters, self.ALLOCATION, context)]
        minimum = self.parameterAsInt(parameters, self.MIN_PER_CLASS, context)
        distance = self.parameterAsDouble(parameters, self.MIN_DISTANCE, context)
        if distance > 0:
            check_map_distance(self, layer, distance, self.tr("minimum distance"))
        seed = self.parameterAsInt(parameters, self.SEED, context)

        with self.run_core(open_raster, path) as src:
            classes = self.run_core(read_classes, src)
        design = self.run_core(
            draw_sample,
            path,
            [c.code for c in classes],
            points_per_class=None if total > 0 else per_class,
            total=total if total > 0 else None,
            allocation=allocation,
            min_per_class=minimum,
            min_distance=distance,
            seed=seed,
            progress=self.progress(feedback),
        )

        fields = QgsFields()
        fields.append(new_field("map_class", "int"))
        fields.append(new_field("map_name", "string", 80))
        fields.append(new_field("reference_class", "string", 80))
        sink, dest_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, WKB_POINT, layer.crs()
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        names = {c.code: c.name for c in classes}
        for (x, y), code in zip(design.xy.tolist(), design.codes.tolist()):
            feature = QgsFeature(fields)
            feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
            feature.setAttributes([int(code), names.get(int(code), str(code)), ""])
            sink.addFeature(feature, FAST_INSERT)

        for c in classes:
            feedback.pushInfo(
                self.tr("  {0} {1}: {2} points ({3} pixels)").format(
                    c.code, c.name, design.placed.get(c.code, 0), design.pixels.get(c.code, 0)
                )
            )
        for note in design.notes:
            feedback.pushWarning(note)

        from .styling import style_on_load

        style_on_load(self, context, dest_id, classes, field="map_class")
        return {self.OUTPUT: dest_id}
