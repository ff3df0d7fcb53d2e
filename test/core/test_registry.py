"""The classifier registry is the one place that knows the classifiers."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sklearn.base
import sklearn.ensemble
from conftest import PLUGINS

from landcover.core.learn import classifiers, model, registry

# Model files and saved Modeler models store these ids and the index of each choice,
# and trained models record these defaults: none may change.
EXPECTED = {
    "random_forest": {"n_trees": 100, "max_depth": 0, "min_samples_leaf": 1, "max_features": 0},
    "extra_trees": {"n_trees": 100, "max_depth": 0, "min_samples_leaf": 1, "max_features": 0},
    "hist_gradient_boosting": {
        "n_trees": 100,
        "max_depth": 0,
        "learning_rate": 0.1,
        "max_leaf_nodes": 31,
        "min_samples_leaf": 20,
    },
    "svm": {"c": 10.0, "gamma": 0.0},
    "knn": {"k": 5},
    "gaussian_ml": {"regularization": 1e-6, "priors": "equal"},
}


def test_ids_order_and_defaults_are_kept():
    assert list(registry.CLASSIFIER_IDS) == list(EXPECTED)
    for spec in registry.CLASSIFIERS:
        assert dict(spec.defaults) == EXPECTED[spec.id]
        assert [type(v) for v in spec.defaults.values()] == [
            type(v) for v in EXPECTED[spec.id].values()
        ]


def test_the_registry_imports_without_numpy_scikit_learn_or_qgis():
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('numpy', 'sklearn', 'scipy', 'qgis', 'PyQt5'):\n"
        "            raise ImportError('the registry imported ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        f"sys.path.insert(0, {str(PLUGINS)!r})\n"
        "from landcover.core.learn.registry import CLASSIFIER_IDS, CLASSIFIER_LABELS\n"
        "print(len(CLASSIFIER_IDS), len(CLASSIFIER_LABELS))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["6", "6"]


def test_classifiers_module_derives_from_the_registry():
    assert {s.id: s.label for s in registry.CLASSIFIERS} == classifiers.CLASSIFIERS
    assert {s.id: dict(s.defaults) for s in registry.CLASSIFIERS} == classifiers.DEFAULT_PARAMS
    for spec in registry.CLASSIFIERS:
        assert classifiers.TUNING_GRIDS[spec.id] == {k: list(v) for k, v in spec.grid.items()}
        assert classifiers.TUNING_RANGES[spec.id] == dict(spec.ranges)
        assert spec.fit in classifiers._FITS
        if spec.estimator:
            assert issubclass(getattr(sklearn.ensemble, spec.estimator), sklearn.base.BaseEstimator)


def test_model_kinds_and_predictors_derive_from_the_registry():
    assert (*registry.CLASSIFIER_IDS, "kmeans") == model.KINDS
    for kind, name in registry.MODEL_PREDICTORS.items():
        assert model._PREDICTORS[kind] is model._PREDICTOR_CLASSES[name]
    assert set(model._PREDICTOR_CLASSES) == set(registry.MODEL_PREDICTORS.values())


def test_every_parameter_is_explained_and_tunable_parameters_exist():
    for spec in registry.CLASSIFIERS:
        assert set(spec.defaults) <= set(registry.PARAMETER_WORDS), spec.id
        for key, values in spec.grid.items():
            assert all(type(v) is type(spec.defaults[key]) for v in values), (spec.id, key)
        for key, (scale, *_) in spec.ranges.items():
            assert scale in ("int", "log"), (spec.id, key)


def test_a_specification_refuses_parameters_without_default():
    with pytest.raises(ValueError, match="no default"):
        registry.ClassifierSpec(
            id="x", label="X", defaults={"k": 1}, grid={"q": (1,)}, ranges={},
            fit="knn", predictor="knn", tool_params=(),
        )  # fmt: skip
    with pytest.raises(KeyError, match="choose one of random_forest"):
        registry.classifier("magic")


def test_a_tool_default_is_the_one_default_of_every_classifier_it_sets():
    assert registry.tool_default("n_trees") == 100
    assert registry.tool_default("min_samples_leaf") == 1  # forests; boosting keeps its 20
    with pytest.raises(ValueError):
        registry.tool_default("max_leaf_nodes")  # no classifier takes it from a tool
