"""landcover:accuracy, landcover:samplingdesign and landcover:spatialcv through processing.run."""

from __future__ import annotations

import csv
from html import unescape

import numpy as np
import pytest
from conftest import write_raster
from rasterio.transform import from_origin

TRANSFORM = from_origin(500000, 5000000, 10, 10)
MAP_CRS = "EPSG:32633"
NAMES = ["Water", "Forest", "Urban"]


def write_map(path):
    """A 60 x 40 class map: three vertical stripes (1 water, 2 forest, 3 urban) of
    20 columns, with a nodata block at rows 0-9, columns 0-9."""
    from landcover.core.io.classes import make_classes

    data = np.repeat(np.array([1, 2, 3], dtype=np.uint8), 20)[None, :].repeat(40, axis=0)
    data[:10, :10] = 0
    classes = make_classes([1, 2, 3], NAMES)
    write_raster(path, data, crs=MAP_CRS, transform=TRANSFORM, nodata=0, classes=classes)
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


# ---------------------------------------------------------------- accuracy


def test_points_in_another_crs_matched_by_name_and_code(run_alg, tmp_path):
    from sklearn.metrics import cohen_kappa_score

    write_map(tmp_path / "map.tif")
    items = [
        (point(20, 5), "water"),
        (point(25, 5), "WATER "),  # case and spaces do not matter
        (point(20, 25), "Forest"),
        (point(30, 25), "urban"),  # an error: urban mapped as forest
        (point(20, 45), "Urban"),
        (point(30, 50), "3"),  # a code
        (point(5, 5), "water"),  # on map nodata
        (point(-20, 5), "forest"),  # outside the map
        (point(35, 35), ""),  # not filled in yet
    ]
    layer = reference_layer("Point", "EPSG:4326", items)
    params = {"INPUT": str(tmp_path / "map.tif"), "REFERENCE": layer, "CLASS_FIELD": "ref"}
    result = run_alg("landcover:accuracy", {**params, **outputs(tmp_path)})

    rows = read_csv(result["CONFUSION_MATRIX"])
    assert rows[0] == ["table", "reference", "Water", "Forest", "Urban", "total"]
    assert rows[1:4] == [
        ["count", "Water", "2", "0", "0", "2"],
        ["count", "Forest", "0", "1", "0", "1"],
        ["count", "Urban", "0", "1", "2", "3"],
    ]
    assert result["OVERALL_ACCURACY"] == pytest.approx(5 / 6)
    reference = [1, 1, 2, 3, 3, 3]
    mapped = [1, 1, 2, 2, 3, 3]
    assert result["KAPPA"] == pytest.approx(cohen_kappa_score(reference, mapped))
    assert result["AREA_ADJUSTED_ACCURACY"] is None  # not a stratified sample

    metrics = {(r[0], r[2]): r for r in read_csv(result["METRICS"])[1:]}
    assert float(metrics[("all", "overall_accuracy")][3]) == pytest.approx(5 / 6)
    assert float(metrics[("Urban", "producers_accuracy")][3]) == pytest.approx(2 / 3)
    assert float(metrics[("Forest", "users_accuracy")][3]) == pytest.approx(1 / 2)
    assert (tmp_path / "matrix.csvt").read_text().startswith('"String","String","Integer"')

    html = unescape((tmp_path / "report.html").read_text(encoding="utf-8"))
    assert "1 reference feature(s) lie outside the map" in html
    assert "1 reference pixel(s) fall on nodata" in html
    assert "1 reference feature(s) have no reference class yet" in html
    assert "'Urban' mapped as 'Forest'" in html
    assert "http://" not in html and "https://" not in html


