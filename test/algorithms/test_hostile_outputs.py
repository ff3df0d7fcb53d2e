"""Outputs that would destroy an input, and output paths that cannot be written,
refused before any work, through processing.run."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pytest
from conftest import write_band_stack
from test_classify_algorithms import kmeans_model_file, write_scene
from test_postprocess import noisy_map, write_map


def digest(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def class_map(tmp_path):
    return write_map(tmp_path / "map.tif", noisy_map((40, 40)))


def band_stack(tmp_path):
    rng = np.random.default_rng(3)
    data = rng.integers(1, 6000, size=(4, 30, 33)).astype(np.uint16)
    return write_band_stack(
        tmp_path / "s2.tif",
        data,
    )


CASES = {
    "majorityfilter": (class_map, {"WINDOW_SIZE": 3}),
    "sieve": (class_map, {"MIN_SIZE": 4}),
    "smooth": (class_map, {}),
    "texture": (band_stack, {"MEASURES": [0]}),
    "spectralindices": (band_stack, {"SENSOR": 2, "INDICES": [0]}),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_over_input_is_refused_and_input_kept(run_alg, tmp_path, name):
    from qgis.core import QgsProcessingException

    make, extra = CASES[name]
    source = make(tmp_path)
    before = digest(source)
    with pytest.raises(QgsProcessingException, match="same file"):
        run_alg(f"landcover:{name}", {"INPUT": source, **extra, "OUTPUT": source})
    assert digest(source) == before


def test_classify_output_over_input_through_a_symlinked_folder(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    scene = tmp_path / "scene.tif"
    write_scene(scene)
    kmeans_model_file(tmp_path / "m.lcmodel")
    (tmp_path / "link").symlink_to(tmp_path, target_is_directory=True)
    before = digest(scene)
    with pytest.raises(QgsProcessingException, match="same file"):
        run_alg(
            "landcover:classify",
            {
                "INPUT": str(scene),
                "MODEL": str(tmp_path / "m.lcmodel"),
                "OUTPUT": str(tmp_path / "link" / "scene.tif"),
            },
        )
    assert digest(scene) == before


def test_output_over_the_model_file_is_refused(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    scene = tmp_path / "scene.tif"
    write_scene(scene)
    model = tmp_path / "m.lcmodel"
    kmeans_model_file(model)
    before = digest(model)
    with pytest.raises(QgsProcessingException, match="same file"):
        run_alg(
            "landcover:classify",
            {"INPUT": str(scene), "MODEL": str(model), "OUTPUT": str(model)},
        )
    assert digest(model) == before


def test_output_path_that_is_a_folder_is_a_clear_error(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    source = class_map(tmp_path)
    folder = tmp_path / "out.tif"
    folder.mkdir()
    with pytest.raises(QgsProcessingException, match="is a folder"):
        run_alg("landcover:majorityfilter", {"INPUT": source, "OUTPUT": str(folder)})
    assert folder.is_dir() and not os.listdir(folder)
