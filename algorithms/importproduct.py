"""Import a Sentinel-2 L2A or Landsat Collection 2 Level-2 product as one reflectance stack."""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from .base import LandcoverAlgorithm
from .qgis_compat import FILE_BEHAVIOUR_FILE, FLAG_ADVANCED

# Kept in step with core.product (a test checks it); listed here so the Toolbox can
# show the tool when numpy or rasterio is missing.
RESOLUTIONS = (10, 20, 60)
RESAMPLING = (
    ("bilinear", QT_TRANSLATE_NOOP("ImportProduct", "Bilinear")),
    ("cubic", QT_TRANSLATE_NOOP("ImportProduct", "Cubic")),
    ("nearest", QT_TRANSLATE_NOOP("ImportProduct", "Nearest neighbour")),
    ("average", QT_TRANSLATE_NOOP("ImportProduct", "Average")),
)
# (sensor, value or bit, label): SCL classes of Sentinel-2, QA_PIXEL bits of Landsat
MASK_CHOICES = (
    ("scl", 1, QT_TRANSLATE_NOOP("ImportProduct", "SCL 1: saturated or defective")),
    ("scl", 2, QT_TRANSLATE_NOOP("ImportProduct", "SCL 2: dark area (topographic shadow)")),
    ("scl", 3, QT_TRANSLATE_NOOP("ImportProduct", "SCL 3: cloud shadows")),
    ("scl", 6, QT_TRANSLATE_NOOP("ImportProduct", "SCL 6: water")),
    ("scl", 7, QT_TRANSLATE_NOOP("ImportProduct", "SCL 7: unclassified")),
    ("scl", 8, QT_TRANSLATE_NOOP("ImportProduct", "SCL 8: cloud medium probability")),
    ("scl", 9, QT_TRANSLATE_NOOP("ImportProduct", "SCL 9: cloud high probability")),
    ("scl", 10, QT_TRANSLATE_NOOP("ImportProduct", "SCL 10: thin cirrus")),
    ("scl", 11, QT_TRANSLATE_NOOP("ImportProduct", "SCL 11: snow or ice")),
    ("qa", 1, QT_TRANSLATE_NOOP("ImportProduct", "QA_PIXEL bit 1: dilated cloud")),
    ("qa", 2, QT_TRANSLATE_NOOP("ImportProduct", "QA_PIXEL bit 2: cirrus")),
    ("qa", 3, QT_TRANSLATE_NOOP("ImportProduct", "QA_PIXEL bit 3: cloud")),
    ("qa", 4, QT_TRANSLATE_NOOP("ImportProduct", "QA_PIXEL bit 4: cloud shadow")),
    ("qa", 5, QT_TRANSLATE_NOOP("ImportProduct", "QA_PIXEL bit 5: snow")),
    ("qa", 7, QT_TRANSLATE_NOOP("ImportProduct", "QA_PIXEL bit 7: water")),
)
DEFAULT_SCL = (3, 8, 9, 10)
DEFAULT_QA_BITS = (1, 2, 3, 4)
DEFAULT_MASK = [
    i
    for i, (kind, value, _) in enumerate(MASK_CHOICES)
    if value in (DEFAULT_SCL if kind == "scl" else DEFAULT_QA_BITS)
]


