"""The model file: exact round trip, never unpickles, clear errors for bad files."""

from __future__ import annotations

import io
import json
import pickle
import zipfile

import numpy as np
import pytest

from landcover.core.io.classes import make_classes
from landcover.core.io.errors import InputError
from landcover.core.io.files import PARTIAL_MARK
from landcover.core.learn import model as model_module
from landcover.core.learn.classifiers import CLASSIFIERS, train_model
from landcover.core.learn.model import MODEL_EXTENSION, LandcoverModel, kmeans_model

BANDS = ["blue", "green", "red", "nir"]


def blobs(seed=0, n=600, k=3, bands=4):
    rng = np.random.default_rng(seed)
    y = rng.integers(1, k + 1, n)
    centres = rng.normal(scale=3.0, size=(k + 1, bands))
    x = (centres[y] + rng.normal(size=(n, bands))).astype(np.float32)
    return x, y.astype(np.int32)


@pytest.fixture(scope="module")
def trained():
    x, y = blobs()
    classes = make_classes([1, 2, 3], ["water", "forest", "urban"])
    models = {}
    for kind in CLASSIFIERS:
        params = {"n_trees": 10} if kind in ("random_forest", "extra_trees") else None
        if kind == "hist_gradient_boosting":
            params = {"n_trees": 15}
        models[kind] = train_model(
            kind,
            x,
            y,
            classes,
            BANDS,
            params=params,
            seed=3,
            band_info=[{"band": i + 1, "description": b} for i, b in enumerate(BANDS)],
            crs_wkt='PROJCS["test"]',
        )
    return models, x, y


@pytest.mark.parametrize("kind", list(CLASSIFIERS))
def test_saved_and_reloaded_model_predicts_exactly_the_same(trained, kind, tmp_path):
    models, x, _ = trained
    model = models[kind]
    rng = np.random.default_rng(1)
    fresh = (x[:200] + rng.normal(scale=0.5, size=(200, 4))).astype(np.float32)
    path = tmp_path / f"m.{MODEL_EXTENSION}"
    model.save(path)
    loaded = LandcoverModel.load(path)
    assert loaded.kind == kind
    assert loaded.classes == model.classes
    assert loaded.band_names == BANDS
    assert loaded.band_info[3] == {"band": 4, "description": "nir"}
    assert loaded.crs_wkt == 'PROJCS["test"]'
    assert loaded.params == model.params
    assert "scikit-learn" in loaded.versions and "numpy" in loaded.versions
    for data in (x, fresh):
        before = model.predict_proba(data)
        after = loaded.predict_proba(data)
        assert before.dtype == np.float32 and before.shape == (len(data), 3)
        assert np.array_equal(before, after)
        assert np.array_equal(model.predict(data), loaded.predict(data))
        np.testing.assert_allclose(before.sum(axis=1), 1.0, atol=1e-5)


@pytest.mark.parametrize("kind", list(CLASSIFIERS))
def test_predict_is_the_code_of_the_most_probable_class(trained, kind):
    models, x, y = trained
    model = models[kind]
    proba = model.predict_proba(x)
    predicted = model.predict(x)
    assert predicted.dtype == np.int32
    np.testing.assert_array_equal(predicted, np.array([1, 2, 3])[proba.argmax(axis=1)])
    assert (predicted == y).mean() > 0.85  # separable blobs


def test_loading_never_unpickles(trained, tmp_path, monkeypatch):
    models, x, _ = trained

    def forbidden(*args, **kwargs):
        raise AssertionError("pickle must never be used to load a model")

    paths = {}
    for kind, model in models.items():
        paths[kind] = tmp_path / f"{kind}.lcmodel"
        model.save(paths[kind])
    monkeypatch.setattr(pickle, "loads", forbidden)
    monkeypatch.setattr(pickle, "load", forbidden)
    monkeypatch.setattr(pickle, "Unpickler", forbidden)
    real_load = np.load

    def checked_load(*args, **kwargs):
        assert kwargs.get("allow_pickle") is False
        return real_load(*args, **kwargs)

    monkeypatch.setattr(np, "load", checked_load)
    for kind, path in paths.items():
        assert np.array_equal(LandcoverModel.load(path).predict(x), models[kind].predict(x))


class Boom:
    def __reduce__(self):
        return (pytest.fail, ("the malicious pickle was executed",))


