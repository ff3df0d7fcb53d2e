"""CRF regularisation and 'Where to label next' from the command line, through
qgis_process.bin, on the outputs of landcover:classify."""

from __future__ import annotations

import json
import sqlite3

import numpy as np
import rasterio
from conftest import write_raster
from rasterio.transform import from_origin

from landcover.core import synthetic
from landcover.core.io.raster import read_classes
from landcover.core.learn.model import kmeans_model


def test_qgis_process_regularises_and_proposes_points(qgis_process, tmp_path):
    scene = synthetic.make_thin_feature_scene(160, seed=5)
    image = tmp_path / "image.tif"
    write_raster(
        image,
        scene.image.astype(np.float32),
        crs="EPSG:32631",
        transform=from_origin(600000, 5000000, 10, 10),
        descriptions=["b1", "b2", "b3"],
        plugin_writer=True,
    )
    noise = synthetic._THIN_NOISE
    kmeans_model(
        synthetic._THIN_MEANS / noise,
        np.zeros(3),
        np.full(3, noise),
        scene.classes,
        ["b1", "b2", "b3"],
    ).save(tmp_path / "m.lcmodel")
    listing = qgis_process("list").stdout
    assert "landcover:crf" in listing and "landcover:activelearning" in listing

    classes, proba, unc = (tmp_path / f"{n}.tif" for n in ("classes", "proba", "unc"))
    qgis_process(
        "run", "landcover:classify", "--", f"INPUT={image}", f"MODEL={tmp_path / 'm.lcmodel'}",
        f"OUTPUT={classes}", f"PROBABILITIES={proba}", f"UNCERTAINTY={unc}",
    )  # fmt: skip
    crf = tmp_path / "crf.tif"
    run = qgis_process(
        "run", "--json", "landcover:crf", "--", f"PROBABILITIES={proba}", f"GUIDE={image}",
        f"OUTPUT={crf}",
    )  # fmt: skip
    assert json.loads(run.stdout)["results"]["CHANGED_PIXELS"] > 0
    with rasterio.open(crf) as out, rasterio.open(classes) as raw:
        assert read_classes(out) == read_classes(raw)
        assert np.mean(out.read(1) == scene.truth) > np.mean(raw.read(1) == scene.truth) + 0.1
    assert crf.with_suffix(".qml").exists()

    points = tmp_path / "points.gpkg"
    qgis_process(
        "run", "landcover:activelearning", "--", f"UNCERTAINTY={unc}", f"CLASSIFIED={crf}",
        "POINTS=25", f"OUTPUT={points}",
    )  # fmt: skip
    with sqlite3.connect(points) as db:
        table = db.execute("SELECT table_name FROM gpkg_contents").fetchone()[0]
        rows = db.execute(f'SELECT map_class, map_name, reference_class FROM "{table}"').fetchall()
    assert len(rows) == 25
    assert {r[0] for r in rows} == {1, 2, 3, 4}
    assert all(r[2] in ("", None) for r in rows)

    bad = qgis_process(
        "run", "landcover:crf", "--", f"PROBABILITIES={classes}", f"OUTPUT={tmp_path / 'x.tif'}",
        check=False,
    )  # fmt: skip
    assert bad.returncode != 0
    assert "like a class raster" in bad.stdout + bad.stderr
    assert not (tmp_path / "x.tif").exists()
