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

import io
import json
import math
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import numpy as np

from ..io.classes import ClassInfo
from ..io.deps import library_versions
from ..io.errors import InputError, ModelFileError
from ..io.files import atomic_outputs
from .registry import MODEL_PREDICTORS

MODEL_EXTENSION = "lcmodel"
FORMAT_NAME = "landcover-model"
FORMAT_VERSION = 1
KINDS = tuple(MODEL_PREDICTORS)
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

# Limits of a model file, far beyond any model the plugin trains: a file past them is
# refused before anything is allocated, so a hostile file cannot exhaust the memory.
MAX_JSON_BYTES = 64 << 20
MAX_JSON_DEPTH = 32
MAX_ARRAY_BYTES = 4 << 30  # all arrays together, uncompressed
MAX_ARRAYS = 64
MAX_MEMBERS = 64
MAX_TREES = 250_000  # 5000 boosting iterations of 50 classes
MAX_BANDS = 10_000
MAX_NEIGHBOURS = 10_000
MAX_CLASS_CODE = 65535  # class rasters are at most uint16; 0 is nodata
# Bytes an array may take in arrays.npz beyond its data: npy header, zip headers.
NPY_HEADER_BYTES = 4096
ARRAY_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
ARRAY_DTYPE = re.compile(r"[<>|=]?(b1|u[1248]|i[1248]|f[48])")


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


# ------------------------------------------------------------------- array checks
#
# Every predictor checks the arrays it is given against the model's structure before
# it uses them, so that no array of a damaged or hostile file reaches compiled code
# (scikit-learn's trees, scipy's k-d tree) or a loop with an index it does not expect.
# The checks are vectorised: one pass over all the nodes of a forest, not per node.

INTEGER, FLOAT, FLAG = "iu", "f", "bu"
# Far beyond any fitted number; below it, sums and products of predictions stay finite.
MAX_MAGNITUDE = 1e100


def _array(
    arrays: dict[str, np.ndarray],
    name: str,
    kinds: str,
    shape: tuple[int | None, ...],
    infinite: bool = False,
) -> np.ndarray:
    """``arrays[name]`` if its dtype kind is one of ``kinds`` and its shape is ``shape``
    (None: any length); floats must be finite and within :data:`MAX_MAGNITUDE` (or
    with ``infinite``, not NaN) and flags 0 or 1. Else :class:`ModelFileError`."""
    array = arrays[name]
    if (
        array.dtype.kind not in kinds
        or array.ndim != len(shape)
        or any(want is not None and want != got for want, got in zip(shape, array.shape))
    ):
        wanted = "x".join("n" if n is None else str(n) for n in shape) or "a scalar"
        raise ModelFileError(
            f"the array {name} is {array.dtype} of shape {array.shape}, expected {wanted}"
        )
    if array.dtype.kind == "f":
        if infinite and np.any(np.isnan(array)):
            raise ModelFileError(f"the array {name} holds NaN values")
        if not infinite and not np.all(np.abs(array) <= MAX_MAGNITUDE):  # False for NaN
            raise ModelFileError(f"the array {name} holds NaN, infinite or huge values")
    if kinds == FLAG and array.size and (array.min() < 0 or array.max() > 1):
        raise ModelFileError(f"the array {name} holds values other than 0 and 1")
    return array


def _standard_scaling_arrays(arrays: dict[str, np.ndarray], n_features: int) -> None:
    # Bounds far beyond any band's statistics keep standardised float32 pixels (and
    # their squared distances) finite, so k-NN queries always find their neighbours.
    if np.any(np.abs(_array(arrays, "mean", FLOAT, (n_features,))) > 1e30):
        raise ModelFileError("the array mean holds values beyond 1e30")
    scale = _array(arrays, "scale", FLOAT, (n_features,))
    if np.any(scale < 1e-30) or np.any(scale > 1e30):
        raise ModelFileError("the array scale holds values outside 1e-30 to 1e30")


