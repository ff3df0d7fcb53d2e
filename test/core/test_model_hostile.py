"""Hostile model files: crafted from freshly trained models, each must be refused with
the one clear error, never crash, hang or exhaust the memory; and a fuzz test."""

from __future__ import annotations

import io
import json
import zipfile
from collections import Counter

import numpy as np
import pytest
from crafted_models import edited, read_model, run_cases, split_nodes, write_model

from landcover.core.io.classes import make_classes
from landcover.core.learn.classifiers import train_model
from landcover.core.learn.model import kmeans_model

BANDS = ["blue", "green", "red", "nir"]
CLEAR = "is damaged or was not written by this plugin"


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    """A small model file of every kind, freshly trained: kind -> path."""
    folder = tmp_path_factory.mktemp("models")
    rng = np.random.default_rng(0)
    y = rng.integers(1, 4, 300)
    x = (rng.normal(scale=3.0, size=(4, 4))[y] + rng.normal(size=(300, 4))).astype(np.float32)
    classes = make_classes([1, 2, 3], ["water", "forest", "urban"])
    params = {
        "random_forest": {"n_trees": 8},
        "hist_gradient_boosting": {"n_trees": 6},
        "svm": None,
        "knn": None,
        "gaussian_ml": None,
    }
    paths = {}
    for kind, kind_params in params.items():
        paths[kind] = folder / f"{kind}.lcmodel"
        train_model(kind, x, y, classes, BANDS, params=kind_params, seed=1).save(paths[kind])
    centres = rng.normal(size=(3, 4))
    paths["kmeans"] = folder / "kmeans.lcmodel"
    kmeans_model(centres, np.zeros(4), np.ones(4), classes, BANDS).save(paths["kmeans"])
    return paths


def _set(name, index, value):
    def edit(arrays):
        arrays[name][index] = value

    return edit


def _first_split(name, pick):
    """Set ``name`` at the first split node of the first tree to ``pick(arrays, node)``."""

    def edit(arrays):
        node = split_nodes(arrays)[0]
        arrays[name][node] = pick(arrays, node)

    return edit


def _retype(name, dtype, offset=0.0):
    def edit(arrays):
        arrays[name] = arrays[name].astype(dtype) + offset

    return edit


def _class(key, value):
    def edit(meta):
        meta["classes"][0][key] = value

    return edit


def _fitted_code(value):
    return _set("fitted_codes", 0, value)


def _boosting_root(name, value):
    """Set ``name`` at the root of the first boosting tree, which splits."""

    def edit(arrays):
        assert arrays["hgb_is_leaf"][0] == 0
        arrays[name][0] = value

    return edit


def _many_trees(arrays):
    n = 1_000_000
    arrays.update(
        tree_offsets=np.arange(n + 1, dtype=np.int64),
        children_left=np.full(n, -1, dtype=np.int32),
        children_right=np.full(n, -1, dtype=np.int32),
        feature=np.zeros(n, dtype=np.int32),
        threshold=np.full(n, -2.0),
        value=np.tile(np.array([[1.0, 0.0, 0.0]], dtype=np.float32), (n, 1)),
    )


# name: (kind, edit of the arrays, edit of model.json)
CASES = {
    "negative feature index": (
        "random_forest",
        _first_split("feature", lambda a, n: -(1 << 30)),
        None,
    ),
    "root is its own child": ("random_forest", _set("children_left", 0, 0), None),
    "negative child": ("random_forest", _first_split("children_right", lambda a, n: -7), None),
    "shared node": (
        "random_forest",
        _first_split("children_right", lambda a, n: a["children_left"][n]),
        None,
    ),
    "fractional feature index": ("random_forest", _retype("feature", np.float64, 0.5), None),
    "a million trees": ("random_forest", _many_trees, None),
    "boosting root is its own child": (
        "hist_gradient_boosting",
        _boosting_root("hgb_left", 0),
        None,
    ),
    "boosting negative feature": (
        "hist_gradient_boosting",
        _boosting_root("hgb_feature", -3),
        None,
    ),
    "boosting flag not 0 or 1": ("hist_gradient_boosting", _set("hgb_is_leaf", 1, 7), None),
    "svm support counts": (
        "svm",
        lambda a: a["svm_n_support"].__setitem__(0, a["svm_n_support"][0] + 3),
        None,
    ),
    "knn negative label": ("knn", _set("knn_labels", 0, -1), None),
    "kmeans centre not a number": ("kmeans", _set("kmeans_centers", (0, 0), np.nan), None),
    "kmeans mean of the wrong shape": (
        "kmeans",
        lambda a: a.__setitem__("mean", np.zeros(len(BANDS) + 1)),
        None,
    ),
    "gaussian covariance infinite": (
        "gaussian_ml",
        _set("gml_covariances", (0, 0, 0), np.inf),
        None,
    ),
    "class code above 65535": ("kmeans", _fitted_code(70000), _class("code", 70000)),
    "class code infinite": ("kmeans", None, _class("code", float("inf"))),
    "class colour negative": ("kmeans", None, _class("color", "#-1-1-1")),
}


