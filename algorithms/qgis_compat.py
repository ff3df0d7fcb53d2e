"""QGIS API that moved between QGIS 3.22 and 3.44 LTR / QGIS 4, chosen once at import.

QGIS 3.30 to 3.38 moved many enums into ``Qgis`` (the old names stay only as deprecated
aliases that Qt6 builds need not keep) and gave ``QgsField`` a ``QMetaType`` constructor.
Algorithms use the names below, so each version gets its own current API and no
deprecated one.
"""

from __future__ import annotations

from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsFeatureSink,
    QgsField,
    QgsMapLayer,
    QgsProcessing,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QMetaType, QVariant

_NEW = Qgis.QGIS_VERSION_INT >= 33800  # every name below exists in Qgis from 3.38 on

if _NEW:
    RASTER = Qgis.ProcessingSourceType.Raster
    VECTOR_POINT = Qgis.ProcessingSourceType.VectorPoint
    VECTOR_POLYGON = Qgis.ProcessingSourceType.VectorPolygon
    VECTOR_ANY_GEOMETRY = Qgis.ProcessingSourceType.VectorAnyGeometry
    NUMBER_INTEGER = Qgis.ProcessingNumberParameterType.Integer
    NUMBER_DOUBLE = Qgis.ProcessingNumberParameterType.Double
    FIELD_ANY = Qgis.ProcessingFieldParameterDataType.Any
    FILE_BEHAVIOUR_FILE = Qgis.ProcessingFileParameterBehavior.File
    FLAG_ADVANCED = Qgis.ProcessingParameterFlag.Advanced
    FLAG_OPTIONAL = Qgis.ProcessingParameterFlag.Optional
    WKB_POINT = Qgis.WkbType.Point
    WKB_POLYGON = Qgis.WkbType.Polygon
    WKB_MULTIPOLYGON = Qgis.WkbType.MultiPolygon
    GEOMETRY_POINT = Qgis.GeometryType.Point
    DISTANCE_METERS = Qgis.DistanceUnit.Meters
    AREA_SQUARE_METERS = Qgis.AreaUnit.SquareMeters
    WKT_PREFERRED_GDAL = Qgis.CrsWktVariant.PreferredGdal
else:
    RASTER = QgsProcessing.SourceType.TypeRaster
    VECTOR_POINT = QgsProcessing.SourceType.TypeVectorPoint
    VECTOR_POLYGON = QgsProcessing.SourceType.TypeVectorPolygon
    VECTOR_ANY_GEOMETRY = QgsProcessing.SourceType.TypeVectorAnyGeometry
    NUMBER_INTEGER = QgsProcessingParameterNumber.Type.Integer
    NUMBER_DOUBLE = QgsProcessingParameterNumber.Type.Double
    FIELD_ANY = QgsProcessingParameterField.DataType.Any
    FILE_BEHAVIOUR_FILE = QgsProcessingParameterFile.Behavior.File
    FLAG_ADVANCED = QgsProcessingParameterDefinition.Flag.FlagAdvanced
    FLAG_OPTIONAL = QgsProcessingParameterDefinition.Flag.FlagOptional
    WKB_POINT = QgsWkbTypes.Type.Point
    WKB_POLYGON = QgsWkbTypes.Type.Polygon
    WKB_MULTIPOLYGON = QgsWkbTypes.Type.MultiPolygon
    GEOMETRY_POINT = QgsWkbTypes.GeometryType.PointGeometry
    DISTANCE_METERS = QgsUnitTypes.DistanceUnit.DistanceMeters
    AREA_SQUARE_METERS = QgsUnitTypes.AreaUnit.AreaSquareMeters
    WKT_PREFERRED_GDAL = QgsCoordinateReferenceSystem.WktVariant.WKT_PREFERRED_GDAL

FAST_INSERT = QgsFeatureSink.Flag.FastInsert

# QVariant's type enum is Qt5 only: 3.38 and later (every Qt6 build) take QMetaType.
if _NEW:
    _FIELD_TYPES = {
        "int": QMetaType.Type.Int,
        "string": QMetaType.Type.QString,
        "double": QMetaType.Type.Double,
    }
else:
    _FIELD_TYPES = {"int": QVariant.Int, "string": QVariant.String, "double": QVariant.Double}


def new_field(name: str, kind: str, length: int = 0) -> QgsField:
    """A field of ``kind`` "int", "string" or "double" (``length`` characters for text)."""
    return QgsField(name, _FIELD_TYPES[kind], len=length)


def save_style_to_database(layer: QgsVectorLayer, name: str, description: str) -> str:
    """Save the layer's style as its default in its own database (e.g. a GeoPackage);
    the error message, empty on success."""
    if hasattr(layer, "saveStyleToDatabaseV2"):
        categories = QgsMapLayer.StyleCategory.AllStyleCategories
        _, error = layer.saveStyleToDatabaseV2(name, description, True, "", categories)
        return error
    return layer.saveStyleToDatabase(name, description, True, "")