def _check_trees(
    names: tuple[str, str, str, str],
    arrays: dict[str, np.ndarray],
    split: np.ndarray,
    n_features: int,
) -> None:
    """Check trees stored end to end (``names``: offsets, left, right, feature arrays).

    ``split`` marks the nodes that split; their children are local to their tree.
    Every tree has a node; every split's two children lie inside its tree after it (as
    scikit-learn numbers nodes), which excludes loops; every node but the first of its
    tree is the child of exactly one split, which excludes shared and unreachable
    nodes; split features are bands of the model. Together each tree is a tree.
    """
    offsets = arrays[names[0]].astype(np.int64)
    n = len(arrays[names[1]])
    if len(offsets) - 1 > MAX_TREES:
        raise ModelFileError(f"{len(offsets) - 1} trees, more than the {MAX_TREES} allowed")
    sizes = np.diff(offsets)
    if len(offsets) < 2 or offsets[0] != 0 or offsets[-1] != n or np.any(sizes < 1):
        raise ModelFileError(f"the array {names[0]} does not divide the nodes into trees")
    nodes = np.flatnonzero(split)
    start = np.repeat(offsets[:-1], sizes)[nodes]  # first node of each split's tree
    local = nodes - start
    size = np.repeat(sizes, sizes)[nodes]
    children = []
    for name in names[1:3]:
        child = arrays[name][nodes].astype(np.int64)
        if np.any(child <= local) or np.any(child >= size):
            raise ModelFileError(f"the array {name} points outside its tree or backwards")
        children.append(child + start)
    parents = np.bincount(np.concatenate(children), minlength=n)
    expected = np.ones(n, dtype=parents.dtype)
    expected[offsets[:-1]] = 0
    if not np.array_equal(parents, expected):
        raise ModelFileError("a tree node is shared by two branches or unreachable")
    feature = arrays[names[3]][nodes]
    if feature.size and (feature.min() < 0 or feature.max() >= n_features):
        raise ModelFileError(f"the array {names[3]} refers to bands the model does not have")


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
    # ARRAYS[:4] are the tree structure checked by _check_trees.

    def __init__(self, arrays: dict[str, np.ndarray], n_features: int, n_fitted: int) -> None:
        offsets = _array(arrays, "tree_offsets", INTEGER, (None,))
        left = _array(arrays, "children_left", INTEGER, (None,))
        n = len(left)
        right = _array(arrays, "children_right", INTEGER, (n,))
        _array(arrays, "feature", INTEGER, (n,))
        _array(arrays, "threshold", FLOAT, (n,))
        value = _array(arrays, "value", FLOAT, (n, n_fitted))
        if value.size and (value.min() < 0 or value.max() > 1):
            raise ModelFileError("the array value holds class fractions outside 0 to 1")
        split = left != -1  # scikit-learn's leaf marker
        if np.any(right[~split] != -1):
            raise ModelFileError("the array children_right gives children to a leaf")
        _check_trees(self.ARRAYS[:4], arrays, split, n_features)
        self.n_fitted = n_fitted
        self.trees: list[tuple[Callable[[np.ndarray], np.ndarray], np.ndarray]] = []
        for start, end in zip(offsets[:-1], offsets[1:]):
            left = arrays["children_left"][start:end].astype(np.intp)
            right = arrays["children_right"][start:end].astype(np.intp)
            feature = arrays["feature"][start:end].astype(np.intp)
            threshold = arrays["threshold"][start:end].astype(np.float64)
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
        self.per_iteration = 1 if n_fitted == 2 else n_fitted
        baseline = _array(arrays, "hgb_baseline", FLOAT, (self.per_iteration,))
        self.baseline = baseline.astype(np.float64)
        offsets = _array(arrays, "hgb_offsets", INTEGER, (None,))
        if (len(offsets) - 1) % self.per_iteration:
            raise ModelFileError("the number of boosting trees does not match the classes")
        n = len(_array(arrays, "hgb_left", INTEGER, (None,)))
        for name in ("hgb_right", "hgb_feature"):
            _array(arrays, name, INTEGER, (n,))
        _array(arrays, "hgb_threshold", FLOAT, (n,), infinite=True)  # inf: split on NaN
        _array(arrays, "hgb_missing_left", FLAG, (n,))
        split = _array(arrays, "hgb_is_leaf", FLAG, (n,)) == 0
        _array(arrays, "hgb_value", FLOAT, (n,))
        _check_trees(self.ARRAYS[:4], arrays, split, n_features)
        self.n_fitted = n_fitted
        self.trees = []
        for start, end in zip(offsets[:-1], offsets[1:]):
            left = arrays["hgb_left"][start:end].astype(np.intp)
            right = arrays["hgb_right"][start:end].astype(np.intp)
            feature = arrays["hgb_feature"][start:end].astype(np.intp)
            leaf = arrays["hgb_is_leaf"][start:end].astype(bool)
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
        if n_fitted < 2:
            raise ModelFileError("an SVM needs at least two classes")
        _standard_scaling_arrays(arrays, n_features)
        support = len(_array(arrays, "svm_support_vectors", FLOAT, (None, n_features)))
        n_support = _array(arrays, "svm_n_support", INTEGER, (n_fitted,))
        # Each count checked before the sum, which then cannot overflow.
        if np.any(n_support < 0) or np.any(n_support > support) or n_support.sum() != support:
            raise ModelFileError("the support vector counts do not add up to the support vectors")
        pairs = n_fitted * (n_fitted - 1) // 2
        _array(arrays, "svm_dual_coef", FLOAT, (n_fitted - 1, support))
        _array(arrays, "svm_intercept", FLOAT, (pairs,))
        if not _array(arrays, "svm_gamma", FLOAT, ()) > 0:
            raise ModelFileError("the SVM kernel width svm_gamma is not positive")
        _array(arrays, "calibration_coef", FLOAT, (n_fitted, pairs))
        _array(arrays, "calibration_intercept", FLOAT, (n_fitted,))
        self.arrays = {name: arrays[name].astype(np.float64) for name in self.ARRAYS}
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

        _standard_scaling_arrays(arrays, n_features)
        samples = _array(arrays, "knn_samples", FLOAT, (None, n_features)).astype(np.float64)
        if not len(samples):
            raise ModelFileError("the k-NN model has no samples")
        labels = _array(arrays, "knn_labels", INTEGER, (len(samples),))
        if labels.min() < 0 or labels.max() >= n_fitted:
            raise ModelFileError("the array knn_labels refers to classes the model does not have")
        self.labels = labels.astype(np.intp)
        k = int(_array(arrays, "knn_k", INTEGER, ()))
        if not 1 <= k <= MAX_NEIGHBOURS:
            raise ModelFileError(f"{k} neighbours, expected 1 to {MAX_NEIGHBOURS}")
        self.k = min(k, len(samples))
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
        self.means = _array(arrays, "gml_means", FLOAT, (n_fitted, n_features)).astype(np.float64)
        covariances = _array(
            arrays, "gml_covariances", FLOAT, (n_fitted, n_features, n_features)
        ).astype(np.float64)
        self.log_priors = _array(arrays, "gml_log_priors", FLOAT, (n_fitted,)).astype(np.float64)
        self.whiten = []
        self.log_det = np.empty(n_fitted)
        for c in range(n_fitted):
            try:
                chol = np.linalg.cholesky(covariances[c])
            except np.linalg.LinAlgError as exc:
                detail = f"the covariance of class {c} is not positive definite"
                raise ModelFileError(detail) from exc
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
        _standard_scaling_arrays(arrays, n_features)
        centers = _array(arrays, "kmeans_centers", FLOAT, (n_fitted, n_features))
        self.centers = centers.astype(np.float64)
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


