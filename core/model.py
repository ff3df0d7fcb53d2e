"""The model file: a fitted classifier that loads without running code.

A ``.lcmodel`` file is a zip archive holding ``model.json`` (what the model is: kind,
classes, bands, CRS, parameters, scores, library versions) and ``arrays.npz`` (the
fitted numbers, plain numeric arrays read with ``allow_pickle=False``). Nothing is
pickled: every estimator is rebuilt from its arrays by code in this module, so a file
opened in QGIS cannot execute anything, and a file written with one scikit-learn
version loads with another.

Every prediction of the plugin (validation scores, classification) goes through the
predictors rebuilt here, never through the scikit-learn estimator used for fitting,
so a saved and reloaded model predicts exactly what the freshly trained one did.

Probabilities by kind:

* ``random_forest``, ``extra_trees``: mean over trees of the class fractions at the
  leaf each pixel reaches (as scikit-learn does). Trees are rebuilt as scikit-learn
  ``Tree`` objects of the running version when possible (compiled traversal), else
  traversed with numpy; both give identical leaves.
* ``hist_gradient_boosting``: baseline plus the sum of leaf values of every tree,
  then softmax (sigmoid for two classes), as scikit-learn does, traversed with numpy.
* ``svm``: RBF one-vs-one decision values on standardised bands, turned into
  probabilities by a multinomial logistic regression fitted on out-of-fold decision
  values at training time (stored as a weight matrix and intercepts).
* ``knn``: fractions of the k nearest standardised training samples in each class.
* ``gaussian_ml``: Gaussian maximum likelihood (per-class mean and regularised
  covariance, priors), softmax of the log-likelihoods.
* ``kmeans``: softmax of minus half the squared distance to each centre in
  standardised units, so the nearest centre has the highest value.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import uuid
import zipfile
import zlib
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import numpy as np

from .classes import ClassInfo
from .errors import InputError

MODEL_EXTENSION = "lcmodel"
FORMAT_NAME = "landcover-model"
FORMAT_VERSION = 1
KINDS = (
    "random_forest",
    "extra_trees",
    "hist_gradient_boosting",
    "svm",
    "knn",
    "gaussian_ml",
    "kmeans",
)
# Rows predicted at once inside predict_proba: small enough for the per-row
# temporaries to stay in the CPU cache, large enough to amortise Python overhead.
CHUNK_ROWS = 16384
# Trees are traversed over many rows at once instead: a tree's nodes then stay in the
# CPU cache for the whole chunk, and sorted rows (below) share more branches; the
# temporaries (rows x classes float32) stay a few MB per worker.
FOREST_CHUNK_ROWS = 1 << 17
# Rows are sorted by the leaves they reach in the first trees (see
# _ForestPredictor._chunk) when a chunk has at least this many rows.
SORT_TREES = 3
SORT_MIN_ROWS = 4096
# Classes only (no probabilities): every DECIDE_EVERY trees past half the forest, rows
# whose winner is settled leave it (see _ForestPredictor.predict_best). The slack, in
# trees, covers float32 rounding of sums of at most a few thousand terms.
DECIDE_EVERY = 2
DECIDE_SLACK = 0.01


def library_versions() -> dict[str, str]:
    """Versions of the libraries that fitted or run the model, for the record."""
    import platform

    versions = {"python": platform.python_version(), "numpy": np.__version__}
    for module, name in (("sklearn", "scikit-learn"), ("scipy", "scipy")):
        with contextlib.suppress(ImportError):
            versions[name] = __import__(module).__version__
    metadata = Path(__file__).resolve().parent.parent / "metadata.txt"
    try:
        for line in metadata.read_text(encoding="utf-8").splitlines():
            if line.startswith("version="):
                versions["landcover"] = line.split("=", 1)[1].strip()
    except OSError:
        pass
    return versions


def _jsonable(value: Any) -> Any:
    """``value`` with numpy scalars and arrays made plain and NaN/inf made null."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _softmax(logits: np.ndarray) -> np.ndarray:
    logits = logits - logits.max(axis=1, keepdims=True)
    np.exp(logits, out=logits)
    logits /= logits.sum(axis=1, keepdims=True)
    return logits