def test_polygon_vote_against_pixel_count(run_alg, tmp_path):
    write_map(tmp_path / "map.tif")
    items = [
        (box(20, 15, 30, 30), "forest"),  # 50 water + 100 forest pixels
        (box(30, 36, 34, 48), "urban"),  # 16 forest + 32 urban pixels
        (box(12, 10, 15, 20), "water"),  # 30 water pixels
    ]
    layer = reference_layer("Polygon", "EPSG:3857", items)
    params = {"INPUT": str(tmp_path / "map.tif"), "REFERENCE": layer, "CLASS_FIELD": "ref"}

    pixels = run_alg("landcover:accuracy", {**params, "MODE": 0, **outputs(tmp_path)})
    rows = read_csv(pixels["CONFUSION_MATRIX"])
    assert [r[2:5] for r in rows[1:4]] == [["30", "0", "0"], ["50", "100", "0"], ["0", "16", "32"]]
    assert pixels["OVERALL_ACCURACY"] == pytest.approx(162 / 228)

    votes = run_alg("landcover:accuracy", {**params, "MODE": 1, **outputs(tmp_path)})
    rows = read_csv(votes["CONFUSION_MATRIX"])
    assert [r[2:5] for r in rows[1:4]] == [["1", "0", "0"], ["0", "1", "0"], ["0", "0", "1"]]
    assert votes["OVERALL_ACCURACY"] == 1.0
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "one vote per polygon" in html


