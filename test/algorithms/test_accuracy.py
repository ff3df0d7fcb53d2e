"""landcover:accuracy, landcover:samplingdesign and landcover:spatialcv through processing.run."""

from __future__ import annotations

import csv

import numpy as np
from rasterio.transform import from_origin

TRANSFORM = from_origin(500000, 5000000, 10, 10)
MAP_CRS = "EPSG:32633"
NAMES = ["Water", "Forest", "Urban"]


def write_map(path):
    """A 60 x 40 class map: three vertical stripes (1 water, 2 forest, 3 urban) of
    20 columns, with a nodata block at rows 0-9, columns 0-9."""
    from landcover.core.classes import make_classes
    from landcover.core.raster import create_raster

    data = np.repeat(np.array([1, 2, 3], dtype=np.uint8), 20)[None, :].repeat(40, axis=0)
    data[:10, :10] = 0
    classes = make_classes([1, 2, 3], NAMES)
    with create_raster(
        path, width=60, height=40, count=1, dtype="uint8", crs=MAP_CRS,
        transform=TRANSFORM, nodata=0, classes=classes,
    ) as dst:  # fmt: skip
        dst.write(data, 1)
    return data


def centre(row, col):
    x, y = TRANSFORM * (col + 0.5, row + 0.5)
    return x, y


def reference_layer(kind, crs, items, field="ref", field_type="string", extra=None):
    """A memory layer of points or polygons in ``crs`` from map-CRS geometries.

    ``items``: (geometry as WKT in the map CRS, value) pairs.
    """
    from qgis.core import (
        QgsCoordinateReferenceSystem,
        QgsCoordinateTransform,
        QgsFeature,
        QgsGeometry,
        QgsProject,
        QgsVectorLayer,
    )

    uri = f"{kind}?crs={crs}&field={field}:{field_type}"
    for name, kind_of in (extra or {}).items():
        uri += f"&field={name}:{kind_of}"
    layer = QgsVectorLayer(uri, "reference", "memory")
    assert layer.isValid()
    transform = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem(MAP_CRS),
        QgsCoordinateReferenceSystem(crs),
        QgsProject.instance(),
    )
    features = []
    for item in items:
        wkt, value = item[0], item[1]
        geometry = QgsGeometry.fromWkt(wkt)
        geometry.transform(transform)
        feature = QgsFeature(layer.fields())
        feature.setGeometry(geometry)
        feature.setAttributes([value, *item[2:]])
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def point(row, col):
    x, y = centre(row, col)
    return f"POINT({x} {y})"


def box(row0, col0, row1, col1):
    """Polygon covering pixel rows row0..row1-1 and columns col0..col1-1."""
    x0, y0 = TRANSFORM * (col0, row0)
    x1, y1 = TRANSFORM * (col1, row1)
    return f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def outputs(tmp_path):
    return {
        "CONFUSION_MATRIX": str(tmp_path / "matrix.csv"),
        "METRICS": str(tmp_path / "metrics.csv"),
        "REPORT": str(tmp_path / "report.html"),
    }


# ---------------------------------------------------------------- samplingdesign


def test_samplingdesign_points_carry_their_map_class(run_alg, tmp_path):
    from qgis.core import QgsVectorLayer

    data = write_map(tmp_path / "map.tif")
    out = str(tmp_path / "points.gpkg")
    result = run_alg(
        "landcover:samplingdesign",
        {"INPUT": str(tmp_path / "map.tif"), "POINTS_PER_CLASS": 15, "MIN_DISTANCE": 25,
         "SEED": 3, "OUTPUT": out},
    )  # fmt: skip
    layer = QgsVectorLayer(result["OUTPUT"], "points", "ogr")
    assert layer.isValid() and layer.featureCount() == 45
    assert layer.crs().authid() == MAP_CRS
    assert [f.name() for f in layer.fields()][-3:] == ["map_class", "map_name", "reference_class"]
    seen = {1: 0, 2: 0, 3: 0}
    xy = []
    for feature in layer.getFeatures():
        p = feature.geometry().asPoint()
        col, row = ~TRANSFORM * (p.x(), p.y())
        value = int(data[int(row), int(col)])
        assert value == feature["map_class"] != 0
        assert feature["map_name"] == NAMES[value - 1]
        assert feature["reference_class"] in ("", None)
        seen[value] += 1
        xy.append((p.x(), p.y()))
    assert seen == {1: 15, 2: 15, 3: 15}
    xy = np.array(xy)
    d = np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(-1)) + np.eye(len(xy)) * 1e9
    assert d.min() >= 25


def test_samplingdesign_total_with_equal_allocation(run_alg, tmp_path):
    from qgis.core import QgsVectorLayer

    write_map(tmp_path / "map.tif")
    result = run_alg(
        "landcover:samplingdesign",
        {"INPUT": str(tmp_path / "map.tif"), "TOTAL": 30, "ALLOCATION": 1,
         "OUTPUT": str(tmp_path / "p.gpkg")},
    )  # fmt: skip
    layer = QgsVectorLayer(result["OUTPUT"], "points", "ogr")
    codes = sorted(f["map_class"] for f in layer.getFeatures())
    assert codes == [1] * 10 + [2] * 10 + [3] * 10
