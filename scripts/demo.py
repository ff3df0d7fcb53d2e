"""The whole workflow, headless, on the example scene (``make demo``).

Writes the example scene into ``build/demo/example``, runs the shipped Graphical
Modeler model "Land cover workflow" through ``qgis_process.bin`` with the plugin
enabled in a throw-away QGIS profile (``build/demo/qgis-profile``), then prints the
accuracy summary and where every output was written (``build/demo/output``).

Usage: ``/usr/bin/python3 scripts/demo.py [--json]``

``--json`` runs ``qgis_process.bin`` with ``--json``, takes the output paths from its
results and prints the summary as one JSON document.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "build" / "demo"
EXAMPLE = DEMO / "example"
OUTPUT = DEMO / "output"
PLUGINS = DEMO / "plugins"
PROFILE = DEMO / "qgis-profile"
MODEL_ID = "landcover:Land cover workflow"

# Model output parameter (step id:output name) -> file name in OUTPUT.
OUTPUTS = {
    "texture:Feature stack": "features.tif",
    "train:Model file": "model.lcmodel",
    "train:Training report": "training.html",
    "classify:Class map": "landcover.tif",
    "classify:Uncertainty": "uncertainty.tif",
    "accuracy:Confusion matrix": "confusion.csv",
    "accuracy:Accuracy metrics": "metrics.csv",
    "accuracy:Accuracy report": "accuracy.html",
    "sieve:Cleaned map": "landcover_clean.tif",
    "polygonize:Polygons": "landcover.gpkg",
}


class DemoError(Exception):
    """A step of the demo failed; the message says which and why."""


def model_arguments(example: Path, output: Path) -> list[str]:
    """The ``qgis_process.bin run`` arguments (after ``--``) for the example scene."""
    bands = ("blue", "green", "red", "nir", "swir1", "swir2")
    return [
        *(f"BANDS={example / f'{band}.tif'}" for band in bands),
        f"MASK={example / 'scl.tif'}",
        "MASK_VALUES=3,8,9,10",
        f"TRAINING={example / 'training.gpkg'}",
        "TRAINING_FIELD=landcover",
        f"VALIDATION={example / 'validation.gpkg'}",
        "VALIDATION_FIELD=landcover",
        *(f"{name}={output / file}" for name, file in OUTPUTS.items()),
    ]


def read_metrics(path: Path) -> dict:
    """Overall accuracy, kappa and per-class F1 from the accuracy metrics CSV."""
    summary: dict = {"f1": {}}
    with open(path, newline="", encoding="utf-8") as table:
        for row in csv.DictReader(table):
            if row["class"] == "all" and row["measure"] in ("overall_accuracy", "kappa"):
                summary[row["measure"]] = float(row["value"])
            elif row["measure"] == "f1":
                summary["f1"][row["class"]] = float(row["value"])
    if "overall_accuracy" not in summary or not summary["f1"]:
        raise DemoError(f"{path} holds no overall accuracy or F1 figures")
    return summary


def qgis_process_binary() -> str:
    found = shutil.which("qgis_process.bin") or "/usr/bin/qgis_process.bin"
    if not Path(found).exists():
        raise DemoError("qgis_process.bin not found; install QGIS first (make setup)")
    return found


def run_qgis_process(binary: str, args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run([binary, *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-25:])
        raise DemoError(f"qgis_process.bin {args[0]} failed (exit {result.returncode}):\n{tail}")
    return result.stdout


def prepare() -> dict[str, str]:
    """Example scene, plugin link and a fresh profile; the environment for qgis_process."""
    PLUGINS.mkdir(parents=True, exist_ok=True)
    link = PLUGINS / "landcover"
    if not (link.is_symlink() and link.resolve() == REPO):
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(REPO, target_is_directory=True)
    sys.path.insert(0, str(PLUGINS))
    try:
        from landcover.core.synthetic import make_example_scene
    except ImportError as exc:
        raise DemoError(f"cannot write the example scene: {exc} (run make setup)") from exc
    make_example_scene(EXAMPLE)
    shutil.rmtree(PROFILE, ignore_errors=True)
    shutil.rmtree(OUTPUT, ignore_errors=True)
    PROFILE.mkdir(parents=True)
    OUTPUT.mkdir(parents=True)
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        QGIS_PLUGINPATH=str(PLUGINS),
        QGIS_CUSTOM_CONFIG_PATH=str(PROFILE),
    )
    env.setdefault("XDG_RUNTIME_DIR", "/tmp")
    return env


def run_demo(use_json: bool) -> dict:
    """Run the model on the example scene; return the accuracy summary and outputs."""
    env = prepare()
    binary = qgis_process_binary()
    run_qgis_process(binary, ["plugins", "enable", "landcover"], env)
    run = [
        "run",
        MODEL_ID,
        *(["--json"] if use_json else []),
        "--",
        *model_arguments(EXAMPLE, OUTPUT),
    ]
    stdout = run_qgis_process(binary, run, env)
    outputs = {name: OUTPUT / file for name, file in OUTPUTS.items()}
    if use_json:
        try:
            results = json.loads(stdout)["results"]
        except (ValueError, KeyError) as exc:
            raise DemoError(f"qgis_process.bin --json gave no readable results: {exc}") from exc
        missing = [name for name in OUTPUTS if name not in results]
        if missing:
            raise DemoError(f"the model reported no {', '.join(missing)}")
        # A vector output may come back as "path|layername=..."; keep the file.
        outputs = {name: Path(str(results[name]).split("|")[0]) for name in OUTPUTS}
    absent = [str(path) for path in outputs.values() if not path.exists()]
    if absent:
        raise DemoError("the model finished but did not write:\n  " + "\n  ".join(absent))
    summary = read_metrics(outputs["accuracy:Accuracy metrics"])
    summary["outputs"] = {name: str(path) for name, path in outputs.items()}
    return summary


def print_summary(summary: dict) -> None:
    print(f"Overall accuracy  {summary['overall_accuracy']:.1%}")
    print(f"Kappa             {summary['kappa']:.3f}")
    print("F1 per class:")
    for name, f1 in summary["f1"].items():
        print(f"  {name:<12} {f1:.1%}")
    print("Outputs:")
    width = max(len(name) for name in summary["outputs"])
    for name, path in summary["outputs"].items():
        shown = Path(path).resolve()
        shown = shown.relative_to(REPO) if shown.is_relative_to(REPO) else shown
        print(f"  {name:<{width}}  {shown}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--json", action="store_true", help="run qgis_process.bin with --json; print JSON"
    )
    options = parser.parse_args(argv[1:])
    try:
        summary = run_demo(options.json)
    except DemoError as exc:
        print(f"demo failed: {exc}", file=sys.stderr)
        return 1
    if options.json:
        print(json.dumps(summary, indent=2))
    else:
        print_summary(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
