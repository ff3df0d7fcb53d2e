"""The shipped "Land cover workflow from a product" model: generated, valid, and run
through processing.run on a Sentinel-2 product without band numbers."""

from __future__ import annotations

from pathlib import Path

import rasterio
from conftest import load_script

from landcover.core.synthetic import write_polygons

REPO = Path(__file__).resolve().parents[2]
MODEL_FILE = REPO / "resources" / "models" / "landcover_workflow_product.model3"
MODEL_ID = "landcover:Land cover workflow from a product"
OUTPUTS = load_script("demo").OUTPUTS
MAKE = load_script("make_product")


def test_product_model_is_registered_valid_and_as_generated(qgis_app):
    from qgis.core import QgsApplication, QgsProcessingModelAlgorithm

    registered = QgsApplication.processingRegistry().algorithmById(MODEL_ID)
    assert registered is not None
    assert {p.name() for p in registered.destinationParameterDefinitions()} == set(OUTPUTS)
    inputs = {p.name() for p in registered.parameterDefinitions() if not p.isDestination()}
    assert "PRODUCT" in inputs and not inputs & {"BANDS", "MASK", "NIR", "SCALE_FACTOR"}
    shipped = QgsProcessingModelAlgorithm()
    assert shipped.fromFile(str(MODEL_FILE))
    valid, problems = shipped.validate()
    assert valid, problems
    steps = {shipped.childAlgorithm(c).algorithmId() for c in shipped.childAlgorithms()}
    assert "landcover:importproduct" in steps and "landcover:alignrasters" not in steps
    make_model = load_script("make_model")
    generated = make_model.build_product_model()
    assert make_model.model_summary(generated) == make_model.model_summary(shipped), (
        "resources/models/landcover_workflow_product.model3 is stale: run scripts/make_model.py"
    )


def squares(columns, rows, name, size=8):
    x0, y0 = MAKE.S2_ORIGIN
    out = []
    for col in columns:
        for row in rows:
            left, top = x0 + col * 10, y0 - row * 10
            ring = [
                (left, top),
                (left + size * 10, top),
                (left + size * 10, top - size * 10),
                (left, top - size * 10),
                (left, top),
            ]
            out.append((ring, name))
    return out


def test_product_model_runs_on_a_sentinel2_product(qgis_app, tmp_path):
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    s2 = MAKE.write_sentinel2(tmp_path, 60)
    training = write_polygons(
        tmp_path / "training.gpkg",
        squares((8, 30), (8, 40), "water") + squares((20, 44), (20, 44), "forest"),
        MAKE.S2_CRS,
        MAKE.S2_CRS,
        "training",
    )
    validation = write_polygons(
        tmp_path / "validation.gpkg",
        squares((8,), (26,), "water", 6) + squares((34,), (8,), "forest", 6),
        MAKE.S2_CRS,
        MAKE.S2_CRS,
        "validation",
    )
    output = tmp_path / "output"
    output.mkdir()
    results = processing.run(
        MODEL_ID,
        {
            "PRODUCT": str(s2["safe"]),
            "TRAINING": str(training),
            "TRAINING_FIELD": "landcover",
            "VALIDATION": str(validation),
            "VALIDATION_FIELD": "landcover",
            **{name: str(output / file) for name, file in OUTPUTS.items()},
        },
        feedback=QgsProcessingFeedback(),
        context=QgsProcessingContext(),
    )
    for name, file in OUTPUTS.items():
        path = Path(str(results[name]).split("|")[0])
        assert path.name == file and path.exists(), name
    with rasterio.open(results["texture:Feature stack"]) as stack:
        descriptions = list(stack.descriptions)
    assert descriptions[:3] == ["blue (B02)", "green (B03)", "red (B04)"]
    assert descriptions[6] == "nir (B08)"
    assert descriptions[10:14] == ["NDVI", "NDWI", "MNDWI", "NDBI"]
    assert all(text.startswith("nir (B08) ") for text in descriptions[14:]), descriptions
