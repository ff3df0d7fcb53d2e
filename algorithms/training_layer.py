"""What the training steps share: the classifier choices, and reading labelled
training features from a QGIS layer.

Shared by 'Train classifier' and 'Spatial cross-validation': geometries are
reprojected to the raster's CRS (CRSs compared by equivalence, so a layer in the
same CRS under another name is not touched), class labels become codes, and the
colours (and names of integer codes) of a categorised renderer on the class field
are kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsCoordinateTransform,
    QgsCsException,
    QgsFeatureRequest,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterField,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from .base import crs_name, sentence
from .qgis_compat import FIELD_ANY

# Same order as core.classifiers.CLASSIFIERS, which cannot be imported at module level.
CLASSIFIER_IDS = (
    "random_forest",
    "extra_trees",
    "hist_gradient_boosting",
    "svm",
    "knn",
    "gaussian_ml",
)
CLASSIFIER_LABELS = (
    QT_TRANSLATE_NOOP("LandcoverAlgorithm", "Random Forest"),
    QT_TRANSLATE_NOOP("LandcoverAlgorithm", "Extra Trees"),
    QT_TRANSLATE_NOOP("LandcoverAlgorithm", "Histogram Gradient Boosting"),
    QT_TRANSLATE_NOOP(
        "LandcoverAlgorithm", "Support Vector Machine (RBF kernel, standardised bands)"
    ),
    QT_TRANSLATE_NOOP("LandcoverAlgorithm", "k-nearest neighbours"),
    QT_TRANSLATE_NOOP("LandcoverAlgorithm", "Gaussian maximum likelihood"),
)


def classifier_options() -> list[str]:
    """The classifier choices of an enum parameter, translated."""
    return [QCoreApplication.translate("LandcoverAlgorithm", label) for label in CLASSIFIER_LABELS]


CLASS_NAME_FIELD = "CLASS_NAME_FIELD"


def class_name_field_parameter(algorithm) -> QgsProcessingParameterField:
    """The optional field naming the integer codes of the class field."""
    param = QgsProcessingParameterField(
        CLASS_NAME_FIELD,
        algorithm.tr("Class name field"),
        parentLayerParameterName=algorithm.TRAINING,
        type=FIELD_ANY,
        optional=True,
    )
    param.setHelp(
        algorithm.tr(
            "Optional: a field naming the integer codes of the class field (e.g. code 3 "
            "named 'forest'). The names travel to the model, the maps and the polygons."
        )
    )
    return param


def class_name_field(algorithm, parameters, context) -> str | None:
    return algorithm.parameterAsString(parameters, CLASS_NAME_FIELD, context) or None


@dataclass
class TrainingFeatures:
    """Labelled features in the raster CRS: ``features`` are (GeoJSON, code, feature id)."""

    features: list
    classes: list
    skipped_unlabelled: int
    skipped_unprojectable: int
    notes: list


def renderer_styles(layer: QgsVectorLayer | None, field: str) -> dict[str, tuple]:
    """Label text -> (category label, RGB) from a categorised renderer on ``field``.

    Reads the layer's renderer, so call it on the main thread (``prepareAlgorithm``).
    """
    if not isinstance(layer, QgsVectorLayer):
        return {}
    renderer = layer.renderer()
    if not isinstance(renderer, QgsCategorizedSymbolRenderer):
        return {}
    if renderer.classAttribute() != field:
        return {}
    styles = {}
    for category in renderer.categories():
        value = category.value()
        if value is None or category.symbol() is None or str(value) in ("", "NULL"):
            continue
        color = category.symbol().color()
        styles[str(value).strip()] = (category.label(), (color.red(), color.green(), color.blue()))
    return styles


class TrainingLayerStyle:
    """Mixin of the algorithms with ``TRAINING`` and ``CLASS_FIELD`` parameters: reads
    the class style of the training layer into ``self.styles`` in ``prepareAlgorithm``,
    which runs on the main thread (``processAlgorithm`` may not)."""

    def prepareAlgorithm(
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> bool:
        layer = self.parameterAsVectorLayer(parameters, self.TRAINING, context)
        field = self.parameterAsString(parameters, self.CLASS_FIELD, context)
        self.styles = renderer_styles(layer, field)
        return super().prepareAlgorithm(parameters, context, feedback)


REFERENCE_FIELD = "reference_class"
EXTRA_ID_OFFSET = 1 << 40


def _labelled(algorithm, layers, raster_layer, context, name_field=None):
    """``(feature, label, transform to the raster CRS, id, name)`` of every feature of the
    ``(source, field)`` pairs; the label is None when missing, the name that of
    ``name_field`` of the first layer ("" elsewhere)."""
    for number, (source, field) in enumerate(layers):
        names = source.fields().names()
        if number and not source.sourceCrs().isValid():
            raise QgsProcessingException(
                algorithm.tr(
                    "The additional training layer has no CRS; set its CRS (Layer Properties "
                    "▸ Source) and run again."
                )
            )
        if number and field not in names:
            raise QgsProcessingException(
                algorithm.tr(
                    "The additional training layer has no field '{0}'; choose its class "
                    "field among: {1}."
                ).format(field, ", ".join(names))
            )
        fallback = (
            REFERENCE_FIELD if REFERENCE_FIELD in names and field != REFERENCE_FIELD else None
        )
        transform = QgsCoordinateTransform(
            source.sourceCrs(), raster_layer.crs(), context.transformContext()
        )
        names_from = name_field if number == 0 else None
        wanted = [field, *([fallback] if fallback else []), *([names_from] if names_from else [])]
        request = QgsFeatureRequest().setSubsetOfAttributes(wanted, source.fields())
        for feature in source.getFeatures(request):
            value = _value(feature[field])
            if fallback and (value is None or str(value).strip() == ""):
                value = _value(feature[fallback])
            name = _value(feature[names_from]) if names_from else None
            name = "" if name is None else str(name).strip()
            yield feature, value, transform, int(feature.id()) + number * EXTRA_ID_OFFSET, name


def _value(value):
    return None if hasattr(value, "isNull") and value.isNull() else value


def read_training_features(
    algorithm,
    source,
    field: str,
    raster_layer,
    context,
    feedback,
    styles=None,
    extra=None,
    name_field=None,
) -> TrainingFeatures:
    """Training features of ``source`` labelled by ``field``, in ``raster_layer``'s CRS.

    ``styles`` (from :func:`renderer_styles`) gives class names and colours by label.
    ``extra`` is an optional second ``(source, field)``, e.g. the labelled points of
    'Where to label next'; its labels share the classes of ``source`` (feature ids are
    offset by :data:`EXTRA_ID_OFFSET`). A feature whose class field is empty takes its
    label from a :data:`REFERENCE_FIELD` field, so those points merged into the
    training layer need nothing but that field filled in.

    Raises a ``QgsProcessingException`` saying what to fix when the layer has no
    CRS, no labelled feature, or no feature over the raster.
    """
    from ..core.accuracy.spatial_cv import label_classes, recoding
    from ..core.io.classes import ClassInfo, default_name

    tr = algorithm.tr
    if not source.sourceCrs().isValid():
        raise QgsProcessingException(
            tr(
                "The training layer has no CRS, so its features cannot be placed on the "
                "raster. Set its CRS (Layer Properties ▸ Source) and run again."
            )
        )
    if field not in source.fields().names():
        raise QgsProcessingException(
            tr("The training layer has no field '{0}'; choose its class field among: {1}.").format(
                field, ", ".join(source.fields().names())
            )
        )
    if name_field and name_field not in source.fields().names():
        raise QgsProcessingException(
            tr("The training layer has no field '{0}'; choose its class name field among: {1}.")
            .format(name_field, ", ".join(source.fields().names()))
        )  # fmt: skip
    geometries, labels, ids, names = [], [], [], []
    unlabelled = unprojectable = 0
    extent = QgsRectangle()
    for feature, value, transform, fid, name in _labelled(
        algorithm, [(source, field), *([extra] if extra else [])], raster_layer, context, name_field
    ):
        if feedback is not None and feedback.isCanceled():
            raise QgsProcessingException(tr("Cancelled by the user; no output was written."))
        geometry = feature.geometry()
        if geometry is None or geometry.isEmpty() or value is None or str(value).strip() == "":
            unlabelled += 1
            continue
        if not transform.isShortCircuited():
            try:
                geometry.transform(transform)
            except QgsCsException:
                unprojectable += 1
                continue
        extent.combineExtentWith(geometry.boundingBox())
        geometries.append(json.loads(geometry.asJson()))
        labels.append(value)
        ids.append(fid)
        names.append(name)
    if not geometries:
        raise QgsProcessingException(
            tr(
                "No training feature has a class in field '{0}'. Fill in the class of each "
                "polygon (a name such as 'forest' or an integer code), or choose another field."
            ).format(field)
        )
    raster_extent = raster_layer.extent()
    if not extent.intersects(raster_extent):
        raise QgsProcessingException(
            tr(
                "The training features do not overlap the raster (features span {0}, the "
                "raster {1}, both in the raster's CRS {2}). Check that the layer's CRS is "
                "set correctly and that you chose the right raster."
            ).format(extent.toString(1), raster_extent.toString(1), crs_name(raster_layer.crs()))
        )
    try:
        codes, classes = label_classes(labels)
    except ValueError as exc:
        raise QgsProcessingException(sentence(str(exc))) from exc

    if styles:
        by_code = {}
        for label, code in zip(labels, codes):
            by_code.setdefault(code, str(label).strip())
        styled = []
        for c in classes:
            label, color = styles.get(by_code[c.code], (None, None))
            name = c.name
            if label and name == default_name(c.code):
                name = label
            styled.append(ClassInfo(c.code, name, color or c.color))
        classes = styled
    if name_field:
        classes = named_classes(algorithm, classes, codes, names, feedback)
    note = recoding(classes)
    return TrainingFeatures(
        list(zip(geometries, codes, ids)),
        classes,
        unlabelled,
        unprojectable,
        [note] if note else [],
    )


def named_classes(algorithm, classes, codes, names, feedback) -> list:
    """``classes`` named from a class name field (``names``, one per feature, as
    ``codes``): the most frequent name of each code. Classes already named (a text
    class field, a styled layer) keep their names."""
    from collections import Counter

    from ..core.io.classes import ClassInfo, color_for_name, default_name

    tr = algorithm.tr
    counts: dict[int, Counter] = {}
    for code, name in zip(codes, names):
        if name:
            counts.setdefault(code, Counter())[name] += 1
    named = []
    for index, c in enumerate(classes):
        found = counts.get(c.code)
        if not found or c.name != default_name(c.code):
            named.append(c)
            continue
        (name, _), *others = found.most_common()
        if others:
            feedback.pushWarning(
                tr("Code {0} has several names in the class name field ({1}); it is named '{2}'.")
                .format(c.code, ", ".join(sorted(found)), name)
            )  # fmt: skip
        palette_colour = c.color == color_for_name(c.name, index)
        named.append(
            ClassInfo(c.code, name, color_for_name(name, index) if palette_colour else c.color)
        )
    return named
