"""Which third-party Python packages the core needs, and what to tell a user who lacks them."""

from __future__ import annotations

import importlib.util

# import name -> (pip name, what it is used for)
REQUIREMENTS: dict[str, tuple[str, str]] = {
    "numpy": ("numpy", "array computations"),
    "scipy": ("scipy", "filters and statistics"),
    "sklearn": ("scikit-learn", "classifiers"),
    "rasterio": ("rasterio", "block-wise raster reading and writing"),
}


def missing_packages(modules: tuple[str, ...] = tuple(REQUIREMENTS)) -> list[str]:
    """The pip names of the packages among ``modules`` that cannot be imported."""
    return [REQUIREMENTS[m][0] for m in modules if importlib.util.find_spec(m) is None]


def install_hint(missing: list[str]) -> str:
    """A message telling the user exactly what to install and how."""
    packages = " ".join(missing)
    return (
        f"This tool needs the Python package(s) {', '.join(missing)}, which this QGIS "
        f"installation does not have. Install them into the Python that QGIS uses, then "
        f"restart QGIS. On Windows, open the OSGeo4W Shell as administrator and run "
        f"'python -m pip install {packages}'. On Linux, install your distribution's "
        f"packages (for Debian and Ubuntu: python3-sklearn, python3-scipy, python3-rasterio). "
        f"On macOS, run '/Applications/QGIS.app/Contents/MacOS/bin/python3 -m pip install "
        f"{packages}'."
    )
