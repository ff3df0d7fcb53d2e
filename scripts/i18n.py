"""``make i18n``: refresh the translation sources and compile them.

pylupdate5 collects every ``tr()`` / ``translate()`` string of the plugin into
``i18n/landcover_<lang>.ts`` (keeping existing translations); lrelease compiles each
``.ts`` into the ``.qm`` the plugin loads for the QGIS locale.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LANGUAGES = ("fr",)
SOURCES = ("plugin.py", "provider.py", "algorithms")


def lrelease_binary() -> str:
    for candidate in ("lrelease", "/usr/lib/qt5/bin/lrelease", "lrelease-qt5"):
        found = shutil.which(candidate)
        if found:
            return found
    raise SystemExit("lrelease not found: install qttools5-dev-tools (make setup does)")


def python_sources() -> list[str]:
    files: list[Path] = []
    for source in SOURCES:
        path = REPO / source
        files.extend(sorted(path.glob("*.py")) if path.is_dir() else [path])
    return [str(f.relative_to(REPO)) for f in files]


def update() -> None:
    if shutil.which("pylupdate5") is None:
        raise SystemExit("pylupdate5 not found: install pyqt5-dev-tools (make setup does)")
    for lang in LANGUAGES:
        ts = f"i18n/landcover_{lang}.ts"
        subprocess.run(
            ["pylupdate5", "-noobsolete", *python_sources(), "-ts", ts], cwd=REPO, check=True
        )


def compile_all(destination: Path | None = None) -> list[Path]:
    """Compile every ``.ts`` to ``.qm`` (beside it, or in ``destination``)."""
    compiled = []
    for ts in sorted((REPO / "i18n").glob("*.ts")):
        qm = (destination or ts.parent) / (ts.stem + ".qm")
        subprocess.run([lrelease_binary(), "-silent", str(ts), "-qm", str(qm)], check=True)
        compiled.append(qm)
    return compiled


if __name__ == "__main__":
    if "--compile-only" not in sys.argv:
        update()
    for qm in compile_all():
        print(qm)
