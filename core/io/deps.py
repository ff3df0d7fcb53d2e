"""Which third-party Python packages the core needs, and what to tell a user who lacks them."""

from __future__ import annotations

import contextlib
import importlib
import platform
from pathlib import Path

# import name -> (pip name, what it is used for)
REQUIREMENTS: dict[str, tuple[str, str]] = {
    "numpy": ("numpy", "array computations"),
    "scipy": ("scipy", "filters and statistics"),
    "sklearn": ("scikit-learn", "classifiers"),
    "rasterio": ("rasterio", "block-wise raster reading and writing"),
}


def missing_packages(modules: tuple[str, ...] = tuple(REQUIREMENTS)) -> dict[str, str]:
    """The packages among ``modules`` that cannot be used: pip name -> why ("" if absent).

    The package is imported, not only looked up: one that is installed but broken
    (a compiled part built for another numpy, a half-finished upgrade) fails here,
    before a tool starts, instead of with a traceback halfway through a run.
    """
    missing = {}
    for module in modules:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            missing[REQUIREMENTS[module][0]] = "" if exc.name == module else str(exc)
        except Exception as exc:  # a broken package raises anything, not only ImportError
            missing[REQUIREMENTS[module][0]] = f"{type(exc).__name__}: {exc}"
    return missing


def install_hint(missing: dict[str, str] | list[str]) -> str:
    """A message telling the user exactly what to install and how."""
    names = list(missing)
    packages = " ".join(names)
    hint = (
        f"This tool needs the Python package(s) {', '.join(names)}, which this QGIS "
        f"installation does not have or cannot import. Install them into the Python that "
        f"QGIS uses, then restart QGIS. On Windows, open the OSGeo4W Shell as administrator "
        f"and run 'python -m pip install {packages}'. On Linux, install your "
        f"distribution's packages (for Debian and Ubuntu: python3-sklearn, python3-scipy, "
        f"python3-rasterio). On macOS, run '/Applications/QGIS.app/Contents/MacOS/bin/python3 "
        f"-m pip install {packages}'."
    )
    if isinstance(missing, dict):
        errors = [f"{name}: {error}" for name, error in missing.items() if error]
        if errors:
            hint += (
                " Installed but broken (reinstall it; with pip add --force-reinstall): "
                + "; ".join(errors)
            )
    return hint


def library_versions() -> dict[str, str]:
    """Versions of the libraries that fitted or run the model, for the record."""
    versions = {"python": platform.python_version()}
    # Imported by name: this module is used to find out whether they can be imported.
    for module, name in (("numpy", "numpy"), ("sklearn", "scikit-learn"), ("scipy", "scipy")):
        with contextlib.suppress(ImportError):
            versions[name] = __import__(module).__version__
    metadata = Path(__file__).resolve().parents[2] / "metadata.txt"
    try:
        for line in metadata.read_text(encoding="utf-8").splitlines():
            if line.startswith("version="):
                versions["landcover"] = line.split("=", 1)[1].strip()
    except OSError:
        pass
    return versions