# The predictors by the name the registry gives; a kind's predictor is the one
# its specification names.
_PREDICTOR_CLASSES: dict[str, type] = {
    "forest": _ForestPredictor,
    "boosting": _BoostingPredictor,
    "svm": _SvmPredictor,
    "knn": _KnnPredictor,
    "gaussian": _GaussianPredictor,
    "kmeans": _KmeansPredictor,
}
_PREDICTORS: dict[str, type] = {
    kind: _PREDICTOR_CLASSES[name] for kind, name in MODEL_PREDICTORS.items()
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
        column = {code: i for i, code in enumerate(codes)}
        if len(column) != len(codes) or not codes:
            raise InputError("a model needs at least one class and distinct class codes")
        if not self.band_names:
            raise InputError("a model needs at least one band")
        self.arrays.setdefault("fitted_codes", np.asarray(codes, dtype=np.int64))
        fitted = _array(self.arrays, "fitted_codes", INTEGER, (None,)).astype(np.int64)
        self.arrays["fitted_codes"] = fitted
        missing = sorted({int(c) for c in fitted} - column.keys())
        if missing:
            raise InputError(f"the model's arrays refer to unknown class codes {missing[:10]}")
        if not len(fitted) or len(np.unique(fitted)) != len(fitted):
            raise InputError("the model's fitted class codes are empty or repeated")
        self._columns = np.array([column[int(c)] for c in fitted], dtype=np.intp)
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

    def to_bytes(self) -> bytes:
        """The model file's bytes (what :meth:`save` writes)."""
        arrays = io.BytesIO()
        np.savez(arrays, **self.arrays)
        data = io.BytesIO()
        with zipfile.ZipFile(data, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(
                "model.json", json.dumps(self.metadata(), indent=1, ensure_ascii=False)
            )
            archive.writestr("arrays.npz", arrays.getvalue())
        return data.getvalue()

    def save(self, path: str | os.PathLike) -> None:
        """Write the model file atomically (a partial file beside ``path``, then rename;
        partial files of runs that were killed are removed)."""
        with atomic_outputs([path]) as (partial,):
            partial.write_bytes(self.to_bytes())

    @classmethod
    def load(cls, path: str | os.PathLike) -> LandcoverModel:
        """Read a model file; never unpickles, and checks every part of it before use.

        A file that cannot be used raises :class:`ModelFileError`; a missing file
        :class:`InputError`.
        """
        path = Path(path)
        if not path.is_file():
            raise InputError(f"the model file {path} does not exist; {_ADVICE}")
        return cls._read(path, path)

    @classmethod
    def from_bytes(cls, data: bytes) -> LandcoverModel:
        """A model from the bytes of a model file (see :meth:`to_bytes`), checked as
        :meth:`load` checks a file."""
        return cls._read(io.BytesIO(data), "<model bytes>")

    @classmethod
    def _read(cls, source: Any, path: Any) -> LandcoverModel:
        try:
            meta, arrays = _read_model_file(source)
            return cls(
                kind=meta["kind"],
                classes=_classes(meta["classes"]),
                band_names=meta["band_names"],
                arrays=arrays,
                band_info=meta.get("band_info") or [],
                crs_wkt=meta.get("crs_wkt"),
                params=meta.get("params") or {},
                scores=meta.get("scores") or {},
                versions=meta.get("versions") or {},
                created=meta.get("created"),
            )
        except _NewerFormat as exc:
            raise ModelFileError(
                f"{path} was written by a newer version of the plugin (model format "
                f"{exc}); update the Land Cover Classification plugin"
            ) from exc
        except (
            InputError,
            zipfile.BadZipFile,
            zlib.error,
            struct.error,
            EOFError,
            OSError,
            KeyError,
            TypeError,
            ValueError,
            IndexError,
            OverflowError,
            RecursionError,
            SyntaxError,
            NotImplementedError,
            RuntimeError,
        ) as exc:
            detail = str(exc) if isinstance(exc, InputError) else f"{type(exc).__name__}: {exc}"
            raise ModelFileError(
                f"the model file {path} is damaged or was not written by this plugin "
                f"({detail}); {_ADVICE}"
            ) from exc


# ------------------------------------------------------------------ reading a file
#
# Nothing of a model file is trusted: every member is read with a cap derived from
# the structure model.json declares (and absolute ceilings), arrays are parsed from
# their npy headers here rather than by np.load, so a header declaring a huge array
# is refused before anything is allocated, and the predictors check every array.

_ADVICE = "choose a .lcmodel file written by the Train classifier tool"


class _NewerFormat(Exception):
    """A model file of a later format version (its number is the message)."""


def _read_model_file(source: Any) -> tuple[dict, dict[str, np.ndarray]]:
    """``model.json`` (checked) and the arrays of a model file (a path or bytes stream)."""
    with zipfile.ZipFile(source) as archive:
        names = archive.namelist()
        if len(names) > MAX_MEMBERS or not {"model.json", "arrays.npz"} <= set(names):
            raise ModelFileError("it does not hold model.json and arrays.npz")
        meta = _parse_json(_read_member(archive, "model.json", MAX_JSON_BYTES))
        declared = _declared_arrays(meta)
        size = sum(math.prod(shape) * dtype.itemsize for dtype, shape in declared.values())
        if size > MAX_ARRAY_BYTES:
            raise ModelFileError(f"its arrays would take {size} bytes, more than {MAX_ARRAY_BYTES}")
        cap = size + NPY_HEADER_BYTES * (len(declared) + 1)
        arrays = _read_arrays(_read_member(archive, "arrays.npz", cap), declared)
    return meta, arrays


def _read_member(archive: zipfile.ZipFile, name: str, cap: int) -> bytes:
    """The bytes of member ``name``, refused beyond ``cap`` bytes without reading more."""
    info = archive.getinfo(name)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ModelFileError(f"{name} is compressed with an unexpected method")
    if info.file_size > cap:
        raise ModelFileError(f"{name} declares {info.file_size} bytes, more than {cap} expected")
    with archive.open(info) as member:
        # zipfile stops at the declared size and checks the CRC there.
        data = member.read(cap + 1)
    if len(data) > cap:
        raise ModelFileError(f"{name} holds more than the {cap} bytes expected")
    return data


def _parse_json(data: bytes) -> dict:
    """model.json parsed and checked: the fields the plugin reads have their types."""
    try:
        meta = json.loads(data.decode("utf-8"))
    except RecursionError as exc:
        raise ModelFileError("model.json is nested too deeply") from exc
    if not isinstance(meta, dict) or meta.get("format") != FORMAT_NAME:
        raise ModelFileError("it is not a land-cover model file")
    stack = [(meta, 1)]  # depth first, without recursion
    while stack:
        value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise ModelFileError("model.json is nested too deeply")
        children = value.values() if isinstance(value, dict) else value
        stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list)))
    version = meta.get("format_version")
    if type(version) is not int or version < 1:
        raise ModelFileError("model.json has no valid format version")
    if version > FORMAT_VERSION:
        raise _NewerFormat(version)
    fields = {
        "kind": str,
        "classes": list,
        "band_names": list,
        "band_info": (list, type(None)),
        "crs_wkt": (str, type(None)),
        "params": (dict, type(None)),
        "scores": (dict, type(None)),
        "versions": (dict, type(None)),
        "created": (str, type(None)),
        "arrays": dict,
    }
    for key, types in fields.items():
        if not isinstance(meta.get(key), types):
            raise ModelFileError(f"model.json lacks {key} or it has the wrong type")
    if meta["kind"] not in KINDS:
        raise ModelFileError(f"unknown model kind {meta['kind'][:40]!r}")
    bands = meta["band_names"]
    if not 1 <= len(bands) <= MAX_BANDS or not all(isinstance(b, str) for b in bands):
        raise ModelFileError(f"model.json must name 1 to {MAX_BANDS} bands")
    if not all(isinstance(item, dict) for item in meta["band_info"] or []):
        raise ModelFileError("model.json has band information of the wrong type")
    return meta


