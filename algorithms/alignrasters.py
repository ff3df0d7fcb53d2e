"""Align and stack rasters: reproject several rasters onto one grid as one multiband file."""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterCrs,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingUtils,
    QgsRasterLayer,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from .base import LandcoverAlgorithm, file_of
from .qgis_compat import FLAG_ADVANCED, NUMBER_DOUBLE, RASTER, WKT_PREFERRED_GDAL

# Kept in step with core.align.RESAMPLING_METHODS (a test checks it); listed here so
# the Toolbox can show the tool when rasterio is missing.
RESAMPLING = (
    ("nearest", QT_TRANSLATE_NOOP("AlignRasters", "Nearest neighbour")),
    ("bilinear", QT_TRANSLATE_NOOP("AlignRasters", "Bilinear")),
    ("cubic", QT_TRANSLATE_NOOP("AlignRasters", "Cubic")),
    ("average", QT_TRANSLATE_NOOP("AlignRasters", "Average")),
    ("mode", QT_TRANSLATE_NOOP("AlignRasters", "Mode (most frequent value)")),
)


def crs_text(crs: QgsCoordinateReferenceSystem) -> str:
    """The CRS as GDAL understands it: ``EPSG:n`` when it has one, else WKT."""
    if crs.authid().upper().startswith("EPSG:"):
        return crs.authid()
    return crs.toWkt(WKT_PREFERRED_GDAL)


def user_nodata(layer: QgsRasterLayer) -> float | None:
    """The nodata value a user set on a layer in QGIS (a single value on band 1), if any;
    the file itself may have none."""
    ranges = layer.dataProvider().userNoDataValues(1)
    if len(ranges) == 1 and ranges[0].min() == ranges[0].max():
        return float(ranges[0].min())
    return None


