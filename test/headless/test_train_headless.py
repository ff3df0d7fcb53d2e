"""Training from the command line, through qgis_process.bin, then classifying with it."""

from __future__ import annotations

import json

import numpy as np
import rasterio

from landcover.core import synthetic

BANDS = ("blue", "green", "red", "nir", "swir1", "swir2")


def test_train_then_classify_the_example_scene(qgis_process, tmp_path):
    scene = synthetic.make_example_scene(tmp_path / "scene", size=200)
    stack = tmp_path / "stack.tif"
    qgis_process(
        "run",
        "landcover:alignrasters",
        "--",
        *(f"INPUT={scene[b]}" for b in BANDS),
        "RESAMPLING=1",
        f"OUTPUT={stack}",
    )
    model, report, holdout = tmp_path / "m.lcmodel", tmp_path / "r.html", tmp_path / "h.gpkg"
    run = qgis_process(
        "run",
        "landcover:trainclassifier",
        "--json",
        "--",
        f"INPUT={stack}",
        f"TRAINING={scene['training']}",
        "CLASS_FIELD=landcover",
        "CLASSIFIER=1",
        "N_TREES=50",
        f"MODEL={model}",
        f"REPORT={report}",
        f"VALIDATION_OUTPUT={holdout}",
    )
    results = json.loads(run.stdout)["results"]
    assert results["MODEL"] == str(model) and model.exists() and report.exists()
    assert results["VALIDATION_ACCURACY"] > 0.88
    assert holdout.exists()

    classes = tmp_path / "classes.tif"
    qgis_process(
        "run", "landcover:classify", "--", f"INPUT={stack}", f"MODEL={model}", f"OUTPUT={classes}"
    )
    with rasterio.open(classes) as ds, rasterio.open(scene["truth"]) as truth:
        predicted, reference = ds.read(1), truth.read(1)
        names = json.loads(ds.tags()["LANDCOVER_CLASSES"])
    by_name = {c["name"]: c["code"] for c in names}
    lookup = np.zeros(256, dtype=np.uint8)
    for c in synthetic.EXAMPLE_CLASSES:
        lookup[c.code] = by_name[c.name]
    valid = (predicted > 0) & (reference > 0)
    agreement = (lookup[reference][valid] == predicted[valid]).mean()
    assert agreement > 0.8


def test_training_errors_say_what_to_fix_and_write_nothing(qgis_process, tmp_path):
    scene = synthetic.make_example_scene(tmp_path / "scene", size=100)
    model = tmp_path / "out" / "m.lcmodel"
    model.parent.mkdir()
    run = qgis_process(
        "run",
        "landcover:trainclassifier",
        "--",
        f"INPUT={scene['nir']}",
        f"TRAINING={scene['training']}",
        "CLASS_FIELD=klass",
        f"MODEL={model}",
        check=False,
    )
    assert run.returncode != 0
    assert "no field 'klass'" in run.stderr and "landcover" in run.stderr
    assert list(model.parent.iterdir()) == []
