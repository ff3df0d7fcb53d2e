"""The shipped "Land cover workflow" model from the command line, through qgis_process.bin."""

from __future__ import annotations

import csv
import json
import sqlite3

import rasterio
from conftest import load_script

from landcover.core.raster import read_classes
from landcover.core.synthetic import EXAMPLE_CLASSES, make_example_scene

NAMES = {info.name for info in EXAMPLE_CLASSES}
# Measured: overall accuracy 0.935 and kappa 0.922 (see test/algorithms/test_workflow_model.py).
MIN_OVERALL_ACCURACY = 0.90
MIN_KAPPA = 0.88

DEMO = load_script("demo")
MODEL_ID = DEMO.MODEL_ID
OUTPUTS = DEMO.OUTPUTS


def test_model_is_listed_with_its_inputs(qgis_process):
    listing = qgis_process("list").stdout
    assert MODEL_ID in listing
    help_text = qgis_process("help", MODEL_ID).stdout
    for name in ("BANDS", "MASK_VALUES", "TRAINING_FIELD", "VALIDATION", "classify:Class map"):
        assert name in help_text


def test_qgis_process_runs_the_whole_workflow(qgis_process, tmp_path):
    make_example_scene(tmp_path / "example")
    out = tmp_path / "out"
    out.mkdir()
    run = qgis_process(
        "run", MODEL_ID, "--json", "--", *DEMO.model_arguments(tmp_path / "example", out)
    )
    results = json.loads(run.stdout)["results"]
    for name, file in OUTPUTS.items():
        assert str(results[name]).split("|")[0] == str(out / file), name
        assert (out / file).exists() and (out / file).stat().st_size > 0, name

    with open(out / "metrics.csv", newline="", encoding="utf-8") as table:
        rows = list(csv.DictReader(table))
    overall = {r["measure"]: float(r["value"]) for r in rows if r["class"] == "all"}
    assert overall["overall_accuracy"] >= MIN_OVERALL_ACCURACY
    assert overall["kappa"] >= MIN_KAPPA
    assert {r["class"] for r in rows if r["measure"] == "f1"} == NAMES

    with rasterio.open(out / "landcover.tif") as src:
        assert {info.name for info in read_classes(src)} == NAMES
        assert src.colormap(1)[1][3] == 255
    with rasterio.open(out / "landcover_clean.tif") as src:
        assert {info.name for info in read_classes(src)} == NAMES
    with sqlite3.connect(out / "landcover.gpkg") as db:
        tables = {row[0] for row in db.execute("SELECT table_name FROM gpkg_contents")}
        table = next(t for t in tables if t != "layer_styles")
        names = {row[0] for row in db.execute(f'SELECT DISTINCT class_name FROM "{table}"')}
        styles = db.execute("SELECT useAsDefault FROM layer_styles").fetchall()
    assert names == NAMES
    assert styles == [(1,)]


def test_missing_reference_or_output_stops_before_any_work(qgis_process, tmp_path):
    make_example_scene(tmp_path / "example")
    out = tmp_path / "out"
    arguments = DEMO.model_arguments(tmp_path / "example", out)
    without_reference = [a for a in arguments if not a.startswith("VALIDATION")]
    run = qgis_process("run", MODEL_ID, "--", *without_reference, check=False)
    assert run.returncode != 0
    assert "VALIDATION_FIELD" in run.stdout + run.stderr

    without_output = [a for a in arguments if not a.startswith("texture:Feature stack=")]
    run = qgis_process("run", MODEL_ID, "--", *without_output, check=False)
    assert run.returncode != 0
    assert "not specified" in run.stdout + run.stderr
    assert "texture:Feature stack" in run.stdout + run.stderr
    assert not out.exists()
