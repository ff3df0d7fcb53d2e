"""Cancel means nothing written: a cancel at any point leaves no output, not even a
partial one, through processing.run."""

from __future__ import annotations

import pytest
from test_accuracy import outputs, point, reference_layer
from test_accuracy import write_map as write_accuracy_map
from test_postprocess import noisy_map, write_map


def files(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def cancelling_feedback(after: int):
    """A feedback that asks to cancel once it has seen ``after`` progress reports."""
    from qgis.core import QgsProcessingFeedback

    feedback = QgsProcessingFeedback()
    seen = []

    def on_progress(percent):
        seen.append(percent)
        if len(seen) >= after:
            feedback.cancel()

    feedback.progressChanged.connect(on_progress)
    return feedback, seen


@pytest.mark.parametrize("after", [1, 2])
def test_cancelled_polygonize_leaves_no_geopackage(run_alg, tmp_path, after):
    from qgis.core import QgsProcessingException

    source = write_map(tmp_path / "map.tif", noisy_map((300, 300)))
    inputs = files(tmp_path)
    feedback, seen = cancelling_feedback(after)
    with pytest.raises(QgsProcessingException, match=r"[Cc]ancel"):
        run_alg(
            "landcover:polygonize",
            {"INPUT": source, "OUTPUT": str(tmp_path / "classes.gpkg")},
            feedback=feedback,
        )
    assert len(seen) >= after
    assert files(tmp_path) == inputs


def test_polygonize_geopackage_layer_keeps_its_name(run_alg, tmp_path):
    from qgis.core import QgsVectorLayer

    source = write_map(tmp_path / "map.tif", noisy_map((40, 40)))
    inputs = files(tmp_path)
    result = run_alg("landcover:polygonize", {"INPUT": source, "OUTPUT": str(tmp_path / "c.gpkg")})
    assert result["OUTPUT"].startswith(str(tmp_path / "c.gpkg"))
    layer = QgsVectorLayer(str(tmp_path / "c.gpkg"), "c", "ogr")
    assert layer.isValid() and layer.featureCount() > 0
    assert [s.split("!!::!!")[1] for s in layer.dataProvider().subLayers()] == ["c"]
    assert files(tmp_path) == sorted([*inputs, "c.gpkg"])


def test_cancel_at_the_end_of_accuracy_writes_none_of_its_outputs(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    write_accuracy_map(tmp_path / "map.tif")
    inputs = files(tmp_path)
    items = [(point(20, 25), "Forest"), (point(30, 50), "Urban"), (point(20, 15), "Water")]
    layer = reference_layer("Point", "EPSG:32633", items)
    feedback, seen = cancelling_feedback(1)
    with pytest.raises(QgsProcessingException, match=r"[Cc]ancel"):
        run_alg(
            "landcover:accuracy",
            {"INPUT": str(tmp_path / "map.tif"), "REFERENCE": layer, "CLASS_FIELD": "ref",
             **outputs(tmp_path)},
            feedback=feedback,
        )  # fmt: skip
    assert seen
    assert files(tmp_path) == inputs
