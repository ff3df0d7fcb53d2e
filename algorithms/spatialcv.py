"""Spatial cross-validation of a classifier on training polygons."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterDistance,
    QgsProcessingParameterEnum,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
)

from ..core.learn.registry import classifier
from .base import LandcoverAlgorithm, check_map_distance
from .qgis_compat import FLAG_ADVANCED, NUMBER_INTEGER, VECTOR_POLYGON
from .training_layer import TrainingLayerStyle, read_training_features


class SpatialCrossValidation(TrainingLayerStyle, LandcoverAlgorithm):
    INPUT = "INPUT"
    FOLDS = "FOLDS"
    STRATEGY = "STRATEGY"
    BLOCK_SIZE = "BLOCK_SIZE"
    MAX_PER_CLASS = "MAX_PER_CLASS"
    METRICS = "METRICS"
    SPATIAL_ACCURACY = "SPATIAL_ACCURACY"
    RANDOM_ACCURACY = "RANDOM_ACCURACY"

    REQUIRES = ("numpy", "rasterio", "sklearn", "scipy")
    STRATEGIES = ("polygon", "blocks")

    def name(self) -> str:
        return "spatialcv"

    def displayName(self) -> str:
        return self.tr("Spatial cross-validation")

    def groupId(self) -> str:
        return "accuracy"

    def shortHelpString(self) -> str:
        return self.tr(
            "Estimates how well a classifier will do on parts of the map it has not seen, "
            "by cross-validation that keeps whole training polygons (or whole spatial "
            "blocks) together, and shows the same figures from a plain random pixel split "
            "beside them. Pixels of one polygon are near-copies of each other, so a random "
            "split tests the classifier on pixels it has practically seen and overstates "
            "accuracy; the difference between the two is that optimism.\n\n"
            "Inputs: the feature raster and training polygons (any CRS) as for 'Train "
            "classifier', with their class field (names or codes); the classifier; the "
            "number of folds; the strategy: grouped by polygon, or spatial blocks of a "
            "given size in map units (polygons that share a block stay together too); a "
            "cap on the pixels used per class, to keep the run short.\n\n"
            "Outputs: a CSV table with the overall accuracy, kappa and macro F1 of every "
            "fold and their mean and standard deviation, for the spatial and the random "
            "split; an HTML report with both side by side, per-class F1 and the pooled "
            "confusion matrix; the two mean overall accuracies as numbers.\n\n"
            "Example: 5 folds of 2 km blocks with Random Forest, to check whether the "
            "accuracy reported by training holds away from the training polygons."
        )

    def initAlgorithm(self, config: dict | None = None) -> None:
        param = QgsProcessingParameterRasterLayer(self.INPUT, self.tr("Feature raster"))
        param.setHelp(self.tr("The raster whose bands the classifier learns from."))
        self.addParameter(param)

        self.addTrainingParameters(
            self.tr("Training polygons"),
            [VECTOR_POLYGON],
            self.tr("Polygons of known class, in any CRS."),
            self.tr("Field with each polygon's class: a name or a code above 0."),
        )
        self.addClassifierParameter(
            self.tr("The classifier to evaluate, with its default settings.")
        )

        param = QgsProcessingParameterNumber(
            self.FOLDS,
            self.tr("Folds"),
            type=NUMBER_INTEGER,
            defaultValue=5,
            minValue=2,
            maxValue=50,
        )
        param.setHelp(
            self.tr("Number of folds; each is tested once on a model trained on the others.")
        )
        self.addParameter(param)

        param = QgsProcessingParameterEnum(
            self.STRATEGY,
            self.tr("Keep together"),
            options=[self.tr("Each polygon"), self.tr("Spatial blocks")],
            defaultValue=0,
        )
        param.setHelp(
            self.tr(
                "Each polygon: a polygon's pixels are all in one fold. Spatial blocks: "
                "all pixels in a square block (and the polygons touching it) are in one "
                "fold, which also separates neighbouring polygons."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterDistance(
            self.BLOCK_SIZE,
            self.tr("Block size"),
            defaultValue=1000.0,
            parentParameterName=self.INPUT,
            minValue=0.0,
        )
        param.setHelp(
            self.tr(
                "Side of the spatial blocks in the raster's map units (degrees on a "
                "geographic raster); larger than the distance over which the land cover "
                "looks alike."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.MAX_PER_CLASS,
            self.tr("Maximum pixels per class (0: all)"),
            type=NUMBER_INTEGER,
            defaultValue=2000,
            minValue=0,
        )
        param.setHelp(
            self.tr("At most this many pixels of each class, drawn at random, keep it quick.")
        )
        param.setFlags(param.flags() | FLAG_ADVANCED)
        self.addParameter(param)

        self.addSeedParameter(self.tr("The same seed gives the same folds and the same figures."))

        self.addTableDestination(
            self.METRICS,
            self.tr("Cross-validation metrics"),
            self.tr("Per-fold, mean and standard deviation figures of both splits."),
        )

        self.addReportParameter(
            self.tr("Cross-validation report"),
            self.tr("Self-contained HTML report comparing both splits."),
        )

        self.addOutput(
            QgsProcessingOutputNumber(self.SPATIAL_ACCURACY, self.tr("Spatial mean accuracy"))
        )
        self.addOutput(
            QgsProcessingOutputNumber(self.RANDOM_ACCURACY, self.tr("Random-split mean accuracy"))
        )

    def checkParameterValues(
        self, parameters: dict, context: QgsProcessingContext
    ) -> tuple[bool, str]:
        ok, message = super().checkParameterValues(parameters, context)
        if not ok:
            return ok, message
        strategy = self.STRATEGIES[self.parameterAsEnum(parameters, self.STRATEGY, context)]
        size = self.parameterAsDouble(parameters, self.BLOCK_SIZE, context)
        if strategy == "blocks" and size <= 0:
            return False, self.tr("Spatial blocks need a block size above 0.")
        return True, ""

    def processAlgorithm(
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        from ..core.accuracy.spatial_cv import run_spatial_cv

        layer, path = self.raster_path(parameters, self.INPUT, context)
        source = self.parameterAsSource(parameters, self.TRAINING, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.TRAINING))
        field = self.parameterAsString(parameters, self.CLASS_FIELD, context)
        kind = self.parameterAsClassifier(parameters, context)
        folds = self.parameterAsInt(parameters, self.FOLDS, context)
        strategy = self.STRATEGIES[self.parameterAsEnum(parameters, self.STRATEGY, context)]
        block_size = self.parameterAsDouble(parameters, self.BLOCK_SIZE, context)
        max_per_class = self.parameterAsInt(parameters, self.MAX_PER_CLASS, context)
        seed = self.parameterAsInt(parameters, self.SEED, context)
        metrics_csv = self.parameterAsFileOutput(parameters, self.METRICS, context)
        report = self.parameterAsFileOutput(parameters, self.REPORT, context)

        training = read_training_features(
            self,
            source,
            field,
            layer,
            context,
            feedback,
            styles=self.styles,
            name_field=self.parameterAsClassNameField(parameters, context),
        )
        features, classes = training.features, training.classes
        for note in training.notes:
            feedback.pushWarning(note)
        if strategy == "blocks":
            check_map_distance(self, layer, block_size, self.tr("block size"))
        settings = {
            "Feature raster": path,
            "Training layer": source.sourceName(),
            "Class field": field,
            "Classifier": classifier(kind).label,
            "Maximum pixels per class": str(max_per_class or "all"),
            "Seed": str(seed),
        }
        result = self.run_core(
            run_spatial_cv,
            path,
            features,
            classes,
            kind,
            folds=folds,
            strategy=strategy,
            block_size=block_size if strategy == "blocks" else None,
            seed=seed,
            max_per_class=max_per_class,
            metrics_csv=metrics_csv,
            report_html=report or None,
            settings=settings,
            progress=self.progress(feedback),
        )
        spatial = result.spatial.mean.overall_accuracy
        plain = result.random.mean.overall_accuracy
        feedback.pushInfo(
            self.tr(
                "Mean overall accuracy: {0:.3f} with {1} kept together, {2:.3f} with a random "
                "pixel split (optimism {3:+.3f})."
            ).format(spatial, strategy, plain, plain - spatial)
        )
        for note in result.notes:
            feedback.pushWarning(note)
        return {
            self.METRICS: metrics_csv,
            self.REPORT: report or None,
            self.SPATIAL_ACCURACY: spatial,
            self.RANDOM_ACCURACY: plain,
        }
