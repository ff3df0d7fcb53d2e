"""Where to label next: points where the classification is least sure (active learning)."""

from __future__ import annotations

import json

from qgis.core import (
    QgsCoordinateTransform,
    QgsCsException,
    QgsFeature,
    QgsFeatureRequest,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
)

from .base import LandcoverAlgorithm
from .qgis_compat import (
    FAST_INSERT,
    NUMBER_DOUBLE,
    NUMBER_INTEGER,
    VECTOR_ANY_GEOMETRY,
    VECTOR_POINT,
    WKB_POINT,
    new_field,
)


class WhereToLabelNext(LandcoverAlgorithm):
    UNCERTAINTY = "UNCERTAINTY"
    MEASURE = "MEASURE"
    CLASSIFIED = "CLASSIFIED"
    TRAINING = "TRAINING"
    POINTS = "POINTS"
    MIN_DISTANCE = "MIN_DISTANCE"
    STRATIFY = "STRATIFY"
    OUTPUT = "OUTPUT"

    REQUIRES = ("numpy", "scipy", "rasterio")
    MEASURES = ("margin", "entropy", "max probability")

    def name(self) -> str:
        return "activelearning"

    def displayName(self) -> str:
        return self.tr("Where to label next")

    def groupId(self) -> str:
        return "classification"

    def shortHelpString(self) -> str:
        return self.tr(
            "Proposes the next points to label, where the classification is least sure, so "
            "that each labelling round improves the map as much as possible (active "
            "learning).\n\n"
            "Inputs: the 'Uncertainty' output of 'Classify raster' and the class map of the "
            "same run (or a cleaned version of it on the same grid); optionally the existing "
            "training features, from which proposed points keep the minimum distance. The "
            "uncertainty measure is a small margin between the two most probable classes, a "
            "high entropy, or a low probability of the chosen class. Points are drawn at "
            "random with a weight that grows with the uncertainty (its square), each at least "
            "the minimum distance (map units; 0: five pixels) from the others: they go where "
            "the map hesitates without all piling onto the most ambiguous pixels, which are "
            "often mixed pixels that mislead the next model. With 'Equal share per mapped "
            "class' every mapped class gets an equal share, so rare classes get points too. "
            "Fewer points come back when too few pixels qualify; the same random seed gives "
            "the same points.\n\n"
            "Output: points in the raster's CRS with 'map_class', 'map_name', 'uncertainty' "
            "(the value of the measure), 'rank' (the order of the draw) and an empty "
            "'reference_class'. Look at each point on imagery, type its true class into "
            "'reference_class' (as the training layer names classes: a name or a code), and "
            "give the layer to 'Train classifier' as additional training points, or merge "
            "it into the training layer.\n\n"
            "Example: 100 points, margin, an equal share per class, the training polygons "
            "of the first round as existing training features."
        )

    def initAlgorithm(self, config: dict | None = None) -> None:
        param = QgsProcessingParameterRasterLayer(self.UNCERTAINTY, self.tr("Uncertainty"))
        param.setHelp(
            self.tr(
                "The 'Uncertainty' output of 'Classify raster' (bands max probability, "
                "margin, entropy)."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterEnum(
            self.MEASURE,
            self.tr("Uncertainty measure"),
            options=[
                self.tr("Margin (smallest first)"),
                self.tr("Entropy (highest first)"),
                self.tr("Max probability (lowest first)"),
            ],
            defaultValue=0,
        )
        param.setHelp(
            self.tr(
                "Margin targets pixels torn between two classes, entropy pixels spread over "
                "many, max probability pixels whose chosen class is weak."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterRasterLayer(self.CLASSIFIED, self.tr("Class map"))
        param.setHelp(
            self.tr("The class map of the same classification, giving each point's map class.")
        )
        self.addParameter(param)

        param = QgsProcessingParameterFeatureSource(
            self.TRAINING,
            self.tr("Existing training features"),
            [VECTOR_ANY_GEOMETRY],
            optional=True,
        )
        param.setHelp(
            self.tr(
                "Optional: the training layer; proposed points keep the minimum distance from it."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.POINTS,
            self.tr("Number of points"),
            type=NUMBER_INTEGER,
            defaultValue=100,
            minValue=1,
            maxValue=100000,
        )
        param.setHelp(self.tr("How many points to propose in this round."))
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.MIN_DISTANCE,
            self.tr("Minimum distance (map units, 0: five pixels)"),
            type=NUMBER_DOUBLE,
            defaultValue=0.0,
            minValue=0.0,
        )
        param.setHelp(
            self.tr(
                "Distance kept between proposed points and from the training features, in "
                "the raster's map units; 0 means five pixels."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterBoolean(
            self.STRATIFY, self.tr("Equal share per mapped class"), defaultValue=True
        )
        param.setHelp(
            self.tr("Give every mapped class the same number of points, so rare classes get some.")
        )
        self.addParameter(param)

        self.addSeedParameter(self.tr("The same seed always gives the same points."))

        param = QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Points to label"), VECTOR_POINT
        )
        param.setHelp(
            self.tr(
                "Points with 'map_class', 'map_name', 'uncertainty', 'rank' and an empty "
                "'reference_class' to fill in."
            )
        )
        self.addParameter(param)

    def processAlgorithm(
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        from ..core.learn.active_learning import propose_points

        _, unc_path = self.raster_path(parameters, self.UNCERTAINTY, context)
        layer, path = self.raster_path(parameters, self.CLASSIFIED, context)
        measure = self.MEASURES[self.parameterAsEnum(parameters, self.MEASURE, context)]
        distance = self.parameterAsDouble(parameters, self.MIN_DISTANCE, context)
        training = self._training_geometries(parameters, context, layer, feedback)
        result = self.run_core(
            propose_points,
            unc_path,
            path,
            points=self.parameterAsInt(parameters, self.POINTS, context),
            min_distance=distance if distance > 0 else None,
            measure=measure,
            stratify=self.parameterAsBoolean(parameters, self.STRATIFY, context),
            training=training,
            seed=self.parameterAsInt(parameters, self.SEED, context),
            progress=self.progress(feedback),
        )

        fields = QgsFields()
        fields.append(new_field("map_class", "int"))
        fields.append(new_field("map_name", "string", 80))
        fields.append(new_field("uncertainty", "double"))
        fields.append(new_field("rank", "int"))
        fields.append(new_field("reference_class", "string", 80))
        sink, dest_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, WKB_POINT, layer.crs()
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        names = {c.code: c.name for c in result.classes}
        for rank, point in enumerate(result.points, start=1):
            feature = QgsFeature(fields)
            feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(point.x, point.y)))
            feature.setAttributes(
                [
                    point.map_class,
                    names.get(point.map_class, str(point.map_class)),
                    point.uncertainty,
                    rank,
                    "",
                ]
            )
            sink.addFeature(feature, FAST_INSERT)

        placed: dict[int, int] = {}
        for point in result.points:
            placed[point.map_class] = placed.get(point.map_class, 0) + 1
        for c in result.classes:
            feedback.pushInfo(
                self.tr("  {0} {1}: {2} points ({3} candidate pixels)").format(
                    c.code, c.name, placed.get(c.code, 0), result.candidates.get(c.code, 0)
                )
            )
        wanted = self.parameterAsInt(parameters, self.POINTS, context)
        if len(result.points) < wanted:
            feedback.pushWarning(
                self.tr(
                    "Only {0} of {1} points could be placed {2:g} map units apart; lower the "
                    "minimum distance for more."
                ).format(len(result.points), wanted, result.min_distance)
            )

        from .styling import style_on_load

        style_on_load(self, context, dest_id, result.classes, field="map_class")
        return {self.OUTPUT: dest_id}

    def _training_geometries(self, parameters, context, layer, feedback) -> list[dict]:
        """The training layer's geometries as GeoJSON in the raster's CRS."""
        source = self.parameterAsSource(parameters, self.TRAINING, context)
        if source is None:
            return []
        if not source.sourceCrs().isValid():
            raise QgsProcessingException(
                self.tr(
                    "The training layer has no CRS, so its features cannot be placed on the "
                    "raster. Set its CRS (Layer Properties ▸ Source) and run again."
                )
            )
        transform = QgsCoordinateTransform(
            source.sourceCrs(), layer.crs(), context.transformContext()
        )
        request = QgsFeatureRequest().setNoAttributes()
        geometries = []
        for feature in source.getFeatures(request):
            if feedback.isCanceled():
                raise QgsProcessingException(
                    self.tr("Cancelled by the user; no output was written.")
                )
            geometry = feature.geometry()
            if geometry is None or geometry.isEmpty():
                continue
            try:
                geometry.transform(transform)
            except QgsCsException:
                continue
            geometries.append(json.loads(geometry.asJson()))
        return geometries
