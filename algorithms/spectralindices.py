"""Spectral indices: NDVI, NDWI, MNDWI, NDBI, SAVI, EVI, NBR, NDMI and more, as a
float32 feature stack."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingParameterBand,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from .base import LandcoverAlgorithm, sentence
from .qgis_compat import FLAG_ADVANCED, NUMBER_DOUBLE

SCALE_DECIMALS = 10

# Kept in step with core.indices.PRESETS and core.indices.INDICES (a test checks it);
# listed here so the Toolbox can show the tool when numpy is missing.
SENSORS = (
    ("custom", QT_TRANSLATE_NOOP("SpectralIndices", "Custom (give band numbers)")),
    (
        "sentinel2_10",
        QT_TRANSLATE_NOOP(
            "SpectralIndices", "Sentinel-2 L2A, 10 bands (B2,B3,B4,B5,B6,B7,B8,B8A,B11,B12)"
        ),
    ),
    (
        "sentinel2_4",
        QT_TRANSLATE_NOOP("SpectralIndices", "Sentinel-2 L2A, 4 bands at 10 m (B2,B3,B4,B8)"),
    ),
    (
        "sentinel2_12",
        QT_TRANSLATE_NOOP(
            "SpectralIndices", "Sentinel-2 L2A, 12 bands (B1,B2,B3,B4,B5,B6,B7,B8,B8A,B9,B11,B12)"
        ),
    ),
    (
        "landsat89",
        QT_TRANSLATE_NOOP("SpectralIndices", "Landsat 8/9 Collection 2 Level-2 (SR_B1 to SR_B7)"),
    ),
)
BAND_LABELS = {
    "blue": QT_TRANSLATE_NOOP("SpectralIndices", "Blue"),
    "green": QT_TRANSLATE_NOOP("SpectralIndices", "Green"),
    "red": QT_TRANSLATE_NOOP("SpectralIndices", "Red"),
    "nir": QT_TRANSLATE_NOOP("SpectralIndices", "NIR"),
    "swir1": QT_TRANSLATE_NOOP("SpectralIndices", "SWIR1"),
    "swir2": QT_TRANSLATE_NOOP("SpectralIndices", "SWIR2"),
}
INDEX_NAMES = (
    "NDVI",
    "NDWI",
    "MNDWI",
    "NDBI",
    "SAVI",
    "EVI",
    "NBR",
    "NDMI",
    "GNDVI",
    "EVI2",
    "MSAVI",
    "BSI",
)


class SpectralIndices(LandcoverAlgorithm):
    INPUT = "INPUT"
    SENSOR = "SENSOR"
    BLUE = "BLUE"
    GREEN = "GREEN"
    RED = "RED"
    NIR = "NIR"
    SWIR1 = "SWIR1"
    SWIR2 = "SWIR2"
    INDICES = "INDICES"
    SCALE_FACTOR = "SCALE_FACTOR"
    OFFSET = "OFFSET"
    APPEND_TO_INPUT = "APPEND_TO_INPUT"
    OUTPUT = "OUTPUT"

    ROLES = {
        "blue": BLUE,
        "green": GREEN,
        "red": RED,
        "nir": NIR,
        "swir1": SWIR1,
        "swir2": SWIR2,
    }

    def name(self) -> str:
        return "spectralindices"

    def displayName(self) -> str:
        return self.tr("Spectral indices")

    def groupId(self) -> str:
        return "features"

    def shortHelpString(self) -> str:
        return self.tr(
            "Computes spectral indices from a multiband image, block by block, into a "
            "float32 raster (nodata NaN) ready to stack with the bands for training.\n\n"
            "Indices: NDVI (NIR, Red), NDWI after McFeeters (Green, NIR), MNDWI (Green, "
            "SWIR1), NDBI (SWIR1, NIR), SAVI with L = 0.5 (NIR, Red), EVI (NIR, Red, Blue), "
            "NBR (NIR, SWIR2), NDMI (NIR, SWIR1), GNDVI (NIR, Green), EVI2 (NIR, Red), MSAVI "
            "(NIR, Red) and BSI, the bare soil index (SWIR1, Red, NIR, Blue).\n\n"
            "Band order of the sensor presets (band numbers given explicitly override the "
            "preset):\n"
            "- Sentinel-2 L2A, 10 bands: B2, B3, B4, B5, B6, B7, B8, B8A, B11, B12, so Blue "
            "1, Green 2, Red 3, NIR 7 (B8), SWIR1 9 (B11), SWIR2 10 (B12); scale 0.0001.\n"
            "- Sentinel-2 L2A, 4 bands at 10 m: B2, B3, B4, B8, so Blue 1, Green 2, Red 3, "
            "NIR 4; scale 0.0001.\n"
            "- Sentinel-2 L2A, 12 bands: B1, B2, B3, B4, B5, B6, B7, B8, B8A, B9, B11, B12, "
            "so Blue 2, Green 3, Red 4, NIR 8, SWIR1 11, SWIR2 12; scale 0.0001.\n"
            "- Landsat 8/9 Collection 2 Level-2: SR_B1 to SR_B7, so Blue 2, Green 3, Red 4, "
            "NIR 5, SWIR1 6, SWIR2 7; scale 0.0000275, offset -0.2.\n\n"
            "Band roles: a band whose description or metadata names its role (as "
            "'Import Sentinel-2 / Landsat product', 'Align and stack rasters' and this tool "
            "write them, e.g. 'nir (B08)') is used for that role before the preset's band "
            "order, with any preset, 'Custom' included; the log says which band each role "
            "took and why. A stack tagged as reflectance (by the import tool) is not scaled "
            "again. With 'Append to the input bands', input bands used for a role are "
            "described by it, e.g. 'nir (band 4)'.\n\n"
            "Every index is computed on reflectance = value x scale factor + offset. Sentinel-2 "
            "L2A products of processing baseline 04.00 or later (from January 2022) carry an "
            "offset of -1000: set the offset to -0.1 for them unless the offset was already "
            "removed.\n\n"
            "A pixel is nodata (NaN) in an index when a band the index uses is nodata there "
            "or when the index divides by zero; an index whose band is not assigned stops "
            "the tool with a message naming the band.\n\n"
            "Output: one band per index, named after it (e.g. 'NDVI'); with 'Append to the "
            "input bands' the input bands come first (named after their descriptions, or "
            "'band N'). Each band records how it was made in its LANDCOVER_FEATURE metadata, "
            "so later steps can check that a scene was built the same way.\n\n"
            "Example: a Sentinel-2 L2A 10-band stack, preset 'Sentinel-2 L2A, 10 bands', "
            "indices NDVI, MNDWI and NDBI, append to the input: a 13-band feature stack that "
            "separates water, vegetation and built-up land far better than the bands alone."
        )

    def initAlgorithm(self, config: dict | None = None) -> None:
        param = QgsProcessingParameterRasterLayer(self.INPUT, self.tr("Input multiband raster"))
        param.setHelp(self.tr("Multiband image (digital numbers or reflectance)."))
        self.addParameter(param)

        param = QgsProcessingParameterEnum(
            self.SENSOR,
            self.tr("Sensor preset (band order)"),
            options=[self.tr(title) for _, title in SENSORS],
            defaultValue=0,
        )
        param.setHelp(
            self.tr(
                "Band order and scale of a common product, so band numbers need not be "
                "looked up. 'Custom' uses only the band numbers given below."
            )
        )
        self.addParameter(param)

        for role, constant in self.ROLES.items():
            label = self.tr(BAND_LABELS[role])
            param = QgsProcessingParameterBand(
                constant,
                self.tr("{0} band").format(label),
                parentLayerParameterName=self.INPUT,
                optional=True,
            )
            param.setHelp(
                self.tr(
                    "Band number of the {0} band. Empty or 0: the preset's band (with "
                    "'Custom': not available)."
                ).format(label)
            )
            self.addParameter(param)

        param = QgsProcessingParameterEnum(
            self.INDICES,
            self.tr("Indices"),
            options=list(INDEX_NAMES),
            allowMultiple=True,
            defaultValue=[0],
            optional=True,
        )
        param.setHelp(
            self.tr(
                "Indices to compute, one output band each, in this order. None is allowed "
                "when the input bands are appended (imagery without near infrared)."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.SCALE_FACTOR,
            self.tr("Scale factor to reflectance"),
            type=NUMBER_DOUBLE,
            optional=True,
        )
        param.setHelp(
            self.tr(
                "Reflectance = value x scale factor + offset. Empty: the preset's (0.0001 for "
                "Sentinel-2 L2A, 0.0000275 for Landsat C2 L2, 1 for 'Custom'). SAVI, EVI, EVI2 "
                "and MSAVI are only meaningful on reflectance."
            )
        )
        # The dialog rounds to 6 decimals by default: 0.0000275 would become 0.000028.
        param.setMetadata({"widget_wrapper": {"decimals": SCALE_DECIMALS}})
        param.setFlags(param.flags() | FLAG_ADVANCED)
        self.addParameter(param)

        param = QgsProcessingParameterNumber(
            self.OFFSET,
            self.tr("Offset to reflectance"),
            type=NUMBER_DOUBLE,
            optional=True,
        )
        param.setHelp(
            self.tr(
                "Added after scaling. Empty: the preset's (-0.2 for Landsat C2 L2, else 0). "
                "Use -0.1 for Sentinel-2 L2A of processing baseline 04.00 or later."
            )
        )
        param.setFlags(param.flags() | FLAG_ADVANCED)
        self.addParameter(param)

        param = QgsProcessingParameterBoolean(
            self.APPEND_TO_INPUT, self.tr("Append to the input bands"), defaultValue=False
        )
        param.setHelp(
            self.tr(
                "Write the input bands first, then the indices: one feature stack ready for "
                "training. Otherwise only the indices are written."
            )
        )
        self.addParameter(param)

        self.addSchedulerParameter()

        param = QgsProcessingParameterRasterDestination(self.OUTPUT, self.tr("Index raster"))
        param.setHelp(self.tr("Float32 raster (nodata NaN), one band per index named after it."))
        self.addParameter(param)

    def _settings(
        self, parameters: dict, context: QgsProcessingContext, path: str, band_count: int
    ) -> tuple[list[str], dict[str, int], float, float, list[str]]:
        """Index names, band numbers and their sources, scale, offset and notes for the
        log, checked (core InputError)."""
        from ..core.features.indices import (
            INDICES,
            PRESETS,
            assign_bands,
            check_indices,
            input_bands,
        )

        key = SENSORS[self.parameterAsEnum(parameters, self.SENSOR, context)][0]
        preset = PRESETS[key]
        # As numbers, not parameterAsInt: 2.5 must be refused, not read as band 2.
        overrides = {
            role: self.parameterAsDouble(parameters, constant, context)
            for role, constant in self.ROLES.items()
            if parameters.get(constant) not in (None, "")
        }
        described, labels, reflectance = input_bands(path)
        bands, how = assign_bands(key, overrides, described)
        names = [INDEX_NAMES[i] for i in self.parameterAsEnums(parameters, self.INDICES, context)]
        append = self.parameterAsBoolean(parameters, self.APPEND_TO_INPUT, context)
        check_indices(names, bands, band_count, append)
        scale, offset = preset.scale, preset.offset
        notes = []
        used = {role for name in names for role in INDICES[name].bands}
        for role in sorted(used, key=list(self.ROLES).index):
            number = bands[role]
            label = self.tr(BAND_LABELS[role])
            if how[role] == "given":
                text = self.tr("{0}: band {1} (given)").format(label, number)
            elif how[role] == "described":
                text = self.tr("{0}: band {1} (described as '{2}')").format(
                    label, number, labels[number - 1]
                )
            else:
                text = self.tr(
                    "{0}: band {1} (band order of the preset '{2}'; no band is described as "
                    "{0}: check that the input has this band order)"
                ).format(label, number, self.tr(SENSORS[list(PRESETS).index(key)][1]))
            notes.append(text)
        if reflectance and (scale, offset) != (1.0, 0.0):
            scale, offset = 1.0, 0.0
            notes.append(
                self.tr(
                    "The input is already reflectance (tagged LANDCOVER_UNITS=reflectance): "
                    "the preset's scale and offset are not applied."
                )
            )
        if parameters.get(self.SCALE_FACTOR) is not None:
            scale = self.parameterAsDouble(parameters, self.SCALE_FACTOR, context)
        if parameters.get(self.OFFSET) is not None:
            offset = self.parameterAsDouble(parameters, self.OFFSET, context)
        return names, bands, scale, offset, notes

    def checkParameterValues(
        self, parameters: dict, context: QgsProcessingContext
    ) -> tuple[bool, str]:
        ok, message = super().checkParameterValues(parameters, context)
        if not ok:
            return ok, message
        from ..core.io.errors import InputError

        layer = self.parameterAsRasterLayer(parameters, self.INPUT, context)
        if layer is None or not layer.isValid() or layer.providerType() != "gdal":
            return ok, message  # processAlgorithm says what is wrong with the layer
        try:
            path = layer.source().split("|")[0]
            _, _, scale, _, _ = self._settings(parameters, context, path, layer.bandCount())
        except InputError as exc:
            return False, sentence(str(exc))
        if scale == 0:
            return False, self.tr("The scale factor must not be 0.")
        return True, ""

    def processAlgorithm(
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        from ..core.features.indices import spectral_indices

        scheduler = self.parameterAsScheduler(parameters, context)
        layer, path = self.raster_path(parameters, self.INPUT, context)
        names, bands, scale, offset, notes = self.run_core(
            self._settings, parameters, context, path, layer.bandCount()
        )
        append = self.parameterAsBoolean(parameters, self.APPEND_TO_INPUT, context)
        output = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        for note in notes:
            feedback.pushInfo(note)
        feedback.pushInfo(self.tr("Reflectance = value x {0} + {1}").format(scale, offset))
        summary = self.run_core(
            spectral_indices,
            path,
            output,
            names,
            bands,
            scale=scale,
            offset=offset,
            append=append,
            progress=self.progress(feedback),
            scheduler=scheduler,
        )
        for warning in summary.warnings:
            feedback.pushWarning(warning)
        feedback.pushInfo(self.tr("Output bands: {0}").format(", ".join(summary.descriptions)))
        return {self.OUTPUT: output}