# --------------------------------------------------------------------------- trees


def _tree_depth(left: np.ndarray, right: np.ndarray) -> int:
    depth = np.zeros(len(left), dtype=np.int64)
    for node in range(len(left)):  # children always have larger indices than parents
        if left[node] >= 0:
            depth[left[node]] = depth[right[node]] = depth[node] + 1
    return int(depth.max()) if len(depth) else 0


def _numpy_apply(
    left: np.ndarray, right: np.ndarray, feature: np.ndarray, threshold: np.ndarray
) -> Callable[[np.ndarray], np.ndarray]:
    """Leaf index of each row, traversing the tree level by level with numpy.

    A value goes left when ``x <= threshold`` (NaN goes right), as in scikit-learn.
    """

    def apply(x: np.ndarray) -> np.ndarray:
        node = np.zeros(x.shape[0], dtype=np.intp)
        rows = np.arange(x.shape[0])
        rows = rows[left[node] >= 0]
        while rows.size:
            current = node[rows]
            values = x[rows, feature[current]].astype(np.float64)
            nxt = np.where(values <= threshold[current], left[current], right[current])
            node[rows] = nxt
            rows = rows[left[nxt] >= 0]
        return node

    return apply


def _sklearn_apply(
    left: np.ndarray,
    right: np.ndarray,
    feature: np.ndarray,
    threshold: np.ndarray,
    n_features: int,
) -> Callable[[np.ndarray], np.ndarray] | None:
    """The compiled ``apply`` of a scikit-learn ``Tree`` rebuilt from plain arrays.

    The node records are built field by field in the layout the running scikit-learn
    expects; fields unknown here get neutral values. The tree's value array is a
    dummy (class fractions are kept separately). Returns None when this
    scikit-learn cannot rebuild trees this way, and the numpy traversal is used.
    """
    try:
        from sklearn.tree import _tree

        dtype = _tree.NODE_DTYPE
        n = len(left)
        nodes = np.zeros(n, dtype=dtype)
        known = {
            "left_child": left,
            "right_child": right,
            "feature": np.where(left >= 0, feature, -2),
            "threshold": np.where(left >= 0, threshold, -2.0),
            "n_node_samples": 1,
            "weighted_n_node_samples": 1.0,
        }
        for name in dtype.names:
            if name in known:
                nodes[name] = known[name]
        tree = _tree.Tree(n_features, np.ones(1, dtype=np.intp), 1)
        tree.__setstate__(
            {
                "max_depth": _tree_depth(left, right),
                "node_count": n,
                "nodes": nodes,
                "values": np.zeros((n, 1, 1), dtype=np.float64),
            }
        )
        probe = np.zeros((1, n_features), dtype=np.float32)
        tree.apply(probe)
    except Exception:
        return None
    return tree.apply