def test_reference_class_absent_from_the_map_counts_as_omission(run_alg, tmp_path):
    from qgis.core import QgsProcessingFeedback

    class Feedback(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.warnings = []

        def pushWarning(self, text):
            self.warnings.append(text)
            super().pushWarning(text)

    write_map(tmp_path / "map.tif")
    layer = reference_layer(
        "Point", MAP_CRS,
        [(point(20, 5), "water"), (point(20, 25), "lake"), (point(30, 25), "forest")],
    )  # fmt: skip
    params = {"INPUT": str(tmp_path / "map.tif"), "REFERENCE": layer, "CLASS_FIELD": "ref"}
    feedback = Feedback()
    result = run_alg("landcover:accuracy", {**params, **outputs(tmp_path)}, feedback=feedback)
    rows = read_csv(result["CONFUSION_MATRIX"])
    assert rows[0] == ["table", "reference", *NAMES, "lake", "total"]
    # the 'lake' point lies on forest: its row, nothing in its (empty) map column
    assert rows[4] == ["count", "lake", "0", "1", "0", "0", "1"]
    assert result["OVERALL_ACCURACY"] == pytest.approx(2 / 3)
    assert any("'lake' is not a class of the map" in w for w in feedback.warnings)


def test_reference_without_overlap_is_an_error(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    write_map(tmp_path / "map.tif")
    layer = reference_layer("Point", MAP_CRS, [(point(500, 500), "water")])
    params = {"INPUT": str(tmp_path / "map.tif"), "REFERENCE": layer, "CLASS_FIELD": "ref"}
    with pytest.raises(QgsProcessingException, match="None of the 1 reference features overlaps"):
        run_alg("landcover:accuracy", {**params, **outputs(tmp_path)})
    assert not (tmp_path / "report.html").exists()


def test_reference_without_crs_is_refused_like_a_training_layer(run_alg, tmp_path):
    from qgis.core import (
        QgsCoordinateReferenceSystem,
        QgsFeature,
        QgsGeometry,
        QgsProcessingException,
        QgsVectorLayer,
    )

    write_map(tmp_path / "map.tif")
    layer = QgsVectorLayer("Point?field=ref:string", "reference", "memory")
    layer.setCrs(QgsCoordinateReferenceSystem())
    feature = QgsFeature(layer.fields())
    feature.setGeometry(QgsGeometry.fromWkt(point(20, 5)))
    feature.setAttributes(["water"])
    layer.dataProvider().addFeatures([feature])
    assert not layer.crs().isValid()
    params = {"INPUT": str(tmp_path / "map.tif"), "REFERENCE": layer, "CLASS_FIELD": "ref"}
    with pytest.raises(QgsProcessingException, match="The reference layer has no CRS"):
        run_alg("landcover:accuracy", {**params, **outputs(tmp_path)})
    assert not (tmp_path / "report.html").exists()


def test_stratified_points_get_area_adjusted_estimates_automatically(run_alg, tmp_path):
    from qgis.core import QgsVectorLayer

    from landcover.core.accuracy.area_estimation import olofsson

    write_map(tmp_path / "map.tif")
    points = run_alg(
        "landcover:samplingdesign",
        {"INPUT": str(tmp_path / "map.tif"), "POINTS_PER_CLASS": 10, "SEED": 1,
         "OUTPUT": str(tmp_path / "points.gpkg")},
    )["OUTPUT"]  # fmt: skip
    layer = QgsVectorLayer(points, "points", "ogr")
    # the interpreter agrees with the map except for two forest points that are urban
    field = layer.fields().indexOf("reference_class")
    changed = 0
    layer.startEditing()
    for feature in layer.getFeatures():
        truth = feature["map_name"]
        if feature["map_class"] == 2 and changed < 2:
            truth, changed = "Urban", changed + 1
        layer.changeAttributeValue(feature.id(), field, truth)
    assert layer.commitChanges()

    params = {"INPUT": str(tmp_path / "map.tif"), "REFERENCE": points,
              "CLASS_FIELD": "reference_class", **outputs(tmp_path)}  # fmt: skip
    result = run_alg("landcover:accuracy", params)
    # rows reference, columns map: 2 forest-mapped points are urban in the reference
    matrix = np.array([[10, 0, 0], [0, 8, 0], [0, 2, 10]])
    expected = olofsson(matrix, [700, 800, 800], 0.01)
    assert result["AREA_ADJUSTED_ACCURACY"] == pytest.approx(expected.overall_accuracy)
    rows = read_csv(result["CONFUSION_MATRIX"])
    proportions = [r for r in rows if r[0] == "area proportion"]
    assert len(proportions) == 4  # three classes and the total
    assert float(proportions[2][3]) == pytest.approx(expected.proportions[2][1])
    metrics = {(r[0], r[2]): r for r in read_csv(result["METRICS"])[1:]}
    urban = metrics[("Urban", "estimated_area_ha")]
    assert float(urban[3]) == pytest.approx(expected.area_ha[2])
    assert float(urban[4]) == pytest.approx(expected.area_ha_ci95[2][0])
    assert float(metrics[("Urban", "mapped_area_ha")][3]) == pytest.approx(8.0)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Area-adjusted estimates (Olofsson et al. 2014)" in html
    assert "Estimated area (ha)" in html


def test_area_adjustment_can_be_switched_off(run_alg, tmp_path):
    write_map(tmp_path / "map.tif")
    layer = reference_layer(
        "Point", MAP_CRS, [(point(20, 5), "Water", 1), (point(20, 25), "Forest", 2)],
        extra={"map_class": "integer"},
    )  # fmt: skip
    params = {"INPUT": str(tmp_path / "map.tif"), "REFERENCE": layer, "CLASS_FIELD": "ref"}
    auto = run_alg("landcover:accuracy", {**params, **outputs(tmp_path)})
    assert auto["AREA_ADJUSTED_ACCURACY"] is not None
    off = run_alg("landcover:accuracy", {**params, "AREA_ADJUSTED": 2, **outputs(tmp_path)})
    assert off["AREA_ADJUSTED_ACCURACY"] is None


# ---------------------------------------------------------------- spatialcv


def write_features(path, seed=0):
    """A 3-band 60 x 60 raster of 9 squares of 20 pixels; returns the polygons and classes.

    Each square has a class (1-3) and its own spectral offset, as real fields do.
    """
    rng = np.random.default_rng(seed)
    data = np.zeros((3, 60, 60), dtype=np.float32)
    items = []
    for i in range(3):
        for j in range(3):
            code = (i + j) % 3 + 1
            offset = rng.normal(0, 0.8, 3)
            block = np.array([code, 2 * code, -code], dtype=np.float32) + offset
            rows, cols = slice(20 * i, 20 * i + 20), slice(20 * j, 20 * j + 20)
            data[:, rows, cols] = block[:, None, None] + rng.normal(0, 0.05, (3, 20, 20))
            items.append((box(20 * i + 4, 20 * j + 4, 20 * i + 16, 20 * j + 16), NAMES[code - 1]))
    write_raster(path, data, crs=MAP_CRS, transform=TRANSFORM)
    return items


def test_spatialcv_reports_both_splits(run_alg, tmp_path):
    items = write_features(tmp_path / "features.tif")
    layer = reference_layer("Polygon", "EPSG:4326", items, field="landcover")
    result = run_alg(
        "landcover:spatialcv",
        {"INPUT": str(tmp_path / "features.tif"), "TRAINING": layer, "CLASS_FIELD": "landcover",
         "CLASSIFIER": 4, "FOLDS": 3, "STRATEGY": 0, "MAX_PER_CLASS": 0,
         "METRICS": str(tmp_path / "cv.csv"), "REPORT": str(tmp_path / "cv.html")},
    )  # fmt: skip
    rows = read_csv(result["METRICS"])
    assert rows[0] == [
        "split", "fold", "n_train", "n_test", "overall_accuracy", "kappa", "macro_f1",
    ]  # fmt: skip
    spatial = [r for r in rows[1:] if r[0] == "spatial" and r[1].isdigit()]
    plain = [r for r in rows[1:] if r[0] == "random" and r[1].isdigit()]
    assert len(spatial) == len(plain) == 3
    # 9 polygons of 144 pixels: 3 whole polygons per fold
    assert sorted(int(r[3]) for r in spatial) == [432, 432, 432]
    mean = {r[0]: float(r[4]) for r in rows[1:] if r[1] == "mean"}
    assert result["SPATIAL_ACCURACY"] == pytest.approx(mean["spatial"])
    assert result["RANDOM_ACCURACY"] == pytest.approx(mean["random"])
    assert result["RANDOM_ACCURACY"] > 0.99  # every test pixel has a twin in training
    html = unescape((tmp_path / "cv.html").read_text(encoding="utf-8"))
    assert "Spatial against random split" in html and "Water" in html


def test_spatialcv_blocks_need_a_block_size(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    items = write_features(tmp_path / "features.tif")
    layer = reference_layer("Polygon", MAP_CRS, items, field="landcover")
    with pytest.raises(QgsProcessingException, match="block size above 0"):
        run_alg(
            "landcover:spatialcv",
            {"INPUT": str(tmp_path / "features.tif"), "TRAINING": layer,
             "CLASS_FIELD": "landcover", "STRATEGY": 1, "BLOCK_SIZE": 0,
             "METRICS": str(tmp_path / "cv.csv")},
        )  # fmt: skip


def test_spatialcv_classifier_choices_follow_the_training_classifiers(qgis_app):
    from landcover.core.learn.classifiers import CLASSIFIERS
    from landcover.core.learn.registry import CLASSIFIER_IDS, CLASSIFIER_LABELS

    assert tuple(CLASSIFIERS) == CLASSIFIER_IDS
    assert tuple(CLASSIFIERS.values()) == CLASSIFIER_LABELS


def test_tables_open_in_the_project_when_run_inside_qgis(run_alg, tmp_path):
    from qgis.core import QgsProcessingContext, QgsProject, QgsVectorLayer

    write_map(tmp_path / "map.tif")
    layer = reference_layer("Point", MAP_CRS, [(point(20, 5), "Water"), (point(20, 25), "Forest")])
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    params = {"INPUT": str(tmp_path / "map.tif"), "REFERENCE": layer, "CLASS_FIELD": "ref"}
    result = run_alg("landcover:accuracy", {**params, **outputs(tmp_path)}, context=context)
    to_load = context.layersToLoadOnCompletion()
    assert set(to_load) == {result["CONFUSION_MATRIX"], result["METRICS"]}
    table = QgsVectorLayer(result["CONFUSION_MATRIX"], "matrix", "ogr")
    assert table.isValid() and table.featureCount() == 4
    assert table.fields().field("Water").type() in (2, 4)  # integers, from the .csvt


def test_class_absent_from_the_reference_is_reported_not_divided_by_zero(run_alg, tmp_path):
    write_map(tmp_path / "map.tif")
    items = [(point(20, 5), "Water"), (point(20, 25), "Forest"), (point(20, 45), "Forest")]
    layer = reference_layer("Point", MAP_CRS, items)
    params = {"INPUT": str(tmp_path / "map.tif"), "REFERENCE": layer, "CLASS_FIELD": "ref"}
    result = run_alg("landcover:accuracy", {**params, **outputs(tmp_path)})
    metrics = {(r[0], r[2]): r for r in read_csv(result["METRICS"])[1:]}
    assert metrics[("Urban", "producers_accuracy")][3] == ""  # undefined: NULL, not 0
    assert float(metrics[("Urban", "users_accuracy")][3]) == 0.0
    html = unescape((tmp_path / "report.html").read_text(encoding="utf-8"))
    assert "Class 'Urban' is absent from the reference sample" in html
