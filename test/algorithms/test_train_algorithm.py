"""landcover:trainclassifier through processing.run, on the example scene."""

from __future__ import annotations

import numpy as np
import pytest

from landcover.core import synthetic

BANDS = ("blue", "green", "red", "nir", "swir1", "swir2")


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    return synthetic.make_example_scene(tmp_path_factory.mktemp("scene"), size=200)


@pytest.fixture(scope="module")
def stack(scene, qgis_app, tmp_path_factory):
    """The six bands aligned on the 10 m grid: the feature raster of these tests."""
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    out = tmp_path_factory.mktemp("stack") / "stack.tif"
    processing.run(
        "landcover:alignrasters",
        {"INPUT": [str(scene[b]) for b in BANDS], "RESAMPLING": 1, "OUTPUT": str(out)},
        context=QgsProcessingContext(),
        feedback=QgsProcessingFeedback(),
    )
    return str(out)


def load_model(path):
    from landcover.core.learn.model import LandcoverModel

    return LandcoverModel.load(path)


def vector(path):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(str(path), "v", "ogr")
    assert layer.isValid(), path
    return layer


def test_train_on_example_scene_from_polygons_in_another_crs(run_alg, scene, stack, tmp_path):
    model_path, report = tmp_path / "m.lcmodel", tmp_path / "r.html"
    held_out = tmp_path / "holdout.gpkg"
    result = run_alg(
        "landcover:trainclassifier",
        {
            "INPUT": stack,
            "TRAINING": str(scene["training"]),
            "CLASS_FIELD": "landcover",
            "MODEL": str(model_path),
            "REPORT": str(report),
            "VALIDATION_OUTPUT": str(held_out),
        },
    )
    assert result["MODEL"] == str(model_path)
    model = load_model(model_path)
    names = sorted(c.name for c in synthetic.EXAMPLE_CLASSES)
    assert [c.name for c in model.classes] == names
    assert [c.code for c in model.classes] == list(range(1, len(names) + 1))
    assert len({c.color for c in model.classes}) == len(names)
    assert model.band_names == [f"{b} ({b}.tif band 1)" for b in BANDS]
    assert "32632" in model.crs_wkt
    # the scene is separable but not trivially (measured: 0.94 held out, 0.86 cross-validated)
    assert 0.88 < result["VALIDATION_ACCURACY"] < 1.0
    assert 0.80 < result["CV_ACCURACY"] < 1.0
    page = report.read_text(encoding="utf-8")
    assert "Validation on held-out polygons" in page and names[0] in page

    training, holdout = vector(scene["training"]), vector(result["VALIDATION_OUTPUT"])
    assert holdout.crs().authid() == "EPSG:4326"
    assert "landcover" in holdout.fields().names()
    counts = {}
    for feature in holdout.getFeatures():
        counts[feature["landcover"]] = counts.get(feature["landcover"], 0) + 1
    assert set(counts) == set(names)
    assert sum(counts.values()) == pytest.approx(0.3 * training.featureCount(), abs=len(names))
    held_ids = {f["id"] for f in holdout.getFeatures()}
    train_ids = {f["id"] for f in training.getFeatures()} - held_ids
    assert train_ids and held_ids and not train_ids & held_ids


def test_training_layer_crs_does_not_change_the_samples(run_alg, scene, stack, tmp_path):
    reprojected = run_alg(
        "native:reprojectlayer",
        {
            "INPUT": str(scene["training"]),
            "TARGET_CRS": "EPSG:32632",
            "OUTPUT": str(tmp_path / "utm.gpkg"),
        },
    )["OUTPUT"]
    models = []
    for layer, name in ((str(scene["training"]), "a"), (reprojected, "b")):
        path = tmp_path / f"{name}.lcmodel"
        run_alg(
            "landcover:trainclassifier",
            {"INPUT": stack, "TRAINING": layer, "CLASS_FIELD": "landcover",
             "N_TREES": 20, "FOLDS": 0, "MODEL": str(path)},
        )  # fmt: skip
        models.append(load_model(path))
    assert models[0].scores["samples"] == models[1].scores["samples"]
    x = np.random.default_rng(0).uniform(0, 5000, (2000, 6)).astype(np.float32)
    np.testing.assert_array_equal(models[0].predict(x), models[1].predict(x))


