"""The algorithms the shipped workflow does not use, as Graphical Modeler children.

A model built in code chains k-means -> smoothing -> validation points and k-means'
model file -> classification -> majority filter, beside a spatial cross-validation:
every output feeds the next step, with nothing but the model's own inputs.
"""

from __future__ import annotations

import csv

import numpy as np
import pytest
import rasterio

from landcover.core import synthetic

BANDS = ("blue", "green", "red", "nir", "swir1", "swir2")


@pytest.fixture(scope="module")
def stack(qgis_app, tmp_path_factory):
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    folder = tmp_path_factory.mktemp("children")
    scene = synthetic.make_example_scene(folder / "scene", size=200)
    out = folder / "stack.tif"
    processing.run(
        "landcover:alignrasters",
        {"INPUT": [str(scene[b]) for b in BANDS], "OUTPUT": str(out)},
        context=QgsProcessingContext(),
        feedback=QgsProcessingFeedback(),
    )
    return scene, str(out)


def build_model():
    from qgis.core import (
        QgsApplication,
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelOutput,
        QgsProcessingModelParameter,
        QgsProcessingParameterFeatureSource,
        QgsProcessingParameterField,
        QgsProcessingParameterRasterLayer,
    )

    model = QgsProcessingModelAlgorithm("children", "Tests")
    for definition in (
        QgsProcessingParameterRasterLayer("RASTER", "Raster"),
        QgsProcessingParameterFeatureSource("POLYGONS", "Polygons"),
        QgsProcessingParameterField("FIELD", "Field", parentLayerParameterName="POLYGONS"),
    ):
        model.addModelParameter(definition, QgsProcessingModelParameter(definition.name()))

    def source(name):
        return [QgsProcessingModelChildParameterSource.fromModelParameter(name)]

    def output_of(child_id, name="OUTPUT"):
        return [QgsProcessingModelChildParameterSource.fromChildOutput(child_id, name)]

    def static(value):
        return [QgsProcessingModelChildParameterSource.fromStaticValue(value)]

    steps = [
        ("kmeans", {"INPUT": source("RASTER"), "CLUSTERS": static(4), "SEED": static(3)},
         ["OUTPUT", "MODEL"]),
        ("smooth", {"INPUT": output_of("kmeans"), "RADIUS": static(1)}, ["OUTPUT"]),
        ("samplingdesign", {"INPUT": output_of("smooth"), "POINTS_PER_CLASS": static(5),
                            "SEED": static(1)}, ["OUTPUT"]),
        ("classify", {"INPUT": source("RASTER"), "MODEL": output_of("kmeans", "MODEL")},
         ["OUTPUT"]),
        ("majorityfilter", {"INPUT": output_of("classify"), "WINDOW_SIZE": static(3)},
         ["OUTPUT"]),
        ("spatialcv", {"INPUT": source("RASTER"), "TRAINING": source("POLYGONS"),
                       "CLASS_FIELD": source("FIELD"), "FOLDS": static(3),
                       "STRATEGY": static(1), "BLOCK_SIZE": static(500.0),
                       "MAX_PER_CLASS": static(300)}, ["METRICS"]),
    ]  # fmt: skip
    registry = QgsApplication.processingRegistry()
    for name, sources, outputs in steps:
        child = QgsProcessingModelChildAlgorithm(f"landcover:{name}")
        child.setChildId(name)
        # unwired settings keep the algorithm's defaults, written out as the Modeler does
        for parameter in registry.algorithmById(f"landcover:{name}").parameterDefinitions():
            default = parameter.defaultValue()
            wired = parameter.name() in sources or parameter.isDestination()
            if not wired and default is not None:
                child.addParameterSources(parameter.name(), static(default))
        for parameter, value in sources.items():
            child.addParameterSources(parameter, value)
        child.setModelOutputs(
            {f"{name}_{o}": _model_output(QgsProcessingModelOutput, name, o) for o in outputs}
        )
        model.addChildAlgorithm(child)
    return model


def _model_output(cls, child_id, output):
    result = cls(f"{child_id}_{output}")
    result.setChildOutputName(output)
    result.setChildId(child_id)
    return result


def test_every_other_algorithm_works_as_a_modeler_child(stack, tmp_path):
    import processing
    from qgis.core import (
        QgsProcessingContext,
        QgsProcessingFeedback,
        QgsProcessingModelAlgorithm,
        QgsVectorLayer,
    )

    scene, raster = stack
    model = build_model()
    assert model.validate()[0], model.validate()[1]
    model_file = tmp_path / "children.model3"
    assert model.toFile(str(model_file))
    outputs = {
        "kmeans:kmeans_OUTPUT": str(tmp_path / "clusters.tif"),
        "kmeans:kmeans_MODEL": str(tmp_path / "clusters.lcmodel"),
        "smooth:smooth_OUTPUT": str(tmp_path / "smooth.tif"),
        "samplingdesign:samplingdesign_OUTPUT": str(tmp_path / "points.gpkg"),
        "classify:classify_OUTPUT": str(tmp_path / "classified.tif"),
        "majorityfilter:majorityfilter_OUTPUT": str(tmp_path / "majority.tif"),
        "spatialcv:spatialcv_METRICS": str(tmp_path / "cv.csv"),
    }
    reopened = QgsProcessingModelAlgorithm()  # as the Modeler opens a saved model
    assert reopened.fromFile(str(model_file))
    results = processing.run(
        reopened,
        {"RASTER": raster, "POLYGONS": str(scene["training"]), "FIELD": "landcover", **outputs},
        context=QgsProcessingContext(),
        feedback=QgsProcessingFeedback(),
    )
    for name, path in outputs.items():
        assert results[name] == path

    with rasterio.open(outputs["kmeans:kmeans_OUTPUT"]) as a:
        clusters = a.read(1)
    with rasterio.open(outputs["classify:classify_OUTPUT"]) as b:
        classified, colours = b.read(1), b.colormap(1)
    # the clusters' model applied to the same raster gives the clusters back
    np.testing.assert_array_equal(classified, clusters)
    assert set(np.unique(clusters)) - {0} == {1, 2, 3, 4}
    with rasterio.open(outputs["majorityfilter:majorityfilter_OUTPUT"]) as m:
        assert all(m.colormap(1)[code] == colours[code] for code in (1, 2, 3, 4))
        assert (m.read(1) > 0).sum() == (classified > 0).sum()

    points = QgsVectorLayer(outputs["samplingdesign:samplingdesign_OUTPUT"], "p", "ogr")
    assert points.isValid() and points.featureCount() == 4 * 5
    with open(outputs["spatialcv:spatialcv_METRICS"], newline="", encoding="utf-8") as table:
        rows = list(csv.DictReader(table))
    assert rows
