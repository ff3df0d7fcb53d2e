"""Write the Graphical Modeler models ``resources/models/landcover_workflow.model3``
and ``landcover_workflow_product.model3`` (the same workflow from a satellite product).

The model chains the whole workflow, from separate band files to validated, cleaned
land-cover polygons. It is built here with the QgsProcessingModelAlgorithm API rather
than drawn by hand, so that it can be regenerated after a parameter changes and its
differences reviewed. Uses only API present from QGIS 3.22 to 3.44, and writes the
same model on each: QGIS 3.26 and later name the outputs of a new model after their
labels ("Class_map") where older versions use ``step:output`` ("classify:Class map"),
so the model is kept in the older naming, which every version reads and runs.

Usage: ``/usr/bin/python3 scripts/make_model.py [output.model3]``
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import link_plugin  # noqa: E402

MODEL_PATH = REPO / "resources" / "models" / "landcover_workflow.model3"
MODEL_NAME = "Land cover workflow"
MODEL_GROUP = "Workflows"
# Dialog order of the inputs: data, band numbers, then the classifier and its data.
PARAMETER_ORDER = [
    "BANDS", "MASK", "MASK_VALUES", "MASK_BITS",
    "BLUE", "GREEN", "RED", "NIR", "SWIR1", "SWIR2", "INDICES", "SCALE_FACTOR",
    "TEXTURE_WINDOW", "CLASSIFIER", "TRAINING", "TRAINING_FIELD",
    "VALIDATION", "VALIDATION_FIELD", "CLEANUP", "MAJORITY_WINDOW", "MIN_PATCH",
]  # fmt: skip
# Options of CLEANUP, the step that cleans the class map before the sieve.
CLEANUP_OPTIONS = ["Majority filter", "CRF on the class probabilities (keeps thin features)"]
CRF_ITERATIONS = 5  # the CRF tool's default

# Canvas layout (component centres): inputs in one column on the left, the steps
# in one column top to bottom, the outputs on the right, each level with its step.
INPUT_X, STEP_X, OUTPUT_X = 140.0, 500.0, 860.0
WIDTH, HEIGHT = 240.0, 30.0
TOP, ROW, STEP_GAP = 40.0, 45.0, 110.0
# QGIS 3.26+ key for how outputs are named; "Version1": "step:output", as in 3.22.
VERSION_KEY, OUTPUT_NAMING = "internal_version", "Version1"

HELP = {
    "ALG_DESC": (
        "The whole land-cover workflow in one run: stack the band files on one grid, mask "
        "clouds and shadows, add spectral indices and texture, train a classifier on the "
        "training polygons, classify, assess the accuracy of the map against independent "
        "validation polygons, clean the map (majority filter, sieve) and turn it into "
        "polygons with class names and colours.\n\n"
        "Open it in the Graphical Modeler to change a step's settings; every step is also "
        "available on its own in the Processing Toolbox."
    ),
    "ALG_CREATOR": "Land cover classification plugin",
    "BANDS": (
        "Band rasters in the order their bands take in the stack (e.g. blue, green, red, "
        "NIR, SWIR1, SWIR2). Different CRSs and resolutions are fine: everything is "
        "aligned onto the first raster's grid (bilinear resampling)."
    ),
    "MASK": "Optional cloud/QA mask raster, e.g. the Sentinel-2 SCL band or Landsat QA_PIXEL.",
    "MASK_VALUES": (
        "Mask raster values to mask, e.g. '3, 8, 9, 10' for Sentinel-2 SCL shadow, cloud "
        "and cirrus. Leave empty without a mask raster."
    ),
    "MASK_BITS": "QA bits to mask, e.g. '3, 4' for Landsat Collection 2 QA_PIXEL.",
    "BLUE": "Band number of Blue in the stack (0: not available).",
    "GREEN": "Band number of Green in the stack (0: not available).",
    "RED": "Band number of Red in the stack (0: not available).",
    "NIR": (
        "Band number of NIR in the stack; its texture is measured too (0: not available; "
        "the texture is then measured on the band the texture tool picks)."
    ),
    "SWIR1": "Band number of SWIR1 in the stack (0: not available).",
    "SWIR2": "Band number of SWIR2 in the stack (0: not available).",
    "INDICES": (
        "Spectral indices added to the bands; each needs the bands it is made of. Choose "
        "none for imagery without near infrared (RGB drone mosaics, scanned maps)."
    ),
    "SCALE_FACTOR": (
        "Reflectance = value x scale factor: 0.0001 for Sentinel-2 L2A, 0.0000275 for "
        "Landsat C2 L2. Only SAVI, EVI, EVI2 and MSAVI depend on it."
    ),
    "TEXTURE_WINDOW": "Window of the NIR texture (mean, variance, entropy), odd, in pixels.",
    "TRAINING": "Polygons or points of known class, in any CRS.",
    "TRAINING_FIELD": "Class of each training feature: a name or a code above 0.",
    "CLASSIFIER": "Random Forest is a robust default.",
    "VALIDATION": (
        "Polygons or points of known class collected independently of the training data, "
        "for the accuracy assessment."
    ),
    "VALIDATION_FIELD": "Class of each validation feature, by name or code.",
    "CLEANUP": (
        "How the map is cleaned before the sieve. Majority filter: each pixel takes the most "
        "frequent class of its window (removes speckle, but also features narrower than "
        "half the window). CRF: each pixel's class probabilities are weighed against its "
        "neighbours' and the edges of the feature stack, which removes speckle and keeps "
        "rivers, roads and hedges (see the guide)."
    ),
    "MAJORITY_WINDOW": (
        "Window of the majority filter, odd, in pixels (not used when the CRF cleans the map)."
    ),
    "MIN_PATCH": "Patches of fewer pixels are merged into their neighbours by the sieve.",
}


def expression_literal(value) -> str:
    """``value`` (a number or a list of numbers) written as a QGIS expression."""
    if isinstance(value, (list, tuple)):
        return f"array({', '.join(expression_literal(v) for v in value)})"
    return repr(value)


def layout(steps: list[tuple[str, int, int]]) -> tuple[dict, list, list]:
    """Canvas positions (centres) of the steps, their inputs and their outputs.

    ``steps`` gives, in order, each step's id with how many model inputs it reads
    first and how many model outputs it writes. Inputs form one column on the left
    and outputs one on the right, in step order, so no two links cross; each step
    sits level with the middle of its inputs (or its outputs), at least STEP_GAP
    below the previous one.
    """
    step_y: dict[str, float] = {}
    input_y: list[float] = []
    output_y: list[float] = []
    next_input = next_output = TOP
    previous = TOP - STEP_GAP
    for step_id, inputs, outputs in steps:
        centre = previous + STEP_GAP
        if inputs:
            centre = max(centre, next_input + ROW * (inputs - 1) / 2)
        if outputs:
            centre = max(centre, next_output + ROW * (outputs - 1) / 2)
        for count, column in ((inputs, input_y), (outputs, output_y)):
            first = centre - ROW * (count - 1) / 2
            column.extend(first + ROW * i for i in range(count))
        if inputs:
            next_input = input_y[-1] + ROW
        if outputs:
            next_output = output_y[-1] + ROW
        step_y[step_id] = previous = centre
    return step_y, input_y, output_y


def model_inputs() -> dict[str, list]:
    """The model's input definitions, grouped by the step that reads them first (in
    step order)."""
    from qgis.core import (
        QgsProcessing,
        QgsProcessingParameterDefinition,
        QgsProcessingParameterEnum,
        QgsProcessingParameterFeatureSource,
        QgsProcessingParameterField,
        QgsProcessingParameterMultipleLayers,
        QgsProcessingParameterNumber,
        QgsProcessingParameterRasterLayer,
        QgsProcessingParameterString,
    )

    from landcover.algorithms.spectralindices import INDEX_NAMES, SCALE_DECIMALS
    from landcover.core.learn.registry import CLASSIFIER_LABELS

    integer = QgsProcessingParameterNumber.Integer
    double = QgsProcessingParameterNumber.Double
    polygons_or_points = [QgsProcessing.TypeVectorPolygon, QgsProcessing.TypeVectorPoint]

    def band(name: str, label: str, default: int):
        return QgsProcessingParameterNumber(
            name, f"{label} band number", type=integer, defaultValue=default, minValue=0
        )

    def advanced(definition):
        definition.setFlags(definition.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        return definition

    def pixels(name: str, label: str, default: int, minimum: int, maximum: int | None = None):
        definition = QgsProcessingParameterNumber(
            name, label, type=integer, defaultValue=default, minValue=minimum
        )
        if maximum is not None:
            definition.setMaximum(maximum)
        return advanced(definition)

    scale_factor = QgsProcessingParameterNumber(
        "SCALE_FACTOR", "Scale to reflectance", type=double, defaultValue=0.0001
    )
    scale_factor.setMetadata({"widget_wrapper": {"decimals": SCALE_DECIMALS}})

    return {
        "align": [
            QgsProcessingParameterMultipleLayers("BANDS", "Band rasters", QgsProcessing.TypeRaster),
        ],
        "mask": [
            QgsProcessingParameterRasterLayer("MASK", "Cloud or QA mask raster", optional=True),
            QgsProcessingParameterString("MASK_VALUES", "Mask values", optional=True),
            advanced(QgsProcessingParameterString("MASK_BITS", "Mask QA bits", optional=True)),
        ],
        "indices": [
            band("BLUE", "Blue", 1),
            band("GREEN", "Green", 2),
            band("RED", "Red", 3),
            band("NIR", "NIR", 4),
            band("SWIR1", "SWIR1", 5),
            band("SWIR2", "SWIR2", 6),
            QgsProcessingParameterEnum(
                "INDICES",
                "Spectral indices",
                options=list(INDEX_NAMES),
                allowMultiple=True,
                defaultValue=[INDEX_NAMES.index(n) for n in ("NDVI", "NDWI", "MNDWI", "NDBI")],
                optional=True,
            ),
            advanced(scale_factor),
        ],
        "texture": [pixels("TEXTURE_WINDOW", "Texture window (pixels)", 7, 3, 31)],
        "train": [
            QgsProcessingParameterFeatureSource(
                "TRAINING", "Training polygons or points", polygons_or_points
            ),
            QgsProcessingParameterField(
                "TRAINING_FIELD", "Training class field", parentLayerParameterName="TRAINING"
            ),
            QgsProcessingParameterEnum(
                "CLASSIFIER", "Classifier", options=list(CLASSIFIER_LABELS), defaultValue=0
            ),
        ],
        "classify": [],
        "accuracy": [
            QgsProcessingParameterFeatureSource(
                "VALIDATION", "Validation polygons or points", polygons_or_points
            ),
            QgsProcessingParameterField(
                "VALIDATION_FIELD",
                "Validation class field",
                parentLayerParameterName="VALIDATION",
            ),
        ],
        "crf": [
            QgsProcessingParameterEnum(
                "CLEANUP", "Clean the map with", options=CLEANUP_OPTIONS, defaultValue=0
            ),
        ],
        "majority": [pixels("MAJORITY_WINDOW", "Majority window (pixels)", 3, 3)],
        "sieve": [pixels("MIN_PATCH", "Minimum patch (pixels)", 20, 0)],
        "polygonize": [],
    }


def model_steps(param, static, output_of, expression) -> list[tuple]:
    """The model's steps: (id, algorithm, description, parameter sources, (child
    output, model output) pairs, steps it waits for besides those it reads from).

    ``param(name)`` reads a model input, ``static(value)`` is a fixed value,
    ``output_of(child, output)`` a step's output and ``expression(text)`` a QGIS
    expression over the inputs.
    """
    crf_chosen = "coalesce(@CLEANUP, 0) = 1"
    return [
        (
            "align",
            "alignrasters",
            "Stack bands on one grid",
            {"INPUT": param("BANDS"), "RESAMPLING": static(1)},
            [],
            [],
        ),
        (
            "mask",
            "maskraster",
            "Mask clouds and shadows",
            {
                "INPUT": output_of("align"),
                "MASK_LAYER": param("MASK"),
                "MASK_VALUES": param("MASK_VALUES"),
                "MASK_BITS": param("MASK_BITS"),
            },
            [],
            [],
        ),
        (
            "indices",
            "spectralindices",
            "Add spectral indices",
            {
                "INPUT": output_of("mask"),
                **{role: param(role) for role in ("BLUE", "GREEN", "RED", "NIR", "SWIR1")},
                "SWIR2": param("SWIR2"),
                "INDICES": param("INDICES"),
                "SCALE_FACTOR": param("SCALE_FACTOR"),
                "APPEND_TO_INPUT": static(True),
            },
            [],
            [],
        ),
        (
            "texture",
            "texture",
            "Add NIR texture",
            {
                "INPUT": output_of("indices"),
                # NIR 0 (imagery without it): the texture tool's own choice of band.
                "BANDS": expression("if(coalesce(@NIR, 4) > 0, coalesce(@NIR, 4), NULL)"),
                "WINDOW_SIZE": param("TEXTURE_WINDOW"),
                "APPEND_TO_INPUT": static(True),
            },
            [("OUTPUT", "Feature stack")],
            [],
        ),
        (
            "train",
            "trainclassifier",
            "Train classifier",
            {
                "INPUT": output_of("texture"),
                "TRAINING": param("TRAINING"),
                "CLASS_FIELD": param("TRAINING_FIELD"),
                "CLASSIFIER": param("CLASSIFIER"),
            },
            [("MODEL", "Model file"), ("REPORT", "Training report")],
            [],
        ),
        (
            "classify",
            "classify",
            "Classify",
            {"INPUT": output_of("texture"), "MODEL": output_of("train", "MODEL")},
            [("OUTPUT", "Class map"), ("UNCERTAINTY", "Uncertainty")],
            [],
        ),
        (
            "accuracy",
            "accuracy",
            "Assess accuracy",
            {
                "INPUT": output_of("classify"),
                "REFERENCE": param("VALIDATION"),
                "CLASS_FIELD": param("VALIDATION_FIELD"),
            },
            [
                ("CONFUSION_MATRIX", "Confusion matrix"),
                ("METRICS", "Accuracy metrics"),
                ("REPORT", "Accuracy report"),
            ],
            [],
        ),
        # The accuracy is that of the classifier's own map; the clean-up waits for it
        # so that the model runs, and reads, as one chain. A model cannot join two
        # branches into one step, so both clean-ups always run and the one not chosen
        # does nothing: the CRF with 0 iterations gives each pixel its most probable
        # class (the class map), the majority filter with a 1-pixel window keeps it.
        (
            "crf",
            "crf",
            "Regularise with a CRF (if chosen)",
            {
                "PROBABILITIES": output_of("classify", "PROBABILITIES"),
                "GUIDE": output_of("texture"),
                "ITERATIONS": expression(f"if({crf_chosen}, {CRF_ITERATIONS}, 0)"),
            },
            [],
            ["accuracy"],
        ),
        (
            "majority",
            "majorityfilter",
            "Majority filter (if chosen)",
            {
                "INPUT": output_of("crf"),
                "WINDOW_SIZE": expression(f"if({crf_chosen}, 1, coalesce(@MAJORITY_WINDOW, 3))"),
            },
            [],
            [],
        ),
        (
            "sieve",
            "sieve",
            "Remove small patches",
            {"INPUT": output_of("majority"), "MIN_SIZE": param("MIN_PATCH")},
            [("OUTPUT", "Cleaned map")],
            [],
        ),
        (
            "polygonize",
            "polygonize",
            "Polygonize",
            {"INPUT": output_of("sieve")},
            [("OUTPUT", "Polygons")],
            [],
        ),
    ]


def add_inputs(model, definitions: list, positions: list[float]) -> None:
    """Add the model inputs, with their help, in one column."""
    from qgis.core import QgsProcessingModelParameter
    from qgis.PyQt.QtCore import QPointF, QSizeF

    for definition, y in zip(definitions, positions):
        definition.setHelp(HELP[definition.name()])
        component = QgsProcessingModelParameter(definition.name())
        component.setPosition(QPointF(INPUT_X, y))
        component.setSize(QSizeF(WIDTH, HEIGHT))
        model.addModelParameter(definition, component)


def add_step(model, step: tuple, y: float, output_positions) -> None:
    """Add one step of :func:`model_steps` at height ``y``, its model outputs at the
    next of ``output_positions``."""
    from qgis.core import (
        QgsApplication,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildDependency,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelOutput,
    )
    from qgis.PyQt.QtCore import QPointF, QSizeF

    child_id, algorithm, description, sources, outputs, after = step
    algorithm_id = f"landcover:{algorithm}"
    definition = QgsApplication.processingRegistry().algorithmById(algorithm_id)
    if definition is None:
        raise RuntimeError(f"{algorithm_id} is not registered")
    child = QgsProcessingModelChildAlgorithm(algorithm_id)
    child.setChildId(child_id)
    child.setDescription(description)
    child.setPosition(QPointF(STEP_X, y))
    child.setSize(QSizeF(WIDTH, HEIGHT))
    # Every other setting keeps the algorithm's default, written out as the
    # Modeler does, so that the model validates and its dialogs show the values.
    for parameter in definition.parameterDefinitions():
        default = parameter.defaultValue()
        wired = parameter.name() in sources or parameter.isDestination()
        if not wired and default is not None:
            child.addParameterSources(
                parameter.name(), [QgsProcessingModelChildParameterSource.fromStaticValue(default)]
            )
    for name, value in sources.items():
        child.addParameterSources(name, value)
    model_outputs = {}
    for child_output, name in outputs:
        output = QgsProcessingModelOutput(name, name)
        output.setChildId(child_id)
        output.setChildOutputName(child_output)
        output.setMandatory(True)
        output.setPosition(QPointF(OUTPUT_X, next(output_positions)))
        output.setSize(QSizeF(WIDTH, HEIGHT))
        model_outputs[name] = output
    child.setModelOutputs(model_outputs)
    child.setDependencies([QgsProcessingModelChildDependency(d) for d in after])
    model.addChildAlgorithm(child)


def build_model():
    """The workflow model (a QgsProcessingModelAlgorithm), not yet saved.

    The landcover provider must be registered: the steps' settings are read from it.
    """
    from qgis.core import QgsProcessingModelAlgorithm, QgsProcessingModelChildParameterSource

    inputs = model_inputs()
    defaults = {d.name(): d.defaultValue() for group in inputs.values() for d in group}

    def expression(text: str):
        return [QgsProcessingModelChildParameterSource.fromExpression(text)]

    def param(name: str):
        # QGIS 3.22 passes nothing, not the default, for a model input left out of a
        # processing.run or qgis_process call; an input with a default is therefore
        # read through an expression that falls back to that same default.
        if defaults[name] is None:
            return [QgsProcessingModelChildParameterSource.fromModelParameter(name)]
        return expression(f"coalesce(@{name}, {expression_literal(defaults[name])})")

    def static(value):
        return [QgsProcessingModelChildParameterSource.fromStaticValue(value)]

    def output_of(child_id: str, name: str = "OUTPUT"):
        return [QgsProcessingModelChildParameterSource.fromChildOutput(child_id, name)]

    steps = model_steps(param, static, output_of, expression)
    step_y, input_y, output_y = layout(
        [(step[0], len(inputs[step[0]]), len(step[4])) for step in steps]
    )
    model = QgsProcessingModelAlgorithm(MODEL_NAME, MODEL_GROUP, MODEL_GROUP.lower())
    add_inputs(model, [d for s in steps for d in inputs[s[0]]], input_y)
    output_positions = iter(output_y)
    for step in steps:
        add_step(model, step, step_y[step[0]], output_positions)
    from landcover.algorithms.base import repository_url

    # The help button opens the guide's section on the workflow models.
    guide = f"{repository_url()}/blob/main/docs/guide.md#4-the-whole-workflow-as-one-model"
    model.setHelpContent({**HELP, "HELP_URL": guide})
    model.setParameterOrder(PARAMETER_ORDER)
    variant = model.toVariant()
    variant[VERSION_KEY] = OUTPUT_NAMING
    model.loadVariant(variant)
    return model


def write_model(model, path: Path) -> bool:
    """Save ``model`` as ``toFile`` does, recording its output naming on every version."""
    from qgis.core import QgsXmlUtils
    from qgis.PyQt.QtXml import QDomDocument

    variant = model.toVariant()
    variant[VERSION_KEY] = OUTPUT_NAMING  # QGIS 3.22 neither writes nor reads it
    document = QDomDocument("model")
    document.appendChild(QgsXmlUtils.writeVariant(variant, document))
    try:
        path.write_text(document.toString(2), encoding="utf-8")
    except OSError:
        return False
    return True


def model_summary(model) -> dict:
    """What a model does, independent of the QGIS version that loaded it.

    Inputs (type, label, default, flags, help), their order, the steps with their
    settings and dependencies, and the output parameters with the steps they come
    from; not the canvas layout nor the keys a QGIS version adds to the file.
    """

    def text(value) -> str:
        # An empty default is stored as None by some QGIS versions, as "" by others.
        return "" if value is None or value == "" else str(value)

    def source(item) -> tuple:
        return (
            int(item.source()),
            text(item.staticValue()),
            item.parameterName(),
            item.outputChildId(),
            item.outputName(),
            item.expression(),
        )

    inputs = {}
    for definition in model.parameterDefinitions():
        if definition.isDestination():
            continue
        inputs[definition.name()] = (
            definition.type(),
            definition.description(),
            text(definition.defaultValue()),
            int(definition.flags()),
            definition.help(),
            str(definition.metadata().get("widget_wrapper")),
        )
    steps = {}
    for child_id, child in model.childAlgorithms().items():
        steps[child_id] = (
            child.algorithmId(),
            child.description(),
            {name: [source(s) for s in items] for name, items in child.parameterSources().items()},
            sorted(d.childId for d in child.dependencies()),
            {
                name: (output.childOutputName(), output.isMandatory())
                for name, output in child.modelOutputs().items()
            },
        )
    return {
        "name": model.name(),
        "group": model.group(),
        "help": model.helpContent(),
        "inputs": inputs,
        "order": [p.parameterName() for p in model.orderedParameters()],
        "steps": steps,
        "outputs": sorted(d.name() for d in model.destinationParameterDefinitions()),
    }


PRODUCT_MODEL_PATH = REPO / "resources" / "models" / "landcover_workflow_product.model3"
PRODUCT_MODEL_NAME = "Land cover workflow from a product"
PRODUCT_HELP = {
    "ALG_DESC": (
        "The whole land-cover workflow from a downloaded Sentinel-2 L2A or Landsat "
        "Collection 2 Level-2 product: import it as one masked reflectance stack (bands "
        "described by role), add spectral indices and NIR texture, train, classify, "
        "assess the accuracy against independent validation polygons, clean the map and "
        "turn it into polygons. No band numbers and no scale factor are needed: the steps "
        "find the bands by their roles.\n\n"
        "Open it in the Graphical Modeler to change a step's settings; every step is also "
        "available on its own in the Processing Toolbox."
    ),
    "PRODUCT": (
        "The .SAFE folder, its .zip or its MTD_MSIL2A.xml (Sentinel-2 L2A); the Landsat "
        "Collection 2 Level-2 folder, its .tar or its MTL file."
    ),
}
# The steps of the band-file workflow that the import replaces, and the inputs only
# they (and the band numbers, now read from the band roles) used.
REPLACED_STEPS = ("align", "mask")
REPLACED_INPUTS = (
    "BANDS", "MASK", "MASK_VALUES", "MASK_BITS", "BLUE", "GREEN", "RED", "NIR", "SWIR1",
    "SWIR2", "SCALE_FACTOR",
)  # fmt: skip


def build_product_model():
    """The workflow model starting from a product (not yet saved): the band-file
    workflow of :func:`build_model` with its first two steps replaced by
    ``landcover:importproduct`` and its band numbers and scale by the band roles and
    reflectance the import writes. Edited as the model's variant (plain data)."""
    from qgis.core import (
        QgsApplication,
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelParameter,
        QgsProcessingParameterFile,
    )
    from qgis.PyQt.QtCore import QPointF, QSizeF

    variant = build_model().toVariant()
    children = variant["children"]
    first = min(children[c]["component_pos_y"] for c in REPLACED_STEPS)
    for child_id in REPLACED_STEPS:
        del children[child_id]

    child = QgsProcessingModelChildAlgorithm("landcover:importproduct")
    child.setChildId("import")
    child.setDescription("Import the product")
    child.setPosition(QPointF(STEP_X, first))
    child.setSize(QSizeF(WIDTH, HEIGHT))
    definition = QgsApplication.processingRegistry().algorithmById("landcover:importproduct")
    for parameter in definition.parameterDefinitions():
        default = parameter.defaultValue()
        if parameter.name() != "INPUT" and not parameter.isDestination() and default is not None:
            child.addParameterSources(
                parameter.name(), [QgsProcessingModelChildParameterSource.fromStaticValue(default)]
            )
    child.addParameterSources(
        "INPUT", [QgsProcessingModelChildParameterSource.fromModelParameter("PRODUCT")]
    )
    children["import"] = child.toVariant()
    indices = children["indices"]["params"]
    indices["INPUT"] = [
        QgsProcessingModelChildParameterSource.fromChildOutput("import", "OUTPUT").toVariant()
    ]
    for name in ("BLUE", "GREEN", "RED", "NIR", "SWIR1", "SWIR2", "SCALE_FACTOR"):
        indices.pop(name, None)  # found from the band roles; the stack is reflectance
    children["texture"]["params"].pop("BANDS", None)  # the band described as NIR

    product = QgsProcessingParameterFile(
        "PRODUCT", "Satellite product (folder, zip, tar or metadata file)"
    )
    product.setHelp(PRODUCT_HELP["PRODUCT"])
    component = QgsProcessingModelParameter("PRODUCT")
    component.setPosition(QPointF(INPUT_X, first))
    component.setSize(QSizeF(WIDTH, HEIGHT))
    for key in ("parameters", "parameterDefinitions", "designerParameterValues", "help"):
        for name in REPLACED_INPUTS:
            variant.get(key, {}).pop(name, None)
    variant["parameters"]["PRODUCT"] = component.toVariant()
    variant["parameterDefinitions"]["PRODUCT"] = product.toVariantMap()
    if "parameterOrder" in variant:
        order = [n for n in variant["parameterOrder"] if n not in REPLACED_INPUTS]
        variant["parameterOrder"] = ["PRODUCT", *order]
    variant["help"].update(PRODUCT_HELP)
    variant["model_name"] = PRODUCT_MODEL_NAME
    model = QgsProcessingModelAlgorithm()
    model.loadVariant(variant)
    return model


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["QT_HASH_SEED"] = "0"  # same XML attribute order on every run
    link_plugin()
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    from landcover.provider import LandcoverProvider

    provider = LandcoverProvider()  # the children's parameters are read from it
    QgsApplication.processingRegistry().addProvider(provider)
    # an explicit path writes the band-file workflow only
    targets = (
        [(build_model, Path(argv[1]))]
        if len(argv) > 1
        else [
            (build_model, MODEL_PATH),
            (build_product_model, PRODUCT_MODEL_PATH),
        ]
    )
    for build, path in targets:
        path.parent.mkdir(parents=True, exist_ok=True)
        model = build()
        valid, problems = model.validate()
        if not valid:
            print("The model does not validate:\n" + "\n".join(problems), file=sys.stderr)
            return 1
        if not write_model(model, path):
            print(f"Could not write {path}", file=sys.stderr)
            return 1
        print(path)
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
