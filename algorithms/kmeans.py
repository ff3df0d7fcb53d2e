"""Unsupervised classification (k-means): clusters of spectrally similar pixels."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
)

from .base import LandcoverAlgorithm
from .qgis_compat import FLAG_ADVANCED, NUMBER_INTEGER


class KMeansClassification(LandcoverAlgorithm):
    INPUT = "INPUT"
    CLUSTERS = "CLUSTERS"
    SAMPLE_SIZE = "SAMPLE_SIZE"
    STANDARDIZE = "STANDARDIZE"
    MAX_ITER = "MAX_ITER"
    OUTPUT = "OUTPUT"

    REQUIRES = ("numpy", "rasterio", "sklearn")

    def name(self) -> str:
        return "kmeans"

    def displayName(self) -> str:
        return self.tr("Unsupervised classification (k-means)")

    def groupId(self) -> str:
        return "classification"

    def shortHelpString(self) -> str:
        return self.tr(
            "Groups the pixels of a raster into a chosen number of clusters of similar "
            "values, without any training data. Useful to explore a scene, or to start a "
            "legend: name the clusters afterwards (several clusters may belong to one "
            "land-cover class).\n\n"
            "The clusters are fitted with k-means on a random sample of valid pixels taken "
            "evenly over the whole raster (MiniBatch k-means for large samples); then every "
            "pixel is assigned to its nearest cluster, block by block on every processor "
            "core. Clusters are numbered from the darkest (lowest mean value) to the "
            "brightest. The same seed gives the same result.\n\n"
            "Inputs: the raster (all bands are used) and the number of clusters. Outputs: a "
            "class raster with clusters 'cluster 1' to 'cluster k' in distinct colours "
            "(nodata 0), and optionally a model file (.lcmodel) with which 'Classify "
            "raster' assigns the pixels of another scene to the same clusters.\n\n"
            "Example: 10 clusters of a Sentinel-2 stack with standardisation on, to see "
            "which surfaces separate before digitising training polygons."
        )

    def initAlgorithm(self, config: dict | None = None) -> None:
        param = QgsProcessingParameterRasterLayer(self.INPUT, self.tr("Input raster"))
        param.setHelp(self.tr("Raster whose pixels are clustered; every band is used."))
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.CLUSTERS,
            self.tr("Number of clusters"),
            type=NUMBER_INTEGER,
            defaultValue=8,
            minValue=2,
            maxValue=255,
        )
        param.setHelp(self.tr("How many clusters (classes) to make, 2 to 255."))
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.SAMPLE_SIZE,
            self.tr("Sample size (pixels)"),
            type=NUMBER_INTEGER,
            defaultValue=100000,
            minValue=100,
        )
        param.setHelp(
            self.tr(
                "Number of valid pixels, drawn at random over the whole raster, on which the "
                "clusters are fitted. Larger samples fit rare surfaces better but take longer."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterBoolean(
            self.STANDARDIZE, self.tr("Standardise bands"), defaultValue=True
        )
        param.setHelp(
            self.tr(
                "Scale every band to zero mean and unit variance before clustering, so that "
                "bands with large values (e.g. reflectance x 10000) do not outweigh bands "
                "with small ones (e.g. indices from -1 to 1)."
            )
        )
        self.addParameter(param)

        self.addSeedParameter(
            self.tr("Seed of the sample and of k-means: the same seed gives the same clusters.")
        )

        param = QgsProcessingParameterNumber(
            self.MAX_ITER,
            self.tr("Maximum iterations"),
            type=NUMBER_INTEGER,
            defaultValue=100,
            minValue=1,
        )
        param.setHelp(self.tr("Upper limit of k-means iterations (passes over the sample)."))
        param.setFlags(param.flags() | FLAG_ADVANCED)
        self.addParameter(param)

        self.addMemoryParameter(
            self.tr(
                "Memory the blocks being read and assigned may use at once. Lower it on a "
                "computer with little free memory."
            )
        )

        param = QgsProcessingParameterRasterDestination(self.OUTPUT, self.tr("Clusters"))
        param.setHelp(self.tr("Class raster of cluster numbers 1..k (0 = nodata)."))
        self.addParameter(param)

        self.addModelDestination(
            self.tr("Cluster model"),
            self.tr(
                "Optional model file (.lcmodel) of the clusters, for 'Classify raster' to "
                "assign another scene with the same bands to the same clusters."
            ),
            optional=True,
        )

    def processAlgorithm(
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        from ..core.io.raster import default_workers
        from ..core.learn.classify import pixels_for_memory
        from ..core.learn.kmeans import kmeans_raster

        layer, path = self.raster_path(parameters, self.INPUT, context)
        clusters = self.parameterAsInt(parameters, self.CLUSTERS, context)
        output = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        model_path = self.parameterAsModelDestination(parameters, context)
        workers = default_workers()
        memory_mb = self.parameterAsInt(parameters, self.MEMORY_MB, context)
        stats = self.run_core(
            kmeans_raster,
            path,
            output,
            clusters=clusters,
            sample_size=self.parameterAsInt(parameters, self.SAMPLE_SIZE, context),
            standardize=self.parameterAsBoolean(parameters, self.STANDARDIZE, context),
            seed=self.parameterAsInt(parameters, self.SEED, context),
            max_iter=self.parameterAsInt(parameters, self.MAX_ITER, context),
            model_path=model_path,
            max_pixels=pixels_for_memory(memory_mb, layer.bandCount(), clusters, workers),
            workers=workers,
            progress=self.progress(feedback),
        )
        feedback.pushInfo(
            self.tr(
                "{0} fitted on {1} sampled pixels in {2}; {3} of {4} pixels assigned in {5:.1f} s."
            ).format(
                stats.method,
                stats.sample,
                self.counted(stats.iterations, self.tr("{0} iteration"), self.tr("{0} iterations")),
                stats.classification.classified,
                stats.classification.pixels,
                stats.seconds,
            )
        )
        for code, centre in enumerate(stats.centers, start=1):
            values = ", ".join(f"{v:.4g}" for v in centre)
            feedback.pushInfo(
                self.tr("  cluster {0}: {1} pixels, centre {2}").format(
                    code, stats.classification.counts[code], values
                )
            )

        from ..core.learn.kmeans import cluster_classes
        from .styling import style_class_raster

        style_class_raster(self, context, output, cluster_classes(clusters))
        return {self.OUTPUT: output, self.MODEL: model_path}
