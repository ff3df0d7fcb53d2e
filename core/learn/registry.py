"""The classifiers the plugin offers: one specification per kind, in one place.

Everything else derives from :data:`CLASSIFIERS`: the choices of the tools (in this
order: tools and saved Modeler models store the index of the choice), the defaults,
tuning grids and ranges of :mod:`.classifiers`, the model kinds of :mod:`.model`,
the defaults the 'Train classifier' tool shows and the report's words. Adding a
classifier means a :class:`ClassifierSpec` here, its fit function in
:mod:`.classifiers` and, if no existing predictor fits, its predictor in :mod:`.model`.

This module imports neither numpy nor scikit-learn: the plugin loads, and shows the
choices, without them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """``text`` unchanged: the name marks it for pylupdate (``make i18n`` reads this
    file); the algorithms translate it with ``QCoreApplication.translate(context, ...)``,
    as the core never imports Qt."""
    return text


# The translation context of the labels, as in the algorithms.
LABEL_CONTEXT = "LandcoverAlgorithm"


@dataclass(frozen=True)
class ClassifierSpec:
    """What the plugin knows of one classifier.

    ``defaults`` are its parameters (0 means "no limit" / "automatic"); ``grid`` the
    candidates of TUNE=grid, ``ranges`` what TUNE=random draws from: ``("int", low,
    high)`` (``("int", low, high, True)``: sometimes 0, unlimited) or ``("log", low,
    high)``. ``fit`` names its fit function in :mod:`.classifiers` (``estimator`` is
    the scikit-learn class that function uses, where it serves several kinds);
    ``predictor`` the predictor of :mod:`.model` that the saved arrays rebuild.
    ``importances``: "impurity" (the fit measures them), "permutation" (measured
    after training) or "" (none). ``tool_params``: the parameters the 'Train
    classifier' tool sets; the others keep their defaults there.
    """

    id: str
    label: str
    defaults: Mapping[str, Any]
    grid: Mapping[str, tuple]
    ranges: Mapping[str, tuple]
    fit: str
    predictor: str
    tool_params: tuple[str, ...]
    estimator: str = ""
    importances: str = ""

    def __post_init__(self) -> None:
        for name in ("defaults", "grid", "ranges"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))
        unknown = (set(self.grid) | set(self.ranges) | set(self.tool_params)) - set(self.defaults)
        if unknown:
            raise ValueError(f"{self.id}: parameters {sorted(unknown)} have no default")


_FOREST_GRID = {"max_depth": (0, 12, 24), "min_samples_leaf": (1, 4)}
_FOREST_RANGES = {"max_depth": ("int", 4, 32, True), "min_samples_leaf": ("int", 1, 8)}
_FOREST_DEFAULTS = {"n_trees": 100, "max_depth": 0, "min_samples_leaf": 1, "max_features": 0}
_FOREST_TOOL = ("n_trees", "max_depth", "min_samples_leaf")

CLASSIFIERS: tuple[ClassifierSpec, ...] = (
    ClassifierSpec(
        id="random_forest",
        label=QT_TRANSLATE_NOOP("LandcoverAlgorithm", "Random Forest"),
        defaults=_FOREST_DEFAULTS,
        grid=_FOREST_GRID,
        ranges=_FOREST_RANGES,
        fit="forest",
        estimator="RandomForestClassifier",
        predictor="forest",
        importances="impurity",
        tool_params=_FOREST_TOOL,
    ),
    ClassifierSpec(
        id="extra_trees",
        label=QT_TRANSLATE_NOOP("LandcoverAlgorithm", "Extra Trees"),
        defaults=_FOREST_DEFAULTS,
        grid=_FOREST_GRID,
        ranges=_FOREST_RANGES,
        fit="forest",
        estimator="ExtraTreesClassifier",
        predictor="forest",
        importances="impurity",
        tool_params=_FOREST_TOOL,
    ),
    ClassifierSpec(
        id="hist_gradient_boosting",
        label=QT_TRANSLATE_NOOP("LandcoverAlgorithm", "Histogram Gradient Boosting"),
        defaults={
            "n_trees": 100,
            "max_depth": 0,
            "learning_rate": 0.1,
            "max_leaf_nodes": 31,
            "min_samples_leaf": 20,
        },
        grid={"learning_rate": (0.05, 0.1, 0.2), "max_leaf_nodes": (15, 31, 63)},
        ranges={"learning_rate": ("log", 0.02, 0.3), "max_leaf_nodes": ("int", 8, 96)},
        fit="boosting",
        predictor="boosting",
        importances="permutation",
        tool_params=("n_trees", "max_depth", "learning_rate"),
    ),
    ClassifierSpec(
        id="svm",
        label=QT_TRANSLATE_NOOP(
            "LandcoverAlgorithm", "Support Vector Machine (RBF kernel, standardised bands)"
        ),
        defaults={"c": 10.0, "gamma": 0.0},
        grid={"c": (1.0, 10.0, 100.0), "gamma": (0.0, 0.05, 0.5)},
        ranges={"c": ("log", 0.1, 1000.0), "gamma": ("log", 0.005, 2.0)},
        fit="svm",
        predictor="svm",
        tool_params=("c", "gamma"),
    ),
    ClassifierSpec(
        id="knn",
        label=QT_TRANSLATE_NOOP("LandcoverAlgorithm", "k-nearest neighbours"),
        defaults={"k": 5},
        grid={"k": (1, 3, 5, 9, 15)},
        ranges={"k": ("int", 1, 25)},
        fit="knn",
        predictor="knn",
        tool_params=("k",),
    ),
    ClassifierSpec(
        id="gaussian_ml",
        label=QT_TRANSLATE_NOOP("LandcoverAlgorithm", "Gaussian maximum likelihood"),
        defaults={"regularization": 1e-6, "priors": "equal"},
        grid={"regularization": (1e-6, 1e-4, 1e-2)},
        ranges={"regularization": ("log", 1e-8, 1e-1)},
        fit="gaussian",
        predictor="gaussian",
        tool_params=(),
    ),
)

BY_ID: Mapping[str, ClassifierSpec] = MappingProxyType({spec.id: spec for spec in CLASSIFIERS})
CLASSIFIER_IDS: tuple[str, ...] = tuple(BY_ID)
CLASSIFIER_LABELS: tuple[str, ...] = tuple(spec.label for spec in CLASSIFIERS)

# Every kind of model file and the predictor that rebuilds it: the classifiers, then
# the clusters of 'Unsupervised classification (k-means)'.
MODEL_PREDICTORS: Mapping[str, str] = MappingProxyType(
    {**{spec.id: spec.predictor for spec in CLASSIFIERS}, "kmeans": "kmeans"}
)

# What each classifier parameter means, in the words of the training report.
PARAMETER_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "n_trees": "Trees in the forest (boosting: rounds); more give steadier votes, slower.",
        "max_depth": "Deepest split of a tree (0: no limit).",
        "min_samples_leaf": "Fewest training pixels in a leaf; more smooth the decisions.",
        "max_features": "Share of the bands tried at each split (0: the square root of their "
        "count).",
        "learning_rate": "Weight of each boosting round; smaller learns slower and overfits less.",
        "max_leaf_nodes": "Most leaves per tree.",
        "c": "Penalty on misclassified training pixels; larger follows them more closely.",
        "gamma": "Reach of one training pixel among the bands (0: one over the band count).",
        "k": "Neighbours (training pixels) that vote for each pixel.",
        "regularization": "Added to the class covariances so that they can be inverted.",
        "priors": "Class prior probabilities: equal, or from the training pixel counts.",
    }
)


def classifier(kind: str) -> ClassifierSpec:
    """The specification of classifier ``kind``; a ``KeyError`` naming the choices
    for an unknown one."""
    try:
        return BY_ID[kind]
    except KeyError:
        raise KeyError(
            f"unknown classifier {kind!r}; choose one of {', '.join(CLASSIFIER_IDS)}"
        ) from None


def tool_default(param: str) -> Any:
    """The default of ``param`` as one tool shows it for every classifier it sets:
    the classifiers that the tool sets it for must agree on it."""
    values = {spec.defaults[param] for spec in CLASSIFIERS if param in spec.tool_params}
    if len(values) != 1:
        raise ValueError(f"the classifiers set {param!r} to {sorted(values)} by default")
    return values.pop()
