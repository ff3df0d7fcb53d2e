"""Step 4 from the command line, through qgis_process.bin."""

from __future__ import annotations

import csv
import json

import pytest

from landcover.core import synthetic


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    return synthetic.make_example_scene(tmp_path_factory.mktemp("scene"), size=120)


def run_json(qgis_process, algorithm, *params):
    result = qgis_process("run", algorithm, "--json", "--", *params)
    return json.loads(result.stdout)["results"]


def test_accuracy_of_the_truth_against_the_validation_polygons(qgis_process, scene, tmp_path):
    # validation polygons are stored in EPSG:3857, the map is in EPSG:32632
    results = run_json(
        qgis_process,
        "landcover:accuracy",
        f"INPUT={scene['truth']}",
        f"REFERENCE={scene['validation']}",
        "CLASS_FIELD=landcover",
        "MODE=1",
        f"CONFUSION_MATRIX={tmp_path / 'matrix.csv'}",
        f"METRICS={tmp_path / 'metrics.csv'}",
        f"REPORT={tmp_path / 'report.html'}",
    )
    with open(results["CONFUSION_MATRIX"], newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    names = [c.name for c in synthetic.EXAMPLE_CLASSES]
    assert rows[0] == ["table", "reference", *names, "total"]
    total = int(rows[len(names) + 1][-1])
    diagonal = sum(int(rows[1 + i][2 + i]) for i in range(len(names)))
    assert total > 0
    assert results["OVERALL_ACCURACY"] == pytest.approx(diagonal / total)
    assert results["OVERALL_ACCURACY"] > 0.9  # the polygons were drawn on the truth
    assert (tmp_path / "report.html").stat().st_size > 2000


def test_sampling_design_then_area_adjusted_accuracy(qgis_process, scene, tmp_path):
    points = tmp_path / "points.gpkg"
    run_json(
        qgis_process,
        "landcover:samplingdesign",
        f"INPUT={scene['truth']}",
        "TOTAL=120",
        "MIN_PER_CLASS=10",
        "MIN_DISTANCE=30",
        f"OUTPUT={points}",
    )
    # the map's own class names as the reference: a perfect map
    results = run_json(
        qgis_process,
        "landcover:accuracy",
        f"INPUT={scene['truth']}",
        f"REFERENCE={points}",
        "CLASS_FIELD=map_name",
        f"CONFUSION_MATRIX={tmp_path / 'matrix.csv'}",
        f"METRICS={tmp_path / 'metrics.csv'}",
        f"REPORT={tmp_path / 'report.html'}",
    )
    assert results["OVERALL_ACCURACY"] == 1.0
    assert results["AREA_ADJUSTED_ACCURACY"] == pytest.approx(1.0)
    with open(results["METRICS"], newline="", encoding="utf-8") as handle:
        rows = {(r["class"], r["measure"]): r for r in csv.DictReader(handle)}
    for info in synthetic.EXAMPLE_CLASSES:
        mapped = float(rows[(info.name, "mapped_area_ha")]["value"])
        estimated = float(rows[(info.name, "estimated_area_ha")]["value"])
        assert estimated == pytest.approx(mapped)


def test_spatial_cross_validation_from_the_command_line(qgis_process, scene, tmp_path):
    results = run_json(
        qgis_process,
        "landcover:spatialcv",
        f"INPUT={scene['nir']}",
        f"TRAINING={scene['training']}",
        "CLASS_FIELD=landcover",
        "CLASSIFIER=5",
        "FOLDS=3",
        "STRATEGY=1",
        "BLOCK_SIZE=300",
        f"METRICS={tmp_path / 'cv.csv'}",
        f"REPORT={tmp_path / 'cv.html'}",
    )
    assert 0.0 <= results["SPATIAL_ACCURACY"] <= 1.0
    assert 0.0 <= results["RANDOM_ACCURACY"] <= 1.0
    with open(results["METRICS"], newline="", encoding="utf-8") as handle:
        splits = {(r["split"], r["fold"]) for r in csv.DictReader(handle)}
    assert {("spatial", "mean"), ("random", "mean"), ("spatial", "3")} <= splits
