"""Train a classifier from polygons or points drawn in QGIS."""

from __future__ import annotations

from qgis.core import (
    QgsFeatureRequest,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeatureSource,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
)

from .base import LandcoverAlgorithm
from .qgis_compat import (
    FAST_INSERT,
    FIELD_ANY,
    FLAG_ADVANCED,
    NUMBER_DOUBLE,
    NUMBER_INTEGER,
    VECTOR_ANY_GEOMETRY,
    VECTOR_POINT,
    VECTOR_POLYGON,
)
from .training_layer import (
    CLASSIFIER_IDS,
    REFERENCE_FIELD,
    TrainingLayerStyle,
    class_name_field,
    class_name_field_parameter,
    classifier_options,
    read_training_features,
)


class TrainClassifier(TrainingLayerStyle, LandcoverAlgorithm):
    INPUT = "INPUT"
    TRAINING = "TRAINING"
    CLASS_FIELD = "CLASS_FIELD"
    TRAINING_POINTS = "TRAINING_POINTS"
    POINTS_FIELD = "POINTS_FIELD"
    CLASSIFIER = "CLASSIFIER"
    N_TREES = "N_TREES"
    MAX_DEPTH = "MAX_DEPTH"
    MIN_SAMPLES_LEAF = "MIN_SAMPLES_LEAF"
    LEARNING_RATE = "LEARNING_RATE"
    SVM_C = "SVM_C"
    SVM_GAMMA = "SVM_GAMMA"
    NEIGHBOURS = "NEIGHBOURS"
    MAX_SAMPLES_PER_CLASS = "MAX_SAMPLES_PER_CLASS"
    BALANCE = "BALANCE"
    ALL_TOUCHED = "ALL_TOUCHED"
    VALIDATION_FRACTION = "VALIDATION_FRACTION"
    TUNE = "TUNE"
    FOLDS = "FOLDS"
    SEED = "SEED"
    MODEL = "MODEL"
    REPORT = "REPORT"
    VALIDATION_OUTPUT = "VALIDATION_OUTPUT"
    CV_ACCURACY = "CV_ACCURACY"
    VALIDATION_ACCURACY = "VALIDATION_ACCURACY"

    REQUIRES = ("numpy", "rasterio", "sklearn", "scipy")
    TUNE_MODES = ("none", "grid", "random")

    def name(self) -> str:
        return "trainclassifier"

    def displayName(self) -> str:
        return self.tr("Train classifier")

    def groupId(self) -> str:
        return "classification"

    def shortHelpString(self) -> str:
        return self.tr(
            "Trains a classifier on the pixels of a feature raster under training polygons "
            "(or points) drawn in QGIS, estimates its accuracy honestly and saves it as a "
            "model file for 'Classify raster'.\n\n"
            "The training layer may be in any CRS: it is reprojected to the raster's. The "
            "class field may hold names ('forest', 'water': coded 1, 2, ... in alphabetical "
            "order) or integer codes (kept as they are; 0 and below, nodata in class "
            "rasters, go to the codes after the largest, with a warning and the mapping "
            "in the class names). A class whose features give no valid pixel is dropped "
            "with a warning naming them. Class colours come from "
            "the layer's categorised style on the class field when it has one, otherwise "
            "from a distinct palette; names and colours are stored in the model and appear "
            "in every map made with it. Pixels that are nodata, NaN or infinite in any band "
            "are dropped and counted; pixels claimed by polygons of different classes are "
            "dropped and reported.\n\n"
            "Points labelled after 'Where to label next' join the training either as an "
            "additional training layer (their 'reference_class' field, named as the "
            "training layer names classes), or merged into the training layer: a feature "
            "whose class field is empty takes its class from a 'reference_class' field. "
            "Points left without a class are skipped.\n\n"
            "Validation holds out whole polygons (a share of each class's polygons), never "
            "pixels of one polygon on both sides, which would overstate accuracy. "
            "Cross-validation folds are grouped by polygon too; optional tuning tries "
            "parameter sets by that cross-validation and keeps the best.\n\n"
            "Outputs: the model file (.lcmodel: JSON and plain arrays, opening it never runs "
            "code, it loads with any scikit-learn version); an HTML report (samples per "
            "class, scores, confusion matrices, band importance); the held-out polygons, "
            "ready for 'Accuracy assessment'; the cross-validated and held-out overall "
            "accuracies as numbers.\n\n"
            "Example: a 10-band Sentinel-2 stack with NDVI, polygons in EPSG:4326 with a "
            "text field 'landcover', Random Forest with 100 trees, 30% of the polygons "
            "held out."
        )

    def initAlgorithm(self, config: dict | None = None) -> None:
        advanced = FLAG_ADVANCED

        param = QgsProcessingParameterRasterLayer(self.INPUT, self.tr("Feature raster"))
        param.setHelp(
            self.tr(
                "The bands the classifier learns from (bands, indices, texture). Classify "
                "later with a raster of the same bands in the same order."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterFeatureSource(
            self.TRAINING,
            self.tr("Training polygons or points"),
            [VECTOR_POLYGON, VECTOR_POINT],
        )
        param.setHelp(
            self.tr(
                "Features of known class, in any CRS. Polygons give the pixels whose centre "
                "they contain; points give the pixel they fall in."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterField(
            self.CLASS_FIELD,
            self.tr("Class field"),
            parentLayerParameterName=self.TRAINING,
            type=FIELD_ANY,
        )
        param.setHelp(
            self.tr("Field holding each feature's class: a name (text) or an integer code.")
        )
        self.addParameter(param)

        self.addParameter(class_name_field_parameter(self))

        param = QgsProcessingParameterFeatureSource(
            self.TRAINING_POINTS,
            self.tr("Additional training points (labelled)"),
            [VECTOR_POINT, VECTOR_POLYGON],
            optional=True,
        )
        param.setHelp(
            self.tr(
                "Optional: points of 'Where to label next' with their 'reference_class' "
                "filled in (the same names or codes as the training layer), trained on "
                "together with the training layer."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterField(
            self.POINTS_FIELD,
            self.tr("Class field of the additional points"),
            defaultValue="reference_class",
            parentLayerParameterName=self.TRAINING_POINTS,
            type=FIELD_ANY,
            optional=True,
        )
        param.setHelp(self.tr("Field holding the class of each additional point."))
        self.addParameter(param)

        param = QgsProcessingParameterEnum(
            self.CLASSIFIER,
            self.tr("Classifier"),
            options=classifier_options(),
            defaultValue=0,
        )
        param.setHelp(
            self.tr(
                "Random Forest is robust and fast and a good default. Gaussian maximum "
                "likelihood is the classic remote-sensing classifier; SVM and k-nearest "
                "neighbours work on standardised bands."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.N_TREES,
            self.tr("Number of trees (forests and boosting)"),
            type=NUMBER_INTEGER,
            defaultValue=100,
            minValue=1,
            maxValue=5000,
        )
        param.setHelp(
            self.tr(
                "Trees of Random Forest and Extra Trees, or boosting iterations. More trees "
                "are steadier but slower to train and to classify."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.MAX_DEPTH,
            self.tr("Maximum tree depth (0: unlimited)"),
            type=NUMBER_INTEGER,
            defaultValue=0,
            minValue=0,
            maxValue=100,
        )
        param.setHelp(self.tr("Limits how deep each tree grows; smaller trees classify faster."))
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.MIN_SAMPLES_LEAF,
            self.tr("Minimum samples per leaf (trees)"),
            type=NUMBER_INTEGER,
            defaultValue=1,
            minValue=1,
        )
        param.setHelp(
            self.tr("Random Forest and Extra Trees: leaves hold at least this many pixels.")
        )
        param.setFlags(param.flags() | advanced)
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.LEARNING_RATE,
            self.tr("Learning rate (boosting)"),
            type=NUMBER_DOUBLE,
            defaultValue=0.1,
            minValue=0.001,
            maxValue=1.0,
        )
        param.setHelp(self.tr("Histogram Gradient Boosting: shrinkage of each iteration."))
        param.setFlags(param.flags() | advanced)
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.SVM_C,
            self.tr("SVM regularisation C"),
            type=NUMBER_DOUBLE,
            defaultValue=10.0,
            minValue=0.0001,
        )
        param.setHelp(self.tr("SVM: larger values fit the training pixels more closely."))
        param.setFlags(param.flags() | advanced)
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.SVM_GAMMA,
            self.tr("SVM kernel gamma (0: automatic)"),
            type=NUMBER_DOUBLE,
            defaultValue=0.0,
            minValue=0.0,
        )
        param.setHelp(self.tr("SVM: width of the RBF kernel; 0 uses 1 / (bands × variance)."))
        param.setFlags(param.flags() | advanced)
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.NEIGHBOURS,
            self.tr("Neighbours (k-nearest neighbours)"),
            type=NUMBER_INTEGER,
            defaultValue=5,
            minValue=1,
            maxValue=500,
        )
        param.setHelp(self.tr("k-nearest neighbours: how many neighbours vote."))
        param.setFlags(param.flags() | advanced)
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.MAX_SAMPLES_PER_CLASS,
            self.tr("Maximum training pixels per class (0: all)"),
            type=NUMBER_INTEGER,
            defaultValue=5000,
            minValue=0,
        )
        param.setHelp(
            self.tr(
                "At most this many pixels per class, drawn at random from all its features, "
                "for training (and as many for validation). Keeps training quick and memory "
                "small on large polygons."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterBoolean(
            self.BALANCE, self.tr("Balance classes"), defaultValue=False
        )
        param.setHelp(
            self.tr(
                "Train on as many pixels of every class as the smallest class has, so a "
                "large class does not dominate."
            )
        )
        param.setFlags(param.flags() | advanced)
        self.addParameter(param)

        param = QgsProcessingParameterBoolean(
            self.ALL_TOUCHED, self.tr("Use every pixel a polygon touches"), defaultValue=False
        )
        param.setHelp(
            self.tr(
                "Off: pixels whose centre lies inside a polygon. On: every pixel a polygon "
                "touches, for polygons smaller than a pixel (edge pixels are often mixed)."
            )
        )
        param.setFlags(param.flags() | advanced)
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.VALIDATION_FRACTION,
            self.tr("Share of polygons held out for validation"),
            type=NUMBER_DOUBLE,
            defaultValue=0.3,
            minValue=0.0,
            maxValue=0.9,
        )
        param.setHelp(
            self.tr(
                "This share of each class's features is kept out of training and used to "
                "validate the model (0: no hold-out). A class with a single feature stays "
                "in training."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterEnum(
            self.TUNE,
            self.tr("Parameter tuning"),
            options=[self.tr("None"), self.tr("Grid search"), self.tr("Randomised search")],
            defaultValue=0,
        )
        param.setHelp(
            self.tr(
                "Try several parameter sets by cross-validation grouped by polygon and keep "
                "the best. Grid search tries a small fixed grid; randomised search 8 draws."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.FOLDS,
            self.tr("Cross-validation folds (0: none)"),
            type=NUMBER_INTEGER,
            defaultValue=3,
            minValue=0,
            maxValue=20,
        )
        param.setHelp(
            self.tr(
                "Folds of the cross-validation on the training polygons, grouped by polygon. "
                "Fewer are used when there are fewer polygons; 0 or 1 skips it."
            )
        )
        param.setFlags(param.flags() | advanced)
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.SEED,
            self.tr("Random seed"),
            type=NUMBER_INTEGER,
            defaultValue=0,
            minValue=0,
        )
        param.setHelp(self.tr("The same seed, inputs and settings give the same model."))
        param.setFlags(param.flags() | advanced)
        self.addParameter(param)

        param = QgsProcessingParameterFileDestination(
            self.MODEL,
            self.tr("Model file"),
            fileFilter=self.tr("Land cover model (*.lcmodel)"),
        )
        param.setHelp(self.tr("The trained model (.lcmodel), for 'Classify raster'."))
        self.addParameter(param)

        param = QgsProcessingParameterFileDestination(
            self.REPORT,
            self.tr("Training report"),
            fileFilter=self.tr("HTML files (*.html)"),
            optional=True,
        )
        param.setHelp(self.tr("Self-contained HTML report; opens in any browser without network."))
        self.addParameter(param)

        param = QgsProcessingParameterFeatureSink(
            self.VALIDATION_OUTPUT,
            self.tr("Held-out validation features"),
            VECTOR_ANY_GEOMETRY,
            optional=True,
            createByDefault=False,
        )
        param.setHelp(
            self.tr(
                "The features kept out of training, with all their fields, in the training "
                "layer's CRS: use them as the reference of 'Accuracy assessment'."
            )
        )
        self.addParameter(param)

        self.addOutput(
            QgsProcessingOutputNumber(self.CV_ACCURACY, self.tr("Cross-validated overall accuracy"))
        )
        self.addOutput(
            QgsProcessingOutputNumber(
                self.VALIDATION_ACCURACY, self.tr("Overall accuracy on held-out features")
            )
        )

    def processAlgorithm(
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        from ..core.learn.training import report_html, save_outputs, summary_lines, train

        layer, path = self.raster_path(parameters, self.INPUT, context)
        source = self.parameterAsSource(parameters, self.TRAINING, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.TRAINING))
        field = self.parameterAsString(parameters, self.CLASS_FIELD, context)
        kind = CLASSIFIER_IDS[self.parameterAsEnum(parameters, self.CLASSIFIER, context)]
        params = {
            "n_trees": self.parameterAsInt(parameters, self.N_TREES, context),
            "max_depth": self.parameterAsInt(parameters, self.MAX_DEPTH, context),
            "learning_rate": self.parameterAsDouble(parameters, self.LEARNING_RATE, context),
            "c": self.parameterAsDouble(parameters, self.SVM_C, context),
            "gamma": self.parameterAsDouble(parameters, self.SVM_GAMMA, context),
            "k": self.parameterAsInt(parameters, self.NEIGHBOURS, context),
        }
        if kind in ("random_forest", "extra_trees"):
            leaf = self.parameterAsInt(parameters, self.MIN_SAMPLES_LEAF, context)
            params["min_samples_leaf"] = leaf
        model_path = self.parameterAsFileOutput(parameters, self.MODEL, context)
        if not model_path.lower().endswith(".lcmodel"):
            model_path += ".lcmodel"
        report_path = self.parameterAsFileOutput(parameters, self.REPORT, context)

        training = read_training_features(
            self,
            source,
            field,
            layer,
            context,
            feedback,
            styles=self.styles,
            name_field=class_name_field(self, parameters, context),
            extra=self._extra_points(parameters, context),
        )
        if training.skipped_unlabelled:
            feedback.pushWarning(
                self.counted(
                    training.skipped_unlabelled,
                    self.tr("{0} feature without a class or geometry was skipped."),
                    self.tr("{0} features without a class or geometry were skipped."),
                )
            )
        if training.skipped_unprojectable:
            feedback.pushWarning(
                self.counted(
                    training.skipped_unprojectable,
                    self.tr(
                        "{0} feature could not be reprojected to the raster's CRS and was skipped."
                    ),
                    self.tr(
                        "{0} features could not be reprojected to the raster's CRS and were "
                        "skipped."
                    ),
                )
            )
        feedback.pushInfo(
            self.tr("Classes: {0}").format(
                ", ".join(f"{c.name} = {c.code}" for c in training.classes)
            )
        )
        settings = {
            "max_per_class": self.parameterAsInt(parameters, self.MAX_SAMPLES_PER_CLASS, context),
            "balance": self.parameterAsBoolean(parameters, self.BALANCE, context),
            "all_touched": self.parameterAsBoolean(parameters, self.ALL_TOUCHED, context),
            "validation_fraction": self.parameterAsDouble(
                parameters, self.VALIDATION_FRACTION, context
            ),
            "tune": self.TUNE_MODES[self.parameterAsEnum(parameters, self.TUNE, context)],
            "folds": self.parameterAsInt(parameters, self.FOLDS, context),
            "seed": self.parameterAsInt(parameters, self.SEED, context),
        }
        result = self.run_core(
            train,
            path,
            training.features,
            training.classes,
            kind,
            params,
            **settings,
            progress=self.progress(feedback),
            notes=training.notes,
        )
        for line in summary_lines(result):
            if line in result.messages:
                feedback.pushWarning(line)
            else:
                feedback.pushInfo(line)

        # Outputs only once training has succeeded: a failed run writes nothing.
        sources = [
            (self.tr("Input raster"), path),
            (self.tr("Training layer"), self._layer_name(parameters, context, source)),
            (self.tr("Class field"), field),
        ]
        report = report_html(result, sources=sources, settings=settings) if report_path else ""
        self.run_core(save_outputs, result, model_path, report_path or None, report)
        outputs = {self.MODEL: model_path, self.REPORT: report_path or None}
        if parameters.get(self.VALIDATION_OUTPUT):
            if result.validation_ids:
                outputs[self.VALIDATION_OUTPUT] = self._write_validation(
                    parameters, context, source, result.validation_ids
                )
            else:
                outputs[self.VALIDATION_OUTPUT] = None
                feedback.pushWarning(
                    self.tr(
                        "No feature was held out for validation (the share held out is 0, or "
                        "no class has two features), so the held-out validation features "
                        "were not written. Draw more polygons per class or raise the share."
                    )
                )
        cv, validation = result.cv, result.validation
        outputs[self.CV_ACCURACY] = cv["summary"]["overall_accuracy"] if cv else None
        outputs[self.VALIDATION_ACCURACY] = (
            validation["summary"]["overall_accuracy"] if validation else None
        )
        return outputs

    def _layer_name(self, parameters, context, source) -> str:
        """The training layer as the user knows it: its name and the file it reads."""
        layer = self.parameterAsVectorLayer(parameters, self.TRAINING, context)
        if layer is None:
            return source.sourceName()
        file = layer.source().split("|")[0]
        return layer.name() if layer.name() == file else f"{layer.name()} ({file})"

    def _extra_points(
        self, parameters: dict, context: QgsProcessingContext
    ) -> tuple[QgsProcessingFeatureSource, str] | None:
        points = self.parameterAsSource(parameters, self.TRAINING_POINTS, context)
        if points is None:
            return None
        field = self.parameterAsString(parameters, self.POINTS_FIELD, context)
        return (points, field or REFERENCE_FIELD)

    def _write_validation(
        self,
        parameters: dict,
        context: QgsProcessingContext,
        source: QgsProcessingFeatureSource,
        ids: list[int],
    ) -> str | None:
        """Copy the held-out features, unchanged, to the validation output."""
        sink, dest = self.parameterAsSink(
            parameters,
            self.VALIDATION_OUTPUT,
            context,
            source.fields(),
            source.wkbType(),
            source.sourceCrs(),
        )
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.VALIDATION_OUTPUT))
        for feature in source.getFeatures(QgsFeatureRequest().setFilterFids(ids)):
            sink.addFeature(feature, FAST_INSERT)
        return dest