def integer_layer(scene, styled: bool):
    """The training polygons in a memory layer with an integer class field ``code``,
    optionally styled by a categorised renderer on it."""
    from qgis.core import (
        QgsCategorizedSymbolRenderer,
        QgsFeature,
        QgsRendererCategory,
        QgsSymbol,
        QgsVectorLayer,
    )
    from qgis.PyQt.QtGui import QColor

    source = vector(scene["training"])
    layer = QgsVectorLayer("Polygon?crs=EPSG:4326&field=code:integer", "codes", "memory")
    codes = {c.name: 10 * c.code for c in synthetic.EXAMPLE_CLASSES}
    features = []
    for f in source.getFeatures():
        feature = QgsFeature(layer.fields())
        feature.setGeometry(f.geometry())
        feature.setAttributes([codes[f["landcover"]]])
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    if styled:
        categories = []
        for i, (name, code) in enumerate(sorted(codes.items())):
            symbol = QgsSymbol.defaultSymbol(layer.geometryType())
            symbol.setColor(QColor(10 * i, 20, 200 - 10 * i))
            categories.append(QgsRendererCategory(code, symbol, name.upper()))
        layer.setRenderer(QgsCategorizedSymbolRenderer("code", categories))
    return layer, codes


def test_integer_codes_kept_and_colours_and_names_from_the_layer_style(
    run_alg, scene, stack, tmp_path
):
    layer, codes = integer_layer(scene, styled=True)
    path = tmp_path / "m.lcmodel"
    run_alg(
        "landcover:trainclassifier",
        {"INPUT": stack, "TRAINING": layer, "CLASS_FIELD": "code", "CLASSIFIER": 5,
         "FOLDS": 0, "MODEL": str(path)},
    )  # fmt: skip
    model = load_model(path)
    assert model.kind == "gaussian_ml"
    assert [c.code for c in model.classes] == sorted(codes.values())
    expected = {code: (name.upper(), i) for i, (name, code) in enumerate(sorted(codes.items()))}
    for c in model.classes:
        name, i = expected[c.code]
        assert c.name == name
        assert c.color == (10 * i, 20, 200 - 10 * i)

    plain, _ = integer_layer(scene, styled=False)
    run_alg(
        "landcover:trainclassifier",
        {"INPUT": stack, "TRAINING": plain, "CLASS_FIELD": "code", "CLASSIFIER": 4,
         "FOLDS": 0, "MODEL": str(path)},
    )  # fmt: skip
    assert [c.name for c in load_model(path).classes] == [
        f"class {code}" for code in sorted(codes.values())
    ]


def test_points_train_and_the_model_classifies_the_stack(run_alg, scene, stack, tmp_path):
    points = run_alg(
        "native:centroids",
        {"INPUT": str(scene["training"]), "ALL_PARTS": False, "OUTPUT": "memory:"},
    )["OUTPUT"]
    path = tmp_path / "m.lcmodel"
    result = run_alg(
        "landcover:trainclassifier",
        {"INPUT": stack, "TRAINING": points, "CLASS_FIELD": "landcover", "N_TREES": 30,
         "VALIDATION_FRACTION": 0, "FOLDS": 2, "MODEL": str(path)},
    )  # fmt: skip
    assert result["VALIDATION_ACCURACY"] is None
    model = load_model(path)
    total = sum(row["train"] for row in model.scores["samples"].values())
    assert total == points.featureCount()
    out = str(tmp_path / "c.tif")
    classified = run_alg("landcover:classify", {"INPUT": stack, "MODEL": str(path), "OUTPUT": out})
    import rasterio

    with rasterio.open(classified["OUTPUT"]) as ds:
        assert set(np.unique(ds.read(1))) - {0} <= {c.code for c in model.classes}


