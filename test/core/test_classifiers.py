"""The portable predictors reproduce scikit-learn's estimators on the same fit."""

from __future__ import annotations

import numpy as np
import pytest

from landcover.core.io.classes import make_classes
from landcover.core.io.errors import InputError
from landcover.core.learn.classifiers import (
    CLASSIFIERS,
    DEFAULT_PARAMS,
    resolve_params,
    train_model,
    tuning_candidates,
)
from landcover.core.learn.model import svm_decision


def blobs(seed=0, n=500, k=3, bands=4):
    rng = np.random.default_rng(seed)
    y = rng.integers(1, k + 1, n)
    centres = rng.normal(scale=2.0, size=(k + 1, bands))
    x = (centres[y] + rng.normal(size=(n, bands))).astype(np.float32)
    return x, y.astype(np.int32)


NAMES = ["b1", "b2", "b3", "b4"]


def test_classifier_ids_and_order():
    assert next(iter(CLASSIFIERS)) == "random_forest"
    assert set(CLASSIFIERS) == set(DEFAULT_PARAMS)
    assert list(CLASSIFIERS) == [
        "random_forest",
        "extra_trees",
        "hist_gradient_boosting",
        "svm",
        "knn",
        "gaussian_ml",
    ]


@pytest.mark.parametrize("kind", ["random_forest", "extra_trees"])
def test_forest_matches_sklearn_predict_proba(kind):
    from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier

    x, y = blobs()
    classes = make_classes([1, 2, 3])
    model = train_model(kind, x, y, classes, NAMES, params={"n_trees": 20}, seed=5)
    cls = RandomForestClassifier if kind == "random_forest" else ExtraTreesClassifier
    # The model grows its forest in steps of a tenth (so a cancel is honoured): do the same.
    reference = cls(n_estimators=0, random_state=5, warm_start=True, max_features="sqrt")
    for grown in range(2, 21, 2):
        reference.set_params(n_estimators=grown)
        reference.fit(x, y)
    test = blobs(seed=9)[0]
    np.testing.assert_allclose(model.predict_proba(test), reference.predict_proba(test), atol=1e-5)
    np.testing.assert_allclose(
        model.scores["feature_importances"], reference.feature_importances_, atol=1e-12
    )


@pytest.mark.parametrize("k", [2, 4])
def test_gradient_boosting_matches_sklearn(k):
    from sklearn.ensemble import HistGradientBoostingClassifier

    x, y = blobs(k=k)
    classes = make_classes(list(range(1, k + 1)))
    model = train_model("hist_gradient_boosting", x, y, classes, NAMES, {"n_trees": 20}, seed=2)
    reference = HistGradientBoostingClassifier(
        max_iter=20, early_stopping=False, random_state=2
    ).fit(x, y)
    test = blobs(seed=4, k=k)[0]
    np.testing.assert_allclose(model.predict_proba(test), reference.predict_proba(test), atol=1e-6)


@pytest.mark.parametrize("k", [2, 3])
def test_svm_decision_values_match_libsvm(k):
    from sklearn.svm import SVC

    x, y = blobs(k=k)
    model = train_model("svm", x, y, make_classes(list(range(1, k + 1))), NAMES, seed=0)
    arrays = model.arrays
    z = (x.astype(np.float64) - arrays["mean"]) / arrays["scale"]
    reference = SVC(C=10.0, gamma="scale").fit(z, y)
    ours = svm_decision(arrays, z)
    theirs = reference.decision_function(z)
    if k == 2:  # scikit-learn reports the binary decision with the opposite sign
        theirs = -theirs[:, None]
    else:
        theirs = SVC(C=10.0, gamma="scale", decision_function_shape="ovo").fit(z, y)
        theirs = theirs.decision_function(z)
    np.testing.assert_allclose(ours, theirs, atol=1e-6)
    assert (model.predict(x) == y).mean() > 0.8


def test_knn_votes_match_sklearn():
    from sklearn.neighbors import KNeighborsClassifier

    x, y = blobs()
    model = train_model("knn", x, y, make_classes([1, 2, 3]), NAMES, {"k": 7})
    arrays = model.arrays
    z = ((x.astype(np.float64) - arrays["mean"]) / arrays["scale"]).astype(np.float32)
    reference = KNeighborsClassifier(n_neighbors=7).fit(z, y)
    test = blobs(seed=8)[0]
    zt = ((test.astype(np.float64) - arrays["mean"]) / arrays["scale"]).astype(np.float64)
    np.testing.assert_allclose(model.predict_proba(test), reference.predict_proba(zt), atol=1e-6)


def test_gaussian_ml_matches_the_formula():
    from scipy.stats import multivariate_normal

    x, y = blobs()
    model = train_model("gaussian_ml", x, y, make_classes([1, 2, 3]), NAMES)
    test = blobs(seed=6)[0].astype(np.float64)
    log_likelihood = np.column_stack(
        [
            multivariate_normal(
                x[y == c].mean(axis=0), np.cov(x[y == c].astype(np.float64), rowvar=False)
            ).logpdf(test)
            for c in (1, 2, 3)
        ]
    )
    expected = np.exp(log_likelihood - log_likelihood.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(model.predict_proba(test), expected, atol=1e-4)


def test_resolve_params_and_tuning_candidates():
    assert resolve_params("random_forest", {"n_trees": "50", "unknown": 3})["n_trees"] == 50
    grid = tuning_candidates("knn", "grid")
    assert grid == [{"k": k} for k in (1, 3, 5, 9, 15)]
    draws = tuning_candidates("svm", "random", n_iter=5, seed=1)
    assert len(draws) == 5 and draws == tuning_candidates("svm", "random", n_iter=5, seed=1)
    assert all(0.1 <= d["c"] <= 1000 for d in draws)
    with pytest.raises(InputError):
        resolve_params("magic")


def test_bad_training_data_is_an_error():
    x, y = blobs()
    classes = make_classes([1, 2, 3])
    with pytest.raises(InputError, match="at least two classes"):
        train_model("random_forest", x, np.ones_like(y), classes, NAMES)
    with pytest.raises(InputError, match="not among"):
        train_model("random_forest", x, y + 10, classes, NAMES)
    bad = x.copy()
    bad[0, 0] = np.nan
    with pytest.raises(InputError, match="NaN"):
        train_model("knn", bad, y, classes, NAMES)
    with pytest.raises(InputError, match="band names"):
        train_model("knn", x, y, classes, NAMES[:2])