def _huge_header(source, target, declare):
    """``value`` replaced by an npy header declaring a 12 TiB array (and 12 bytes)."""
    meta, arrays = read_model(source)
    shape = (1 << 40, 3)
    if declare:
        meta["arrays"]["value"]["shape"] = list(shape)
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f4", "fortran_order": False, "shape": shape}
    )
    npz = io.BytesIO()
    with zipfile.ZipFile(npz, "w") as inner:
        for name, value in arrays.items():
            if name == "value":
                inner.writestr("value.npy", header.getvalue() + bytes(12))
            else:
                member = io.BytesIO()
                np.save(member, value)
                inner.writestr(f"{name}.npy", member.getvalue())
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("model.json", json.dumps(meta))
        archive.writestr("arrays.npz", npz.getvalue())
    return target


def _zip_bomb(source, target):
    """arrays.npz replaced by 256 MiB of zeros (a few hundred kB compressed)."""
    meta, _ = read_model(source)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("model.json", json.dumps(meta))
        with archive.open("arrays.npz", "w", force_zip64=True) as member:
            zeros = bytes(1 << 20)
            for _ in range(256):
                member.write(zeros)
    return target


def _deep_json(source, target):
    """model.json with a list nested 200,000 deep."""
    meta, arrays = read_model(source)
    write_model(target, meta, arrays)
    text = json.dumps(meta)
    deep = text[:-1] + ', "deep": ' + "[" * 200_000 + "]" * 200_000 + "}"
    with zipfile.ZipFile(target) as archive:
        npz = archive.read("arrays.npz")
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("model.json", deep)
        archive.writestr("arrays.npz", npz)
    return target


WHOLE_FILE_CASES = {
    "npz header declaring 12 TiB": lambda s, t: _huge_header(s, t, declare=False),
    "npz header and model.json declaring 12 TiB": lambda s, t: _huge_header(s, t, declare=True),
    "zip bomb member": _zip_bomb,
    "JSON nested 200,000 deep": _deep_json,
}


@pytest.fixture(scope="module")
def crafted(models, tmp_path_factory):
    """Outcome of every crafted file (loaded in one watched worker): name -> (path, outcome)."""
    folder = tmp_path_factory.mktemp("crafted")
    paths = {}
    for i, (name, (kind, arrays, meta)) in enumerate(CASES.items()):
        paths[name] = edited(models[kind], folder / f"case{i}.lcmodel", arrays, meta)
    for i, (name, make) in enumerate(WHOLE_FILE_CASES.items()):
        paths[name] = make(models["random_forest"], folder / f"whole{i}.lcmodel")
    outcomes = run_cases(list(paths.values()))
    return {name: (path, outcome) for (name, path), outcome in zip(paths.items(), outcomes)}


@pytest.mark.parametrize("name", [*CASES, *WHOLE_FILE_CASES])
def test_crafted_model_file_is_refused_clearly(crafted, name):
    path, outcome = crafted[name]
    assert outcome["outcome"] == "clear", outcome
    assert CLEAR in outcome["message"] and str(path) in outcome["message"]


def test_untouched_files_rewritten_by_the_test_helpers_still_load(models, tmp_path):
    """The crafting itself does not damage a file: only the edits do."""
    paths = [edited(path, tmp_path / f"{kind}.lcmodel") for kind, path in models.items()]
    assert [o["outcome"] for o in run_cases(paths)] == ["ok"] * len(paths)


# ----------------------------------------------------------------------------- fuzz

FUZZ_SEED = 20240611
BIT_FLIPS, ARRAY_EDITS, META_EDITS = 100, 180, 40


def _pool(rng, array):
    """A value likely to break an index or a number of ``array``."""
    n = max(array.shape) if array.ndim else 1
    if array.dtype.kind == "f":
        return (
            rng.choice([np.nan, np.inf, -np.inf, 0.0, -1.0, 1e308, -1e308, 1e-310])
            if rng.random() < 0.7
            else rng.normal() * 1e3
        )
    if array.dtype.kind == "b":
        return not bool(rng.integers(2))
    info = np.iinfo(array.dtype)
    values = [-1, -2, 0, 1, n - 1, n, n + 1, int(rng.integers(-n, 2 * n + 1)), info.max, info.min]
    return int(np.clip(values[int(rng.integers(len(values)))], info.min, info.max))