class _ForestPredictor:
    """Random Forest / Extra Trees: mean of the leaf class fractions over trees."""

    ARRAYS = ("tree_offsets", "children_left", "children_right", "feature", "threshold", "value")

    def __init__(self, arrays: dict[str, np.ndarray], n_features: int, n_fitted: int) -> None:
        offsets = arrays["tree_offsets"]
        value = arrays["value"]
        if value.ndim != 2 or value.shape[1] != n_fitted or offsets[-1] != value.shape[0]:
            raise ValueError("tree arrays do not match the classes")
        self.n_fitted = n_fitted
        self.trees: list[tuple[Callable[[np.ndarray], np.ndarray], np.ndarray]] = []
        for start, end in zip(offsets[:-1], offsets[1:]):
            left = arrays["children_left"][start:end].astype(np.intp)
            right = arrays["children_right"][start:end].astype(np.intp)
            feature = arrays["feature"][start:end].astype(np.intp)
            threshold = arrays["threshold"][start:end].astype(np.float64)
            size = end - start
            if size < 1 or left.max() >= size or right.max() >= size:
                raise ValueError("tree nodes point outside the tree")
            if feature.max() >= n_features:
                raise ValueError("tree uses a band the model does not have")
            apply = _sklearn_apply(left, right, feature, threshold, n_features)
            if apply is None:
                apply = _numpy_apply(left, right, feature, threshold)
            self.trees.append((apply, np.ascontiguousarray(value[start:end], dtype=np.float32)))

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        out = np.empty((x.shape[0], self.n_fitted), dtype=np.float32)
        chunk = FOREST_CHUNK_ROWS
        buffer = np.empty((min(chunk, x.shape[0]), self.n_fitted), dtype=np.float32)
        for start in range(0, x.shape[0], chunk):
            out[start : start + chunk] = self._chunk(x[start : start + chunk], buffer)
        out *= np.float32(1.0 / max(len(self.trees), 1))
        return out

    def predict_best(self, x: np.ndarray) -> np.ndarray:
        """Column (n,) intp of the highest probability of each row of ``x``.

        Exactly ``np.argmax(self.predict_proba(x), axis=1)``, but a row leaves the
        forest as soon as the remaining trees cannot change its winner (each tree
        adds at most 1 to a class's sum): when the trees mostly agree, about half of
        them are never descended.
        """
        out = np.empty(x.shape[0], dtype=np.intp)
        chunk = FOREST_CHUNK_ROWS
        buffer = np.empty((min(chunk, x.shape[0]), self.n_fitted), dtype=np.float32)
        for start in range(0, x.shape[0], chunk):
            out[start : start + chunk] = self._chunk(x[start : start + chunk], buffer, True)
        return out

    def _chunk(self, rows: np.ndarray, buffer: np.ndarray, decide: bool = False) -> np.ndarray:
        """Sum over trees of the leaf class fractions of ``rows`` (n, bands), or with
        ``decide`` the column of the largest sum of each row (see :meth:`predict_best`).

        After the first :data:`SORT_TREES` trees, the rows are reordered by the leaves
        they reached there, so that rows taking the same branches follow each other
        in the remaining trees: the processor then predicts most branches right, and
        the traversal is about a quarter faster. Each row's sum still adds the trees
        in the same order, so the result is bit for bit that of the original order.
        """
        n = rows.shape[0]
        n_trees = len(self.trees)
        total = np.zeros((n, self.n_fitted), dtype=np.float32)
        key = np.zeros(n, dtype=np.int64)
        sort = n >= SORT_MIN_ROWS and n_trees > 2 * SORT_TREES
        position = np.arange(n)  # where each of the rows still descending came from
        winner = np.empty(n, dtype=np.intp)
        for index, (apply, value) in enumerate(self.trees):
            if sort and index == SORT_TREES:
                order = np.argsort(key)
                rows, total, position = rows[order], total[order], position[order]
            if decide and 2 * index > n_trees and index % DECIDE_EVERY == 0 and len(rows):
                done, best = _decided(total, n_trees - index)
                if done.any():
                    winner[position[done]] = best[done]
                    keep = ~done
                    rows, total, position = rows[keep], total[keep], position[keep]
            leaves = apply(rows)
            if sort and index < SORT_TREES:
                key *= len(value)
                key += leaves
            # Leaves are always valid rows of value; the default mode='raise' would
            # copy through a temporary buffer (four times slower here).
            scratch = buffer[: len(rows)]
            np.take(value, leaves, axis=0, out=scratch, mode="clip")
            total += scratch
        if decide:
            # The same float32 scaling as predict_proba, so ties break the same way.
            total *= np.float32(1.0 / max(n_trees, 1))
            winner[position] = np.argmax(total, axis=1)
            return winner
        restored = np.empty_like(total)
        restored[position] = total
        return restored


