"""What the training report tells a reader who was not there when it ran."""

from __future__ import annotations

import html

import pytest

from landcover.core import synthetic

BANDS = ("blue", "green", "red", "nir", "swir1", "swir2")


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    return synthetic.make_example_scene(tmp_path_factory.mktemp("scene"), size=200)


def test_report_names_its_data_explains_settings_and_shows_full_band_names(
    run_alg, scene, tmp_path
):
    stack = tmp_path / "stack.tif"
    run_alg(
        "landcover:alignrasters",
        {"INPUT": [str(scene[b]) for b in BANDS], "RESAMPLING": 1, "OUTPUT": str(stack)},
    )
    report = tmp_path / "report.html"
    run_alg(
        "landcover:trainclassifier",
        {
            "INPUT": str(stack),
            "TRAINING": str(scene["training"]),
            "CLASS_FIELD": "landcover",
            "N_TREES": 20,
            "MODEL": str(tmp_path / "m.lcmodel"),
            "REPORT": str(report),
        },
    )
    page = html.unescape(report.read_text(encoding="utf-8"))
    assert str(stack) in page
    assert str(scene["training"]) in page and "landcover" in page
    assert "Trees in the forest" in page  # n_trees in words
    assert "Share of each class's polygons held out for validation." in page
    long_name = "swir2 (swir2.tif band 1)"
    assert len(long_name) > 23  # longer than the chart shows
    assert f"<td>{long_name}</td>" in page