def _classes(items: list) -> list[ClassInfo]:
    """The classes of model.json: codes 1 to 65535, names, ``#rrggbb`` colours."""
    if not 1 <= len(items) <= MAX_CLASS_CODE:
        raise ModelFileError(f"a model has 1 to {MAX_CLASS_CODE} classes, not {len(items)}")
    classes = []
    for item in items:
        code = item.get("code") if isinstance(item, dict) else None
        if type(code) is not int or not 1 <= code <= MAX_CLASS_CODE:
            raise ModelFileError(f"a class code is not an integer from 1 to {MAX_CLASS_CODE}")
        if not isinstance(item.get("name"), str) or not isinstance(item.get("color"), str):
            raise ModelFileError(f"class {code} has no name or colour")
        classes.append(ClassInfo.from_json(item))
    return classes


def _declared_arrays(meta: dict) -> dict[str, tuple[np.dtype, tuple[int, ...]]]:
    """The dtype and shape model.json declares for each array (plain numbers only)."""
    declared = {}
    if not 1 <= len(meta["arrays"]) <= MAX_ARRAYS:
        raise ModelFileError(f"model.json must list 1 to {MAX_ARRAYS} arrays")
    for name, spec in meta["arrays"].items():
        dtype = spec.get("dtype") if isinstance(spec, dict) else None
        shape = spec.get("shape") if isinstance(spec, dict) else None
        if (
            not ARRAY_NAME.fullmatch(name)
            or not isinstance(dtype, str)
            or not ARRAY_DTYPE.fullmatch(dtype)
            or not isinstance(shape, list)
            or len(shape) > 3
            or not all(type(n) is int and n >= 0 for n in shape)
        ):
            raise ModelFileError(f"model.json declares the array {name[:40]!r} wrongly")
        declared[name] = (np.dtype(dtype), tuple(shape))
    return declared


