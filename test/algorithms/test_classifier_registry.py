"""The tools take their classifier choices, defaults and shared parameters from one place."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ALGORITHMS = Path(__file__).resolve().parents[2] / "algorithms"
# Modules of algorithms/ that hold no algorithm: any algorithm may import them.
SHARED = {"base", "qgis_compat", "training_layer", "styling"}


def algorithm(name: str):
    from qgis.core import QgsApplication

    return QgsApplication.processingRegistry().createAlgorithmById(f"landcover:{name}")


@pytest.mark.parametrize("name", ["trainclassifier", "spatialcv"])
def test_classifier_choices_are_the_registry_in_its_order(qgis_app, name):
    from landcover.core.learn.registry import CLASSIFIER_LABELS

    alg = algorithm(name)  # kept: its parameters live as long as it does
    choice = alg.parameterDefinition("CLASSIFIER")
    assert choice.options() == list(CLASSIFIER_LABELS)
    assert choice.defaultValue() == 0


def test_train_classifier_shows_the_registry_defaults(qgis_app):
    from landcover.core.learn.registry import CLASSIFIERS, tool_default

    train = algorithm("trainclassifier")
    used = {key for spec in CLASSIFIERS for key in spec.tool_params}
    assert used == set(train.SETTINGS)
    for key, name in train.SETTINGS.items():
        default = train.parameterDefinition(name).defaultValue()
        assert default == tool_default(key) and type(default) is type(tool_default(key))


def test_train_classifier_with_its_defaults_trains_with_the_registry_defaults(qgis_app):
    from qgis.core import QgsProcessingContext

    from landcover.core.learn.classifiers import resolve_params
    from landcover.core.learn.registry import CLASSIFIERS

    train = algorithm("trainclassifier")
    context = QgsProcessingContext()
    for spec in CLASSIFIERS:
        params = train._classifier_params({}, context, spec.id)
        assert set(params) == set(spec.tool_params)
        assert resolve_params(spec.id, params) == dict(spec.defaults)
    custom = train._classifier_params({"MIN_SAMPLES_LEAF": 7, "NEIGHBOURS": 3}, context, "knn")
    assert custom == {"k": 3}


def test_shared_parameters_are_declared_alike(qgis_app):
    from landcover.algorithms.base import DEFAULT_MEMORY_MB
    from landcover.algorithms.qgis_compat import FLAG_ADVANCED, FLAG_OPTIONAL

    seeds = ["trainclassifier", "spatialcv", "activelearning", "samplingdesign", "kmeans"]
    for name in seeds:
        alg = algorithm(name)
        seed = alg.parameterDefinition("SEED")
        assert (seed.description(), seed.defaultValue(), seed.minimum()) == ("Random seed", 0, 0)
        assert seed.flags() & FLAG_ADVANCED, name
    for name in ("classify", "kmeans"):
        alg = algorithm(name)
        memory = alg.parameterDefinition("MEMORY_MB")
        assert memory.defaultValue() == DEFAULT_MEMORY_MB and memory.flags() & FLAG_ADVANCED
    for name in ("trainclassifier", "spatialcv", "accuracy"):
        alg = algorithm(name)
        assert alg.parameterDefinition("REPORT").fileFilter() == "HTML files (*.html)"
    for name, optional in (("trainclassifier", False), ("kmeans", True)):
        alg = algorithm(name)
        model = alg.parameterDefinition("MODEL")
        assert model.fileFilter() == "Land cover model (*.lcmodel)"
        assert bool(model.flags() & FLAG_OPTIONAL) is optional
        assert model.createByDefault() is not optional
    for name in ("spatialcv", "accuracy"):
        alg = algorithm(name)
        assert alg.parameterDefinition("METRICS").fileFilter() == "CSV files (*.csv)"
    for name in ("trainclassifier", "spatialcv"):
        alg = algorithm(name)
        for field in ("CLASS_FIELD", "CLASS_NAME_FIELD"):
            assert alg.parameterDefinition(field).parentLayerParameterName() == "TRAINING"


def test_no_algorithm_imports_another():
    for path in sorted(ALGORITHMS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                module = (node.module or "").split(".")[0]
                assert module in SHARED, f"{path.name} imports the algorithm module {module}"
