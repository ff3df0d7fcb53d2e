"""What every landcover algorithm shares: translation, groups, dependency checks,
progress wiring and turning core errors into messages for the user."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsRasterLayer,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from qgis.PyQt.QtGui import QIcon

from ..core.deps import install_hint, missing_packages

ICON_PATH = Path(__file__).resolve().parent.parent / "resources" / "icon.svg"

# groupId -> display name (translated in LandcoverAlgorithm.group)
GROUPS = {
    "prepare": QT_TRANSLATE_NOOP("LandcoverAlgorithm", "1. Prepare imagery"),
    "features": QT_TRANSLATE_NOOP("LandcoverAlgorithm", "2. Features"),
    "classification": QT_TRANSLATE_NOOP("LandcoverAlgorithm", "3. Classification"),
    "accuracy": QT_TRANSLATE_NOOP("LandcoverAlgorithm", "4. Accuracy assessment"),
    "postprocess": QT_TRANSLATE_NOOP("LandcoverAlgorithm", "5. Post-processing"),
}


class LandcoverAlgorithm(QgsProcessingAlgorithm):
    """Base class of every algorithm of the ``landcover`` provider.

    Subclasses define ``name``, ``displayName``, ``groupId``, ``shortHelpString``,
    ``initAlgorithm`` and ``processAlgorithm``; ``REQUIRES`` lists the import names
    of the third-party packages their core code needs.
    """

    REQUIRES: tuple[str, ...] = ("numpy", "rasterio")

    def tr(self, text: str) -> str:
        # pylupdate5 files a string under the class whose source holds it, or under
        # "@default" outside any class (helpers handed ``self.tr``), so a string of a
        # base class or a helper is looked up there, not only under this class's name.
        for cls in type(self).__mro__:
            if issubclass(cls, LandcoverAlgorithm):
                translated = QCoreApplication.translate(cls.__name__, text)
                if translated != text:
                    return translated
        return QCoreApplication.translate("@default", text)

    @staticmethod
    def counted(count: int, one: str, other: str) -> str:
        """``one`` or ``other`` (translated texts with ``{0}`` for the count) by
        ``count``: ``counted(n, tr("{0} block"), tr("{0} blocks"))`` gives "1 block"."""
        return (one if count == 1 else other).format(count)

    def createInstance(self) -> LandcoverAlgorithm:
        return type(self)()

    def group(self) -> str:
        return QCoreApplication.translate("LandcoverAlgorithm", GROUPS[self.groupId()])

    def icon(self) -> QIcon:
        return QIcon(str(ICON_PATH))

    def svgIconPath(self) -> str:
        return str(ICON_PATH)

    def canExecute(self) -> tuple[bool, str]:
        missing = missing_packages(self.REQUIRES)
        if missing:
            return False, install_hint(missing)
        return True, ""

    def checkParameterValues(self, parameters: dict, context: QgsProcessingContext):
        # processing.run and qgis_process never ask canExecute: without this, a
        # missing package would surface as a traceback in the middle of the run.
        ok, message = self.canExecute()
        if not ok:
            return False, message
        return super().checkParameterValues(parameters, context)

    def progress(self, feedback: QgsProcessingFeedback | None):
        """A core ``Progress`` that drives the QGIS progress bar and honours Cancel."""
        from ..core.progress import Progress

        if feedback is None:
            return Progress()
        return Progress(
            lambda fraction: feedback.setProgress(100.0 * fraction), feedback.isCanceled
        )

    def run_core(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Call a core function, turning its user errors and cancellation into
        ``QgsProcessingException`` messages (nothing is written in either case)."""
        from ..core.errors import InputError
        from ..core.progress import Cancelled

        try:
            return function(*args, **kwargs)
        except InputError as exc:
            raise QgsProcessingException(sentence(str(exc))) from exc
        except Cancelled as exc:
            raise QgsProcessingException(
                self.tr("Cancelled by the user; no output was written.")
            ) from exc
        except MemoryError as exc:
            raise QgsProcessingException(
                self.tr(
                    "Out of memory. Lower the block size or memory budget of this tool, "
                    "or close other programs, and run it again."
                )
            ) from exc

    def raster_path(
        self, parameters: dict, name: str, context: QgsProcessingContext
    ) -> tuple[QgsRasterLayer, str]:
        """The raster layer of parameter ``name`` and the file it reads from."""
        layer = self.parameterAsRasterLayer(parameters, name, context)
        if layer is None or not layer.isValid():
            raise QgsProcessingException(
                self.tr("Parameter {0}: cannot open the raster layer; check the path.").format(name)
            )
        return layer, file_of(layer, self.tr)


def crs_name(crs: QgsCoordinateReferenceSystem) -> str:
    """A CRS as a user can recognise it, never empty: its authority id, else its name,
    else its PROJ definition (a CRS without an EPSG code read from a file is often
    named "unnamed" or nothing at all)."""
    if not crs.isValid():
        return "no CRS"
    description = crs.description().strip()
    if crs.authid():
        return crs.authid()
    if description and description.lower() not in ("unnamed", "unknown"):
        return description
    return crs.toProj() or crs.toWkt()


def check_map_distance(algorithm, layer: QgsRasterLayer, value: float, label: str) -> None:
    """Refuse a distance in map units that cannot be meant in degrees: on a geographic
    raster, one at least as large as the whole raster (a value typed in metres)."""
    crs = layer.crs()
    if not crs.isGeographic():
        return
    extent = layer.extent()
    if value >= max(extent.width(), extent.height()):
        raise QgsProcessingException(
            algorithm.tr(
                "The raster is in a geographic CRS ({0}), so the {1} is in degrees: {2:g} "
                "degrees is larger than the whole raster ({3:.4g} by {4:.4g} degrees). Give "
                "it in degrees (0.01 degree is about 1.1 km north-south), or reproject the "
                "raster to a projected CRS in metres."
            ).format(crs_name(crs), label, value, extent.width(), extent.height())
        )


def sentence(text: str) -> str:
    """``text`` as a sentence: a capital first (core messages start in lower case, to
    read well inside longer ones), unless it starts with a name such as a file's."""
    first = text.split(" ", 1)[0]
    if first.isalpha() and first.islower():
        return text[:1].upper() + text[1:]
    return text


def file_of(layer: QgsRasterLayer, tr: Callable[[str], str]) -> str:
    """The file a GDAL raster layer reads, or an error saying to save it to a file."""
    if layer.providerType() != "gdal":
        raise QgsProcessingException(
            tr("Layer '{0}' is not a file-based raster ({1}); save it as GeoTIFF first.").format(
                layer.name(), layer.providerType()
            )
        )
    source = layer.source().split("|")[0]
    if not Path(source).exists():
        raise QgsProcessingException(
            tr("Layer '{0}': the file {1} does not exist.").format(layer.name(), source)
        )
    return source