def _edit_arrays(rng, arrays):
    name = sorted(arrays)[int(rng.integers(len(arrays)))]
    array = arrays[name]
    edit = int(rng.integers(7))
    if edit <= 2 and array.size:  # one to a few elements set to hostile values
        flat = array.reshape(-1)
        for _ in range(1 if edit == 0 else int(rng.integers(2, 12))):
            with np.errstate(all="ignore"):  # 1e308 into float32 is inf, as intended
                flat[int(rng.integers(flat.size))] = _pool(rng, array)
    elif edit == 3:
        dtype = rng.choice(["int8", "int32", "int64", "uint8", "float32", "float64", "bool"])
        with np.errstate(all="ignore"):
            arrays[name] = array.astype(dtype)
    elif edit == 4 and array.ndim and array.shape[0]:
        arrays[name] = array[: -int(rng.integers(1, 4))]
    elif edit == 5:
        del arrays[name]
    elif array.ndim and array.shape[0] > 1:
        arrays[name] = array[rng.permutation(array.shape[0])]
    else:
        arrays[name] = array.reshape(-1)[:0] if array.size else np.ones(3, dtype=array.dtype)


def _edit_meta(rng, meta):
    edit = int(rng.integers(8))
    if edit == 0:
        meta["classes"][int(rng.integers(len(meta["classes"])))]["code"] = int(
            rng.choice([0, -1, 4, 65536, 2**40])
        )
    elif edit == 1:
        meta["band_names"] = meta["band_names"][: int(rng.integers(len(meta["band_names"])))]
    elif edit == 2:
        meta["kind"] = str(rng.choice(["random_forest", "svm", "knn", "kmeans", "nothing"]))
    elif edit == 3:
        meta["format_version"] = int(rng.choice([0, 2, -1]))
    elif edit == 4:
        name = sorted(meta["arrays"])[int(rng.integers(len(meta["arrays"])))]
        meta["arrays"][name]["shape"] = [int(rng.integers(0, 1 << 40))]
    elif edit == 5:
        meta["classes"][0]["color"] = str(rng.choice(["red", "#12345", "#zzzzzz", ""]))
    elif edit == 6:
        del meta[str(rng.choice(["kind", "classes", "band_names", "arrays"]))]
    else:
        meta["classes"] = meta["classes"] * 2


def _flip_bits(rng, source, target):
    data = bytearray(source.read_bytes())
    for _ in range(int(rng.integers(1, 5))):
        data[int(rng.integers(len(data)))] ^= 1 << int(rng.integers(8))
    target.write_bytes(bytes(data))
    return target


def test_fuzzed_model_files_predict_validly_or_fail_clearly(models, tmp_path):
    rng = np.random.default_rng(FUZZ_SEED)
    kinds = sorted(models)
    paths = []
    for i in range(BIT_FLIPS + ARRAY_EDITS + META_EDITS):
        source = models[kinds[int(rng.integers(len(kinds)))]]
        target = tmp_path / f"fuzz{i}.lcmodel"
        if i < BIT_FLIPS:
            paths.append(_flip_bits(rng, source, target))
        elif i < BIT_FLIPS + ARRAY_EDITS:
            declare = rng.random() < 0.8  # else model.json describes the arrays before the edit
            paths.append(edited(source, target, lambda a: _edit_arrays(rng, a), declare=declare))
        else:
            paths.append(edited(source, target, meta=lambda m: _edit_meta(rng, m), declare=False))
    outcomes = run_cases(paths)
    counts = Counter(o["outcome"] for o in outcomes)
    print(
        f"\nfuzzed model files: {len(outcomes)} tried, {counts['clear']} clear errors, "
        f"{counts['ok']} valid predictions, {len(outcomes) - counts['clear'] - counts['ok']} "
        "defects"
    )
    defects = [(str(p), o) for p, o in zip(paths, outcomes) if o["outcome"] not in ("ok", "clear")]
    assert not defects, defects[:5]
    assert counts["clear"] > len(outcomes) // 2 and counts["ok"] > 0
    assert all(
        CLEAR in o["message"] or "newer version" in o["message"]
        for o in outcomes
        if o["outcome"] == "clear"
    )
