"""Model files across library versions: written in one environment, identical in another.

    python3 scripts/model_exchange.py write DIR   # one model of every kind, and its answers
    python3 scripts/model_exchange.py check DIR   # load them here: same classes, same probabilities

``make test-qgis344`` writes on this machine and checks in the Debian 13 chroot
(scikit-learn 1.4, numpy 2), then the other way round. Classes must be identical;
probabilities may differ by float rounding only (``PROBABILITY_TOLERANCE``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from benchlib import link_plugin

link_plugin()

from landcover.core.io.classes import ClassInfo  # noqa: E402
from landcover.core.learn.classifiers import train_model  # noqa: E402
from landcover.core.learn.kmeans import cluster_classes, fit_kmeans  # noqa: E402
from landcover.core.learn.model import KINDS, LandcoverModel, kmeans_model, library_versions  # noqa: E402

PROBABILITY_TOLERANCE = 1e-6
BANDS = [f"band {i}" for i in range(1, 7)]
CLASSES = [
    ClassInfo(1, "water", (30, 90, 200)),
    ClassInfo(2, "forest", (20, 120, 40)),
    ClassInfo(5, "cropland", (230, 200, 60)),
    ClassInfo(9, "built-up", (200, 40, 40)),
]
# Small but not trivial: forests of a few dozen trees, an SVM with probabilities.
PARAMS = {
    "random_forest": {"n_trees": 25},
    "extra_trees": {"n_trees": 25},
    "hist_gradient_boosting": {"n_trees": 30},
}


def samples(seed: int, n_per_class: int) -> tuple[np.ndarray, np.ndarray]:
    """Overlapping Gaussian clusters of the four classes in six bands."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(0.05, 0.5, size=(len(CLASSES), len(BANDS)))
    x = np.concatenate([c + rng.normal(0, 0.06, (n_per_class, len(BANDS))) for c in centres])
    y = np.repeat([c.code for c in CLASSES], n_per_class)
    return x.astype(np.float32), y


def model_of(kind: str, x: np.ndarray, y: np.ndarray) -> LandcoverModel:
    if kind == "kmeans":
        fit = fit_kmeans(x, 4, seed=0)
        return kmeans_model(fit.centers, fit.mean, fit.scale, cluster_classes(4), BANDS)
    return train_model(kind, x, y, CLASSES, BANDS, params=PARAMS.get(kind), seed=0)


def write(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    x_train, y_train = samples(seed=1, n_per_class=150)
    x_test, _ = samples(seed=2, n_per_class=500)
    np.save(folder / "x.npy", x_test)
    for kind in KINDS:
        model = model_of(kind, x_train, y_train)
        model.save(folder / f"{kind}.lcmodel")
        np.save(folder / f"{kind}.classes.npy", model.predict(x_test))
        np.save(folder / f"{kind}.proba.npy", model.predict_proba(x_test))
    (folder / "versions.json").write_text(json.dumps(library_versions(), indent=1))
    print(f"wrote {len(KINDS)} models with {library_versions()} to {folder}")


def check(folder: Path) -> int:
    written = json.loads((folder / "versions.json").read_text())
    print(f"models written with {written}, read with {library_versions()}")
    x = np.load(folder / "x.npy")
    failed = 0
    for kind in KINDS:
        model = LandcoverModel.load(folder / f"{kind}.lcmodel")
        classes = model.predict(x)
        proba = model.predict_proba(x)
        same = np.array_equal(classes, np.load(folder / f"{kind}.classes.npy"))
        drift = float(np.max(np.abs(proba - np.load(folder / f"{kind}.proba.npy"))))
        ok = same and drift <= PROBABILITY_TOLERANCE
        failed += not ok
        print(
            f"{'PASSED' if ok else 'FAILED'} {kind}: classes {'identical' if same else 'DIFFER'}, "
            f"largest probability difference {drift:.2e}"
        )
    print(f"model exchange: {len(KINDS) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("write", "check"):
        raise SystemExit(__doc__)
    target = Path(sys.argv[2])
    sys.exit(write(target) if sys.argv[1] == "write" else check(target))
