"""A full disk and a read-only folder: the run fails with a message naming the folder
and leaves no file behind, through processing.run. The small disk is a tmpfs
mounted by the test (root only; skipped elsewhere)."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest
from conftest import write_band_stack, write_raster
from rasterio.transform import from_origin
from test_classify_algorithms import kmeans_model_file, write_scene


def _mount(folder, options: str):
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr.decode().strip()}")
    return folder


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB disk."""
    folder = _mount(tmp_path / "small", "size=2m")
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


@pytest.fixture
def read_only_disk(tmp_path):
    folder = _mount(tmp_path / "ro", "ro,size=1m")
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


def noise_stack(path, bands=3, size=700):
    """Random float bands: about 2 MB per band that no compression can shrink."""
    rng = np.random.default_rng(5)
    data = rng.random((bands, size, size)).astype(np.float32)
    return write_raster(
        path,
        data,
        crs="EPSG:32633",
        transform=from_origin(500000, 6000000, 10, 10),
        nodata=-1,
        descriptions=[f"b{i}" for i in range(bands)],
    )


def test_classify_on_a_full_disk(run_alg, tmp_path, small_disk):
    from qgis.core import QgsProcessingException

    scene = tmp_path / "scene.tif"
    write_scene(scene, width=700, height=700)
    kmeans_model_file(tmp_path / "m.lcmodel")
    with pytest.raises(QgsProcessingException, match=f"disk is full.*{small_disk}"):
        run_alg(
            "landcover:classify",
            {
                "INPUT": str(scene),
                "MODEL": str(tmp_path / "m.lcmodel"),
                "OUTPUT": str(small_disk / "classes.tif"),
                "PROBABILITIES": str(small_disk / "proba.tif"),
            },
        )
    assert list(small_disk.iterdir()) == []


def test_texture_on_a_full_disk(run_alg, tmp_path, small_disk):
    from qgis.core import QgsProcessingException

    source = noise_stack(tmp_path / "noise.tif", bands=1)
    with pytest.raises(QgsProcessingException, match=f"disk is full.*{small_disk}"):
        run_alg(
            "landcover:texture",
            {"INPUT": source, "MEASURES": [0, 1], "OUTPUT": str(small_disk / "texture.tif")},
        )
    assert list(small_disk.iterdir()) == []


def test_alignrasters_on_a_full_disk(run_alg, tmp_path, small_disk):
    from qgis.core import QgsProcessingException

    bands = [noise_stack(tmp_path / f"band{i}.tif", bands=1) for i in range(2)]
    with pytest.raises(QgsProcessingException, match=f"disk is full.*{small_disk}"):
        run_alg("landcover:alignrasters", {"INPUT": bands, "OUTPUT": str(small_disk / "s.tif")})
    assert list(small_disk.iterdir()) == []


def test_kmeans_model_on_a_full_disk(run_alg, tmp_path, small_disk):
    from qgis.core import QgsProcessingException

    source = noise_stack(tmp_path / "noise.tif", bands=3, size=300)
    filler = small_disk / "filler"
    with pytest.raises(QgsProcessingException, match=f"disk is full.*{small_disk}"):
        run_alg(
            "landcover:kmeans",
            {
                "INPUT": source,
                "CLUSTERS": 3,
                # the map fits; the model after it does not
                "OUTPUT": str(tmp_path / "clusters.tif"),
                "MODEL": str(small_disk / "k.lcmodel"),
            },
            feedback=_filling_feedback(filler),
        )
    assert [p.name for p in small_disk.iterdir()] == ["filler"]


def _filling_feedback(filler):
    """A feedback that fills the disk once the work is half done, the way another
    program writing to the same disk would."""
    from qgis.core import QgsProcessingFeedback

    feedback = QgsProcessingFeedback()

    def on_progress(percent):
        if percent > 50 and not filler.exists():
            with open(filler, "wb") as handle:
                try:
                    while True:
                        handle.write(b"\0" * 65536)
                except OSError:
                    pass

    feedback.progressChanged.connect(on_progress)
    return feedback


def test_read_only_model_folder_is_refused_before_computing(run_alg, tmp_path, read_only_disk):
    from qgis.core import QgsProcessingException

    source = noise_stack(tmp_path / "noise.tif", bands=3, size=100)
    with pytest.raises(QgsProcessingException, match=f"{read_only_disk} cannot be written"):
        run_alg(
            "landcover:kmeans",
            {
                "INPUT": source,
                "CLUSTERS": 3,
                "OUTPUT": str(tmp_path / "clusters.tif"),
                "MODEL": str(read_only_disk / "k.lcmodel"),
            },
        )
    assert not (tmp_path / "clusters.tif").exists()


def test_trainclassifier_on_a_full_disk_writes_neither_model_nor_report(
    run_alg, tmp_path, small_disk
):
    from qgis.core import QgsProcessingException
    from test_train_algorithm import memory_layer, square

    rng = np.random.default_rng(2)
    data = rng.integers(1, 6000, size=(4, 20, 20)).astype(np.uint16)
    stack = write_band_stack(
        tmp_path / "s.tif",
        data,
    )
    x, y = 500000 + 50, 6000000 - 50
    layer = memory_layer(
        "Polygon?crs=EPSG:32633&field=c:string",
        [(square(x, y - 40, 40), "a"), (square(x + 80, y - 40, 40), "b")],
    )
    filler = small_disk / "filler"
    with pytest.raises(QgsProcessingException, match=f"disk is full.*{small_disk}"):
        run_alg(
            "landcover:trainclassifier",
            {"INPUT": stack, "TRAINING": layer, "CLASS_FIELD": "c", "FOLDS": 0,
             "MODEL": str(small_disk / "m.lcmodel"), "REPORT": str(small_disk / "r.html")},
            feedback=_filling_feedback(filler),
        )  # fmt: skip
    assert [p.name for p in small_disk.iterdir()] == ["filler"]


@pytest.mark.parametrize("step", ["polygonize_raster", "polygonize_classes"])
def test_polygonize_with_a_full_temporary_disk(tmp_path, small_disk, step):
    from landcover.core.io.files import OutputError
    from landcover.core.postprocess import polygonize

    # 2 bytes per pixel of patch numbers wait on the temporary disk: 4 MB here.
    image = np.random.default_rng(3).integers(1, 4, size=(1400, 1400)).astype(np.uint8)
    source = write_raster(tmp_path / "classes.tif", image, nodata=0)
    with pytest.raises(OutputError, match=f"disk is full.*{small_disk}"):
        getattr(polygonize, step)(source, lambda patch: None, temp_dir=small_disk)
    assert list(small_disk.iterdir()) == []
