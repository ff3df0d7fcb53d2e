"""landcover:crf and landcover:activelearning through processing.run, on the outputs of
landcover:classify, and the labelled points back into landcover:trainclassifier."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from conftest import write_raster
from rasterio.transform import from_origin

from landcover.core import synthetic
from landcover.core.io.classes import CLASSES_TAG, MAP_TAG
from landcover.core.io.raster import read_classes

TRANSFORM = from_origin(600000, 5000000, 10, 10)
NAMES = ["water", "forest", "grassland", "cropland"]


@pytest.fixture(scope="module")
def classified(qgis_app, tmp_path_factory):
    """The thin-feature scene classified by a model that knows its class means."""
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    from landcover.core.learn.model import kmeans_model

    folder = tmp_path_factory.mktemp("classified")
    scene = synthetic.make_thin_feature_scene(200, seed=4)
    image = scene.image.copy()
    image[:, :12, :20] = np.nan  # nodata corner
    write_raster(
        folder / "image.tif",
        image.astype(np.float32),
        transform=TRANSFORM,
        nodata=float("nan"),
        descriptions=["b1", "b2", "b3"],
        plugin_writer=True,
    )
    means = synthetic._THIN_MEANS
    kmeans_model(
        means / synthetic._THIN_NOISE,
        np.zeros(3),
        np.full(3, synthetic._THIN_NOISE),
        scene.classes,
        ["b1", "b2", "b3"],
    ).save(folder / "m.lcmodel")
    outputs = {}
    for run in ("a", "b"):
        out = {
            k: str(folder / f"{k}_{run}.tif") for k in ("OUTPUT", "PROBABILITIES", "UNCERTAINTY")
        }
        processing.run(
            "landcover:classify",
            {"INPUT": str(folder / "image.tif"), "MODEL": str(folder / "m.lcmodel"), **out},
            context=QgsProcessingContext(),
            feedback=QgsProcessingFeedback(),
        )
        outputs[run] = out
    return {"scene": scene, "image": str(folder / "image.tif"), **outputs}


def test_classify_writes_the_classes_into_the_probabilities(classified):
    with (
        rasterio.open(classified["a"]["OUTPUT"]) as cls,
        rasterio.open(classified["a"]["PROBABILITIES"]) as proba,
        rasterio.open(classified["a"]["UNCERTAINTY"]) as unc,
    ):
        assert proba.descriptions == tuple(NAMES)
        assert proba.tags()[CLASSES_TAG] == cls.tags()[CLASSES_TAG]
        run = cls.tags()[MAP_TAG]
        assert proba.tags()[MAP_TAG] == run == unc.tags()[MAP_TAG]
    with rasterio.open(classified["b"]["UNCERTAINTY"]) as other:
        assert other.tags()[MAP_TAG] != run


def test_crf_styles_like_the_class_map_and_equals_the_core(run_alg, classified, tmp_path):
    from landcover.core.postprocess.crf import CrfSettings, crf_raster

    out, proba = tmp_path / "crf.tif", tmp_path / "crf_p.tif"
    result = run_alg(
        "landcover:crf",
        {
            "PROBABILITIES": classified["a"]["PROBABILITIES"],
            "GUIDE": classified["image"],
            "OUTPUT": str(out),
            "OUTPUT_PROBABILITIES": str(proba),
        },
    )
    crf_raster(
        classified["a"]["PROBABILITIES"], tmp_path / "core.tif", classified["image"], CrfSettings()
    )
    scene = classified["scene"]
    with rasterio.open(out) as crf, rasterio.open(classified["a"]["OUTPUT"]) as raw:
        labels = crf.read(1)
        assert read_classes(crf) == read_classes(raw)
        assert crf.colormap(1)[1] == raw.colormap(1)[1]
        assert (labels[:12, :20] == 0).all() and (labels[12:] > 0).all()
        raw_oa = np.mean(raw.read(1)[12:] == scene.truth[12:])
        assert np.mean(labels[12:] == scene.truth[12:]) > raw_oa + 0.1
        with rasterio.open(tmp_path / "core.tif") as core:
            np.testing.assert_array_equal(labels, core.read(1))
    assert result["CHANGED_PIXELS"] > 1000
    qml = out.with_suffix(".qml").read_text()
    assert "paletted" in qml and "grassland" in qml
    with rasterio.open(proba) as p:
        assert p.count == 4 and p.descriptions == tuple(NAMES)


def test_crf_bad_input_is_a_clear_error_and_writes_nothing(run_alg, classified, tmp_path):
    from qgis.core import QgsProcessingException

    p = classified["a"]["PROBABILITIES"]
    with rasterio.open(p) as src:
        data, tags = src.read(), src.tags()
    three = tmp_path / "three.tif"
    write_raster(
        three,
        data[:3].astype(np.float32),
        transform=TRANSFORM,
        nodata=float("nan"),
        tags=tags,
        plugin_writer=True,
    )
    shifted = tmp_path / "shifted.tif"
    write_raster(
        shifted,
        data[:1].astype(np.float32),
        transform=from_origin(600020, 5000000, 10, 10),
        plugin_writer=True,
    )
    cases = [
        ({"PROBABILITIES": str(three)}, "has 3 bands but 4 classes"),
        ({"PROBABILITIES": classified["a"]["OUTPUT"]}, "like a class raster"),
        ({"PROBABILITIES": p, "GUIDE": str(shifted)}, "another grid"),
        ({"PROBABILITIES": p, "SPATIAL_WEIGHT": 80}, "SPATIAL_WEIGHT"),
        ({"PROBABILITIES": p, "EDGE_WEIGHT": -1}, "EDGE_WEIGHT"),
    ]
    for parameters, message in cases:
        out = tmp_path / "out.tif"
        with pytest.raises(QgsProcessingException, match=message):
            run_alg("landcover:crf", {**parameters, "OUTPUT": str(out)})
        assert not out.exists() and not out.with_suffix(".qml").exists()


def points_layer(path):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(str(path), "points", "ogr")
    assert layer.isValid()
    return layer


def test_points_to_label_then_train_with_polygons(run_alg, classified, tmp_path):
    from qgis.core import QgsVectorLayer

    scene = classified["scene"]
    polygons = QgsVectorLayer("Polygon?crs=EPSG:32632&field=landcover:string", "t", "memory")
    from qgis.core import QgsFeature, QgsGeometry

    features = []
    # one square of each of water, forest and grassland, found from the truth
    for code in (1, 2, 3):
        rows, cols = np.nonzero(
            np.lib.stride_tricks.sliding_window_view(scene.truth == code, (5, 5)).all(axis=(2, 3))
        )
        r, c = rows[len(rows) // 2] + 12, cols[len(cols) // 2]
        r = min(r, 195)
        x0, y0 = TRANSFORM * (c, r)
        x1, y1 = TRANSFORM * (c + 5, r + 5)
        feature = QgsFeature(polygons.fields())
        feature.setGeometry(
            QgsGeometry.fromWkt(f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))")
        )
        feature.setAttributes([NAMES[code - 1]])
        features.append(feature)
    polygons.dataProvider().addFeatures(features)

    out = tmp_path / "points.gpkg"
    result = run_alg(
        "landcover:activelearning",
        {
            "UNCERTAINTY": classified["a"]["UNCERTAINTY"],
            "CLASSIFIED": classified["a"]["OUTPUT"],
            "TRAINING": polygons,
            "POINTS": 40,
            "MIN_DISTANCE": 50,
            "OUTPUT": str(out),
        },
    )
    layer = points_layer(result["OUTPUT"])
    assert layer.featureCount() == 40
    assert layer.crs().authid() == "EPSG:32632"
    names = layer.fields().names()
    for field in ("map_class", "map_name", "uncertainty", "rank", "reference_class"):
        assert field in names
    with rasterio.open(classified["a"]["UNCERTAINTY"]) as unc:
        margin = unc.read(2)
    xy = []
    for feature in layer.getFeatures():
        point = feature.geometry().asPoint()
        col, row = ~TRANSFORM * (point.x(), point.y())
        assert feature["uncertainty"] == pytest.approx(margin[int(row), int(col)], abs=1e-6)
        assert feature["reference_class"] in ("", None)
        xy.append((point.x(), point.y()))
    xy = np.array(xy)
    d = np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(-1))
    assert d[np.triu_indices(len(xy), 1)].min() >= 50
    assert {f["map_class"] for f in layer.getFeatures()} == {1, 2, 3, 4}

    # label the points from the truth, editing nothing but reference_class
    layer.startEditing()
    index = names.index("reference_class")
    for feature in layer.getFeatures():
        point = feature.geometry().asPoint()
        col, row = ~TRANSFORM * (point.x(), point.y())
        layer.changeAttributeValue(feature.id(), index, NAMES[scene.truth[int(row), int(col)] - 1])
    assert layer.commitChanges()

    common = {
        "INPUT": classified["image"],
        "TRAINING": polygons,
        "CLASS_FIELD": "landcover",
        "VALIDATION_FRACTION": 0,
        "FOLDS": 2,
        "REPORT": str(tmp_path / "r.html"),
    }
    from landcover.core.learn.model import LandcoverModel

    # polygons alone lack cropland; two layers, or one merged layer, add it
    run_alg("landcover:trainclassifier", {**common, "MODEL": str(tmp_path / "p.lcmodel")})
    assert {c.name for c in LandcoverModel.load(tmp_path / "p.lcmodel").classes} == set(NAMES[:3])
    run_alg(
        "landcover:trainclassifier",
        {**common, "TRAINING_POINTS": str(out), "MODEL": str(tmp_path / "two.lcmodel")},
    )
    # a point training layer (here the polygons' centroids) merged with the points
    centroids = run_alg(
        "native:centroids", {"INPUT": polygons, "OUTPUT": str(tmp_path / "centroids.gpkg")}
    )["OUTPUT"]
    merged = run_alg(
        "native:mergevectorlayers",
        {"LAYERS": [centroids, str(out)], "CRS": None, "OUTPUT": str(tmp_path / "merged.gpkg")},
    )["OUTPUT"]
    run_alg(
        "landcover:trainclassifier",
        {**common, "TRAINING": merged, "MODEL": str(tmp_path / "merged.lcmodel")},
    )
    two = LandcoverModel.load(tmp_path / "two.lcmodel")
    one = LandcoverModel.load(tmp_path / "merged.lcmodel")
    assert [c.name for c in two.classes] == [c.name for c in one.classes] == sorted(NAMES)


def test_activelearning_refuses_an_uncertainty_raster_of_another_map(run_alg, classified, tmp_path):
    from qgis.core import QgsProcessingException

    out = tmp_path / "points.gpkg"
    cases = [
        ({"UNCERTAINTY": classified["b"]["UNCERTAINTY"]}, "another classification"),
        ({"UNCERTAINTY": classified["a"]["PROBABILITIES"]}, "'Uncertainty' output"),
    ]
    for parameters, message in cases:
        with pytest.raises(QgsProcessingException, match=message):
            run_alg(
                "landcover:activelearning",
                {"CLASSIFIED": classified["a"]["OUTPUT"], **parameters, "OUTPUT": str(out)},
            )
        assert not out.exists()
