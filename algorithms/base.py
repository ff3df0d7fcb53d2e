"""What every landcover algorithm shares: translation, groups, dependency checks,
progress wiring and turning core errors into messages for the user."""

from __future__ import annotations

import configparser
import errno
import functools
import os
import re
import shutil
from pathlib import Path
from typing import Any, Callable

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsMapLayer,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputLayerDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
    QgsProcessingParameterVectorLayer,
    QgsRasterLayer,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from qgis.PyQt.QtGui import QIcon

from ..core.io.deps import install_hint, missing_packages
from ..core.learn.registry import CLASSIFIER_IDS, CLASSIFIER_LABELS, LABEL_CONTEXT
from .qgis_compat import FIELD_ANY, FLAG_ADVANCED, NUMBER_INTEGER

ICON_PATH = Path(__file__).resolve().parent.parent / "resources" / "icon.svg"
DEFAULT_MEMORY_MB = 512
METADATA_PATH = Path(__file__).resolve().parent.parent / "metadata.txt"

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
    # Names of the parameters the factories below declare alike in every tool.
    TRAINING = "TRAINING"
    CLASS_FIELD = "CLASS_FIELD"
    CLASS_NAME_FIELD = "CLASS_NAME_FIELD"
    CLASSIFIER = "CLASSIFIER"
    SEED = "SEED"
    MEMORY_MB = "MEMORY_MB"
    MODEL = "MODEL"
    REPORT = "REPORT"
    DASK_SCHEDULER = "DASK_SCHEDULER"

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

    def helpUrl(self) -> str:
        # The algorithm's section of docs/algorithms.md, whose headings scripts/make_docs.py
        # writes as "<display name> (`landcover:<name>`)" in English, whatever language
        # QGIS runs in: the anchor is made from the untranslated name, as GitHub makes it
        # (lowercase, punctuation removed, each space a hyphen).
        untranslated = type(self)()
        untranslated.tr = lambda text: text
        heading = f"{untranslated.displayName()} (landcover:{self.name()})"
        anchor = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        return f"{repository_url()}/blob/main/docs/algorithms.md#{anchor}"

    def canExecute(self) -> tuple[bool, str]:
        missing = missing_packages(self.REQUIRES)
        if missing:
            return False, install_hint(missing)
        return True, ""

    def progress(self, feedback: QgsProcessingFeedback | None):
        """A core ``Progress`` that drives the QGIS progress bar and honours Cancel."""
        from ..core.io.progress import Progress

        if feedback is None:
            return Progress()
        return Progress(
            lambda fraction: feedback.setProgress(100.0 * fraction), feedback.isCanceled
        )

    def checkParameterValues(
        self, parameters: dict, context: QgsProcessingContext
    ) -> tuple[bool, str]:
        # processing.run and qgis_process never ask canExecute: without this, a
        # missing package would surface as a traceback in the middle of the run.
        ok, message = self.canExecute()
        if not ok:
            return False, message
        ok, message = super().checkParameterValues(parameters, context)
        if not ok:
            return False, self.unreadable_raster(parameters) or message
        problem = self.output_problem(parameters, context)
        return (False, problem) if problem else (True, "")

    def unreadable_raster(self, parameters: dict) -> str | None:
        """A message for a raster input naming a file that exists but that GDAL cannot
        read (QGIS's own check says "not found")."""
        for definition in self.parameterDefinitions():
            value = parameters.get(definition.name())
            if not isinstance(definition, QgsProcessingParameterRasterLayer) or not (
                isinstance(value, str) and os.path.isfile(value)
            ):
                continue
            if not QgsRasterLayer(value, "", "gdal").isValid():
                return self.tr(
                    "{0}: {1} exists but is not a raster GDAL can read (damaged, "
                    "or another kind of file); choose a raster file such as a GeoTIFF."
                ).format(definition.description(), value)
        return None

    def prepareAlgorithm(
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> bool:
        # Again here: a model runs its child algorithms without checkParameterValues.
        problem = self.output_problem(parameters, context)
        if problem:
            raise QgsProcessingException(problem)
        return True

    def output_problem(self, parameters: dict, context: QgsProcessingContext) -> str | None:
        """Why the outputs cannot be written (one would overwrite an input or another
        output, or cannot be created), or None; partial files that killed runs left
        beside the outputs are removed."""
        from ..core.io.errors import InputError
        from ..core.io.files import check_output_path, remove_stale_partials

        outputs = self.output_files(parameters, context)
        self._output_paths = [path for _, path in outputs]
        seen = self.input_files(parameters, context)
        for name, path in outputs:
            for other_name, other in seen:
                if same_file(path, other):
                    return self.tr(
                        "Output {0} ({1}) is the same file as {2}; writing it would "
                        "destroy that file. Choose another output file name."
                    ).format(name, path, other_name)
            seen.append((name, path))
            try:
                check_output_path(path)
            except InputError as exc:
                return self.tr("Output {0}: {1}").format(name, exc)
            remove_stale_partials(path)
        return None

    def input_files(self, parameters: dict, context: QgsProcessingContext) -> list[tuple[str, str]]:
        """(parameter name, file) of every file-based raster, vector and file input."""
        files = []
        for definition in self.parameterDefinitions():
            name = definition.name()
            if parameters.get(name) is None:
                continue
            layers: list = []
            if isinstance(definition, QgsProcessingParameterRasterLayer):
                layers = [self.parameterAsRasterLayer(parameters, name, context)]
            elif isinstance(
                definition, (QgsProcessingParameterFeatureSource, QgsProcessingParameterVectorLayer)
            ):
                layers = [self.parameterAsVectorLayer(parameters, name, context)]
            elif isinstance(definition, QgsProcessingParameterMultipleLayers):
                layers = self.parameterAsLayerList(parameters, name, context)
            elif isinstance(definition, QgsProcessingParameterFile):
                files.append((name, self.parameterAsFile(parameters, name, context)))
            for layer in layers:
                if isinstance(layer, QgsMapLayer):
                    files.append((name, layer.source().split("|")[0]))
        return [(name, path) for name, path in files if path and os.path.exists(path)]

    def output_files(
        self, parameters: dict, context: QgsProcessingContext
    ) -> list[tuple[str, str]]:
        """(parameter name, file) of every output going to a file the user named."""
        files = []
        for definition in self.destinationParameterDefinitions():
            name = definition.name()
            value = parameters.get(name)
            if isinstance(value, QgsProcessingOutputLayerDefinition):
                value = value.sink.staticValue()
            if not value or not isinstance(value, str):
                continue
            if value == QgsProcessing.TEMPORARY_OUTPUT or value.startswith(("memory:", "ogr:")):
                continue
            if isinstance(
                definition,
                (
                    QgsProcessingParameterRasterDestination,
                    QgsProcessingParameterVectorDestination,
                    QgsProcessingParameterFeatureSink,
                    QgsProcessingParameterFileDestination,
                ),
            ) and not isinstance(definition, QgsProcessingParameterFolderDestination):
                files.append((name, value.split("|")[0]))
        return files

    def partial_sink(
        self,
        parameters: dict,
        name: str,
        context: QgsProcessingContext,
        fields,
        kind,
        crs: QgsCoordinateReferenceSystem,
    ) -> tuple[Any, str, _Finish]:
        """``parameterAsSink`` writing to a partial file beside the requested one.

        Returns ``(sink, dest_id, finish)``: call ``finish()`` after the last cancel
        check; it closes the sink and moves the file into place (``dest_id`` names
        the final file). Until then a cancel or an error leaves only the partial
        file, which ``discard()`` of the returned ``finish`` removes.
        """
        from ..core.io.files import partial_path, remove_quietly, write_error

        targets = dict(self.output_files({name: parameters.get(name)}, context))
        target = targets.get(name)
        if target is None:
            sink, dest_id = self.parameterAsSink(parameters, name, context, fields, kind, crs)
            return sink, dest_id, _Finish(lambda: None, lambda: None)
        # A partial folder holding a file of the final name: the writer derives the
        # format from the extension and a GeoPackage's layer name from the file name.
        folder = partial_path(target, "")
        folder.mkdir()
        partial = folder / Path(target).name
        redirected = dict(parameters)
        value = parameters.get(name)
        definition = QgsProcessingOutputLayerDefinition(str(partial), context.project())
        if isinstance(value, QgsProcessingOutputLayerDefinition):
            definition.createOptions = value.createOptions
            definition.destinationName = value.destinationName
        redirected[name] = definition
        try:
            sink, partial_id = self.parameterAsSink(redirected, name, context, fields, kind, crs)
        except BaseException:
            remove_quietly(folder)
            raise
        dest_id = partial_id.replace(str(partial), target)
        if context.willLoadLayerOnCompletion(partial_id):
            details = context.layerToLoadOnCompletionDetails(partial_id)
            layers = context.layersToLoadOnCompletion()
            layers.pop(partial_id, None)
            layers[dest_id] = details
            context.setLayersToLoadOnCompletion(layers)
        holder = [sink]

        def finish() -> None:
            holder.clear()  # the last reference: the writer flushes and closes the file
            try:
                for written in sorted(folder.iterdir()):
                    os.replace(written, Path(target).parent / written.name)
            except OSError as exc:
                raise write_error(exc, target) from exc
            finally:
                remove_quietly(folder)

        def discard() -> None:
            holder.clear()
            remove_quietly(folder)

        return sink, dest_id, _Finish(finish, discard)

    def _likely_output(self, exc: OSError) -> str:
        """The output an error without a file name most likely concerns: for a full
        disk, the first output whose folder has no space left."""
        from ..core.io.files import MIN_FREE_BYTES, output_folder

        outputs = getattr(self, "_output_paths", None) or [os.path.join(".", "output")]
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            for path in outputs:
                try:
                    if shutil.disk_usage(output_folder(path)).free < MIN_FREE_BYTES:
                        return path
                except OSError:
                    continue
        return outputs[0]

    def run_core(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Call a core function, turning its user errors and cancellation into
        ``QgsProcessingException`` messages (nothing is written in either case)."""
        from ..core.io.errors import InputError
        from ..core.io.progress import Cancelled

        try:
            return function(*args, **kwargs)
        except InputError as exc:
            raise QgsProcessingException(sentence(str(exc))) from exc
        except Cancelled as exc:
            raise QgsProcessingException(
                self.tr("Cancelled by the user; no output was written.")
            ) from exc
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES):
                raise
            from ..core.io.files import write_error

            path = exc.filename or self._likely_output(exc)
            raise QgsProcessingException(str(write_error(exc, path))) from exc
        except MemoryError as exc:
            raise QgsProcessingException(
                self.tr(
                    "Out of memory. Lower the block size or memory budget of this tool, "
                    "or close other programs, and run it again."
                )
            ) from exc

    def addTrainingParameters(
        self, label: str, types: list, help_text: str, field_help: str
    ) -> None:
        """The training layer (``label``, layers of ``types``), its class field and the
        optional field naming the integer codes of the class field."""
        param = QgsProcessingParameterFeatureSource(self.TRAINING, label, types)
        param.setHelp(help_text)
        self.addParameter(param)

        param = QgsProcessingParameterField(
            self.CLASS_FIELD,
            self.tr("Class field"),
            parentLayerParameterName=self.TRAINING,
            type=FIELD_ANY,
        )
        param.setHelp(field_help)
        self.addParameter(param)

        param = QgsProcessingParameterField(
            self.CLASS_NAME_FIELD,
            self.tr("Class name field"),
            parentLayerParameterName=self.TRAINING,
            type=FIELD_ANY,
            optional=True,
        )
        param.setHelp(
            self.tr(
                "Optional: a field naming the integer codes of the class field (e.g. code 3 "
                "named 'forest'). The names travel to the model, the maps and the polygons."
            )
        )
        self.addParameter(param)

    def parameterAsClassNameField(
        self, parameters: dict, context: QgsProcessingContext
    ) -> str | None:
        """The field naming the integer codes of the class field, or None."""
        return self.parameterAsString(parameters, self.CLASS_NAME_FIELD, context) or None

    def addClassifierParameter(self, help_text: str) -> None:
        """The choice of classifier, in the order of the registry (models store the index)."""
        param = QgsProcessingParameterEnum(
            self.CLASSIFIER,
            self.tr("Classifier"),
            options=[QCoreApplication.translate(LABEL_CONTEXT, c) for c in CLASSIFIER_LABELS],
            defaultValue=0,
        )
        param.setHelp(help_text)
        self.addParameter(param)

    def parameterAsClassifier(self, parameters: dict, context: QgsProcessingContext) -> str:
        """The id of the chosen classifier (a kind of :mod:`core.learn.registry`)."""
        return CLASSIFIER_IDS[self.parameterAsEnum(parameters, self.CLASSIFIER, context)]

    def addSeedParameter(self, help_text: str) -> None:
        """The advanced random seed: 0 and up, 0 by default."""
        param = QgsProcessingParameterNumber(
            self.SEED,
            self.tr("Random seed"),
            type=NUMBER_INTEGER,
            defaultValue=0,
            minValue=0,
        )
        param.setHelp(help_text)
        param.setFlags(param.flags() | FLAG_ADVANCED)
        self.addParameter(param)

    def addMemoryParameter(self, help_text: str) -> None:
        """The advanced memory budget of the blocks in flight, in MB."""
        param = QgsProcessingParameterNumber(
            self.MEMORY_MB,
            self.tr("Memory budget (MB)"),
            type=NUMBER_INTEGER,
            defaultValue=DEFAULT_MEMORY_MB,
            minValue=32,
        )
        param.setHelp(help_text)
        param.setFlags(param.flags() | FLAG_ADVANCED)
        self.addParameter(param)

    def addModelDestination(self, label: str, help_text: str, optional: bool = False) -> None:
        """The model file (.lcmodel) to write; an optional one is not written by default."""
        param = QgsProcessingParameterFileDestination(
            self.MODEL,
            label,
            fileFilter=self.tr("Land cover model (*.lcmodel)"),
            optional=optional,
            createByDefault=not optional,
        )
        param.setHelp(help_text)
        self.addParameter(param)

    def parameterAsModelDestination(
        self, parameters: dict, context: QgsProcessingContext
    ) -> str | None:
        """The model file to write, with its .lcmodel extension, or None."""
        path = self.parameterAsFileOutput(parameters, self.MODEL, context) or None
        if path and not path.lower().endswith(".lcmodel"):
            path += ".lcmodel"
        return path

    def addReportParameter(self, label: str, help_text: str, optional: bool = True) -> None:
        """The HTML report to write."""
        param = QgsProcessingParameterFileDestination(
            self.REPORT,
            label,
            fileFilter=self.tr("HTML files (*.html)"),
            optional=optional,
        )
        param.setHelp(help_text)
        self.addParameter(param)

    def addTableDestination(self, name: str, label: str, help_text: str) -> None:
        """A CSV table to write."""
        param = QgsProcessingParameterFileDestination(
            name, label, fileFilter=self.tr("CSV files (*.csv)")
        )
        param.setHelp(help_text)
        self.addParameter(param)

    def addSchedulerParameter(self) -> None:
        """The advanced Dask scheduler address shared by the block-wise raster steps."""
        param = QgsProcessingParameterString(
            self.DASK_SCHEDULER,
            self.tr("Dask scheduler address, e.g. tcp://10.0.0.5:8786; empty = this computer"),
            defaultValue="",
            optional=True,
        )
        param.setHelp(
            self.tr(
                "Compute the blocks on a Dask cluster instead of this computer's cores: the "
                "address of its scheduler (tcp://host:port). The cluster's workers read the "
                "input from the same path (shared storage, /vsicurl/ or /vsis3/), this "
                "computer writes the outputs, which are identical to a local run. Needs the "
                "Python package distributed here and numpy, scipy, scikit-learn, rasterio and "
                "distributed on the workers; the plugin sends its own code to them."
            )
        )
        param.setFlags(param.flags() | FLAG_ADVANCED)
        self.addParameter(param)

    def parameterAsScheduler(self, parameters: dict, context: QgsProcessingContext) -> str | None:
        """The Dask scheduler address, or None for this computer; checked before any work."""
        address = (self.parameterAsString(parameters, self.DASK_SCHEDULER, context) or "").strip()
        if not address:
            return None
        import importlib.util

        from ..core.io.cluster import install_advice

        if importlib.util.find_spec("distributed") is None:
            raise QgsProcessingException(
                self.tr("Dask scheduler {0}: {1}.").format(address, install_advice())
            )
        return address

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


@functools.lru_cache(maxsize=1)
def repository_url() -> str:
    """The project's repository, as metadata.txt gives it (``repository=``)."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(METADATA_PATH, encoding="utf-8")
    return parser["general"]["repository"].rstrip("/")


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
    tr = algorithm.tr  # a free tr() call: pylupdate files it under "@default", which tr() reads
    extent = layer.extent()
    if value >= max(extent.width(), extent.height()):
        raise QgsProcessingException(
            tr(
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
    if not source.startswith("/vsi") and not Path(source).exists():
        raise QgsProcessingException(
            tr("Layer '{0}': the file {1} does not exist.").format(layer.name(), source)
        )
    return source


def same_file(first: str, second: str) -> bool:
    """Whether two paths name one file, through symbolic links and hard links."""
    try:
        if os.path.samefile(first, second):
            return True
    except OSError:
        pass
    return os.path.realpath(first) == os.path.realpath(second)


class _Finish:
    """Callable that completes a partial output; ``discard`` removes it instead."""

    def __init__(self, finish: Callable[[], None], discard: Callable[[], None]) -> None:
        self._finish = finish
        self.discard = discard

    def __call__(self) -> None:
        self._finish()
