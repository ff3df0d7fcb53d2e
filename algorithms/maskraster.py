"""Mask invalid and cloud pixels: set nodata where values are invalid or a mask flags them."""

from __future__ import annotations

import math

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterRange,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)

from .base import LandcoverAlgorithm, sentence
from .qgis_compat import FLAG_ADVANCED, NUMBER_DOUBLE


class MaskRaster(LandcoverAlgorithm):
    INPUT = "INPUT"
    INVALID_VALUES = "INVALID_VALUES"
    VALID_RANGE = "VALID_RANGE"
    MASK_LAYER = "MASK_LAYER"
    MASK_VALUES = "MASK_VALUES"
    MASK_BITS = "MASK_BITS"
    OUTPUT = "OUTPUT"
    MASKED_PERCENT = "MASKED_PERCENT"
    MASKED_PIXELS = "MASKED_PIXELS"

    def name(self) -> str:
        return "maskraster"

    def displayName(self) -> str:
        return self.tr("Mask invalid and cloud pixels")

    def groupId(self) -> str:
        return "prepare"

    def shortHelpString(self) -> str:
        return self.tr(
            "Sets nodata on every pixel that should not be classified: pixels with an "
            "invalid value, pixels outside the valid range, and pixels a cloud mask or "
            "quality band flags as cloud or shadow. A masked pixel becomes nodata in every "
            "band, and so does a pixel that is already nodata in any band.\n\n"
            "The mask raster (a cloud mask, a Sentinel-2 SCL band, a Landsat QA_PIXEL band) "
            "flags a pixel by value (for example SCL 3 cloud shadow, 8 and 9 cloud, 10 "
            "cirrus) or by bit (for example QA_PIXEL bit 3 cloud and bit 4 cloud shadow). "
            "When its grid differs from the input's, it is resampled onto the input grid "
            "with nearest neighbour; where it has no data, nothing is masked by it.\n\n"
            "Nodata of the output: float input keeps its type and gets NaN. Integer input "
            "keeps its type and gets a nodata value outside the valid data: its own nodata "
            "value if it has one, else the first invalid value, else a limit of the type "
            "outside the valid range or beyond every value present (for example 65535 for "
            "uint16 reflectance). Only an integer raster that uses every value of its type "
            "is promoted to float32 with NaN. Integer data never receives NaN.\n\n"
            "The share of masked pixels is written to the log and returned as an output.\n\n"
            "Example: a Sentinel-2 stack with invalid values '0', mask layer the SCL band, "
            "mask values '3, 8, 9, 10': zeros, clouds, cirrus and shadows become nodata."
        )

    def initAlgorithm(self, config: dict | None = None) -> None:
        param = QgsProcessingParameterRasterLayer(self.INPUT, self.tr("Input raster"))
        param.setHelp(self.tr("Raster to mask, single- or multiband."))
        self.addParameter(param)

        param = QgsProcessingParameterString(
            self.INVALID_VALUES, self.tr("Invalid values"), defaultValue="", optional=True
        )
        param.setHelp(
            self.tr(
                "Values meaning 'no data' in any band, separated by commas, e.g. '0' or "
                "'0, 65535'; 'a-b' gives every integer from a to b."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterRange(
            self.VALID_RANGE,
            self.tr("Valid range (minimum, maximum)"),
            type=NUMBER_DOUBLE,
            optional=True,
        )
        param.setHelp(
            self.tr(
                "Inclusive range of valid values; a pixel with a value outside it in any "
                "band is masked. Empty: no range check."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterRasterLayer(
            self.MASK_LAYER, self.tr("Mask raster (cloud mask, SCL or QA band)"), optional=True
        )
        param.setHelp(
            self.tr(
                "Raster whose first band flags pixels to mask, by the values or bits below. "
                "Resampled (nearest) onto the input grid when needed."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterString(
            self.MASK_VALUES, self.tr("Mask values"), defaultValue="", optional=True
        )
        param.setHelp(
            self.tr(
                "Values of the mask raster that mean 'mask this pixel', e.g. '3, 8, 9, 10' "
                "for Sentinel-2 SCL shadow, cloud and cirrus, or '1' for a 0/1 cloud mask."
            )
        )
        self.addParameter(param)

        param = QgsProcessingParameterString(
            self.MASK_BITS, self.tr("Mask QA bits"), defaultValue="", optional=True
        )
        param.setHelp(
            self.tr(
                "Bit positions (0 = lowest bit) of the mask raster that mean 'mask this "
                "pixel' when set, e.g. '3, 4' for Landsat Collection 2 QA_PIXEL cloud and "
                "cloud shadow (add 1 for dilated cloud, 2 for cirrus)."
            )
        )
        param.setFlags(param.flags() | FLAG_ADVANCED)
        self.addParameter(param)

        param = QgsProcessingParameterRasterDestination(self.OUTPUT, self.tr("Masked raster"))
        param.setHelp(self.tr("The input with nodata on every masked pixel."))
        self.addParameter(param)

        self.addOutput(
            QgsProcessingOutputNumber(self.MASKED_PERCENT, self.tr("Masked pixels (percent)"))
        )
        self.addOutput(QgsProcessingOutputNumber(self.MASKED_PIXELS, self.tr("Masked pixels")))

    def _settings(
        self, parameters: dict, context: QgsProcessingContext
    ) -> tuple[list[float], tuple[float | None, float | None] | None, list[float], list[int]]:
        """Invalid values, valid range, mask values and bits (core InputError if bad)."""
        from ..core.io.errors import InputError
        from ..core.prepare.mask import parse_bits, parse_numbers

        invalid = parse_numbers(
            self.parameterAsString(parameters, self.INVALID_VALUES, context), "Invalid values"
        )
        values = parse_numbers(
            self.parameterAsString(parameters, self.MASK_VALUES, context), "Mask values"
        )
        bits = parse_bits(self.parameterAsString(parameters, self.MASK_BITS, context))
        valid_range = None
        if parameters.get(self.VALID_RANGE) not in (None, ""):
            lo, hi = (
                None if v is None or math.isnan(v) else v
                for v in self.parameterAsRange(parameters, self.VALID_RANGE, context)
            )
            if lo is not None or hi is not None:
                valid_range = (lo, hi)
        has_mask = parameters.get(self.MASK_LAYER) not in (None, "")
        if has_mask and not (values or bits):
            raise InputError(
                "A mask raster was given without mask values or QA bits; say which values "
                "(e.g. SCL '3, 8, 9, 10') or bits (e.g. QA_PIXEL '3, 4') mean cloud or shadow."
            )
        if (values or bits) and not has_mask:
            raise InputError(
                "Mask values or QA bits were given without a mask raster; choose the mask "
                "raster they refer to, or clear them."
            )
        return invalid, valid_range, values, bits

    def checkParameterValues(
        self, parameters: dict, context: QgsProcessingContext
    ) -> tuple[bool, str]:
        ok, message = super().checkParameterValues(parameters, context)
        if not ok:
            return ok, message
        from ..core.io.errors import InputError

        try:
            _, valid_range, _, _ = self._settings(parameters, context)
        except InputError as exc:
            return False, sentence(str(exc))
        if valid_range and None not in valid_range and valid_range[0] > valid_range[1]:
            return False, self.tr(
                "The valid range {0:g} .. {1:g} is empty; give the minimum first."
            ).format(*valid_range)
        return True, ""

    def processAlgorithm(
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        from ..core.prepare.mask import mask_raster

        _, path = self.raster_path(parameters, self.INPUT, context)
        invalid, valid_range, values, bits = self.run_core(self._settings, parameters, context)
        mask_path = None
        if parameters.get(self.MASK_LAYER) not in (None, ""):
            _, mask_path = self.raster_path(parameters, self.MASK_LAYER, context)
        if not (invalid or valid_range or mask_path):
            feedback.pushWarning(
                self.tr(
                    "No invalid values, valid range or mask raster given: only pixels "
                    "already nodata are masked."
                )
            )
        output = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        result = self.run_core(
            mask_raster,
            path,
            output,
            invalid_values=invalid,
            valid_range=valid_range,
            mask=mask_path,
            mask_values=values,
            mask_bits=bits,
            progress=self.progress(feedback),
        )
        percent = 100.0 * result.share
        feedback.pushInfo(
            self.tr(
                "Masked {0} of {1} pixels ({2:.2f} %), {3} of them newly; output type {4}, "
                "nodata {5}."
            ).format(
                result.masked,
                result.total,
                percent,
                result.newly_masked,
                result.dtype,
                result.nodata,
            )
        )
        return {
            self.OUTPUT: output,
            self.MASKED_PERCENT: percent,
            self.MASKED_PIXELS: result.masked,
        }