def memory_layer(definition, rows, crs=True):
    from qgis.core import QgsCoordinateReferenceSystem, QgsFeature, QgsGeometry, QgsVectorLayer

    layer = QgsVectorLayer(definition, "t", "memory")
    if not crs:
        layer.setCrs(QgsCoordinateReferenceSystem())
    features = []
    for wkt, value in rows:
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromWkt(wkt))
        feature.setAttributes([value])
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def square(x, y, size=40):
    return f"POLYGON(({x} {y},{x + size} {y},{x + size} {y + size},{x} {y + size},{x} {y}))"


def test_bad_training_input_is_a_clear_error_and_writes_nothing(run_alg, stack, tmp_path):
    from qgis.core import QgsProcessingException

    from landcover.core.synthetic import ORIGIN

    x, y = ORIGIN[0] + 300, ORIGIN[1] - 300
    cases = [
        (memory_layer("Polygon?crs=EPSG:32632&field=c:string",
                      [(square(x, y), "forest"), (square(x + 100, y), "forest")]),
         "at least two classes"),
        (memory_layer("Polygon?crs=EPSG:32632&field=c:string",
                      [(square(x, y), None), (square(x + 100, y), "")]),
         "No training feature has a class"),
        (memory_layer("Polygon?crs=EPSG:32632&field=c:string",
                      [(square(0, 0), "forest"), (square(100, 0), "water")]),
         "do not overlap the raster"),
        (memory_layer("Polygon?field=c:string",
                      [(square(x, y), "forest"), (square(x + 100, y), "water")], crs=False),
         "has no CRS"),
        (memory_layer("Polygon?crs=EPSG:32632&field=c:string",
                      [(square(x, y), "forest"), (square(x + 100, y, 1), "water")]),
         r"'water' \(code 2, feature ids 2\): none of its features covers a pixel centre"),
    ]  # fmt: skip
    for layer, message in cases:
        model = tmp_path / "m.lcmodel"
        with pytest.raises(QgsProcessingException, match=message):
            run_alg(
                "landcover:trainclassifier",
                {"INPUT": stack, "TRAINING": layer, "CLASS_FIELD": "c", "MODEL": str(model),
                 "REPORT": str(tmp_path / "r.html")},
            )  # fmt: skip
        assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_train_and_spatial_cv_agree_on_the_same_settings(run_alg, scene, stack, tmp_path):
    """'Train classifier' and 'Spatial cross-validation' with polygon folds, the same
    folds, cap and seed (and the classifier's defaults): the same pooled figures."""
    import csv

    common = {"INPUT": stack, "TRAINING": str(scene["training"]), "CLASS_FIELD": "landcover"}
    trained = run_alg(
        "landcover:trainclassifier",
        {**common, "VALIDATION_FRACTION": 0.0, "FOLDS": 4, "SEED": 3,
         "MAX_SAMPLES_PER_CLASS": 300, "MODEL": str(tmp_path / "m.lcmodel")},
    )  # fmt: skip
    compared = run_alg(
        "landcover:spatialcv",
        {**common, "FOLDS": 4, "STRATEGY": 0, "SEED": 3, "MAX_PER_CLASS": 300,
         "METRICS": str(tmp_path / "cv.csv")},
    )  # fmt: skip
    with open(compared["METRICS"], newline="", encoding="utf-8") as handle:
        pooled = next(r for r in csv.DictReader(handle) if r["split"] == "spatial"
                      and r["fold"] == "pooled")  # fmt: skip
    cv = load_model(trained["MODEL"]).scores["cross_validation"]
    assert cv["n"] == int(pooled["n_test"])
    assert cv["overall_accuracy"] == pytest.approx(float(pooled["overall_accuracy"]), abs=1e-12)
    assert cv["kappa"] == pytest.approx(float(pooled["kappa"]), abs=1e-12)
    assert trained["CV_ACCURACY"] == pytest.approx(cv["overall_accuracy"])
