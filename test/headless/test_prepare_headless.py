"""Step 1 from the command line, through qgis_process.bin."""

from __future__ import annotations

import json

import pytest
import rasterio

from landcover.core import synthetic


def test_qgis_process_lists_both_preparation_algorithms(qgis_process):
    listing = qgis_process("list").stdout
    assert "landcover:alignrasters" in listing
    assert "landcover:maskraster" in listing
    help_text = qgis_process("help", "landcover:alignrasters").stdout
    assert "RESAMPLING" in help_text and "REFERENCE" in help_text


def test_qgis_process_aligns_and_masks_the_example_scene(qgis_process, tmp_path):
    scene = synthetic.make_example_scene(tmp_path / "scene", size=160)
    stack = tmp_path / "stack.tif"
    run = qgis_process(
        "run",
        "landcover:alignrasters",
        "--json",
        "--",
        *[f"INPUT={scene[name]}" for name in synthetic.BANDS],
        f"REFERENCE={scene['blue']}",
        "RESAMPLING=1",
        f"OUTPUT={stack}",
    )
    results = json.loads(run.stdout)["results"]
    assert results["BAND_COUNT"] == 6
    assert results["OUTPUT"] == str(stack)
    with rasterio.open(stack) as out, rasterio.open(scene["blue"]) as ref:
        assert out.count == 6
        assert (out.crs, out.transform, out.shape) == (ref.crs, ref.transform, ref.shape)
        assert list(out.descriptions) == [f"{name} ({name}.tif band 1)" for name in synthetic.BANDS]

    masked = tmp_path / "masked.tif"
    run = qgis_process(
        "run",
        "landcover:maskraster",
        "--json",
        "--",
        f"INPUT={stack}",
        "INVALID_VALUES=0",
        f"MASK_LAYER={scene['scl']}",
        "MASK_VALUES=3,8,9,10",
        f"OUTPUT={masked}",
    )
    results = json.loads(run.stdout)["results"]
    with rasterio.open(masked) as out:
        share = (out.read(1) == out.nodata).mean()
    assert results["MASKED_PERCENT"] == pytest.approx(100 * share)
    assert 5 < results["MASKED_PERCENT"] < 40


def test_qgis_process_reports_bad_input_and_writes_nothing(qgis_process, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a raster")
    output = tmp_path / "out.tif"
    run = qgis_process(
        "run", "landcover:alignrasters", "--", f"INPUT={text}", f"OUTPUT={output}", check=False
    )
    assert run.returncode != 0
    assert "notes.txt" in run.stdout + run.stderr
    assert not output.exists()
