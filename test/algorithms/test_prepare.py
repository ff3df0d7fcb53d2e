from __future__ import annotations

import numpy as np
import pytest
import rasterio
from conftest import write_raster
from rasterio.transform import from_origin

from landcover.core import synthetic


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    return synthetic.make_example_scene(tmp_path_factory.mktemp("scene"), size=200)


def band_paths(scene):
    return [str(scene[name]) for name in synthetic.BANDS]


def test_resampling_options_match_core():
    from landcover.algorithms.alignrasters import RESAMPLING
    from landcover.core.prepare.align import RESAMPLING_METHODS

    assert tuple(key for key, _ in RESAMPLING) == RESAMPLING_METHODS


def test_align_six_bands_onto_reference_grid(run_alg, scene, tmp_path):
    output = str(tmp_path / "stack.tif")
    result = run_alg(
        "landcover:alignrasters",
        {
            "INPUT": band_paths(scene),
            "REFERENCE": str(scene["blue"]),
            "RESAMPLING": 1,
            "OUTPUT": output,
        },
    )
    assert result["OUTPUT"] == output
    assert result["BAND_COUNT"] == 6
    with rasterio.open(output) as out, rasterio.open(scene["blue"]) as ref:
        assert out.count == 6
        assert out.crs == ref.crs and out.transform == ref.transform
        assert out.shape == ref.shape
        assert out.nodata == 0 and out.dtypes[0] == "uint16"
        assert out.descriptions[4] == "swir1 (swir1.tif band 1)"
        assert out.tags(5)["LANDCOVER_ROLE"] == "swir1"
        np.testing.assert_array_equal(out.read(1), ref.read(1))
        swir = out.read(5)
    assert (swir > 0).mean() > 0.8


def test_align_with_target_crs_pixel_size_and_extent(run_alg, scene, tmp_path):
    output = str(tmp_path / "utm33.tif")
    with rasterio.open(scene["swir1"]) as src:
        left, bottom, _, _ = src.bounds
    extent = f"{left + 200},{left + 1200},{bottom + 400},{bottom + 1000} [EPSG:32633]"
    run_alg(
        "landcover:alignrasters",
        {
            "INPUT": [str(scene["red"]), str(scene["swir1"])],
            "TARGET_CRS": "EPSG:32633",
            "PIXEL_SIZE": 20,
            "EXTENT": extent,
            "RESAMPLING": 3,
            "OUTPUT": output,
        },
    )
    with rasterio.open(output) as out:
        assert out.crs.to_epsg() == 32633
        assert out.res == (20, 20)
        assert (out.width, out.height) == (50, 30)
        assert out.bounds.left == pytest.approx(left + 200)
        assert out.bounds.top == pytest.approx(bottom + 1000)


def test_mask_stack_with_scl(run_alg, scene, tmp_path):
    stack = str(tmp_path / "stack.tif")
    run_alg("landcover:alignrasters", {"INPUT": band_paths(scene), "OUTPUT": stack})
    output = str(tmp_path / "masked.tif")
    result = run_alg(
        "landcover:maskraster",
        {
            "INPUT": stack,
            "INVALID_VALUES": "0",
            "MASK_LAYER": str(scene["scl"]),
            "MASK_VALUES": "3, 8, 9, 10",
            "OUTPUT": output,
        },
    )
    with rasterio.open(stack) as src:
        data = src.read()
    with rasterio.open(scene["scl"]) as src:
        scl = np.kron(src.read(1), np.ones((2, 2), dtype="uint8"))
    expected = (data == 0).any(axis=0) | np.isin(scl, (3, 8, 9, 10))
    with rasterio.open(output) as out:
        masked = (out.read() == out.nodata).all(axis=0)
        assert out.dtypes[0] == "uint16" and out.nodata == 0
    np.testing.assert_array_equal(masked, expected)
    assert result["MASKED_PIXELS"] == int(expected.sum())
    assert result["MASKED_PERCENT"] == pytest.approx(100 * expected.mean())
    assert 5 < result["MASKED_PERCENT"] < 40


