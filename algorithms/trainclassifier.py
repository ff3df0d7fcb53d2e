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
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
)

from ..core.learn.registry import classifier, tool_default
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
from .training_layer import REFERENCE_FIELD, TrainingLayerStyle, read_training_features


class TrainClassifier(TrainingLayerStyle, LandcoverAlgorithm):
    INPUT = "INPUT"
    TRAINING_POINTS = "TRAINING_POINTS"
    POINTS_FIELD = "POINTS_FIELD"
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
    VALIDATION_OUTPUT = "VALIDATION_OUTPUT"
    CV_ACCURACY = "CV_ACCURACY"
    VALIDATION_ACCURACY = "VALIDATION_ACCURACY"

    REQUIRES = ("numpy", "rasterio", "sklearn", "scipy")
    TUNE_MODES = ("none", "grid", "random")
    # The classifier parameters this tool sets, by the registry's names: each applies to
    # the classifiers whose specification lists it; the registry gives its default.
    SETTINGS = {
        "n_trees": N_TREES,
        "max_depth": MAX_DEPTH,
        "min_samples_leaf": MIN_SAMPLES_LEAF,
        "learning_rate": LEARNING_RATE,
        "c": SVM_C,
        "gamma": SVM_GAMMA,
        "k": NEIGHBOURS,
    }

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
        self._add_inputs()
        self._add_classifier_settings()
        self._add_sampling_parameters()
        self._add_validation_parameters()
        self._add_outputs()

    def _add(self, param, help_text: str, advanced: bool = False) -> None:
        param.setHelp(help_text)
        if advanced:
            param.setFlags(param.flags() | FLAG_ADVANCED)
        self.addParameter(param)

    def _add_inputs(self) -> None:
        self._add(
            QgsProcessingParameterRasterLayer(self.INPUT, self.tr("Feature raster")),
            self.tr(
                "The bands the classifier learns from (bands, indices, texture). Classify "
                "later with a raster of the same bands in the same order."
            ),
        )
        self.addTrainingParameters(
            self.tr("Training polygons or points"),
            [VECTOR_POLYGON, VECTOR_POINT],
            self.tr(
                "Features of known class, in any CRS. Polygons give the pixels whose centre "
                "they contain; points give the pixel they fall in."
            ),
            self.tr("Field holding each feature's class: a name (text) or an integer code."),
        )
        self._add(
            QgsProcessingParameterFeatureSource(
                self.TRAINING_POINTS,
                self.tr("Additional training points (labelled)"),
                [VECTOR_POINT, VECTOR_POLYGON],
                optional=True,
            ),
            self.tr(
                "Optional: points of 'Where to label next' with their 'reference_class' "
                "filled in (the same names or codes as the training layer), trained on "
                "together with the training layer."
            ),
        )
        self._add(
            QgsProcessingParameterField(
                self.POINTS_FIELD,
                self.tr("Class field of the additional points"),
                defaultValue="reference_class",
                parentLayerParameterName=self.TRAINING_POINTS,
                type=FIELD_ANY,
                optional=True,
            ),
            self.tr("Field holding the class of each additional point."),
        )

    def _setting(
        self, key: str, label: str, help_text: str, advanced: bool = True, **limits
    ) -> None:
        """The tool parameter of classifier parameter ``key``, with the registry's default."""
        default = tool_default(key)
        kind = NUMBER_INTEGER if isinstance(default, int) else NUMBER_DOUBLE
        param = QgsProcessingParameterNumber(
            self.SETTINGS[key], label, type=kind, defaultValue=default, **limits
        )
        self._add(param, help_text, advanced)

    def _add_classifier_settings(self) -> None:
        self.addClassifierParameter(
            self.tr(
                "Random Forest is robust and fast and a good default. Gaussian maximum "
                "likelihood is the classic remote-sensing classifier; SVM and k-nearest "
                "neighbours work on standardised bands."
            )
        )
        self._setting(
            "n_trees",
            self.tr("Number of trees (forests and boosting)"),
            self.tr(
                "Trees of Random Forest and Extra Trees, or boosting iterations. More trees "
                "are steadier but slower to train and to classify."
            ),
            advanced=False,
            minValue=1,
            maxValue=5000,
        )
        self._setting(
            "max_depth",
            self.tr("Maximum tree depth (0: unlimited)"),
            self.tr("Limits how deep each tree grows; smaller trees classify faster."),
            advanced=False,
            minValue=0,
            maxValue=100,
        )
        self._setting(
            "min_samples_leaf",
            self.tr("Minimum samples per leaf (trees)"),
            self.tr("Random Forest and Extra Trees: leaves hold at least this many pixels."),
            minValue=1,
        )
        self._setting(
            "learning_rate",
            self.tr("Learning rate (boosting)"),
            self.tr("Histogram Gradient Boosting: shrinkage of each iteration."),
            minValue=0.001,
            maxValue=1.0,
        )
        self._setting(
            "c",
            self.tr("SVM regularisation C"),
            self.tr("SVM: larger values fit the training pixels more closely."),
            minValue=0.0001,
        )
        self._setting(
            "gamma",
            self.tr("SVM kernel gamma (0: automatic)"),
            self.tr("SVM: width of the RBF kernel; 0 uses 1 / (bands × variance)."),
            minValue=0.0,
        )
        self._setting(
            "k",
            self.tr("Neighbours (k-nearest neighbours)"),
            self.tr("k-nearest neighbours: how many neighbours vote."),
            minValue=1,
            maxValue=500,
        )

    def _add_sampling_parameters(self) -> None:
        self._add(
            QgsProcessingParameterNumber(
                self.MAX_SAMPLES_PER_CLASS,
                self.tr("Maximum training pixels per class (0: all)"),
                type=NUMBER_INTEGER,
                defaultValue=5000,
                minValue=0,
            ),
            self.tr(
                "At most this many pixels per class, drawn at random from all its features, "
                "for training (and as many for validation). Keeps training quick and memory "
                "small on large polygons."
            ),
        )
        self._add(
            QgsProcessingParameterBoolean(
                self.BALANCE, self.tr("Balance classes"), defaultValue=False
            ),
            self.tr(
                "Train on as many pixels of every class as the smallest class has, so a "
                "large class does not dominate."
            ),
            advanced=True,
        )
        self._add(
            QgsProcessingParameterBoolean(
                self.ALL_TOUCHED, self.tr("Use every pixel a polygon touches"), defaultValue=False
            ),
            self.tr(
                "Off: pixels whose centre lies inside a polygon. On: every pixel a polygon "
                "touches, for polygons smaller than a pixel (edge pixels are often mixed)."
            ),
            advanced=True,
        )

    def _add_validation_parameters(self) -> None:
        self._add(
            QgsProcessingParameterNumber(
                self.VALIDATION_FRACTION,
                self.tr("Share of polygons held out for validation"),
                type=NUMBER_DOUBLE,
                defaultValue=0.3,
                minValue=0.0,
                maxValue=0.9,
            ),
            self.tr(
                "This share of each class's features is kept out of training and used to "
                "validate the model (0: no hold-out). A class with a single feature stays "
                "in training."
            ),
        )
        self._add(
            QgsProcessingParameterEnum(
                self.TUNE,
                self.tr("Parameter tuning"),
                options=[self.tr("None"), self.tr("Grid search"), self.tr("Randomised search")],
                defaultValue=0,
            ),
            self.tr(
                "Try several parameter sets by cross-validation grouped by polygon and keep "
                "the best. Grid search tries a small fixed grid; randomised search 8 draws."
            ),
        )
        self._add(
            QgsProcessingParameterNumber(
                self.FOLDS,
                self.tr("Cross-validation folds (0: none)"),
                type=NUMBER_INTEGER,
                defaultValue=3,
                minValue=0,
                maxValue=20,
            ),
            self.tr(
                "Folds of the cross-validation on the training polygons, grouped by polygon. "
                "Fewer are used when there are fewer polygons; 0 or 1 skips it."
            ),
            advanced=True,
        )
        self.addSeedParameter(self.tr("The same seed, inputs and settings give the same model."))

    def _add_outputs(self) -> None:
        self.addModelDestination(
            self.tr("Model file"), self.tr("The trained model (.lcmodel), for 'Classify raster'.")
        )
        self.addReportParameter(
            self.tr("Training report"),
            self.tr("Self-contained HTML report; opens in any browser without network."),
        )
        self._add(
            QgsProcessingParameterFeatureSink(
                self.VALIDATION_OUTPUT,
                self.tr("Held-out validation features"),
                VECTOR_ANY_GEOMETRY,
                optional=True,
                createByDefault=False,
            ),
            self.tr(
                "The features kept out of training, with all their fields, in the training "
                "layer's CRS: use them as the reference of 'Accuracy assessment'."
            ),
        )
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
        from ..core.learn.training import save_outputs, summary_lines, train
        from ..core.report.html import training_report_html

        layer, path = self.raster_path(parameters, self.INPUT, context)
        source = self.parameterAsSource(parameters, self.TRAINING, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.TRAINING))
        field = self.parameterAsString(parameters, self.CLASS_FIELD, context)
        kind = self.parameterAsClassifier(parameters, context)
        params = self._classifier_params(parameters, context, kind)
        model_path = self.parameterAsModelDestination(parameters, context)
        report_path = self.parameterAsFileOutput(parameters, self.REPORT, context)

        training = read_training_features(
            self,
            source,
            field,
            layer,
            context,
            feedback,
            styles=self.styles,
            name_field=self.parameterAsClassNameField(parameters, context),
            extra=self._extra_points(parameters, context),
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
        report = (
            training_report_html(result, sources=sources, settings=settings) if report_path else ""
        )
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
        outputs[self.CV_ACCURACY] = cv["summary"].overall_accuracy if cv else None
        outputs[self.VALIDATION_ACCURACY] = (
            validation["summary"].overall_accuracy if validation else None
        )
        return outputs

    def _classifier_params(self, parameters, context, kind: str) -> dict:
        """The settings of this tool that classifier ``kind`` takes."""
        params = {}
        for key in classifier(kind).tool_params:
            integer = isinstance(tool_default(key), int)
            read = self.parameterAsInt if integer else self.parameterAsDouble
            params[key] = read(parameters, self.SETTINGS[key], context)
        return params

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