class AlignRasters(LandcoverAlgorithm):
    INPUT = "INPUT"
    REFERENCE = "REFERENCE"
    TARGET_CRS = "TARGET_CRS"
    PIXEL_SIZE = "PIXEL_SIZE"
    EXTENT = "EXTENT"
    RESAMPLING = "RESAMPLING"
    OUTPUT = "OUTPUT"
    BAND_COUNT = "BAND_COUNT"

    def name(self) -> str:
        return "alignrasters"

    def displayName(self) -> str:
        return self.tr("Align and stack rasters")

    def groupId(self) -> str:
        return "prepare"

    def shortHelpString(self) -> str:
        return self.tr(
            "Reprojects and resamples several rasters onto one grid and writes them as one "
            "multiband raster, the stack that the later steps read. Inputs may have "
            "different CRSs, resolutions, extents, data types and band counts; each band of "
            "each input becomes a band of the output, in input order, described by its "
            "file name and band number (e.g. 'red.tif band 1'). A band whose role is known "
            "is described by it first, e.g. 'nir (T32TQM_20230615T102021_B08_10m.jp2 band "
            "1)': from the band's own description, or from common band file names (B02 to "
            "B12 and B8A of Sentinel-2; SR_B1 to SR_B7 of Landsat, numbered as Landsat "
            "8/9 or 4-7 by the product id LC09_..., LT05_...; or names such as nir.tif). "
            "Bare names like B5.tif, which mean different bands on different sensors, get "
            "no role. Spectral indices and texture find their bands by these roles.\n\n"
            "The grid (CRS, pixel size, extent) is the grid of the reference raster, by "
            "default the first input. A target CRS, a pixel size (in units of the target "
            "CRS) or an extent replaces that part of the reference grid.\n\n"
            "The work is done window by window, so memory does not grow with the size of "
            "the rasters. Pixels outside an input, or nodata in it, get nodata in its "
            "bands; an input that does not overlap the grid at all stops the tool.\n\n"
            "Output type: the widest input type (for example uint16 with int16 gives "
            "int32; any float input gives float32, or float64). Nodata: NaN for float "
            "output; for integer output the nodata value the inputs share (for example 0 "
            "for Sentinel-2 and Landsat products), else the largest value of the type "
            "(the smallest for signed types). Integer data never receives NaN.\n\n"
            "Example: blue, green, red and NIR at 10 m in UTM zone 32 and SWIR1 and SWIR2 "
            "at 20 m in UTM zone 33, reference 'blue', resampling 'Bilinear': one 6-band "
            "raster at 10 m in zone 32."
        )

    def initAlgorithm(self, config: dict | None = None) -> None:
        param = QgsProcessingParameterMultipleLayers(self.INPUT, self.tr("Input rasters"), RASTER)
        param.setHelp(
            self.tr(
                "Rasters to stack, single- or multiband, in the order their bands should "
                "take in the output."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterRasterLayer(
            self.REFERENCE, self.tr("Reference raster (grid)"), optional=True
        )
        param.setHelp(
            self.tr(
                "Raster whose CRS, pixel size and extent define the output grid. Empty: "
                "the first input."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterCrs(self.TARGET_CRS, self.tr("Target CRS"), optional=True)
        param.setHelp(
            self.tr(
                "CRS of the output instead of the reference's. Without a pixel size, the "
                "pixel size GDAL suggests for the reference in this CRS is used."
            )
        )
        param.setFlags(param.flags() | FLAG_ADVANCED)
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.PIXEL_SIZE,
            self.tr("Pixel size (target CRS units)"),
            type=NUMBER_DOUBLE,
            optional=True,
        )
        param.setHelp(
            self.tr(
                "Side of a square output pixel in units of the target CRS (metres for UTM, "
                "degrees for EPSG:4326). Empty: the reference's."
            )
        )
        param.setFlags(param.flags() | FLAG_ADVANCED)
        self.addParameter(param)

        param = QgsProcessingParameterExtent(self.EXTENT, self.tr("Output extent"), optional=True)
        param.setHelp(
            self.tr(
                "Area to cover instead of the reference's extent; the grid starts at its "
                "top-left corner."
            )
        )
        param.setFlags(param.flags() | FLAG_ADVANCED)
        self.addParameter(param)

        param = QgsProcessingParameterEnum(
            self.RESAMPLING,
            self.tr("Resampling"),
            options=[self.tr(label) for _, label in RESAMPLING],
            defaultValue=0,
        )
        param.setHelp(
            self.tr(
                "How values are computed on the new grid. Nearest neighbour keeps the "
                "original values (required for class, mask and QA rasters). Bilinear or "
                "cubic suit reflectance bands brought to a finer grid; average suits "
                "reflectance brought to a coarser grid; mode suits class rasters brought "
                "to a coarser grid."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterRasterDestination(self.OUTPUT, self.tr("Aligned stack"))
        param.setHelp(self.tr("One multiband GeoTIFF on the target grid, one band per input band."))
        self.addParameter(param)

        self.addOutput(QgsProcessingOutputNumber(self.BAND_COUNT, self.tr("Number of bands")))

    def checkParameterValues(
        self, parameters: dict, context: QgsProcessingContext
    ) -> tuple[bool, str]:
        inputs = parameters.get(self.INPUT)
        if not inputs:
            return False, self.tr("No input rasters: choose at least one raster to align.")
        values = inputs if isinstance(inputs, (list, tuple)) else [inputs]
        for value in values:
            if isinstance(value, str) and not isinstance(
                QgsProcessingUtils.mapLayerFromString(value, context), QgsRasterLayer
            ):
                return False, self.tr(
                    "Cannot read {0} as a raster; check that the file exists and is a "
                    "raster format GDAL can read."
                ).format(value)
        size = parameters.get(self.PIXEL_SIZE)
        if size not in (None, ""):
            value = self.parameterAsDouble(parameters, self.PIXEL_SIZE, context)
            if not value > 0:
                return False, self.tr(
                    "The pixel size must be a positive number of target CRS units "
                    "(got {0}); leave it empty to keep the reference's."
                ).format(size)
        return super().checkParameterValues(parameters, context)

    def _input_paths(self, parameters, context) -> list[str]:
        layers = self.parameterAsLayerList(parameters, self.INPUT, context)
        paths = []
        for layer in layers:
            if not isinstance(layer, QgsRasterLayer) or not layer.isValid():
                raise QgsProcessingException(
                    self.tr("Input '{0}' is not a readable raster layer.").format(layer.name())
                )
            paths.append(file_of(layer, self.tr))
        if not paths:
            raise QgsProcessingException(
                self.tr("No input rasters: choose at least one raster to align.")
            )
        return paths

    def processAlgorithm(
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        from ..core.prepare import align

        paths = self._input_paths(parameters, context)
        if parameters.get(self.REFERENCE):
            reference_layer, reference = self.raster_path(parameters, self.REFERENCE, context)
            reference_crs = reference_layer.crs()
        else:
            reference = paths[0]
            reference_crs = self.parameterAsLayerList(parameters, self.INPUT, context)[0].crs()

        target = self.parameterAsCrs(parameters, self.TARGET_CRS, context)
        crs = crs_text(target) if target.isValid() else None
        pixel_size = None
        if parameters.get(self.PIXEL_SIZE) not in (None, ""):
            pixel_size = self.parameterAsDouble(parameters, self.PIXEL_SIZE, context)
        extent = None
        if parameters.get(self.EXTENT) not in (None, ""):
            extent_crs = target if target.isValid() else reference_crs
            if not extent_crs.isValid():
                raise QgsProcessingException(
                    self.tr(
                        "The reference raster has no CRS, so the extent cannot be placed; "
                        "assign a CRS to it or give a target CRS."
                    )
                )
            rect = self.parameterAsExtent(parameters, self.EXTENT, context, extent_crs)
            if not rect.isNull() and not rect.isEmpty():
                extent = (rect.xMinimum(), rect.yMinimum(), rect.xMaximum(), rect.yMaximum())
        method = RESAMPLING[self.parameterAsEnum(parameters, self.RESAMPLING, context)][0]
        output = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)

        grid = self.run_core(align.target_grid, reference, crs, pixel_size, extent)
        feedback.pushInfo(
            self.tr("Target grid: {0} x {1} pixels of {2:g} x {3:g} in {4}").format(
                grid.width, grid.height, grid.res[0], grid.res[1], grid.crs.to_string()
            )
        )
        layers = self.parameterAsLayerList(parameters, self.INPUT, context)
        result = self.run_core(
            align.align_rasters,
            paths,
            output,
            grid,
            method,
            progress=self.progress(feedback),
            source_nodata=[user_nodata(layer) for layer in layers],
        )
        for path, count in result.zeros_kept.items():
            feedback.pushWarning(
                self.tr(
                    "{0} has no nodata value: {1} pixels where all its bands are 0 were kept "
                    "as data (often a zero-filled border). If 0 means no data, set 0 as its "
                    "nodata value (Layer Properties ▸ Transparency ▸ Additional no data "
                    "value, or gdal_edit -a_nodata 0) and align again, or mask the stack "
                    "with 'Mask invalid and cloud pixels' and the invalid value 0."
                ).format(Path(path).name, count)
            )
        for path in result.partial:
            feedback.pushWarning(
                self.tr(
                    "{0} covers only part of the target grid; the rest of its bands is nodata."
                ).format(Path(path).name)
            )
        if result.role_notes:
            feedback.pushInfo(
                self.tr("Band roles from file names: {0}").format("; ".join(result.role_notes))
            )
        feedback.pushInfo(
            self.tr("Wrote {0} bands of type {1} (nodata {2}) to {3}").format(
                len(result.descriptions), result.dtype, result.nodata, output
            )
        )
        return {self.OUTPUT: output, self.BAND_COUNT: len(result.descriptions)}