def test_mask_by_range_and_qa_bits(run_alg, tmp_path):
    data = np.arange(1, 101, dtype="uint16").reshape(10, 10)
    path = write_raster(tmp_path / "in.tif", data)
    qa = np.zeros((10, 10), dtype="uint16")
    qa[0, :3] = [1 << 3, 1 << 4, 1 << 5]
    qa_path = write_raster(tmp_path / "qa.tif", qa)
    output = str(tmp_path / "out.tif")
    result = run_alg(
        "landcover:maskraster",
        {
            "INPUT": path,
            "VALID_RANGE": "1,90",
            "MASK_LAYER": qa_path,
            "MASK_BITS": "3, 4",
            "OUTPUT": output,
        },
    )
    with rasterio.open(output) as out:
        masked = out.read(1) == out.nodata
        assert out.dtypes[0] == "uint16" and out.nodata == 0
    expected = (data > 90) | (qa & 0b11000 > 0)
    np.testing.assert_array_equal(masked, expected)
    assert result["MASKED_PIXELS"] == 12


def left_files(folder):
    """Files in ``folder``, without the statistics QGIS may store beside its inputs."""
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".aux.xml"))


def run_fails(run_alg, algorithm, parameters, match):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match=match):
        run_alg(algorithm, parameters)


def test_align_bad_inputs_are_clear_errors_and_leave_nothing(run_alg, tmp_path):
    good = write_raster(tmp_path / "good.tif", np.ones((10, 10), dtype="uint8"))
    output = tmp_path / "out.tif"
    align = "landcover:alignrasters"
    run_fails(run_alg, align, {"INPUT": [], "OUTPUT": str(output)}, "[Nn]o input rasters")
    text = tmp_path / "notes.txt"
    text.write_text("not a raster")
    run_fails(run_alg, align, {"INPUT": [good, str(text)], "OUTPUT": str(output)}, "notes.txt")
    no_crs = write_raster(tmp_path / "nocrs.tif", np.ones((10, 10), dtype="uint8"), crs=None)
    run_fails(
        run_alg,
        align,
        {"INPUT": [good, no_crs], "OUTPUT": str(output)},
        "nocrs.tif has no coordinate reference system",
    )
    far = write_raster(
        tmp_path / "far.tif",
        np.ones((10, 10), dtype="uint8"),
        transform=from_origin(700000, 5000000, 10, 10),
    )
    run_fails(run_alg, align, {"INPUT": [good, far], "OUTPUT": str(output)}, "does not overlap")
    for size in (-10, 0):
        run_fails(
            run_alg,
            align,
            {"INPUT": [good], "PIXEL_SIZE": size, "OUTPUT": str(output)},
            "pixel size must be a positive",
        )
    run_fails(
        run_alg,
        align,
        {"INPUT": [good], "PIXEL_SIZE": 1e-7, "OUTPUT": str(output)},
        "far too large",
    )
    blocker = tmp_path / "a_file"
    blocker.write_text("a file where a folder should be")
    run_fails(
        run_alg,
        align,
        {"INPUT": [good], "OUTPUT": str(blocker / "out.tif")},
        "folder .* does not exist|cannot be written",
    )
    assert left_files(tmp_path) == [
        "a_file",
        "far.tif",
        "good.tif",
        "nocrs.tif",
        "notes.txt",
    ]


def test_mask_bad_inputs_are_clear_errors_and_leave_nothing(run_alg, tmp_path):
    good = write_raster(tmp_path / "good.tif", np.ones((10, 10), dtype="uint8"))
    output = str(tmp_path / "out.tif")
    algorithm = "landcover:maskraster"
    run_fails(
        run_alg,
        algorithm,
        {"INPUT": good, "MASK_LAYER": good, "OUTPUT": output},
        "without mask values",
    )
    run_fails(
        run_alg, algorithm, {"INPUT": good, "MASK_VALUES": "9", "OUTPUT": output}, "without a mask"
    )
    run_fails(
        run_alg, algorithm, {"INPUT": good, "INVALID_VALUES": "zero", "OUTPUT": output}, "number"
    )
    run_fails(
        run_alg,
        algorithm,
        {"INPUT": good, "MASK_LAYER": good, "MASK_BITS": "70", "OUTPUT": output},
        "bit",
    )
    far = write_raster(
        tmp_path / "far.tif",
        np.ones((10, 10), dtype="uint8"),
        transform=from_origin(700000, 5000000, 10, 10),
    )
    run_fails(
        run_alg,
        algorithm,
        {"INPUT": good, "MASK_LAYER": far, "MASK_VALUES": "1", "OUTPUT": output},
        "does not overlap",
    )
    assert left_files(tmp_path) == ["far.tif", "good.tif"]
