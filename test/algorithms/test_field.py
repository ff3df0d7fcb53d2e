"""The field variant of the example scene through processing.run: data as it comes
(a class on nodata, integer codes with 0, a CRS without EPSG code, a zero-filled
border, RGB-only and geographic rasters) gives warnings and honest figures."""

from __future__ import annotations

import csv
import math
import re

import pytest
import rasterio

from landcover.core import synthetic


@pytest.fixture(scope="module")
def field(tmp_path_factory):
    return synthetic.make_field_scene(tmp_path_factory.mktemp("field"))


def recording():
    from qgis.core import QgsProcessingFeedback

    class Recording(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.warnings: list[str] = []
            self.infos: list[str] = []

        def pushWarning(self, text):
            self.warnings.append(text)
            super().pushWarning(text)

        def pushInfo(self, text):
            self.infos.append(text)
            super().pushInfo(text)

    return Recording()


def train(run_alg, raster, training, field_name, folder, **extra):
    feedback = recording()
    result = run_alg(
        "landcover:trainclassifier",
        {
            "INPUT": str(raster),
            "TRAINING": str(training),
            "CLASS_FIELD": field_name,
            "N_TREES": 30,
            "MODEL": str(folder / f"{field_name}.lcmodel"),
            "REPORT": str(folder / f"{field_name}.html"),
            **extra,
        },
        feedback=feedback,
    )
    return result, feedback


def classify(run_alg, raster, model, output):
    feedback = recording()
    result = run_alg(
        "landcover:classify",
        {"INPUT": str(raster), "MODEL": str(model), "OUTPUT": str(output)},
        feedback=feedback,
    )
    return result, feedback


def accuracy(run_alg, class_map, reference, field_name, folder, **extra):
    feedback = recording()
    result = run_alg(
        "landcover:accuracy",
        {
            "INPUT": str(class_map),
            "REFERENCE": reference if not hasattr(reference, "exists") else str(reference),
            "CLASS_FIELD": field_name,
            "CONFUSION_MATRIX": str(folder / "matrix.csv"),
            "METRICS": str(folder / "metrics.csv"),
            "REPORT": str(folder / "accuracy.html"),
            **extra,
        },
        feedback=feedback,
    )
    return result, feedback


@pytest.fixture(scope="module")
def by_name(field, qgis_app, tmp_path_factory):
    """A model trained on the text field and the map it makes of the scene."""
    import processing

    folder = tmp_path_factory.mktemp("by_name")
    run = processing.run
    feedback = recording()
    trained = run(
        "landcover:trainclassifier",
        {
            "INPUT": str(field["bands"]),
            "TRAINING": str(field["training"]),
            "CLASS_FIELD": "landcover",
            "N_TREES": 30,
            "MODEL": str(folder / "m.lcmodel"),
            "REPORT": str(folder / "m.html"),
        },
        feedback=feedback,
    )
    classify_feedback = recording()
    mapped = run(
        "landcover:classify",
        {"INPUT": str(field["bands"]), "MODEL": trained["MODEL"], "OUTPUT": str(folder / "c.tif")},
        feedback=classify_feedback,
    )
    return {
        "model": trained["MODEL"],
        "report": folder / "m.html",
        "map": mapped["OUTPUT"],
        "train_warnings": feedback.warnings,
        "classify_warnings": classify_feedback.warnings,
    }


def test_a_class_on_nodata_is_dropped_naming_it_and_its_features(by_name):
    from landcover.core.learn.model import LandcoverModel

    names = [c.name for c in LandcoverModel.load(by_name["model"]).classes]
    assert synthetic.FIELD_ON_NODATA not in names and len(names) == 5
    dropped = [w for w in by_name["train_warnings"] if w.startswith("Dropped class")]
    assert len(dropped) == 1 and f"'{synthetic.FIELD_ON_NODATA}'" in dropped[0]
    assert "feature ids" in dropped[0] and "nodata" in dropped[0]
    # the log names every feature that gave no pixel: the sub-pixel polygon too
    listed = [w for w in by_name["train_warnings"] if w.startswith("Features that gave no")]
    assert listed and re.search(rf"'water' {synthetic.FIELD_TINY_ID}\b", listed[0])
    assert "Dropped class" in by_name["report"].read_text(encoding="utf-8")


def test_classifying_the_training_raster_without_epsg_code_gives_no_crs_warning(
    field, by_name, run_alg, tmp_path
):
    with rasterio.open(field["bands"]) as src:
        assert src.crs.to_epsg() is None
    assert not any(
        "CRS" in w or "trained on a raster in" in w for w in by_name["classify_warnings"]
    )
    # another CRS is named, never left empty
    model, _ = train(run_alg, field["geographic"], field["training"], "landcover", tmp_path)
    _, feedback = classify(run_alg, field["bands"], model["MODEL"], tmp_path / "c.tif")
    warning = next(w for w in feedback.warnings if "trained on a raster in" in w)
    assert "EPSG:4326" in warning and "+proj=tmerc" in warning
    assert " in ." not in warning and "unnamed" not in warning


def test_reference_codes_of_a_map_named_from_text(field, by_name, run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    named, _ = accuracy(run_alg, by_name["map"], field["validation"], "landcover", tmp_path)
    # numbers of another coding, with the text field at hand: refused, naming it
    with pytest.raises(QgsProcessingException, match="Choose 'landcover'"):
        accuracy(run_alg, by_name["map"], field["validation"], "code", tmp_path)
    # without the text field: assessed, with a warning listing the codes
    import processing

    codes_only = processing.run(
        "native:deletecolumn",
        {"INPUT": str(field["validation"]), "COLUMN": ["landcover"], "OUTPUT": "memory:"},
    )["OUTPUT"]
    numbered, feedback = accuracy(run_alg, by_name["map"], codes_only, "code", tmp_path)
    warning = next(w for w in feedback.warnings if "holds numbers" in w)
    assert "code 2 = built-up" in warning and "code 6 = water" in warning
    # the silent wrong answer this guards against: codes of another meaning
    assert named["OVERALL_ACCURACY"] > 0.7
    assert numbered["OVERALL_ACCURACY"] < named["OVERALL_ACCURACY"] - 0.4


def test_reference_class_missing_from_the_map_counts_as_omission(field, by_name, run_alg, tmp_path):
    result, feedback = accuracy(run_alg, by_name["map"], field["validation"], "landcover", tmp_path)
    assert any(f"'{synthetic.FIELD_ON_NODATA}' is not a class of the map" in w
               for w in feedback.warnings)  # fmt: skip
    with open(result["CONFUSION_MATRIX"], newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][-2] == synthetic.FIELD_ON_NODATA
    absent = next(r for r in rows if r[1] == synthetic.FIELD_ON_NODATA)
    assert int(absent[-1]) > 0 and absent[-2] == "0"  # its map column is empty
    with open(result["METRICS"], newline="", encoding="utf-8") as handle:
        metrics = {(r["class"], r["measure"]): r for r in csv.DictReader(handle)}
    assert float(metrics[(synthetic.FIELD_ON_NODATA, "producers_accuracy")]["value"]) == 0.0
    # pixels of a polygon are one cluster: intervals per class, wider than Wilson's
    forest = metrics[("forest", "producers_accuracy")]
    assert float(forest["ci95_low"]) <= float(forest["value"]) <= float(forest["ci95_high"])
    html = (tmp_path / "accuracy.html").read_text(encoding="utf-8")
    assert "polygons as clusters" in html


def test_integer_codes_with_zero_keep_the_codes_and_show_the_mapping(field, run_alg, tmp_path):
    from landcover.core.learn.model import LandcoverModel

    result, feedback = train(run_alg, field["bands"], field["training"], "code", tmp_path)
    classes = {c.code: c.name for c in LandcoverModel.load(result["MODEL"]).classes}
    zero = synthetic.FIELD_CODES["water"]
    assert zero == 0
    assert classes[6] == "class 0 (code 6)"  # 0 goes after the largest code, 5
    assert all(classes[code] == f"class {code}" for code in (1, 2, 3, 4))
    warning = next(w for w in feedback.warnings if "0 is nodata" in w)
    assert "0 \u2192 code 6" in warning
    assert "0 \u2192 code 6" in (tmp_path / "code.html").read_text(encoding="utf-8")
    mapped, _ = classify(run_alg, field["bands"], result["MODEL"], tmp_path / "c.tif")
    from landcover.core.io.raster import read_classes

    with rasterio.open(mapped["OUTPUT"]) as src:
        assert "class 0 (code 6)" in [c.name for c in read_classes(src)]
    # the survey's own codes (0 included) assess that map without any translation
    assessed, feedback = accuracy(run_alg, mapped["OUTPUT"], field["validation"], "code", tmp_path)
    assert assessed["OVERALL_ACCURACY"] > 0.6
    assert not any("holds numbers" in w for w in feedback.warnings)


def test_cross_validation_of_a_single_polygon_class_reports_no_figure(field, run_alg, tmp_path):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(str(field["training"]), "training", "ogr")
    water = [f.id() for f in layer.getFeatures() if f["landcover"] == "water"]
    layer = f"{field['training']}|subset=landcover <> 'water' OR fid = {water[-1]}"
    _, feedback = train(
        run_alg, field["bands"], layer, "landcover", tmp_path, VALIDATION_FRACTION=0.0
    )
    assert any("'water' (code 6) has fewer than two training features" in w
               for w in feedback.warnings)  # fmt: skip
    from landcover.core.learn.model import LandcoverModel

    scores = LandcoverModel.load(str(tmp_path / "landcover.lcmodel")).scores
    names = [c.name for c in LandcoverModel.load(str(tmp_path / "landcover.lcmodel")).classes]
    assert scores["cross_validation"]["f1"][names.index("water")] is None


def test_an_empty_held_out_layer_is_not_written_silently(field, run_alg, tmp_path):
    output = tmp_path / "held_out.gpkg"
    result, feedback = train(
        run_alg, field["bands"], field["training"], "landcover", tmp_path,
        VALIDATION_FRACTION=0.0, VALIDATION_OUTPUT=str(output),
    )  # fmt: skip
    assert result["VALIDATION_OUTPUT"] is None and not output.exists()
    assert any("No feature was held out" in w for w in feedback.warnings)


def test_align_counts_the_zero_border_of_a_band_without_nodata(field, run_alg, tmp_path):
    feedback = recording()
    run_alg(
        "landcover:alignrasters",
        {"INPUT": [str(field["border"])], "OUTPUT": str(tmp_path / "stack.tif")},
        feedback=feedback,
    )
    with rasterio.open(field["border"]) as src:
        zeros = int((src.read(1) == 0).sum())
    assert zeros >= synthetic.FIELD_BORDER * src.height
    warning = next(w for w in feedback.warnings if "no nodata value" in w)
    assert f"{zeros} pixels" in warning and "kept as data" in warning
    assert "gdal_edit -a_nodata 0" in warning


def test_geographic_raster_areas_in_hectares_and_blocks_in_degrees(field, run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    trained, _ = train(run_alg, field["geographic"], field["training"], "landcover", tmp_path)
    mapped, _ = classify(run_alg, field["geographic"], trained["MODEL"], tmp_path / "c.tif")
    result, feedback = accuracy(
        run_alg, mapped["OUTPUT"], field["validation"], "landcover", tmp_path, AREA_ADJUSTED=1
    )
    with open(result["METRICS"], newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["measure"] == "mapped_area_ha"]
    total = sum(float(r["value"]) for r in rows)
    assert any("area of every pixel on the ellipsoid" in w for w in feedback.warnings)
    # the scene is 160 x 160 pixels of 10 m: 256 ha, give or take the warped edges
    assert 230 < total < 290
    sieved = run_alg(
        "landcover:sieve",
        {"INPUT": mapped["OUTPUT"], "MIN_AREA": 0.1, "OUTPUT": str(tmp_path / "s.tif")},
    )
    assert rasterio.open(sieved["OUTPUT"]).count == 1
    with pytest.raises(QgsProcessingException, match="degrees"):
        run_alg(
            "landcover:spatialcv",
            {
                "INPUT": str(field["geographic"]),
                "TRAINING": str(field["training"]),
                "CLASS_FIELD": "landcover",
                "STRATEGY": 1,
                "BLOCK_SIZE": 1000,
                "METRICS": str(tmp_path / "cv.csv"),
            },
        )
    with pytest.raises(QgsProcessingException, match="minimum distance is in degrees"):
        run_alg(
            "landcover:samplingdesign",
            {"INPUT": mapped["OUTPUT"], "MIN_DISTANCE": 100, "OUTPUT": str(tmp_path / "p.gpkg")},
        )
    assert math.isfinite(result["OVERALL_ACCURACY"])


def test_an_rgb_only_raster_trains_and_classifies(field, run_alg, tmp_path):
    trained, _ = train(run_alg, field["rgb"], field["training"], "landcover", tmp_path)
    mapped, _ = classify(run_alg, field["rgb"], trained["MODEL"], tmp_path / "c.tif")
    with rasterio.open(mapped["OUTPUT"]) as src:
        assert src.count == 1 and (src.read(1) > 0).mean() > 0.9