def test_a_pickle_inside_the_arrays_is_refused(trained, tmp_path):
    models, _, _ = trained
    good = tmp_path / "good.lcmodel"
    models["random_forest"].save(good)
    with zipfile.ZipFile(good) as archive:
        meta = archive.read("model.json")
        arrays = dict(np.load(io.BytesIO(archive.read("arrays.npz"))))
    arrays["value"] = np.array([Boom()], dtype=object)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    evil = tmp_path / "evil.lcmodel"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("model.json", meta)
        archive.writestr("arrays.npz", buffer.getvalue())
    with pytest.raises(InputError, match="damaged"):
        LandcoverModel.load(evil)


def test_corrupt_truncated_and_foreign_files_are_clear_errors(trained, tmp_path):
    models, _, _ = trained
    good = tmp_path / "good.lcmodel"
    models["svm"].save(good)
    data = good.read_bytes()

    truncated = tmp_path / "truncated.lcmodel"
    truncated.write_bytes(data[: len(data) // 2])
    garbage = tmp_path / "garbage.lcmodel"
    garbage.write_bytes(b"\x00not a zip file at all" * 10)
    foreign = tmp_path / "foreign.lcmodel"
    with zipfile.ZipFile(foreign, "w") as archive:
        archive.writestr("model.json", json.dumps({"format": "something-else"}))
        archive.writestr("arrays.npz", b"")
    other_zip = tmp_path / "other.lcmodel"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("readme.txt", "hello")
    flipped = bytearray(data)
    middle = len(flipped) // 2
    flipped[middle : middle + 64] = bytes(64)
    damaged = tmp_path / "damaged.lcmodel"
    damaged.write_bytes(bytes(flipped))
    for path in (truncated, garbage, foreign, other_zip, damaged, tmp_path / "missing.lcmodel"):
        with pytest.raises(InputError) as info:
            LandcoverModel.load(path)
        assert str(path) in str(info.value)
        assert "lcmodel" in str(info.value) or "model" in str(info.value)


def test_arrays_inconsistent_with_the_metadata_are_an_error(trained, tmp_path):
    models, _, _ = trained
    good = tmp_path / "good.lcmodel"
    models["gaussian_ml"].save(good)
    with zipfile.ZipFile(good) as archive:
        meta = json.loads(archive.read("model.json"))
        arrays = archive.read("arrays.npz")
    meta["band_names"] = ["only", "two"]
    bad = tmp_path / "bad.lcmodel"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("model.json", json.dumps(meta))
        archive.writestr("arrays.npz", arrays)
    with pytest.raises(InputError):
        LandcoverModel.load(bad)


def test_save_is_atomic_and_replaces_an_existing_file(trained, tmp_path):
    models, x, _ = trained
    path = tmp_path / "model.lcmodel"
    path.write_text("old")
    models["knn"].save(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.lcmodel"]
    assert np.array_equal(LandcoverModel.load(path).predict(x), models["knn"].predict(x))
    with pytest.raises(InputError, match="does not exist"):
        models["knn"].save(tmp_path / "no" / "such" / "model.lcmodel")


def test_save_clears_partial_files_of_killed_runs_and_leaves_none_of_its_own(
    trained, tmp_path, monkeypatch
):
    models, _, _ = trained
    path = tmp_path / "model.lcmodel"
    # What a run killed while writing leaves: a partial file named after a dead process.
    stale = tmp_path / f"model.lcmodel{PARTIAL_MARK}999999999-0123abcd.lcmodel"
    stale.write_bytes(b"half a model")
    models["knn"].save(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.lcmodel"]

    def fail(self):
        raise RuntimeError("stopped while writing")

    monkeypatch.setattr(LandcoverModel, "to_bytes", fail)
    with pytest.raises(RuntimeError):
        models["knn"].save(tmp_path / "other.lcmodel")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.lcmodel"]


def test_wrong_band_count_is_an_error(trained):
    models, x, _ = trained
    with pytest.raises(InputError, match="expects 4 bands"):
        models["random_forest"].predict_proba(x[:, :3])


def test_class_without_samples_gets_zero_probability():
    x, y = blobs(k=2)
    classes = make_classes([1, 2, 7])
    model = train_model("gaussian_ml", x, y, classes, BANDS)
    proba = model.predict_proba(x)
    assert proba.shape == (len(x), 3)
    assert np.all(proba[:, 2] == 0)
    assert set(model.predict(x).tolist()) <= {1, 2}


def test_kmeans_model_assigns_the_nearest_centre(tmp_path):
    rng = np.random.default_rng(0)
    mean = np.array([100.0, 50.0])
    scale = np.array([10.0, 5.0])
    centers = np.array([[0.0, 0.0], [3.0, 3.0], [-3.0, 2.0]])
    classes = make_classes([1, 2, 3])
    model = kmeans_model(centers, mean, scale, classes, ["a", "b"], params={"clusters": 3})
    x = (mean + scale * rng.normal(scale=2.0, size=(500, 2))).astype(np.float32)
    z = (x.astype(np.float64) - mean) / scale
    nearest = np.argmin(((z[:, None, :] - centers[None]) ** 2).sum(axis=2), axis=1)
    np.testing.assert_array_equal(model.predict(x), np.array([1, 2, 3])[nearest])
    proba = model.predict_proba(x)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-5)
    model.save(tmp_path / "k.lcmodel")
    loaded = LandcoverModel.load(tmp_path / "k.lcmodel")
    assert loaded.kind == "kmeans" and loaded.params == {"clusters": 3}
    assert np.array_equal(loaded.predict_proba(x), proba)


def test_forest_numpy_traversal_equals_the_compiled_one(trained, monkeypatch):
    models, x, _ = trained
    compiled = models["random_forest"]
    monkeypatch.setattr(model_module, "_sklearn_apply", lambda *args: None)
    rebuilt = LandcoverModel(compiled.kind, compiled.classes, compiled.band_names, compiled.arrays)
    assert np.array_equal(rebuilt.predict_proba(x), compiled.predict_proba(x))


@pytest.mark.parametrize("kind", ["random_forest", "extra_trees"])
def test_forest_rows_sorted_by_leaves_predict_bit_for_bit_the_same(trained, kind, monkeypatch):
    models, x, _ = trained
    model = models[kind]
    rng = np.random.default_rng(2)
    rows = (x[rng.integers(0, len(x), 5000)] + rng.normal(size=(5000, 4))).astype(np.float32)
    monkeypatch.setattr(model_module, "SORT_MIN_ROWS", 10**9)
    unsorted = model.predict_proba(rows)
    monkeypatch.setattr(model_module, "SORT_MIN_ROWS", 1)
    monkeypatch.setattr(model_module, "FOREST_CHUNK_ROWS", 1200)  # five chunks, the last short
    assert np.array_equal(model.predict_proba(rows), unsorted)


@pytest.mark.parametrize("codes", [[1, 2, 3], [1, 2, 3, 9], [3, 1, 2]])
@pytest.mark.parametrize("kind", ["random_forest", "extra_trees"])
def test_forest_early_decided_classes_equal_the_argmax_of_probabilities(kind, codes, monkeypatch):
    x, y = blobs(seed=4, n=900)
    model = train_model(kind, x, y, make_classes(codes), BANDS, params={"n_trees": 25}, seed=1)
    rng = np.random.default_rng(5)
    # Far and near the class boundaries: many rows settle early, some only at the end.
    rows = (x[rng.integers(0, len(x), 6000)] + rng.normal(scale=2.0, size=(6000, 4))).astype(
        np.float32
    )
    expected = np.argmax(model.predict_proba(rows), axis=1)
    monkeypatch.setattr(model_module, "FOREST_CHUNK_ROWS", 5000)  # sorted, then not
    assert np.array_equal(model.predict_index(rows), expected)
    assert np.array_equal(model.predict(rows), np.asarray(codes)[expected])


def test_model_bytes_are_the_file_and_load_back_exactly(trained, tmp_path):
    models, x, _ = trained
    model = models["random_forest"]
    model.save(tmp_path / "m.lcmodel")
    data = (tmp_path / "m.lcmodel").read_bytes()
    again = LandcoverModel.from_bytes(model.to_bytes())
    assert again.metadata() == LandcoverModel.from_bytes(data).metadata() == model.metadata()
    assert again.predict_proba(x).tobytes() == model.predict_proba(x).tobytes()
    with pytest.raises(InputError, match="damaged"):
        LandcoverModel.from_bytes(data[: len(data) // 2])
