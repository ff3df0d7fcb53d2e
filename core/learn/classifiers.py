"""Fitting the classifiers the training step offers, into portable models.

scikit-learn fits; :mod:`.model` predicts. Each ``_fit_*`` function fits an
estimator and returns only plain arrays, from which :class:`~.model.LandcoverModel`
rebuilds its own predictor, so validation scores are computed by exactly the code
that will classify the map.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..io.classes import ClassInfo
from ..io.errors import InputError
from ..io.progress import Progress, as_progress
from . import registry
from .model import LandcoverModel, svm_decision

# Derived from the registry, for the callers that look a classifier up by id.
CLASSIFIERS: dict[str, str] = {spec.id: spec.label for spec in registry.CLASSIFIERS}
DEFAULT_PARAMS: dict[str, dict[str, Any]] = {
    spec.id: dict(spec.defaults) for spec in registry.CLASSIFIERS
}
TUNING_GRIDS: dict[str, dict[str, list]] = {
    spec.id: {key: list(values) for key, values in spec.grid.items()}
    for spec in registry.CLASSIFIERS
}
TUNING_RANGES: dict[str, dict[str, tuple]] = {
    spec.id: dict(spec.ranges) for spec in registry.CLASSIFIERS
}


def resolve_params(kind: str, params: dict | None = None) -> dict[str, Any]:
    """The defaults of ``kind`` updated with the known keys of ``params``."""
    if kind not in DEFAULT_PARAMS:
        raise InputError(f"unknown classifier {kind!r}; choose one of {', '.join(DEFAULT_PARAMS)}")
    resolved = dict(DEFAULT_PARAMS[kind])
    for key, value in (params or {}).items():
        if key in resolved and value is not None:
            resolved[key] = type(DEFAULT_PARAMS[kind][key])(value)
    return resolved


def tuning_candidates(kind: str, mode: str, n_iter: int = 8, seed: int = 0) -> list[dict]:
    """Parameter sets to try: the full grid (``grid``) or ``n_iter`` random draws."""
    if mode == "grid":
        grid = TUNING_GRIDS[kind]
        candidates: list[dict] = [{}]
        for key, values in grid.items():
            candidates = [{**c, key: v} for c in candidates for v in values]
        return candidates
    if mode in ("random", "randomised", "randomized"):
        rng = np.random.default_rng(seed)
        result = []
        for _ in range(n_iter):
            draw: dict[str, Any] = {}
            for key, spec in TUNING_RANGES[kind].items():
                if spec[0] == "int":
                    value: Any = int(rng.integers(spec[1], spec[2] + 1))
                    if len(spec) > 3 and spec[3] and rng.random() < 0.2:
                        value = 0  # sometimes unlimited
                else:
                    value = float(math.exp(rng.uniform(math.log(spec[1]), math.log(spec[2]))))
                draw[key] = value
            if draw not in result:
                result.append(draw)
        return result
    raise InputError(f"unknown tuning mode {mode!r}; use none, grid or random")


def _standard_scaling(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(axis=0, dtype=np.float64)
    scale = x.std(axis=0, dtype=np.float64)
    scale[~(scale > 0)] = 1.0  # constant bands stay constant (zero) after scaling
    return mean, scale


def _forest_arrays(estimator, n_fitted: int) -> dict[str, np.ndarray]:
    trees = [e.tree_ for e in estimator.estimators_]
    offsets = np.zeros(len(trees) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([t.node_count for t in trees])
    value = np.concatenate([t.value[:, 0, :] for t in trees]).astype(np.float64)
    totals = value.sum(axis=1, keepdims=True)
    totals[totals == 0] = 1.0
    return {
        "tree_offsets": offsets,
        "children_left": np.concatenate([t.children_left for t in trees]).astype(np.int32),
        "children_right": np.concatenate([t.children_right for t in trees]).astype(np.int32),
        "feature": np.concatenate([np.maximum(t.feature, 0) for t in trees]).astype(np.int32),
        "threshold": np.concatenate([t.threshold for t in trees]).astype(np.float64),
        "value": (value / totals).astype(np.float32),
    }


def _fit_forest(spec, x, y, params, seed, progress: Progress, classes) -> tuple[dict, dict]:
    import sklearn.ensemble

    from ..io.raster import default_workers

    cls = getattr(sklearn.ensemble, spec.estimator)
    n_trees = max(1, int(params["n_trees"]))
    max_features: Any = "sqrt" if not params["max_features"] else float(params["max_features"])
    if isinstance(max_features, float) and max_features >= 1:
        max_features = min(int(max_features), x.shape[1])
    estimator = cls(
        n_estimators=0,
        max_depth=int(params["max_depth"]) or None,
        min_samples_leaf=max(1, int(params["min_samples_leaf"])),
        max_features=max_features,
        n_jobs=default_workers(),
        random_state=seed,
        warm_start=True,
    )
    step = max(1, n_trees // 10)  # grow in steps so a cancel request is honoured
    grown = 0
    while grown < n_trees:
        grown = min(n_trees, grown + step)
        estimator.set_params(n_estimators=grown)
        estimator.fit(x, y)
        progress(grown / n_trees)
    extra = {"feature_importances": estimator.feature_importances_.tolist()}
    return _forest_arrays(estimator, len(estimator.classes_)), extra


def _fit_boosting(spec, x, y, params, seed, progress: Progress, classes) -> tuple[dict, dict]:
    from sklearn.ensemble import HistGradientBoostingClassifier

    from .model import _BoostingPredictor

    estimator = HistGradientBoostingClassifier(
        max_iter=max(1, int(params["n_trees"])),
        learning_rate=float(params["learning_rate"]),
        max_leaf_nodes=max(2, int(params["max_leaf_nodes"])),
        max_depth=int(params["max_depth"]) or None,
        min_samples_leaf=max(1, int(params["min_samples_leaf"])),
        early_stopping=False,
        random_state=seed,
    )
    progress.check()
    estimator.fit(x, y)
    predictors = [p for iteration in estimator._predictors for p in iteration]
    nodes = [p.nodes for p in predictors]
    if any(n["is_categorical"].any() for n in nodes if "is_categorical" in n.dtype.names):
        raise InputError("categorical splits are not supported in model files")
    offsets = np.zeros(len(nodes) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(n) for n in nodes])

    def field(name: str, dtype: Any) -> np.ndarray:
        return np.concatenate([n[name] for n in nodes]).astype(dtype)

    arrays = {
        "hgb_offsets": offsets,
        "hgb_left": field("left", np.int32),
        "hgb_right": field("right", np.int32),
        "hgb_feature": field("feature_idx", np.int32),
        "hgb_threshold": field("num_threshold", np.float64),
        "hgb_missing_left": field("missing_go_to_left", np.uint8),
        "hgb_is_leaf": field("is_leaf", np.uint8),
        "hgb_value": field("value", np.float64),
        "hgb_baseline": np.asarray(estimator._baseline_prediction, dtype=np.float64).ravel(),
    }
    # The numpy traversal must reproduce scikit-learn; check on a few training rows.
    probe = x[: min(len(x), 256)]
    ours = _BoostingPredictor(arrays, x.shape[1], len(estimator.classes_)).predict_proba(probe)
    theirs = estimator.predict_proba(probe)
    if not np.allclose(ours, theirs, atol=1e-5):
        raise RuntimeError("rebuilt gradient boosting model disagrees with scikit-learn")
    progress(1.0)
    return arrays, {}


def _svm_arrays(svc, mean: np.ndarray, scale: np.ndarray) -> dict[str, np.ndarray]:
    dual = np.asarray(svc.dual_coef_, dtype=np.float64)
    intercept = np.asarray(svc.intercept_, dtype=np.float64)
    if len(svc.classes_) == 2:  # scikit-learn flips the binary case; store libsvm's sign
        dual, intercept = -dual, -intercept
    return {
        "mean": mean,
        "scale": scale,
        "svm_support_vectors": np.asarray(svc.support_vectors_, dtype=np.float64),
        "svm_dual_coef": dual,
        "svm_intercept": intercept,
        "svm_n_support": np.asarray(svc.n_support_, dtype=np.int64),
        "svm_gamma": np.asarray(float(svc._gamma), dtype=np.float64),
    }


def _fit_svm(spec, x, y, params, seed, progress: Progress, classes) -> tuple[dict, dict]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.svm import SVC

    mean, scale = _standard_scaling(x)
    z = (x.astype(np.float64) - mean) / scale
    gamma: Any = float(params["gamma"]) or "scale"
    classes = np.unique(y)
    k = len(classes)

    def fit(rows: np.ndarray) -> dict:
        progress.check()
        svc = SVC(kernel="rbf", C=float(params["c"]), gamma=gamma, random_state=seed)
        svc.fit(z[rows], y[rows])
        if len(svc.classes_) != k:
            raise ValueError("a fold lacks a class")
        return _svm_arrays(svc, mean, scale)

    # Calibrate probabilities on out-of-fold decision values (Platt's idea, extended
    # to several classes by a multinomial logistic regression), so they are not
    # overconfident on the training samples themselves.
    smallest = int(np.bincount(np.searchsorted(classes, y)).min())
    decision = np.empty((len(y), k * (k - 1) // 2))
    everything = np.arange(len(y))
    try:
        if smallest < 3:
            raise ValueError("too few samples per class for calibration folds")
        folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=seed)
        for done, (train, test) in enumerate(folds.split(z, y), start=1):
            decision[test] = svm_decision(fit(train), z[test])
            progress(done / 4)
    except ValueError:
        decision = None
    arrays = fit(everything)
    if decision is None:
        decision = svm_decision(arrays, z)
    logistic = LogisticRegression(C=1.0, max_iter=1000)
    logistic.fit(decision, y)
    coef = np.asarray(logistic.coef_, dtype=np.float64)
    intercept = np.asarray(logistic.intercept_, dtype=np.float64)
    if k == 2:  # one logit for the second class; softmax over (0, logit) is the same
        coef = np.vstack([np.zeros_like(coef), coef])
        intercept = np.array([0.0, intercept[0]])
    arrays["calibration_coef"] = coef
    arrays["calibration_intercept"] = intercept
    progress(1.0)
    return arrays, {}


def _fit_knn(spec, x, y, params, seed, progress: Progress, classes) -> tuple[dict, dict]:
    mean, scale = _standard_scaling(x)
    return {
        "mean": mean,
        "scale": scale,
        "knn_samples": ((x.astype(np.float64) - mean) / scale).astype(np.float32),
        "knn_labels": np.searchsorted(classes, y).astype(np.int32),
        "knn_k": np.asarray(max(1, int(params["k"])), dtype=np.int64),
    }, {}


def _fit_gaussian(spec, x, y, params, seed, progress: Progress, classes) -> tuple[dict, dict]:
    x = x.astype(np.float64)
    d = x.shape[1]
    pooled = np.atleast_2d(np.cov(x, rowvar=False)) if len(x) > 1 else np.eye(d)
    means = np.empty((len(classes), d))
    covariances = np.empty((len(classes), d, d))
    counts = np.empty(len(classes))
    for i, code in enumerate(classes):
        rows = x[y == code]
        counts[i] = len(rows)
        means[i] = rows.mean(axis=0)
        # Too few samples for a class covariance: use the pooled one instead.
        cov = np.atleast_2d(np.cov(rows, rowvar=False)) if len(rows) > d else pooled.copy()
        ridge = float(params["regularization"]) * max(np.trace(cov) / d, 1e-12) + 1e-12
        covariances[i] = cov + ridge * np.eye(d)
    if params["priors"] == "samples":
        log_priors = np.log(counts / counts.sum())
    else:
        log_priors = np.full(len(classes), -math.log(len(classes)))
    return {
        "gml_means": means,
        "gml_covariances": covariances,
        "gml_log_priors": log_priors,
    }, {}


# The fit functions by the name a specification gives: each takes (spec, samples,
# labels, resolved parameters, seed, progress, the sorted fitted class codes) and
# returns the predictor's arrays and the scores it measured.
_FITS: dict[str, Callable[..., tuple[dict, dict]]] = {
    "forest": _fit_forest,
    "boosting": _fit_boosting,
    "svm": _fit_svm,
    "knn": _fit_knn,
    "gaussian": _fit_gaussian,
}


def train_model(
    kind: str,
    x: np.ndarray,
    y: np.ndarray,
    classes: Sequence[ClassInfo],
    band_names: Sequence[str],
    params: dict | None = None,
    seed: int = 0,
    progress: Progress | None = None,
    band_info: Sequence[dict] | None = None,
    crs_wkt: str | None = None,
) -> LandcoverModel:
    """Fit classifier ``kind`` on samples ``x`` (n, bands) with class codes ``y`` (n,).

    ``classes`` are all the classes of the model (a class without samples in ``y``
    gets probability 0); ``params`` override :data:`DEFAULT_PARAMS`. Returns the
    portable model; ``model.params`` holds the parameters used and
    ``model.scores["feature_importances"]`` the impurity importances of forests.
    """
    progress = as_progress(progress)
    params = resolve_params(kind, params)
    x = np.ascontiguousarray(x, dtype=np.float32)
    y = np.asarray(y).astype(np.int64).ravel()
    if x.ndim != 2 or x.shape[0] != y.shape[0] or x.shape[1] != len(band_names):
        raise InputError(
            f"training samples of shape {x.shape} do not match {len(y)} labels and "
            f"{len(band_names)} band names"
        )
    if not np.all(np.isfinite(x)):
        raise InputError("training samples contain NaN or infinite values; drop them first")
    codes = [c.code for c in classes]
    unknown = sorted(set(np.unique(y).tolist()) - set(codes))
    if unknown:
        raise InputError(f"training labels {unknown} are not among the model's classes")
    fitted = np.unique(y)
    if len(fitted) < 2:
        raise InputError(
            "training needs samples of at least two classes; draw polygons for more classes"
        )
    progress(0.0)
    spec = registry.classifier(kind)
    arrays, extra = _FITS[spec.fit](spec, x, y, params, seed, progress, fitted)
    arrays["fitted_codes"] = fitted.astype(np.int64)
    progress(1.0)
    return LandcoverModel(
        kind,
        classes,
        band_names,
        arrays,
        band_info=band_info,
        crs_wkt=crs_wkt,
        params={"classifier": kind, **params, "seed": seed},
        scores=extra,
    )