def _read_arrays(
    data: bytes, declared: dict[str, tuple[np.dtype, tuple[int, ...]]]
) -> dict[str, np.ndarray]:
    """The arrays of ``arrays.npz`` (bytes), each exactly as ``declared``."""
    arrays = {}
    with zipfile.ZipFile(io.BytesIO(data)) as npz:
        names = npz.namelist()
        if sorted(names) != sorted(f"{name}.npy" for name in declared):
            raise ModelFileError("arrays.npz does not hold the arrays model.json lists")
        for member in names:
            name = member[: -len(".npy")]
            dtype, shape = declared[name]
            size = math.prod(shape) * dtype.itemsize
            arrays[name] = _parse_npy(
                _read_member(npz, member, size + NPY_HEADER_BYTES), name, dtype, shape
            )
    return arrays


def _parse_npy(data: bytes, name: str, dtype: np.dtype, shape: tuple[int, ...]) -> np.ndarray:
    """The array in npy bytes ``data``, if its header says ``dtype`` and ``shape``."""
    stream = io.BytesIO(data)
    version = np.lib.format.read_magic(stream)
    if version == (1, 0):
        header = np.lib.format.read_array_header_1_0(stream)
    elif version == (2, 0):
        header = np.lib.format.read_array_header_2_0(stream)
    else:
        raise ModelFileError(f"the array {name} has an unknown npy version {version}")
    stored_shape, fortran_order, stored_dtype = header
    if stored_dtype != dtype or tuple(stored_shape) != shape:
        raise ModelFileError(f"the array {name} is not the one model.json declares")
    count = math.prod(shape)
    offset = stream.tell()
    if len(data) - offset != count * dtype.itemsize:
        raise ModelFileError(f"the array {name} is truncated or too long")
    if not count:
        return np.empty(shape, dtype=dtype)
    flat = np.frombuffer(data, dtype=dtype, count=count, offset=offset)
    return flat.reshape(shape, order="F" if fortran_order else "C").copy()


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
