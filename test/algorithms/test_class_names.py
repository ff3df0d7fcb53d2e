"""Class names from a name field of the training layer travel to the model and maps."""

from __future__ import annotations

import pytest
import rasterio

from landcover.core import synthetic
from landcover.core.io.raster import read_classes

BANDS = ("blue", "green", "red", "nir", "swir1", "swir2")
CODES = {"water": 7, "forest": 3, "grassland": 12, "cropland": 5, "built-up": 9, "bare soil": 2}


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    return synthetic.make_example_scene(tmp_path_factory.mktemp("scene"), size=200)


def coded_copy(source, target):
    """The training layer with integer codes in 'code' and their names in 'label'."""
    from osgeo import ogr

    data = ogr.Open(str(source))
    layer = data.GetLayer(0)
    out = ogr.GetDriverByName("GPKG").CreateDataSource(str(target))
    copy = out.CreateLayer("training", layer.GetSpatialRef(), layer.GetGeomType())
    copy.CreateField(ogr.FieldDefn("code", ogr.OFTInteger))
    copy.CreateField(ogr.FieldDefn("label", ogr.OFTString))
    for feature in layer:
        new = ogr.Feature(copy.GetLayerDefn())
        new.SetGeometry(feature.GetGeometryRef())
        new.SetField("code", CODES[feature.GetField("landcover")])
        new.SetField("label", feature.GetField("landcover"))
        copy.CreateFeature(new)
    out = copy = data = layer = None


def test_class_name_field_names_integer_codes(run_alg, scene, tmp_path):
    from landcover.core.learn.model import LandcoverModel

    assert set(CODES) == {c.name for c in synthetic.EXAMPLE_CLASSES}
    training = tmp_path / "coded.gpkg"
    coded_copy(scene["training"], training)
    stack = tmp_path / "stack.tif"
    run_alg(
        "landcover:alignrasters",
        {"INPUT": [str(scene[b]) for b in BANDS], "RESAMPLING": 1, "OUTPUT": str(stack)},
    )
    common = {
        "INPUT": str(stack),
        "TRAINING": str(training),
        "CLASS_FIELD": "code",
        "N_TREES": 20,
        "VALIDATION_FRACTION": 0.0,
    }
    run_alg("landcover:trainclassifier", {**common, "MODEL": str(tmp_path / "plain.lcmodel")})
    plain = LandcoverModel.load(tmp_path / "plain.lcmodel")
    assert {c.name for c in plain.classes} == {f"class {code}" for code in CODES.values()}

    run_alg(
        "landcover:trainclassifier",
        {**common, "CLASS_NAME_FIELD": "label", "MODEL": str(tmp_path / "named.lcmodel")},
    )
    named = LandcoverModel.load(tmp_path / "named.lcmodel")
    assert {c.code: c.name for c in named.classes} == {v: k for k, v in CODES.items()}
    water = next(c for c in named.classes if c.name == "water")
    assert water.color == (31, 120, 180)  # the conventional colour of the name

    run_alg(
        "landcover:classify",
        {
            "INPUT": str(stack),
            "MODEL": str(tmp_path / "named.lcmodel"),
            "OUTPUT": str(tmp_path / "map.tif"),
        },
    )
    with rasterio.open(tmp_path / "map.tif") as src:
        assert {c.code: c.name for c in read_classes(src)} == {v: k for k, v in CODES.items()}


def test_spatial_cv_takes_the_class_name_field(run_alg, scene, tmp_path):
    training = tmp_path / "coded.gpkg"
    coded_copy(scene["training"], training)
    stack = tmp_path / "stack.tif"
    run_alg(
        "landcover:alignrasters",
        {"INPUT": [str(scene[b]) for b in BANDS], "RESAMPLING": 1, "OUTPUT": str(stack)},
    )
    report = tmp_path / "cv.html"
    run_alg(
        "landcover:spatialcv",
        {
            "INPUT": str(stack),
            "TRAINING": str(training),
            "CLASS_FIELD": "code",
            "CLASS_NAME_FIELD": "label",
            "METRICS": str(tmp_path / "cv.csv"),
            "REPORT": str(report),
        },
    )
    page = report.read_text(encoding="utf-8")
    assert "grassland" in page and "class 12" not in page
