"""Damaged or unusual inputs end in a clear error, never a traceback or a silent
mistake, through processing.run."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from conftest import write_band_stack
from rasterio.transform import from_origin
from test_classify_algorithms import kmeans_model_file, write_scene
from test_train_algorithm import memory_layer, square


def run_refused(run_alg, algorithm, parameters, message):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match=message) as error:
        run_alg(algorithm, parameters)
    assert "Traceback" not in str(error.value)


def test_truncated_geotiff_is_a_clear_error(run_alg, tmp_path):
    scene = tmp_path / "scene.tif"
    write_scene(scene, width=600, height=600)
    data = scene.read_bytes()
    damaged = tmp_path / "damaged.tif"
    damaged.write_bytes(data[: len(data) * 2 // 3])
    kmeans_model_file(tmp_path / "m.lcmodel")
    run_refused(
        run_alg,
        "landcover:classify",
        {"INPUT": str(damaged), "MODEL": str(tmp_path / "m.lcmodel"),
         "OUTPUT": str(tmp_path / "out.tif")},
        "damaged or truncated",
    )  # fmt: skip
    assert not (tmp_path / "out.tif").exists()


def test_a_file_that_is_not_a_raster_is_named_as_such(run_alg, tmp_path):
    text = tmp_path / "notes.tif"
    text.write_text("not a raster at all\n")
    run_refused(
        run_alg,
        "landcover:majorityfilter",
        {"INPUT": str(text), "OUTPUT": str(tmp_path / "out.tif")},
        "not a raster",
    )


def test_complex_raster_is_refused(run_alg, tmp_path):
    path = tmp_path / "complex.tif"
    data = (np.ones((2, 20, 20)) + 1j * np.arange(400).reshape(20, 20)).astype(np.complex64)
    with rasterio.open(
        path, "w", driver="GTiff", width=20, height=20, count=2, dtype="complex64",
        crs="EPSG:32633", transform=from_origin(500000, 6000000, 10, 10),
    ) as dst:  # fmt: skip
        dst.write(data)
    run_refused(
        run_alg,
        "landcover:texture",
        {"INPUT": str(path), "MEASURES": [0], "OUTPUT": str(tmp_path / "out.tif")},
        "complex",
    )


@pytest.fixture
def four_bands(tmp_path):
    rng = np.random.default_rng(1)
    data = rng.integers(1, 6000, size=(4, 20, 20)).astype(np.uint16)
    return write_band_stack(
        tmp_path / "s2.tif",
        data,
    )


def test_spectral_indices_one_band_for_two_roles(run_alg, four_bands, tmp_path):
    run_refused(
        run_alg,
        "landcover:spectralindices",
        {"INPUT": four_bands, "SENSOR": 0, "NIR": 3, "RED": 3, "INDICES": [0],
         "OUTPUT": str(tmp_path / "ndvi.tif")},
        "[Bb]and 3 is given both as",
    )  # fmt: skip


def test_spectral_indices_fractional_band_number(run_alg, four_bands, tmp_path):
    run_refused(
        run_alg,
        "landcover:spectralindices",
        {"INPUT": four_bands, "SENSOR": 0, "NIR": 4, "RED": 2.5, "INDICES": [0],
         "OUTPUT": str(tmp_path / "ndvi.tif")},
        "not a whole number",
    )  # fmt: skip


def test_class_codes_above_65535_refused_at_training(run_alg, four_bands, tmp_path):
    with rasterio.open(four_bands) as src:
        x, y = src.transform * (5, 5)
    layer = memory_layer(
        "Polygon?crs=EPSG:32633&field=c:integer",
        [(square(x, y, 40), 70000), (square(x + 80, y, 40), 2)],
    )
    run_refused(
        run_alg,
        "landcover:trainclassifier",
        {"INPUT": four_bands, "TRAINING": layer, "CLASS_FIELD": "c", "FOLDS": 0,
         "MODEL": str(tmp_path / "m.lcmodel")},
        "[Cc]lass code 70000",
    )  # fmt: skip
    assert not (tmp_path / "m.lcmodel").exists()
