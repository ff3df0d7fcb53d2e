"""k-means and classification from the command line, through qgis_process.bin."""

from __future__ import annotations

import json

import numpy as np
import rasterio
from conftest import write_raster
from rasterio.transform import from_origin


def write_scene(path, seed):
    rng = np.random.default_rng(seed)
    centres = np.array([[100.0, 10.0], [900.0, 50.0], [500.0, 90.0]])
    truth = np.tile(np.arange(48) * 3 // 48, (32, 1))
    data = centres[truth].transpose(2, 0, 1) + rng.normal(0, 2, (2, 32, 48))
    data = data.astype(np.float32)
    data[:, :4, :4] = -1
    write_raster(path, data, transform=from_origin(300000, 5100000, 10, 10), nodata=-1)


def test_kmeans_then_classify_with_its_model(qgis_process, tmp_path):
    first, second = tmp_path / "a.tif", tmp_path / "b.tif"
    write_scene(first, 1)
    write_scene(second, 2)
    model = tmp_path / "clusters.lcmodel"
    clusters = tmp_path / "a_clusters.tif"
    run = qgis_process(
        "run",
        "landcover:kmeans",
        "--json",
        "--",
        f"INPUT={first}",
        "CLUSTERS=3",
        "SEED=1",
        f"OUTPUT={clusters}",
        f"MODEL={model}",
    )
    results = json.loads(run.stdout)["results"]
    assert results["OUTPUT"] == str(clusters) and results["MODEL"] == str(model)
    classified, uncertainty = tmp_path / "b_classes.tif", tmp_path / "b_unc.tif"
    run = qgis_process(
        "run",
        "landcover:classify",
        "--json",
        "--",
        f"INPUT={second}",
        f"MODEL={model}",
        f"OUTPUT={classified}",
        f"UNCERTAINTY={uncertainty}",
    )
    results = json.loads(run.stdout)["results"]
    assert results["OUTPUT"] == str(classified)
    with rasterio.open(clusters) as a, rasterio.open(classified) as b:
        np.testing.assert_array_equal(a.read(1), b.read(1))  # same stripes, same clusters
        assert b.read(1)[0, 0] == 0 and set(np.unique(b.read(1))) == {0, 1, 2, 3}
        assert b.colormap(1)[1][3] == 255
    with rasterio.open(uncertainty) as ds:
        assert ds.descriptions == ("max probability", "margin", "entropy")


def test_classify_with_mismatched_bands_fails_cleanly(qgis_process, tmp_path):
    scene = tmp_path / "a.tif"
    write_scene(scene, 1)
    model = tmp_path / "m.lcmodel"
    qgis_process(
        "run", "landcover:kmeans", "--", f"INPUT={scene}", "CLUSTERS=2",
        f"OUTPUT={tmp_path / 'k.tif'}", f"MODEL={model}",
    )  # fmt: skip
    one_band = tmp_path / "one.tif"
    with rasterio.open(scene) as src:
        profile = dict(src.profile, count=1)
        with rasterio.open(one_band, "w", **profile) as dst:
            dst.write(src.read(1), 1)
    out = tmp_path / "out.tif"
    run = qgis_process(
        "run", "landcover:classify", "--", f"INPUT={one_band}", f"MODEL={model}",
        f"OUTPUT={out}", check=False,
    )  # fmt: skip
    assert run.returncode != 0
    assert "trained on 2 bands" in run.stdout + run.stderr
    assert not out.exists()