def _decided(total: np.ndarray, remaining: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows of ``total`` (n, k) whose winner ``remaining`` more trees cannot change.

    Each tree adds leaf fractions summing to 1, so the leader can only grow and any
    other class can gain at most ``remaining``; a margin beyond that (plus float32
    rounding, far below :data:`DECIDE_SLACK`) fixes the winner, strictly, so no tie
    can arise at the end either. Returns (decided mask, leading column).
    """
    best = np.argmax(total, axis=1)
    rows = np.arange(len(total))
    lead = total[rows, best]
    others = total.copy()
    others[rows, best] = -np.inf
    return lead - others.max(axis=1) > remaining + DECIDE_SLACK, best


class _BoostingPredictor:
    """Histogram gradient boosting: baseline + sum of leaf values, then softmax."""

    ARRAYS = (
        "hgb_offsets",
        "hgb_left",
        "hgb_right",
        "hgb_feature",
        "hgb_threshold",
        "hgb_missing_left",
        "hgb_is_leaf",
        "hgb_value",
        "hgb_baseline",
    )

    def __init__(self, arrays: dict[str, np.ndarray], n_features: int, n_fitted: int) -> None:
        self.baseline = arrays["hgb_baseline"].astype(np.float64).ravel()
        self.per_iteration = self.baseline.size
        expected = 1 if n_fitted == 2 else n_fitted
        if self.per_iteration != expected:
            raise ValueError("boosting baseline does not match the classes")
        offsets = arrays["hgb_offsets"]
        if (len(offsets) - 1) % self.per_iteration:
            raise ValueError("boosting trees do not match the classes")
        self.n_fitted = n_fitted
        self.trees = []
        for start, end in zip(offsets[:-1], offsets[1:]):
            left = arrays["hgb_left"][start:end].astype(np.intp)
            right = arrays["hgb_right"][start:end].astype(np.intp)
            feature = arrays["hgb_feature"][start:end].astype(np.intp)
            leaf = arrays["hgb_is_leaf"][start:end].astype(bool)
            if end <= start or left[~leaf].max(initial=0) >= end - start:
                raise ValueError("boosting tree nodes point outside the tree")
            if feature[~leaf].max(initial=0) >= n_features:
                raise ValueError("boosting tree uses a band the model does not have")
            self.trees.append(
                (
                    left,
                    right,
                    feature,
                    arrays["hgb_threshold"][start:end].astype(np.float64),
                    arrays["hgb_missing_left"][start:end].astype(bool),
                    leaf,
                    arrays["hgb_value"][start:end].astype(np.float64),
                )
            )

    @staticmethod
    def _leaf_values(tree: tuple, x: np.ndarray) -> np.ndarray:
        left, right, feature, threshold, missing_left, leaf, value = tree
        node = np.zeros(x.shape[0], dtype=np.intp)
        rows = np.arange(x.shape[0]) if not leaf[0] else np.empty(0, dtype=np.intp)
        while rows.size:
            current = node[rows]
            xv = x[rows, feature[current]]
            go_left = np.where(np.isnan(xv), missing_left[current], xv <= threshold[current])
            nxt = np.where(go_left, left[current], right[current])
            node[rows] = nxt
            rows = rows[~leaf[nxt]]
        return value[node]

    def raw(self, x: np.ndarray) -> np.ndarray:
        """Raw scores (n, trees per iteration), float64, as scikit-learn computes them."""
        x = x.astype(np.float64)
        raw = np.tile(self.baseline, (x.shape[0], 1))
        for index, tree in enumerate(self.trees):
            raw[:, index % self.per_iteration] += self._leaf_values(tree, x)
        return raw

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        out = np.empty((x.shape[0], self.n_fitted), dtype=np.float32)
        for start in range(0, x.shape[0], CHUNK_ROWS):
            raw = self.raw(x[start : start + CHUNK_ROWS])
            if self.n_fitted == 2:
                positive = 1.0 / (1.0 + np.exp(-raw[:, 0]))
                proba = np.stack([1.0 - positive, positive], axis=1)
            else:
                proba = _softmax(raw)
            out[start : start + CHUNK_ROWS] = proba
        return out


def _standardise(x: np.ndarray, mean: np.ndarray, scale: np.ndarray) -> np.ndarray:
    return (x.astype(np.float64) - mean) / scale


def svm_decision(arrays: dict[str, np.ndarray], z: np.ndarray) -> np.ndarray:
    """One-vs-one RBF decision values (n, k(k-1)/2) of standardised rows ``z``.

    Pairs (i, j), i < j, in libsvm order; a positive value favours class i.
    """
    support = arrays["svm_support_vectors"]
    # Bound the kernel matrix (rows x support vectors) to about 4 million values.
    rows = max(256, 4_000_000 // max(1, support.shape[0]))
    if z.shape[0] > rows:
        return np.concatenate(
            [svm_decision(arrays, z[start : start + rows]) for start in range(0, len(z), rows)]
        )
    dual = arrays["svm_dual_coef"]
    intercept = arrays["svm_intercept"]
    n_support = arrays["svm_n_support"].astype(np.int64)
    gamma = float(arrays["svm_gamma"])
    starts = np.concatenate([[0], np.cumsum(n_support)])
    sq = np.einsum("ij,ij->i", support, support)
    distances = (z * z).sum(axis=1)[:, None] + sq[None, :] - 2.0 * (z @ support.T)
    np.maximum(distances, 0.0, out=distances)
    kernel = np.exp(-gamma * distances)
    k = len(n_support)
    columns = []
    pair = 0
    for i in range(k):
        for j in range(i + 1, k):
            si = slice(starts[i], starts[i + 1])
            sj = slice(starts[j], starts[j + 1])
            value = kernel[:, si] @ dual[j - 1, si] + kernel[:, sj] @ dual[i, sj]
            columns.append(value + intercept[pair])
            pair += 1
    return np.stack(columns, axis=1)


class _SvmPredictor:
    ARRAYS = (
        "mean",
        "scale",
        "svm_support_vectors",
        "svm_dual_coef",
        "svm_intercept",
        "svm_n_support",
        "svm_gamma",
        "calibration_coef",
        "calibration_intercept",
    )

    def __init__(self, arrays: dict[str, np.ndarray], n_features: int, n_fitted: int) -> None:
        self.arrays = {name: arrays[name].astype(np.float64) for name in self.ARRAYS}
        if self.arrays["svm_support_vectors"].shape[1] != n_features:
            raise ValueError("support vectors do not match the bands")
        if len(self.arrays["svm_n_support"]) != n_fitted:
            raise ValueError("support vectors do not match the classes")
        if self.arrays["calibration_coef"].shape != (n_fitted, n_fitted * (n_fitted - 1) // 2):
            raise ValueError("calibration does not match the classes")
        self.n_fitted = n_fitted

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        a = self.arrays
        out = np.empty((x.shape[0], self.n_fitted), dtype=np.float32)
        for start in range(0, x.shape[0], CHUNK_ROWS):
            z = _standardise(x[start : start + CHUNK_ROWS], a["mean"], a["scale"])
            decision = svm_decision(a, z)
            logits = decision @ a["calibration_coef"].T + a["calibration_intercept"]
            out[start : start + CHUNK_ROWS] = _softmax(logits)
        return out


class _KnnPredictor:
    ARRAYS = ("mean", "scale", "knn_samples", "knn_labels", "knn_k")

    def __init__(self, arrays: dict[str, np.ndarray], n_features: int, n_fitted: int) -> None:
        from scipy.spatial import cKDTree

        samples = arrays["knn_samples"].astype(np.float64)
        self.labels = arrays["knn_labels"].astype(np.intp)
        if samples.ndim != 2 or samples.shape[1] != n_features:
            raise ValueError("k-NN samples do not match the bands")
        if len(self.labels) != len(samples) or self.labels.max() >= n_fitted:
            raise ValueError("k-NN labels do not match the samples")
        self.k = max(1, min(int(arrays["knn_k"]), len(samples)))
        self.mean = arrays["mean"].astype(np.float64)
        self.scale = arrays["scale"].astype(np.float64)
        self.tree = cKDTree(samples)
        self.n_fitted = n_fitted

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        out = np.zeros((x.shape[0], self.n_fitted), dtype=np.float32)
        if not x.shape[0]:
            return out
        _, index = self.tree.query(_standardise(x, self.mean, self.scale), k=self.k, workers=1)
        index = np.asarray(index).reshape(x.shape[0], self.k)
        rows = np.arange(x.shape[0])
        for j in range(self.k):
            out[rows, self.labels[index[:, j]]] += 1.0
        out *= np.float32(1.0 / self.k)
        return out


class _GaussianPredictor:
    ARRAYS = ("gml_means", "gml_covariances", "gml_log_priors")

    def __init__(self, arrays: dict[str, np.ndarray], n_features: int, n_fitted: int) -> None:
        self.means = arrays["gml_means"].astype(np.float64)
        covariances = arrays["gml_covariances"].astype(np.float64)
        self.log_priors = arrays["gml_log_priors"].astype(np.float64)
        if self.means.shape != (n_fitted, n_features) or covariances.shape != (
            n_fitted,
            n_features,
            n_features,
        ):
            raise ValueError("class statistics do not match the bands and classes")
        self.whiten = []
        self.log_det = np.empty(n_fitted)
        for c in range(n_fitted):
            chol = np.linalg.cholesky(covariances[c])
            self.whiten.append(np.linalg.inv(chol).T)
            self.log_det[c] = 2.0 * np.log(np.diag(chol)).sum()
        self.n_fitted = n_fitted

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        out = np.empty((x.shape[0], self.n_fitted), dtype=np.float32)
        for start in range(0, x.shape[0], CHUNK_ROWS):
            rows = x[start : start + CHUNK_ROWS].astype(np.float64)
            logits = np.empty((rows.shape[0], self.n_fitted))
            for c in range(self.n_fitted):
                w = (rows - self.means[c]) @ self.whiten[c]
                logits[:, c] = (
                    -0.5 * (np.einsum("ij,ij->i", w, w) + self.log_det[c]) + self.log_priors[c]
                )
            out[start : start + CHUNK_ROWS] = _softmax(logits)
        return out


class _KmeansPredictor:
    ARRAYS = ("mean", "scale", "kmeans_centers")

    def __init__(self, arrays: dict[str, np.ndarray], n_features: int, n_fitted: int) -> None:
        self.centers = arrays["kmeans_centers"].astype(np.float64)
        if self.centers.shape != (n_fitted, n_features):
            raise ValueError("cluster centres do not match the bands and classes")
        self.mean = arrays["mean"].astype(np.float64)
        self.scale = arrays["scale"].astype(np.float64)
        self.n_fitted = n_fitted

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        out = np.empty((x.shape[0], self.n_fitted), dtype=np.float32)
        sq = (self.centers**2).sum(axis=1)
        for start in range(0, x.shape[0], CHUNK_ROWS):
            z = _standardise(x[start : start + CHUNK_ROWS], self.mean, self.scale)
            distances = (z * z).sum(axis=1)[:, None] + sq[None, :] - 2.0 * (z @ self.centers.T)
            out[start : start + CHUNK_ROWS] = _softmax(-0.5 * distances)
        return out


_PREDICTORS: dict[str, type] = {
    "random_forest": _ForestPredictor,
    "extra_trees": _ForestPredictor,
    "hist_gradient_boosting": _BoostingPredictor,
    "svm": _SvmPredictor,
    "knn": _KnnPredictor,
    "gaussian_ml": _GaussianPredictor,
    "kmeans": _KmeansPredictor,
}


class LandcoverModel:
    """A fitted classifier with everything later steps need to apply and check it.

    ``arrays`` holds the fitted numbers (plain numeric arrays, see the module
    docstring), including ``fitted_codes``: the class codes the estimator's columns
    refer to (a class of ``classes`` without training samples gets probability 0).
    """

    def __init__(
        self,
        kind: str,
        classes: Sequence[ClassInfo],
        band_names: Sequence[str],
        arrays: dict[str, np.ndarray],
        band_info: Sequence[dict] | None = None,
        crs_wkt: str | None = None,
        params: dict | None = None,
        scores: dict | None = None,
        versions: dict | None = None,
        created: str | None = None,
    ) -> None:
        if kind not in _PREDICTORS:
            raise InputError(f"unknown model kind {kind!r}; expected one of {', '.join(KINDS)}")
        self.kind = kind
        self.classes = list(classes)
        self.band_names = [str(name) for name in band_names]
        self.band_info = [dict(info) for info in band_info] if band_info else []
        self.crs_wkt = crs_wkt
        self.params = dict(params or {})
        self.scores = dict(scores or {})
        self.versions = dict(versions or library_versions())
        self.created = created or datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.arrays = {name: np.asarray(value) for name, value in arrays.items()}
        codes = [c.code for c in self.classes]
        if len(set(codes)) != len(codes) or not codes:
            raise InputError("a model needs at least one class and distinct class codes")
        fitted = self.arrays.get("fitted_codes", np.asarray(codes)).astype(np.int64).ravel()
        self.arrays["fitted_codes"] = fitted
        missing = [int(c) for c in fitted if int(c) not in codes]
        if missing:
            raise InputError(f"the model's arrays refer to unknown class codes {missing}")
        self._columns = np.array([codes.index(int(c)) for c in fitted], dtype=np.intp)
        self._codes = np.asarray(codes, dtype=np.int32)
        predictor = _PREDICTORS[kind]
        absent = [name for name in predictor.ARRAYS if name not in self.arrays]
        if absent:
            raise InputError(f"the {kind} model lacks the arrays {', '.join(absent)}")
        self._predictor = predictor(self.arrays, len(self.band_names), len(fitted))

    @property
    def n_bands(self) -> int:
        return len(self.band_names)

    @property
    def codes(self) -> list[int]:
        return [c.code for c in self.classes]

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities (n, n_classes) float32 of ``x`` (n, n_bands).

        Columns follow ``classes``; rows sum to 1. Single-threaded and thread-safe:
        callers may predict different blocks in parallel.
        """
        x = self._rows(x)
        fitted = self._predictor.predict_proba(x)
        if len(self._columns) == len(self.classes) and np.array_equal(
            self._columns, np.arange(len(self.classes))
        ):
            return fitted
        out = np.zeros((x.shape[0], len(self.classes)), dtype=np.float32)
        out[:, self._columns] = fitted
        return out

    def predict_index(self, x: np.ndarray) -> np.ndarray:
        """Index into ``classes`` (n,) intp of the most probable class of each row of
        ``x`` (n, n_bands): exactly ``np.argmax(self.predict_proba(x), axis=1)``.

        Forests get there faster (see ``_ForestPredictor.predict_best``). That needs
        the fitted columns in class order starting at the first class, so that ties
        break alike; other models take the argmax of their probabilities.
        """
        x = self._rows(x)
        best = getattr(self._predictor, "predict_best", None)
        columns = self._columns
        if best is None or columns[0] != 0 or np.any(np.diff(columns) <= 0):
            return np.argmax(self.predict_proba(x), axis=1)
        return columns[best(x)]

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Class codes (n,) int32: the code of the most probable class of each row."""
        return self._codes[self.predict_index(x)]

    def _rows(self, x: np.ndarray) -> np.ndarray:
        x = np.ascontiguousarray(x, dtype=np.float32)
        if x.ndim != 2 or x.shape[1] != self.n_bands:
            raise InputError(
                f"the model expects {self.n_bands} bands ({', '.join(self.band_names)}), "
                f"got data of shape {x.shape}"
            )
        return x

    def metadata(self) -> dict:
        """What ``model.json`` holds."""
        return _jsonable(
            {
                "format": FORMAT_NAME,
                "format_version": FORMAT_VERSION,
                "kind": self.kind,
                "classes": [c.to_json() for c in self.classes],
                "band_names": self.band_names,
                "band_info": self.band_info,
                "crs_wkt": self.crs_wkt,
                "params": self.params,
                "scores": self.scores,
                "versions": self.versions,
                "created": self.created,
                "arrays": {
                    name: {"dtype": value.dtype.str, "shape": list(value.shape)}
                    for name, value in self.arrays.items()
                },
            }
        )

    def save(self, path: str | os.PathLike) -> None:
        """Write the model file atomically (temporary file beside ``path``, then rename)."""
        path = Path(path)
        if not path.parent.is_dir():
            raise InputError(
                f"the output folder {path.parent} does not exist; create it or choose another path"
            )
        arrays = io.BytesIO()
        np.savez(arrays, **self.arrays)
        temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.partial")
        try:
            with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(
                    "model.json", json.dumps(self.metadata(), indent=1, ensure_ascii=False)
                )
                archive.writestr("arrays.npz", arrays.getvalue())
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: str | os.PathLike) -> LandcoverModel:
        """Read a model file; never unpickles. Bad files raise :class:`InputError`."""
        path = Path(path)
        advice = "choose a .lcmodel file written by the Train classifier tool"
        if not path.is_file():
            raise InputError(f"the model file {path} does not exist; {advice}")
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if not {"model.json", "arrays.npz"} <= names:
                    raise InputError(f"{path} is not a land-cover model file; {advice}")
                meta = json.loads(archive.read("model.json").decode("utf-8"))
                if not isinstance(meta, dict) or meta.get("format") != FORMAT_NAME:
                    raise InputError(f"{path} is not a land-cover model file; {advice}")
                version = meta.get("format_version")
                if not isinstance(version, int) or version > FORMAT_VERSION:
                    raise InputError(
                        f"{path} was written by a newer version of the plugin (model format "
                        f"{version}); update the Land Cover Classification plugin"
                    )
                with np.load(io.BytesIO(archive.read("arrays.npz")), allow_pickle=False) as npz:
                    arrays = {name: npz[name] for name in npz.files}
            return cls(
                kind=meta["kind"],
                classes=[ClassInfo.from_json(item) for item in meta["classes"]],
                band_names=meta["band_names"],
                arrays=arrays,
                band_info=meta.get("band_info") or [],
                crs_wkt=meta.get("crs_wkt"),
                params=meta.get("params") or {},
                scores=meta.get("scores") or {},
                versions=meta.get("versions") or {},
                created=meta.get("created"),
            )
        except InputError as exc:
            if str(path) in str(exc):
                raise
            raise InputError(f"the model file {path} is damaged ({exc}); {advice}") from exc
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            OSError,
            KeyError,
            TypeError,
            ValueError,
            IndexError,
            np.linalg.LinAlgError,
        ) as exc:
            raise InputError(
                f"the model file {path} is damaged or not a land-cover model "
                f"({type(exc).__name__}: {exc}); {advice}"
            ) from exc


def kmeans_model(
    centers: np.ndarray,
    mean: np.ndarray,
    scale: np.ndarray,
    classes: Sequence[ClassInfo],
    band_names: Sequence[str],
    crs_wkt: str | None = None,
    params: dict | None = None,
) -> LandcoverModel:
    """A model assigning each pixel to the nearest of ``centers`` (k, bands).

    ``centers`` are in standardised units: ``(x - mean) / scale`` per band. Class i
    of ``classes`` is centre i.
    """
    centers = np.asarray(centers, dtype=np.float64)
    scale = np.asarray(scale, dtype=np.float64)
    if np.any(scale <= 0) or not np.all(np.isfinite(scale)):
        raise InputError("k-means scales must be positive and finite")
    return LandcoverModel(
        "kmeans",
        classes,
        band_names,
        {
            "fitted_codes": np.array([c.code for c in classes], dtype=np.int64),
            "mean": np.asarray(mean, dtype=np.float64),
            "scale": scale,
            "kmeans_centers": centers,
        },
        crs_wkt=crs_wkt,
        params=params,
    )
