"""The shipped "Land cover workflow" model from the command line, through qgis_process.bin."""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess

import rasterio
from conftest import load_script

from landcover.core.io.raster import read_classes
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
    for name in ("landcover.tif", "landcover_clean.tif"):
        # what other software sees: GDAL category names and an attribute table
        info = subprocess.run(
            ["gdalinfo", str(out / name)], capture_output=True, text=True, check=True
        ).stdout
        assert "Categories:" in info and "GDALRasterAttributeTable" in info, name
        assert all(f": {class_name}" in info for class_name in NAMES), info
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


def broken_sklearn_env(folder, profile):
    """qgis_process.bin's environment with a scikit-learn whose import fails, as a
    half-finished upgrade leaves it: a real package first on the path that raises."""
    import os

    from conftest import PLUGINS

    package = folder / "sklearn"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        "raise ImportError('cannot import name _check_build '"
        "'(scikit-learn built for another numpy)')\n"
    )
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        QGIS_PLUGINPATH=str(PLUGINS),
        QGIS_CUSTOM_CONFIG_PATH=str(profile),
        PYTHONPATH=os.pathsep.join(filter(None, [str(folder), env.get("PYTHONPATH")])),
    )
    return env


def test_broken_scikit_learn_gives_advice_and_classify_runs_without_it(qgis_process, tmp_path):
    from conftest import QGIS_PROCESS

    make_example_scene(tmp_path / "example", size=200)
    out = tmp_path / "out"
    out.mkdir()
    arguments = DEMO.model_arguments(tmp_path / "example", out)
    run = qgis_process("run", MODEL_ID, "--json", "--", *arguments)  # a model, with scikit-learn
    results = json.loads(run.stdout)["results"]

    env = broken_sklearn_env(tmp_path / "broken", tmp_path / "profile")

    def broken(*args):
        return subprocess.run(
            [QGIS_PROCESS, *args], env=env, capture_output=True, text=True, timeout=600
        )

    broken("plugins", "enable", "landcover")
    again = tmp_path / "again"
    for algorithm, args in (
        (MODEL_ID, DEMO.model_arguments(tmp_path / "example", again)),
        (
            "landcover:trainclassifier",
            [
                f"INPUT={results['texture:Feature stack']}",
                f"TRAINING={tmp_path / 'example' / 'training.gpkg'}",
                "CLASS_FIELD=landcover",
                f"MODEL={again / 'model.lcmodel'}",
            ],
        ),
    ):
        run = broken("run", algorithm, "--", *args)
        text = run.stdout + run.stderr
        assert run.returncode != 0, algorithm
        assert "scikit-learn" in text and "pip install" in text, text
        assert "_check_build" in text  # the reason, once
        assert "Traceback" not in text and "ModuleNotFoundError" not in text, text
        assert not again.exists(), "a step ran before the check"

    classified = tmp_path / "classified.tif"
    run = broken(
        "run",
        "landcover:classify",
        "--",
        f"INPUT={results['texture:Feature stack']}",
        f"MODEL={results['train:Model file']}",
        f"OUTPUT={classified}",
    )
    assert run.returncode == 0, run.stdout + run.stderr
    with rasterio.open(classified) as src, rasterio.open(out / "landcover.tif") as first:
        assert (src.read(1) == first.read(1)).all()
