"""What the steps reading labelled features share: the one reader of labelled
features from a QGIS layer.

Training features ('Train classifier', 'Spatial cross-validation') and reference
features ('Accuracy assessment') are read alike: geometries are reprojected to the
raster's CRS (CRSs compared by equivalence, so a layer in the same CRS under another
name is not touched), the layer's CRS and its overlap with the raster are checked,
empty labels are skipped. Training labels then define the classes (keeping the
colours, and names of integer codes, of a categorised renderer on the class field);
reference labels are matched to the map's classes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsCoordinateTransform,
    QgsCsException,
    QgsFeatureRequest,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QMetaType

from .base import crs_name


@dataclass
class TrainingFeatures:
    """Labelled features in the raster CRS: ``features`` are (GeoJSON, code, feature id)."""

    features: list
    classes: list
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


@dataclass(frozen=True)
class LayerWords:
    """What the reader says about a layer of labelled features, translated: a training
    layer and a reference layer are spoken of in their own words."""

    no_crs: str
    no_field: str
    # {0} the class field
    no_label: str
    # {0} features' extent, {1} raster's extent, {2} raster CRS, {3} feature count
    no_overlap: str
    # one and other form of "{0} features could not be reprojected"
    unprojectable: tuple[str, str]
    # one and other form of "{0} features without a class were skipped", or None when
    # the count goes into the step's own report instead
    unlabelled: tuple[str, str] | None


def training_words(tr) -> LayerWords:
    return LayerWords(
        no_crs=tr(
            "The training layer has no CRS, so its features cannot be placed on the "
            "raster. Set its CRS (Layer Properties ▸ Source) and run again."
        ),
        no_field=tr("The training layer has no field '{0}'; choose its class field among: {1}."),
        no_label=tr(
            "No training feature has a class in field '{0}'. Fill in the class of each "
            "polygon (a name such as 'forest' or an integer code), or choose another field."
        ),
        no_overlap=tr(
            "The training features do not overlap the raster (features span {0}, the "
            "raster {1}, both in the raster's CRS {2}). Check that the layer's CRS is "
            "set correctly and that you chose the right raster."
        ),
        unprojectable=(
            tr("{0} feature could not be reprojected to the raster's CRS and was skipped."),
            tr("{0} features could not be reprojected to the raster's CRS and were skipped."),
        ),
        unlabelled=(
            tr("{0} feature without a class or geometry was skipped."),
            tr("{0} features without a class or geometry were skipped."),
        ),
    )


def reference_words(tr) -> LayerWords:
    return LayerWords(
        no_crs=tr(
            "The reference layer has no CRS, so its features cannot be placed on the map. "
            "Set its CRS (Layer Properties ▸ Source) and run again."
        ),
        no_field=tr("The reference layer has no field '{0}'; choose its class field."),
        no_label=tr(
            "No reference feature has a class in field '{0}'; fill in the reference "
            "classes (names or codes of the map's classes) first."
        ),
        no_overlap=tr(
            "None of the {3} reference features overlaps the map (features span {0}, the "
            "map {1}, both in the map's CRS {2}); check that the reference layer covers "
            "the map's area and that its CRS is set correctly."
        ),
        unprojectable=(
            tr("{0} reference feature could not be reprojected to the map CRS and was skipped."),
            tr("{0} reference features could not be reprojected to the map CRS and were skipped."),
        ),
        unlabelled=None,
    )


@dataclass
class LabelledFeatures:
    """Features of a layer that have a label and a geometry, in the raster CRS, one
    entry per feature in each list: GeoJSON ``geometries``, ``labels`` (never empty),
    feature ``ids``, ``names`` (of the class name field, "" without one) and the
    values of the other fields asked for in ``columns``."""

    geometries: list[dict]
    labels: list
    ids: list[int]
    names: list[str]
    columns: dict[str, list]
    skipped_unlabelled: int
    skipped_unprojectable: int


def _value(value):
    """A Python value for an attribute (QGIS NULL variants become None)."""
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    return value


def _empty(value) -> bool:
    return value is None or str(value).strip() == ""


def _labelled(algorithm, layers, raster_layer, context, name_field, columns, fallback):
    """``(feature, label, transform to the raster CRS, id, name, column values)`` of
    every feature of the ``(source, field)`` pairs; the label is None when missing, the
    name that of ``name_field`` and the column values those of ``columns`` of the first
    layer ("" and None elsewhere). With ``fallback``, a feature whose class field is
    empty takes its label from a :data:`REFERENCE_FIELD` field."""
    # Called as tr(), pylupdate files the strings where tr() looks for them; as
    # algorithm.tr() it would file them under a context named 'algorithm'.
    tr = algorithm.tr
    for number, (source, field) in enumerate(layers):
        names = source.fields().names()
        if number and not source.sourceCrs().isValid():
            raise QgsProcessingException(
                tr(
                    "The additional training layer has no CRS; set its CRS (Layer Properties "
                    "▸ Source) and run again."
                )
            )
        if number and field not in names:
            raise QgsProcessingException(
                tr(
                    "The additional training layer has no field '{0}'; choose its class "
                    "field among: {1}."
                ).format(field, ", ".join(names))
            )
        backup = (
            REFERENCE_FIELD
            if fallback and REFERENCE_FIELD in names and field != REFERENCE_FIELD
            else None
        )
        transform = QgsCoordinateTransform(
            source.sourceCrs(), raster_layer.crs(), context.transformContext()
        )
        names_from = name_field if number == 0 else None
        wanted = [name for name in (*columns, field, backup, names_from) if name]
        kept = columns if number == 0 else ()
        request = QgsFeatureRequest().setSubsetOfAttributes(wanted, source.fields())
        for feature in source.getFeatures(request):
            value = _value(feature[field])
            if backup and _empty(value):
                value = _value(feature[backup])
            name = _value(feature[names_from]) if names_from else None
            name = "" if name is None else str(name).strip()
            row = [_value(feature[column]) if kept else None for column in columns]
            fid = int(feature.id()) + number * EXTRA_ID_OFFSET
            yield feature, value, transform, fid, name, row


def read_labelled_features(
    algorithm,
    source,
    field: str,
    raster_layer,
    context,
    feedback,
    words: LayerWords,
    *,
    extra=None,
    name_field: str | None = None,
    columns: Sequence[str] = (),
    fallback: bool = False,
) -> LabelledFeatures:
    """The features of ``source`` labelled by ``field`` in ``raster_layer``'s CRS:
    the one reader of labelled features, for training and reference layers alike.

    CRSs are compared by equivalence (a layer in the same CRS under another name is not
    touched); features without a label or a geometry are skipped, as are those that
    cannot be reprojected (with a warning); the run stops when cancelled. ``extra``,
    ``name_field`` and ``fallback`` are those of :func:`read_training_features`;
    ``columns`` are other fields whose values to keep. Raises a
    ``QgsProcessingException`` in ``words`` saying what to fix when the layer has no
    CRS or no such field, no labelled feature, or no feature over the raster.
    """
    tr = algorithm.tr
    _check_layer(algorithm, source, field, name_field, words)
    read = LabelledFeatures([], [], [], [], {name: [] for name in columns}, 0, 0)
    no_geometry = 0
    extent = QgsRectangle()
    layers = [(source, field), *([extra] if extra else [])]
    for feature, value, transform, fid, name, row in _labelled(
        algorithm, layers, raster_layer, context, name_field, columns, fallback
    ):
        if feedback is not None and feedback.isCanceled():
            raise QgsProcessingException(tr("Cancelled by the user; no output was written."))
        geometry = feature.geometry()
        if _empty(value):
            read.skipped_unlabelled += 1
            continue
        if geometry is None or geometry.isEmpty():
            no_geometry += 1
            continue
        if not transform.isShortCircuited():
            try:
                geometry.transform(transform)
            except QgsCsException:
                read.skipped_unprojectable += 1
                continue
        extent.combineExtentWith(geometry.boundingBox())
        read.geometries.append(json.loads(geometry.asJson()))
        read.labels.append(value)
        read.ids.append(fid)
        read.names.append(name)
        for column, item in zip(columns, row):
            read.columns[column].append(item)
    _warn_skipped(algorithm, feedback, read, no_geometry, words)
    if not read.geometries:
        raise QgsProcessingException(words.no_label.format(field))
    _check_overlap(read, extent, raster_layer, words)
    return read


def _check_layer(algorithm, source, field: str, name_field: str | None, words: LayerWords) -> None:
    """Refuse a layer without a CRS, without the class field or without the class name
    field."""
    tr = algorithm.tr  # pylupdate files tr("...") under "@default", which tr() searches
    fields = source.fields().names()
    if not source.sourceCrs().isValid():
        raise QgsProcessingException(words.no_crs)
    if field not in fields:
        raise QgsProcessingException(words.no_field.format(field, ", ".join(fields)))
    if name_field and name_field not in fields:
        raise QgsProcessingException(
            tr("The training layer has no field '{0}'; choose its class name field among: {1}.")
            .format(name_field, ", ".join(fields))
        )  # fmt: skip


def _warn_skipped(
    algorithm, feedback, read: LabelledFeatures, no_geometry: int, words: LayerWords
) -> None:
    """Warn of the features skipped for want of a label (or a geometry) and of those
    that could not be reprojected."""
    warnings = [(read.skipped_unprojectable, words.unprojectable)]
    if words.unlabelled:
        warnings.insert(0, (read.skipped_unlabelled + no_geometry, words.unlabelled))
    for count, forms in warnings:
        if count and feedback is not None:
            feedback.pushWarning(algorithm.counted(count, *forms))


def _check_overlap(read: LabelledFeatures, extent, raster_layer, words: LayerWords) -> None:
    """Refuse features whose ``extent`` (in the raster CRS) misses the raster."""
    raster_extent = raster_layer.extent()
    if not extent.intersects(raster_extent):
        raise QgsProcessingException(
            words.no_overlap.format(
                extent.toString(1),
                raster_extent.toString(1),
                crs_name(raster_layer.crs()),
                len(read.geometries),
            )
        )


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
    """Training features of ``source`` labelled by ``field``, in ``raster_layer``'s CRS
    (read by :func:`read_labelled_features`), and the classes their labels define.

    ``styles`` (from :func:`renderer_styles`) gives class names and colours by label.
    ``extra`` is an optional second ``(source, field)``, e.g. the labelled points of
    'Where to label next'; its labels share the classes of ``source`` (feature ids are
    offset by :data:`EXTRA_ID_OFFSET`). A feature whose class field is empty takes its
    label from a :data:`REFERENCE_FIELD` field, so those points merged into the
    training layer need nothing but that field filled in.
    """
    from ..core.io.classes import label_classes, recoding, styled_classes

    read = read_labelled_features(
        algorithm,
        source,
        field,
        raster_layer,
        context,
        feedback,
        training_words(algorithm.tr),
        extra=extra,
        name_field=name_field,
        fallback=True,
    )
    codes, classes = algorithm.run_core(label_classes, read.labels)
    if styles:
        classes = styled_classes(classes, codes, read.labels, styles)
    if name_field:
        classes = named_classes(algorithm, classes, codes, read.names, feedback)
    note = recoding(classes)
    return TrainingFeatures(
        list(zip(read.geometries, codes, read.ids)),
        classes,
        [note] if note else [],
    )


@dataclass
class ReferenceFeatures:
    """Reference features matched to a map's classes: ``features`` are (GeoJSON in the
    map CRS, map code, feature id); ``unfilled`` counts those without a class yet,
    ``absent`` are the reference classes the map lacks
    (:class:`~..core.accuracy.metrics.ReferenceMatch`), ``notes`` warnings for the report.
    """

    features: list
    unfilled: int
    absent: list
    notes: list[str]


def read_reference_features(
    algorithm, source, field: str, raster_layer, classes, context, feedback
) -> ReferenceFeatures:
    """Reference features of ``source`` with the class in ``field`` (names or codes),
    matched to the map ``classes`` (read by :func:`read_labelled_features`).

    Codes given as numbers against a map whose classes have names are checked against
    the text fields of the layer: refused when one names the classes otherwise (the
    error names it), else used with a note listing the codes.
    """
    from ..core.accuracy.metrics import match_reference_classes

    text_fields = [
        f.name()
        for f in source.fields()
        if f.name() != field and f.type() == QMetaType.Type.QString
    ]
    read = read_labelled_features(
        algorithm,
        source,
        field,
        raster_layer,
        context,
        feedback,
        reference_words(algorithm.tr),
        columns=text_fields,
    )
    match = algorithm.run_core(match_reference_classes, read.labels, classes)
    notes = []
    if match.by_number:
        note = _check_codes(algorithm, field, match, read.columns, classes)
        if note:
            notes.append(note)
    features = [
        (g, c, i) for g, c, i in zip(read.geometries, match.codes, read.ids) if c is not None
    ]
    unfilled = read.skipped_unlabelled + len(match.codes) - len(features)
    if not features:
        raise QgsProcessingException(reference_words(algorithm.tr).no_label.format(field))
    return ReferenceFeatures(features, unfilled, match.absent, notes)


def _check_codes(algorithm, field, match, texts, classes) -> str:
    """Numbers matched to a map whose classes have names: refuse when a text field
    of the reference layer names the classes otherwise, nothing to say when it
    agrees, else say which code is which."""
    from ..core.accuracy.metrics import match_reference_classes

    tr = algorithm.tr
    names = {str(c.name).strip().casefold() for c in classes}
    for name, column in texts.items():
        filled = {str(v).strip().casefold() for v in column if v is not None}
        filled.discard("")
        # A field of class names: most of its values are names of the map's classes
        # (a reference class the map lacks may be among them).
        if not filled or 2 * len(filled & names) < len(filled):
            continue
        by_name = algorithm.run_core(match_reference_classes, column, classes).codes
        differ = sum(
            1 for a, b in zip(match.codes, by_name) if a is not None and b is not None and a != b
        )
        if differ:
            raise QgsProcessingException(
                tr(
                    "The reference class field '{0}' holds numbers, but they do not follow "
                    "the map's class codes ({1}): field '{2}' names the classes and "
                    "disagrees with them for {3} feature(s). Choose '{2}' as the reference "
                    "class field."
                ).format(field, match.mapping, name, differ)
            )
        return ""
    return tr(
        "The reference class field '{0}' holds numbers, matched to the map's class codes "
        "({1}). Check that the reference layer uses these codes; if it has a field with "
        "the class names, choose that field instead."
    ).format(field, match.mapping)


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