class ImportProduct(LandcoverAlgorithm):
    INPUT = "INPUT"
    BANDS = "BANDS"
    RESOLUTION = "RESOLUTION"
    RESAMPLING = "RESAMPLING"
    MASK = "MASK"
    OUTPUT = "OUTPUT"
    BAND_COUNT = "BAND_COUNT"
    SENSOR = "SENSOR"
    DATE = "DATE"

    def name(self) -> str:
        return "importproduct"

    def displayName(self) -> str:
        return self.tr("Import Sentinel-2 / Landsat product")

    def groupId(self) -> str:
        return "prepare"

    def shortHelpString(self) -> str:
        return self.tr(
            "Turns a downloaded satellite product into one float32 surface reflectance "
            "stack, masked and described band by band, in one step.\n\n"
            "Input: a Sentinel-2 Level-2A product (the .SAFE folder, its .zip or its "
            "MTD_MSIL2A.xml) or a Landsat 4-9 Collection 2 Level-2 product (its folder, its "
            ".tar or its _MTL.xml, _MTL.txt or _MTL.json). Archives are read where they "
            "are, never unpacked.\n\n"
            "Reflectance comes from the product's own metadata: Sentinel-2 (DN + "
            "BOA_ADD_OFFSET) / BOA_QUANTIFICATION_VALUE for each band (no offset before "
            "processing baseline 04.00); Landsat DN x REFLECTANCE_MULT_BAND_n + "
            "REFLECTANCE_ADD_BAND_n from the MTL file. DN 0 is fill.\n\n"
            "Sentinel-2 bands coarser than the output resolution (the 20 m bands on the "
            "10 m grid) are resampled with the chosen method, finer ones averaged; the "
            "scene classification (SCL, 20 m) by nearest neighbour. Landsat keeps its 30 m "
            "grid.\n\n"
            "Mask: pixels of the chosen SCL classes (Sentinel-2) or QA_PIXEL bits "
            "(Landsat) become nodata (NaN) in every band, as do fill pixels (DN 0 in any "
            "band, SCL 0, QA_PIXEL bit 0). Defaults: SCL 3, 8, 9, 10 (cloud shadows, cloud "
            "medium and high probability, thin cirrus); QA_PIXEL bits 1, 2, 3, 4 (dilated "
            "cloud, cirrus, cloud, cloud shadow). Snow is not masked unless chosen.\n\n"
            "Output: each band described by its role and band name, e.g. 'nir (B08)', "
            "'swir1 (SR_B6)', and tagged with both; the raster is tagged with the sensor, "
            "date, tile (path and row for Landsat) and product name. Spectral indices and "
            "texture find their bands from these descriptions without band numbers.\n\n"
            "Example: S2A_MSIL2A_..._T32TQM_....zip with the default bands (B02 B03 B04 B05 "
            "B06 B07 B08 B8A B11 B12) at 10 m: a 10-band reflectance stack of 10980 x 10980 "
            "pixels with clouds and shadows as nodata."
        )

    def initAlgorithm(self, config: dict | None = None) -> None:
        param = QgsProcessingParameterFile(
            self.INPUT,
            self.tr("Product (folder, archive or metadata file)"),
            behavior=FILE_BEHAVIOUR_FILE,
            fileFilter=self.tr(
                "Satellite products (*.zip *.tar *.tar.gz *.xml *.txt *.json);;All files (*)"
            ),
        )
        param.setHelp(
            self.tr(
                "The .SAFE folder, its .zip or its MTD_MSIL2A.xml (Sentinel-2 L2A); the "
                "Landsat Collection 2 Level-2 folder, its .tar or its MTL file. A folder "
                "path may be typed or pasted."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterString(self.BANDS, self.tr("Bands"), optional=True)
        param.setHelp(
            self.tr(
                "Band names in output order, separated by commas, e.g. 'B02, B03, B04, "
                "B08' or 'SR_B2, SR_B3, SR_B4, SR_B5'. Empty: Sentinel-2 B02 B03 B04 B05 "
                "B06 B07 B08 B8A B11 B12; Landsat 8/9 SR_B1 to SR_B7; Landsat 4-7 SR_B1 to "
                "SR_B5 and SR_B7."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterEnum(
            self.RESOLUTION,
            self.tr("Resolution (Sentinel-2)"),
            options=[self.tr("{0} m").format(r) for r in RESOLUTIONS],
            defaultValue=0,
        )
        param.setHelp(
            self.tr(
                "Pixel size of the output grid for Sentinel-2 products. Ignored for "
                "Landsat (always 30 m)."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterEnum(
            self.RESAMPLING,
            self.tr("Resampling of coarser bands"),
            options=[self.tr(label) for _, label in RESAMPLING],
            defaultValue=0,
        )
        param.setHelp(
            self.tr(
                "How bands coarser than the output grid (20 m bands at 10 m) are "
                "resampled. Bilinear gives smooth values; nearest neighbour keeps the "
                "original values. The SCL is always resampled by nearest neighbour."
            )
        )
        param.setFlags(param.flags() | FLAG_ADVANCED)
        self.addParameter(param)

        param = QgsProcessingParameterEnum(
            self.MASK,
            self.tr("Mask (SCL classes, QA_PIXEL bits)"),
            options=[self.tr(label) for _, _, label in MASK_CHOICES],
            allowMultiple=True,
            optional=True,
            defaultValue=DEFAULT_MASK,
        )
        param.setHelp(
            self.tr(
                "Pixels to set to nodata: SCL classes apply to Sentinel-2, QA_PIXEL bits "
                "to Landsat. Default: SCL 3, 8, 9, 10 and QA_PIXEL bits 1, 2, 3, 4 (clouds, "
                "cirrus and cloud shadows). None chosen: only fill pixels are nodata."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterRasterDestination(self.OUTPUT, self.tr("Reflectance stack"))
        param.setHelp(
            self.tr("Float32 GeoTIFF (nodata NaN), one band per chosen band, described by role.")
        )
        self.addParameter(param)

        self.addOutput(QgsProcessingOutputNumber(self.BAND_COUNT, self.tr("Number of bands")))
        self.addOutput(QgsProcessingOutputString(self.SENSOR, self.tr("Sensor")))
        self.addOutput(QgsProcessingOutputString(self.DATE, self.tr("Acquisition date")))

    def checkParameterValues(
        self, parameters: dict, context: QgsProcessingContext
    ) -> tuple[bool, str]:
        ok, message = super().checkParameterValues(parameters, context)
        if not ok:
            return ok, message
        value = self.parameterAsFile(parameters, self.INPUT, context)
        if not value or not Path(value).exists():
            return False, self.tr(
                "The product {0} does not exist; choose a .SAFE folder, a .zip or .tar, or "
                "a metadata file."
            ).format(value)
        return True, ""

    def processAlgorithm(
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        from ..core.prepare import product

        source = self.parameterAsFile(parameters, self.INPUT, context)
        bands = self.parameterAsString(parameters, self.BANDS, context)
        resolution = RESOLUTIONS[self.parameterAsEnum(parameters, self.RESOLUTION, context)]
        method = RESAMPLING[self.parameterAsEnum(parameters, self.RESAMPLING, context)][0]
        chosen = [MASK_CHOICES[i] for i in self.parameterAsEnums(parameters, self.MASK, context)]
        classes = [value for kind, value, _ in chosen if kind == "scl"]
        bits = [value for kind, value, _ in chosen if kind == "qa"]
        output = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        if Path(output).suffix.lower() not in (".tif", ".tiff"):
            raise QgsProcessingException(
                self.tr("The output must be a GeoTIFF (.tif); got {0}.").format(output)
            )
        found = self.run_core(product.open_product, source)
        feedback.pushInfo(
            self.tr("Product {0}: {1}, {2}, tile {3}").format(
                found.name, found.spacecraft, found.date, found.tile or "?"
            )
        )
        if found.kind == "landsat" and resolution != RESOLUTIONS[0]:
            feedback.pushInfo(self.tr("Landsat products keep their 30 m grid."))
        result = self.run_core(
            product.import_product,
            found,
            output,
            bands or None,
            resolution,
            method,
            mask_classes=classes,
            mask_bits=bits,
            progress=self.progress(feedback),
        )
        for band, description in zip(result.bands, result.descriptions):
            feedback.pushInfo(
                self.tr("Band {0}: reflectance = {1}").format(description, band.formula())
            )
        for note in result.notes:
            feedback.pushInfo(note[0].upper() + note[1:])
        feedback.pushInfo(
            self.tr("Grid: {0} x {1} pixels of {2:g} m in {3}").format(
                result.grid.width,
                result.grid.height,
                result.grid.res[0],
                result.grid.crs.to_string(),
            )
        )
        mask = (
            self.tr("SCL classes {0}").format(", ".join(map(str, classes)) or "-")
            if found.kind == "sentinel2"
            else self.tr("QA_PIXEL bits {0}").format(", ".join(map(str, bits)) or "-")
        )
        total = max(result.total, 1)
        feedback.pushInfo(
            self.tr("Masked by {0}: {1:.1f} % of the pixels; fill: {2:.1f} %").format(
                mask, 100.0 * result.masked / total, 100.0 * result.fill / total
            )
        )
        if result.masked + result.fill >= result.total:
            feedback.pushWarning(
                self.tr(
                    "Every pixel is masked or fill; choose fewer mask classes or another scene."
                )
            )
        return {
            self.OUTPUT: output,
            self.BAND_COUNT: len(result.descriptions),
            self.SENSOR: found.spacecraft,
            self.DATE: found.date,
        }
