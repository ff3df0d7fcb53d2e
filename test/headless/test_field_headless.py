"""The field variant of the example scene from the command line, through qgis_process.bin:
a class on nodata, reference codes of another meaning, areas on a geographic raster."""

from __future__ import annotations

import csv
import json

import pytest

from landcover.core import synthetic


@pytest.fixture(scope="module")
def field(tmp_path_factory):
    return synthetic.make_field_scene(tmp_path_factory.mktemp("field"))


def run_json(qgis_process, algorithm, *params, check=True):
    result = qgis_process("run", algorithm, "--json", "--", *params, check=check)
    return result


@pytest.fixture(scope="module")
def mapped(field, qgis_process, tmp_path_factory):
    """Train on the text field of the stack without EPSG code, classify it; the log."""
    folder = tmp_path_factory.mktemp("mapped")
    trained = run_json(
        qgis_process,
        "landcover:trainclassifier",
        f"INPUT={field['bands']}",
        f"TRAINING={field['training']}",
        "CLASS_FIELD=landcover",
        "N_TREES=30",
        f"MODEL={folder / 'm.lcmodel'}",
    )
    classified = run_json(
        qgis_process,
        "landcover:classify",
        f"INPUT={field['bands']}",
        f"MODEL={folder / 'm.lcmodel'}",
        f"OUTPUT={folder / 'c.tif'}",
    )
    return {"log": trained.stdout + trained.stderr, "map": folder / "c.tif",
            "classify_log": classified.stdout + classified.stderr}  # fmt: skip


def test_class_on_nodata_is_dropped_with_its_feature_ids(mapped):
    assert f"Dropped class '{synthetic.FIELD_ON_NODATA}'" in mapped["log"]
    assert "Features that gave no valid pixel" in mapped["log"]
    assert "trained on a raster in" not in mapped["classify_log"]


def test_reference_codes_are_refused_and_names_match(field, mapped, qgis_process, tmp_path):
    outputs = [
        f"CONFUSION_MATRIX={tmp_path / 'matrix.csv'}",
        f"METRICS={tmp_path / 'metrics.csv'}",
        f"REPORT={tmp_path / 'report.html'}",
    ]
    refused = run_json(
        qgis_process,
        "landcover:accuracy",
        f"INPUT={mapped['map']}",
        f"REFERENCE={field['validation']}",
        "CLASS_FIELD=code",
        *outputs,
        check=False,
    )
    assert refused.returncode != 0
    assert "Choose 'landcover'" in refused.stdout + refused.stderr
    assert not (tmp_path / "report.html").exists()
    named = run_json(
        qgis_process,
        "landcover:accuracy",
        f"INPUT={mapped['map']}",
        f"REFERENCE={field['validation']}",
        "CLASS_FIELD=landcover",
        *outputs,
    )
    results = json.loads(named.stdout)["results"]
    assert results["OVERALL_ACCURACY"] > 0.7
    assert f"'{synthetic.FIELD_ON_NODATA}' is not a class of the map" in named.stdout + named.stderr


def test_area_in_hectares_on_a_geographic_raster(field, qgis_process, tmp_path):
    run_json(
        qgis_process,
        "landcover:trainclassifier",
        f"INPUT={field['geographic']}",
        f"TRAINING={field['training']}",
        "CLASS_FIELD=landcover",
        "N_TREES=20",
        f"MODEL={tmp_path / 'g.lcmodel'}",
    )
    run_json(
        qgis_process,
        "landcover:classify",
        f"INPUT={field['geographic']}",
        f"MODEL={tmp_path / 'g.lcmodel'}",
        f"OUTPUT={tmp_path / 'g.tif'}",
    )
    result = run_json(
        qgis_process,
        "landcover:accuracy",
        f"INPUT={tmp_path / 'g.tif'}",
        f"REFERENCE={field['validation']}",
        "CLASS_FIELD=landcover",
        "AREA_ADJUSTED=1",
        f"CONFUSION_MATRIX={tmp_path / 'matrix.csv'}",
        f"METRICS={tmp_path / 'metrics.csv'}",
        f"REPORT={tmp_path / 'report.html'}",
    )
    assert "ellipsoid" in result.stdout + result.stderr
    with open(tmp_path / "metrics.csv", newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["measure"] == "mapped_area_ha"]
    assert 230 < sum(float(r["value"]) for r in rows) < 290  # 160 x 160 pixels of 10 m
    sieved = run_json(
        qgis_process,
        "landcover:sieve",
        f"INPUT={tmp_path / 'g.tif'}",
        "MIN_AREA=0.1",
        f"OUTPUT={tmp_path / 's.tif'}",
    )
    assert "degrees" in sieved.stdout + sieved.stderr
