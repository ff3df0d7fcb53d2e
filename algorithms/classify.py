"""Classify raster: apply a trained model to every pixel, block by block."""

from __future__ import annotations

import os

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingParameterFile,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
)

from .base import LandcoverAlgorithm, crs_name
from .qgis_compat import FILE_BEHAVIOUR_FILE


class ClassifyRaster(LandcoverAlgorithm):
    INPUT = "INPUT"
    MODEL = "MODEL"
    OUTPUT = "OUTPUT"
    PROBABILITIES = "PROBABILITIES"
    UNCERTAINTY = "UNCERTAINTY"

    REQUIRES = ("numpy", "rasterio")  # models predict with numpy alone

    def name(self) -> str:
        return "classify"

    def displayName(self) -> str:
        return self.tr("Classify raster")

    def groupId(self) -> str:
        return "classification"

    def shortHelpString(self) -> str:
        return self.tr(
            "Classifies every pixel of a feature raster with a model trained by "
            "'Train classifier' (or saved by 'Unsupervised classification (k-means)').\n\n"
            "The raster is read, predicted and written one block at a time on every "
            "processor core, so rasters far larger than the memory of the computer can be "
            "classified; the memory used is set by the memory budget, not by the raster "
            "size. Pixels that are nodata in any band are nodata in every output.\n\n"
            "Inputs: the feature raster, with the same bands in the same order as the "
            "raster the model was trained on (the tool checks the band count, and the band "
            "names where both are known); the model file (.lcmodel).\n\n"
            "Outputs: the class raster (class codes, nodata 0, coloured and labelled with "
            "the class names); optionally the probability of every class (one band per "
            "class, named after it) and an uncertainty raster with three bands: 'max "
            "probability' (probability of the chosen class), 'margin' (difference between "
            "the two highest probabilities; small means the map hesitates between two "
            "classes) and 'entropy' (0 when one class is certain, 1 when every class is "
            "equally likely).\n\n"
            "Example: classify a Sentinel-2 feature stack with the model trained on "
            "digitised polygons, and keep the uncertainty raster to target field checks "
            "where 'max probability' is low."
        )

    def initAlgorithm(self, config: dict | None = None) -> None:
        param = QgsProcessingParameterRasterLayer(self.INPUT, self.tr("Feature raster"))
        param.setHelp(
            self.tr(
                "Raster to classify, with the bands the model was trained on, in the same order."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterFile(
            self.MODEL,
            self.tr("Model file"),
            behavior=FILE_BEHAVIOUR_FILE,
            extension="lcmodel",
        )
        param.setHelp(
            self.tr(
                "Model file (.lcmodel) written by 'Train classifier' or by "
                "'Unsupervised classification (k-means)'."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterRasterDestination(self.OUTPUT, self.tr("Classified"))
        param.setHelp(
            self.tr(
                "Class raster: one class code per pixel (0 = nodata), with the colours and "
                "names of the model's classes."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterRasterDestination(
            self.PROBABILITIES,
            self.tr("Class probabilities"),
            optional=True,
            createByDefault=False,
        )
        param.setHelp(
            self.tr(
                "Optional: the probability (0 to 1) of every class, one band per class "
                "named after it. Needs one float band per class: large for many classes."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterRasterDestination(
            self.UNCERTAINTY,
            self.tr("Uncertainty"),
            optional=True,
            createByDefault=False,
        )
        param.setHelp(
            self.tr(
                "Optional: three bands, 'max probability', 'margin' (between the two most "
                "probable classes) and 'entropy' (normalised to 0..1), showing where the "
                "map is unsure."
            )
        )
        self.addParameter(param)

        self.addMemoryParameter(
            self.tr(
                "Memory the blocks being classified may use at once. Lower it on a computer "
                "with little free memory; raising it rarely makes the tool faster."
            )
        )

        self.addSchedulerParameter()

    def checkParameterValues(
        self, parameters: dict, context: QgsProcessingContext
    ) -> tuple[bool, str]:
        ok, message = super().checkParameterValues(parameters, context)
        if not ok:
            return ok, message
        model = self.parameterAsFile(parameters, self.MODEL, context)
        if not model or not os.path.isfile(model):
            return False, self.tr(
                "The model file {0} does not exist; train a model with 'Train classifier' "
                "first, or choose an existing .lcmodel file."
            ).format(model)
        return True, ""

    def processAlgorithm(
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        from ..core.io.raster import default_workers
        from ..core.learn.classify import classify_raster, pixels_for_memory
        from ..core.learn.model import LandcoverModel

        scheduler = self.parameterAsScheduler(parameters, context)
        layer, path = self.raster_path(parameters, self.INPUT, context)
        model_path = self.parameterAsFile(parameters, self.MODEL, context)
        output = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        probabilities = self.parameterAsOutputLayer(parameters, self.PROBABILITIES, context)
        uncertainty = self.parameterAsOutputLayer(parameters, self.UNCERTAINTY, context)
        memory_mb = self.parameterAsInt(parameters, self.MEMORY_MB, context)

        model = self.run_core(LandcoverModel.load, model_path)
        feedback.pushInfo(
            self.tr("Model: {0}, {1} classes, bands: {2}").format(
                model.kind, len(model.classes), ", ".join(model.band_names)
            )
        )
        self._check_crs(layer, path, model, feedback)

        workers = default_workers()
        max_pixels = pixels_for_memory(
            memory_mb,
            layer.bandCount(),
            len(model.classes),
            workers,
            probabilities=bool(probabilities),
            uncertainty=bool(uncertainty),
        )
        stats = self.run_core(
            classify_raster,
            path,
            model,
            output,
            probabilities or None,
            uncertainty or None,
            max_pixels=max_pixels,
            workers=workers,
            progress=self.progress(feedback),
            log=feedback.pushInfo,
            scheduler=scheduler,
        )
        if scheduler:
            feedback.pushInfo(
                self.tr("Blocks computed on the Dask cluster at {0}.").format(scheduler)
            )
        self._report(stats, model, feedback)

        from .styling import style_class_raster, style_measure_raster

        style_class_raster(self, context, output, model.classes)
        for measures in (probabilities, uncertainty):
            if measures:
                style_measure_raster(context, measures)
        return {
            self.OUTPUT: output,
            self.PROBABILITIES: probabilities or None,
            self.UNCERTAINTY: uncertainty or None,
        }

    def _check_crs(self, layer, path, model, feedback) -> None:
        from ..core.learn.classify import same_crs

        if not model.crs_wkt or self.run_core(same_crs, path, model.crs_wkt):
            return
        trained = QgsCoordinateReferenceSystem.fromWkt(model.crs_wkt)
        feedback.pushWarning(
            self.tr(
                "The input raster is in {0} but the model was trained on a raster in {1}. "
                "Classification goes ahead, but check that the bands mean the same thing "
                "(same sensor and preparation) as in the training raster."
            ).format(crs_name(layer.crs()), crs_name(trained))
        )

    def _report(self, stats, model, feedback) -> None:
        feedback.pushInfo(
            self.tr("Classified {0} of {1} pixels in {2} on {3}, {4:.1f} s.").format(
                stats.classified,
                stats.pixels,
                self.counted(stats.blocks, self.tr("{0} block"), self.tr("{0} blocks")),
                self.counted(stats.workers, self.tr("{0} thread"), self.tr("{0} threads")),
                stats.seconds,
            )
        )
        total = max(stats.classified, 1)
        for info in model.classes:
            count = stats.counts.get(info.code, 0)
            feedback.pushInfo(f"  {info.code} {info.name}: {count} ({100.0 * count / total:.1f} %)")
        if stats.classified == 0:
            feedback.pushWarning(
                self.tr(
                    "Every pixel of the input raster is nodata, so nothing was classified; "
                    "check the raster's nodata value."
                )
            )
