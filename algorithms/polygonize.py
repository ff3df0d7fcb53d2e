"""Polygonize classes: valid polygons with class names, areas and the class colours."""

from __future__ import annotations

from qgis.core import (
    QgsDistanceArea,
    QgsFeature,
    QgsFields,
    QgsGeometry,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingUtils,
    QgsUnitTypes,
    QgsVectorLayer,
)

from .base import LandcoverAlgorithm
from .qgis_compat import (
    AREA_SQUARE_METERS,
    DISTANCE_METERS,
    FAST_INSERT,
    FLAG_ADVANCED,
    NUMBER_DOUBLE,
    NUMBER_INTEGER,
    VECTOR_POLYGON,
    WKB_MULTIPOLYGON,
    WKB_POLYGON,
    new_field,
    save_style_to_database,
)


class PolygonizeClasses(LandcoverAlgorithm):
    INPUT = "INPUT"
    MIN_AREA = "MIN_AREA"
    DISSOLVE = "DISSOLVE"
    SMOOTHING = "SMOOTHING"
    OUTPUT = "OUTPUT"

    REQUIRES = ("numpy", "scipy", "rasterio")

    def name(self) -> str:
        return "polygonize"

    def displayName(self) -> str:
        return self.tr("Polygonize classes")

    def groupId(self) -> str:
        return "postprocess"

    def shortHelpString(self) -> str:
        return self.tr(
            "Turns a class raster into polygons: one feature per patch (connected pixels "
            "of one class, joined by their edges), or with 'One multipolygon per class' one "
            "multipolygon per class. Every feature has the fields class_id, class_name, "
            "area_ha and perimeter_m; every geometry is valid, and neighbouring polygons "
            "share their edges exactly, with neither gaps nor overlaps. The layer opens "
            "styled with the class colours; a GeoPackage output also stores this style as "
            "its default.\n\n"
            "A minimum polygon area (hectares) first removes smaller patches the way 'Remove "
            "small patches' does, so they join their neighbours instead of leaving holes. "
            "A boundary smoothing radius (pixels) first smooths the class boundaries of the "
            "raster the way "
            "'Smooth class boundaries' does: the polygons follow pixel edges, and smoothing "
            "the raster rather than simplifying the polygons keeps neighbours sharing their "
            "edges.\n\n"
            "The raster is read block by block, once; patches crossing block borders are "
            "joined without seams, so a full Sentinel-2 tile (10980 x 10980 pixels) needs "
            "a few blocks of memory plus the polygons, and 2 bytes per pixel (about 240 MB) "
            "of temporary disk for the patch numbers.\n\n"
            "Example: a sieved 10 m classification, minimum polygon area 0.5 ha, one "
            "feature per patch, output a GeoPackage, to edit and hand over."
        )

    def initAlgorithm(self, config: dict | None = None) -> None:
        param = QgsProcessingParameterRasterLayer(self.INPUT, self.tr("Class raster"))
        param.setHelp(self.tr("One-band raster of class codes (0 = nodata)."))
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.MIN_AREA,
            self.tr("Minimum polygon area (hectares)"),
            type=NUMBER_DOUBLE,
            defaultValue=0.0,
            minValue=0.0,
            optional=True,
        )
        param.setHelp(
            self.tr(
                "Patches smaller than this join their neighbours before polygonizing "
                "(needs a projected CRS). 0: keep every patch."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterBoolean(
            self.DISSOLVE, self.tr("One multipolygon per class"), defaultValue=False
        )
        param.setHelp(self.tr("On: one feature per class. Off: one feature per patch."))
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.SMOOTHING,
            self.tr("Boundary smoothing radius (pixels)"),
            type=NUMBER_INTEGER,
            defaultValue=0,
            minValue=0,
            maxValue=50,
            optional=True,
        )
        param.setHelp(
            self.tr(
                "Smooth the class boundaries of the raster with this radius before "
                "polygonizing (see 'Smooth class boundaries'). 0: no smoothing."
            )
        )
        param.setFlags(param.flags() | FLAG_ADVANCED)
        self.addParameter(param)

        param = QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Class polygons"), VECTOR_POLYGON
        )
        param.setHelp(
            self.tr(
                "Polygons with class_id, class_name, area_ha and perimeter_m; a GeoPackage "
                "keeps the class colours as its default style."
            )
        )
        self.addParameter(param)

    def processAlgorithm(
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        from ..core.postprocess.polygonize import polygonize_classes
        from .styling import style_on_load

        layer, path = self.raster_path(parameters, self.INPUT, context)
        min_area = self.parameterAsDouble(parameters, self.MIN_AREA, context)
        dissolve = self.parameterAsBoolean(parameters, self.DISSOLVE, context)
        radius = self.parameterAsInt(parameters, self.SMOOTHING, context)
        crs = layer.crs()

        fields = QgsFields()
        fields.append(new_field("class_id", "int"))
        fields.append(new_field("class_name", "string"))
        fields.append(new_field("area_ha", "double"))
        fields.append(new_field("perimeter_m", "double"))
        kind = WKB_MULTIPOLYGON if dissolve else WKB_POLYGON
        sink, dest_id, finish = self.partial_sink(
            parameters, self.OUTPUT, context, fields, kind, crs
        )
        try:
            if sink is None:
                raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
            measure = self._measures(crs, context)

            def emit(patch) -> None:
                geometry = QgsGeometry()
                geometry.fromWkb(patch.wkb)
                area_ha, perimeter_m = measure(geometry, patch)
                feature = QgsFeature(fields)
                feature.setGeometry(geometry)
                feature.setAttributes([patch.code, patch.name, area_ha, perimeter_m])
                if not sink.addFeature(feature, FAST_INSERT):
                    raise QgsProcessingException(
                        self.tr("Cannot write a polygon to the output; check the output path.")
                    )

            def on_min_size(size: int, note: str | None) -> None:
                feedback.pushInfo(
                    self.tr("Minimum area {0:g} ha = {1} pixels.").format(min_area, size)
                )
                if note:
                    feedback.pushInfo(note)

            result = self.run_core(
                polygonize_classes,
                path,
                emit,
                dissolve,
                min_area,
                radius,
                self.progress(feedback),
                on_min_size,
                QgsProcessingUtils.tempFolder(),
            )
            sink = emit = None  # drop our references, so that finish() closes the writer
            self.run_core(finish)
        except BaseException:
            finish.discard()
            raise

        feedback.pushInfo(
            self.tr("{0} of {1}.").format(
                self.counted(result.patches, self.tr("{0} patch"), self.tr("{0} patches")),
                self.counted(len(result.pixels), self.tr("{0} class"), self.tr("{0} classes")),
            )
        )
        style_on_load(self, context, dest_id, result.classes, field="class_id")
        self._style_target = (dest_id, result.classes)
        return {self.OUTPUT: dest_id}

    def postProcessAlgorithm(
        self, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        """Save the class style into a GeoPackage output, once the writer has closed it."""
        target = getattr(self, "_style_target", None)
        if not target:
            return {}
        dest_id, classes = target
        if dest_id.split("|")[0].lower().endswith(".gpkg"):
            from .styling import categorized_renderer

            layer = QgsVectorLayer(dest_id, "classes", "ogr")
            if layer.isValid():
                layer.setRenderer(categorized_renderer(layer, "class_id", classes))
                error = save_style_to_database(
                    layer, "landcover classes", self.tr("Land-cover class colours")
                )
                if error:
                    feedback.pushWarning(
                        self.tr("The style could not be saved in the GeoPackage: {0}").format(error)
                    )
        return {}

    def _measures(self, crs, context):
        """Area (ha) and perimeter (m) of a patch: exact pixel counts in a projected CRS,
        ellipsoidal measures in a geographic one."""
        if crs.isValid() and not crs.isGeographic():
            factor = QgsUnitTypes.fromUnitToUnitFactor(crs.mapUnits(), DISTANCE_METERS)

            def planar(geometry, patch):
                return patch.area * factor * factor / 10000.0, patch.perimeter * factor

            return planar
        distance = QgsDistanceArea()
        distance.setSourceCrs(crs, context.transformContext())
        distance.setEllipsoid(crs.ellipsoidAcronym() or "EPSG:7030")

        def ellipsoidal(geometry, patch):
            area = distance.convertAreaMeasurement(
                distance.measureArea(geometry), AREA_SQUARE_METERS
            )
            length = distance.convertLengthMeasurement(
                distance.measurePerimeter(geometry), DISTANCE_METERS
            )
            return area / 10000.0, length

        return ellipsoidal
