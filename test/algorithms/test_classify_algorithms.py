"""landcover:classify and landcover:kmeans through processing.run."""

from __future__ import annotations

import re

import numpy as np
import pytest
import rasterio
from conftest import write_raster

# Three well-separated spectral groups in 3 bands.
CENTRES = np.array([[100.0, 0.1, 5.0], [900.0, 0.5, 5.0], [500.0, 0.9, 40.0]])
NOISE = np.array([10.0, 0.01, 0.5]).reshape(3, 1, 1)


def write_scene(path, width=60, height=40, seed=0, crs="EPSG:32633", count=3, descriptions=None):
    """Stripes of the three groups, a nodata square; returns the group (0 = nodata, 1..3)."""
    rng = np.random.default_rng(seed)
    truth = np.tile(np.arange(width) * 3 // width, (height, 1))
    data = CENTRES[truth].transpose(2, 0, 1) + rng.normal(0, 1, (3, height, width)) * NOISE
    data = data[:count].astype(np.float32)
    data[0, 2:6, 3:9] = -9999
    truth = truth + 1
    truth[2:6, 3:9] = 0
    write_raster(path, data, crs=crs, nodata=-9999, descriptions=descriptions or ())
    return truth


def kmeans_model_file(path, crs_wkt=None):
    """A real model file: the three groups' centres as a k-means model."""
    from landcover.core.io.classes import make_classes
    from landcover.core.learn.model import kmeans_model

    mean = CENTRES.mean(axis=0)
    scale = CENTRES.std(axis=0)
    model = kmeans_model(
        (CENTRES - mean) / scale,
        mean,
        scale,
        make_classes([1, 2, 3], ["water", "forest", "urban"]),
        ["band 1", "band 2", "band 3"],
        crs_wkt=crs_wkt,
    )
    model.save(path)
    return model


def test_classify_writes_styled_classes_probabilities_and_uncertainty(run_alg, tmp_path):
    scene = tmp_path / "scene.tif"
    truth = write_scene(scene)
    model_path = tmp_path / "m.lcmodel"
    kmeans_model_file(model_path)
    out, proba, unc = tmp_path / "c.tif", tmp_path / "p.tif", tmp_path / "u.tif"
    result = run_alg(
        "landcover:classify",
        {
            "INPUT": str(scene),
            "MODEL": str(model_path),
            "OUTPUT": str(out),
            "PROBABILITIES": str(proba),
            "UNCERTAINTY": str(unc),
        },
    )
    assert result["OUTPUT"] == str(out)
    with rasterio.open(result["OUTPUT"]) as ds:
        classes = ds.read(1)
        assert ds.colormap(1)[2][:3] != ds.colormap(1)[1][:3]
    np.testing.assert_array_equal(classes, truth)
    with rasterio.open(result["PROBABILITIES"]) as ds:
        assert ds.descriptions == ("water", "forest", "urban")
        p = ds.read()
    np.testing.assert_allclose(p[:, truth > 0].sum(axis=0), 1.0, atol=1e-5)
    np.testing.assert_array_equal(np.argmax(p[:, truth > 0], axis=0) + 1, truth[truth > 0])
    with rasterio.open(result["UNCERTAINTY"]) as ds:
        assert ds.descriptions == ("max probability", "margin", "entropy")
        assert np.isnan(ds.read(1)[truth == 0]).all()
    qml = out.with_suffix(".qml").read_text()
    assert "forest" in qml and "paletted" in qml


def test_optional_outputs_are_skipped_by_default(run_alg, tmp_path):
    scene = tmp_path / "scene.tif"
    write_scene(scene)
    model_path = tmp_path / "m.lcmodel"
    kmeans_model_file(model_path)
    result = run_alg(
        "landcover:classify",
        {"INPUT": str(scene), "MODEL": str(model_path), "OUTPUT": str(tmp_path / "c.tif")},
    )
    assert not result.get("PROBABILITIES") and not result.get("UNCERTAINTY")
    assert sorted(p.name for p in tmp_path.glob("*.tif")) == ["c.tif", "scene.tif"]


def test_band_mismatch_fails_with_what_the_model_expects(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    scene = tmp_path / "scene.tif"
    write_scene(scene, count=2)
    model_path = tmp_path / "m.lcmodel"
    kmeans_model_file(model_path)
    out = tmp_path / "c.tif"
    with pytest.raises(QgsProcessingException, match="trained on 3 bands"):
        run_alg(
            "landcover:classify",
            {"INPUT": str(scene), "MODEL": str(model_path), "OUTPUT": str(out)},
        )
    assert not out.exists()


def test_damaged_model_file_is_a_clear_error(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    scene = tmp_path / "scene.tif"
    write_scene(scene)
    model_path = tmp_path / "m.lcmodel"
    model_path.write_bytes(b"not a model")
    with pytest.raises(QgsProcessingException, match=r"damaged|not a land-cover model"):
        run_alg(
            "landcover:classify",
            {"INPUT": str(scene), "MODEL": str(model_path), "OUTPUT": str(tmp_path / "c.tif")},
        )
    assert not (tmp_path / "c.tif").exists()


def test_hostile_model_file_is_refused_and_nothing_written(run_alg, tmp_path):
    """A tree reading a band at a negative index (once a crash of QGIS inside compiled
    code) is refused with the clear error before anything is written."""
    from qgis.core import QgsProcessingException

    from landcover.core.io.classes import make_classes
    from landcover.core.learn.classifiers import train_model

    scene = tmp_path / "scene.tif"
    write_scene(scene)
    rng = np.random.default_rng(0)
    y = rng.integers(1, 4, 300)
    x = CENTRES[y - 1] + rng.normal(size=(300, 3)) * NOISE.ravel()
    model = train_model(
        "random_forest", x, y, make_classes([1, 2, 3]), ["b1", "b2", "b3"], {"n_trees": 3}
    )
    model.arrays["feature"][np.flatnonzero(model.arrays["children_left"] != -1)[0]] = -(1 << 30)
    model_path = tmp_path / "hostile.lcmodel"
    model.save(model_path)
    before = sorted(tmp_path.iterdir())
    with pytest.raises(QgsProcessingException, match="damaged or was not written by this plugin"):
        run_alg(
            "landcover:classify",
            {"INPUT": str(scene), "MODEL": str(model_path), "OUTPUT": str(tmp_path / "c.tif")},
        )
    assert sorted(tmp_path.iterdir()) == before


def test_different_crs_is_a_warning_not_an_error(run_alg, tmp_path):
    from qgis.core import QgsProcessingFeedback

    class Recording(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.warnings = []

        def pushWarning(self, text):
            self.warnings.append(text)
            super().pushWarning(text)

    scene = tmp_path / "scene.tif"
    truth = write_scene(scene, crs="EPSG:32633")
    model_path = tmp_path / "m.lcmodel"
    kmeans_model_file(model_path, crs_wkt=rasterio.crs.CRS.from_epsg(4326).to_wkt())
    feedback = Recording()
    result = run_alg(
        "landcover:classify",
        {"INPUT": str(scene), "MODEL": str(model_path), "OUTPUT": str(tmp_path / "c.tif")},
        feedback=feedback,
    )
    assert any("EPSG:32633" in w and "EPSG:4326" in w for w in feedback.warnings)
    with rasterio.open(result["OUTPUT"]) as ds:
        np.testing.assert_array_equal(ds.read(1), truth)

    same = Recording()
    kmeans_model_file(model_path, crs_wkt=rasterio.crs.CRS.from_epsg(32633).to_wkt())
    run_alg(
        "landcover:classify",
        {"INPUT": str(scene), "MODEL": str(model_path), "OUTPUT": str(tmp_path / "d.tif")},
        feedback=same,
    )
    assert not same.warnings


@pytest.mark.parametrize("algorithm", ["landcover:classify", "landcover:kmeans"])
def test_cancel_mid_way_leaves_no_output(run_alg, tmp_path, algorithm):
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    scene = tmp_path / "scene.tif"
    write_scene(scene, width=300, height=1200)  # several windows at the smallest budget
    model_path = tmp_path / "m.lcmodel"
    kmeans_model_file(model_path)
    feedback = QgsProcessingFeedback()
    seen = []

    def on_progress(percent):
        seen.append(percent)
        if percent > 50:
            feedback.cancel()

    feedback.progressChanged.connect(on_progress)
    out, extra = tmp_path / "out.tif", tmp_path / "extra.tif"
    parameters = {"INPUT": str(scene), "OUTPUT": str(out), "MEMORY_MB": 32}
    if algorithm == "landcover:classify":
        parameters.update(MODEL=str(model_path), UNCERTAINTY=str(extra))
    else:
        parameters.update(CLUSTERS=3, MODEL=str(tmp_path / "k.lcmodel"))
    with pytest.raises(QgsProcessingException, match=r"[Cc]ancel"):
        run_alg(algorithm, parameters, feedback=feedback)
    assert any(0 < p < 100 for p in seen)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.lcmodel", "scene.tif"]


def test_kmeans_clusters_and_model_applied_to_another_scene(run_alg, tmp_path):
    first, second = tmp_path / "a.tif", tmp_path / "b.tif"
    truth_a = write_scene(first, seed=1)
    truth_b = write_scene(second, seed=2, width=45, height=30)
    model_path = tmp_path / "clusters.lcmodel"
    result = run_alg(
        "landcover:kmeans",
        {
            "INPUT": str(first),
            "CLUSTERS": 3,
            "SAMPLE_SIZE": 1000,
            "SEED": 4,
            "OUTPUT": str(tmp_path / "a_k.tif"),
            "MODEL": str(model_path),
        },
    )
    assert result["MODEL"] == str(model_path)
    # clusters are numbered by brightness: groups 1, 3, 2
    mapping = np.array([0, 1, 3, 2])
    with rasterio.open(result["OUTPUT"]) as ds:
        np.testing.assert_array_equal(ds.read(1), mapping[truth_a])
        table = ds.colormap(1)
        assert len({table[c] for c in (1, 2, 3)}) == 3
    assert "cluster 2" in (tmp_path / "a_k.qml").read_text()
    applied = run_alg(
        "landcover:classify",
        {"INPUT": str(second), "MODEL": str(model_path), "OUTPUT": str(tmp_path / "b_k.tif")},
    )
    with rasterio.open(applied["OUTPUT"]) as ds:
        np.testing.assert_array_equal(ds.read(1), mapping[truth_b])


def test_kmeans_is_deterministic_with_a_seed(run_alg, tmp_path):
    scene = tmp_path / "scene.tif"
    write_scene(scene)
    results = []
    for name in ("one.tif", "two.tif"):
        out = run_alg(
            "landcover:kmeans",
            {"INPUT": str(scene), "CLUSTERS": 5, "SEED": 11, "OUTPUT": str(tmp_path / name)},
        )["OUTPUT"]
        with rasterio.open(out) as ds:
            results.append(ds.read(1))
    np.testing.assert_array_equal(results[0], results[1])
    assert len(np.unique(results[0])) == 6  # five clusters and nodata


def test_classify_logs_estimated_time_and_size_of_a_long_run(run_alg, tmp_path):
    from qgis.core import QgsProcessingFeedback

    class Recording(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.infos = []

        def pushInfo(self, text):
            self.infos.append(text)
            super().pushInfo(text)

    scene = tmp_path / "scene.tif"
    write_scene(scene, width=300, height=3200)
    kmeans_model_file(tmp_path / "m.lcmodel")
    feedback = Recording()
    run_alg(
        "landcover:classify",
        {"INPUT": str(scene), "MODEL": str(tmp_path / "m.lcmodel"), "MEMORY_MB": 32,
         "OUTPUT": str(tmp_path / "out.tif")},
        feedback=feedback,
    )  # fmt: skip
    estimates = [t for t in feedback.infos if t.startswith("Estimated")]
    assert len(estimates) == 1, feedback.infos
    assert re.match(r"Estimated (\d+ h \d+ min|\d+ min \d+ s|\d+ s) for [\d,]+ blocks, "
                    r"output about [\d.]+ (GB|MB|kB|bytes) \(from the first \d+ blocks\)\.$",
                    estimates[0]), estimates[0]  # fmt: skip
