"""Step 5 from the command line, through qgis_process.bin."""

from __future__ import annotations

import json
import sqlite3

import numpy as np
import pytest
import rasterio
from conftest import write_raster
from rasterio.transform import from_origin

from landcover.core.io.classes import make_classes
from landcover.core.io.raster import read_classes

CLASSES = make_classes([1, 2, 3], ["water", "forest", "urban"])


def write_map(path):
    rng = np.random.default_rng(8)
    coarse = rng.integers(1, 4, size=(9, 9))
    image = np.kron(coarse, np.ones((16, 16), dtype=np.int64))[:140, :130]
    noise = rng.random(image.shape) < 0.1
    image[noise] = rng.integers(1, 4, size=int(noise.sum()))
    image = image.astype(np.uint8)
    transform = from_origin(600000, 5000000, 10, 10)
    write_raster(path, image, crs="EPSG:32631", transform=transform, nodata=0, classes=CLASSES)
    return image


def test_qgis_process_cleans_a_map_and_writes_styled_polygons(qgis_process, tmp_path):
    image = write_map(tmp_path / "map.tif")
    listing = qgis_process("list").stdout
    for name in ("majorityfilter", "sieve", "smooth", "polygonize"):
        assert f"landcover:{name}" in listing

    filtered = tmp_path / "filtered.tif"
    qgis_process(
        "run",
        "landcover:majorityfilter",
        "--",
        f"INPUT={tmp_path / 'map.tif'}",
        "WINDOW_SIZE=3",
        f"OUTPUT={filtered}",
    )
    sieved = tmp_path / "sieved.tif"
    run = qgis_process(
        "run",
        "landcover:sieve",
        "--json",
        "--",
        f"INPUT={filtered}",
        "MIN_SIZE=20",
        f"OUTPUT={sieved}",
    )
    assert json.loads(run.stdout)["results"]["MIN_PIXELS"] == 20
    with rasterio.open(sieved) as src:
        assert read_classes(src) == CLASSES
        assert np.array_equal(src.read(1) == 0, image == 0)

    polygons = tmp_path / "classes.gpkg"
    run = qgis_process(
        "run",
        "landcover:polygonize",
        "--json",
        "--",
        f"INPUT={sieved}",
        "SMOOTHING=1",
        f"OUTPUT={polygons}",
    )
    assert json.loads(run.stdout)["results"]["OUTPUT"].startswith(str(polygons))
    with sqlite3.connect(polygons) as db:
        tables = {row[0] for row in db.execute("SELECT table_name FROM gpkg_contents")}
        table = next(t for t in tables if t != "layer_styles")
        rows = db.execute(f'SELECT class_id, class_name, area_ha FROM "{table}"').fetchall()
        styles = db.execute("SELECT styleQML, useAsDefault FROM layer_styles").fetchall()
    assert {(code, name) for code, name, _ in rows} <= {(c.code, c.name) for c in CLASSES}
    assert sum(area for _, _, area in rows) == pytest.approx(np.count_nonzero(image) / 100.0)
    assert len(styles) == 1 and styles[0][1]
    assert "categorizedSymbol" in styles[0][0] and "forest" in styles[0][0]


def test_qgis_process_refuses_bad_input_and_writes_nothing(qgis_process, tmp_path):
    with rasterio.open(
        tmp_path / "float.tif",
        "w",
        driver="GTiff",
        width=8,
        height=8,
        count=1,
        dtype="float32",
        crs="EPSG:32631",
        transform=from_origin(0, 80, 10, 10),
    ) as dst:
        dst.write(np.ones((1, 8, 8), dtype=np.float32))
    run = qgis_process(
        "run",
        "landcover:smooth",
        "--",
        f"INPUT={tmp_path / 'float.tif'}",
        f"OUTPUT={tmp_path / 'out.tif'}",
        check=False,
    )
    assert run.returncode != 0
    assert "unsigned integer" in run.stdout + run.stderr
    assert not (tmp_path / "out.tif").exists()
