"""``make i18n``: refresh the translation sources and compile them.

pylupdate (PyQt5's ``pylupdate5`` or PyQt6's ``pylupdate6``, whichever is installed)
collects every ``tr()`` / ``translate()`` string of the plugin into
``i18n/landcover_<lang>.ts`` (keeping existing translations); lrelease (Qt 5 or Qt 6)
compiles each ``.ts`` into the ``.qm`` the plugin loads for the QGIS locale.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LANGUAGES = ("fr",)
# The classifier labels are marked in the core registry, the one place that names them.
SOURCES = ("plugin.py", "provider.py", "algorithms", "core/learn/registry.py")


LRELEASE = ("lrelease", "/usr/lib/qt5/bin/lrelease", "lrelease-qt5", "/usr/lib/qt6/bin/lrelease")


def lrelease_binary() -> str:
    for candidate in LRELEASE:
        found = shutil.which(candidate)
        if found:
            return found
    raise SystemExit(
        "lrelease not found: install qttools5-dev-tools (make setup does) or, for Qt 6, "
        "qt6-l10n-tools"
    )


# pylupdate6 skips ``tr(...)`` called outside a class (module helpers handed ``self.tr``),
# which pylupdate5 files under "@default"; those strings reach it through this file.
DEFAULT_CONTEXT_SHIM = REPO / "build" / "i18n" / "default_context.py"


def free_tr_strings(source: Path) -> list[str]:
    """The literal arguments of ``tr("...")`` calls outside any class of ``source``."""
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                continue
            if (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Name)
                and child.func.id == "tr"
                and child.args
                and isinstance(child.args[0], ast.Constant)
                and isinstance(child.args[0].value, str)
            ):
                found.append(child.args[0].value)
            visit(child)

    visit(ast.parse(source.read_text(encoding="utf-8")))
    return found


def write_default_context_shim() -> str:
    strings = [text for source in python_sources() for text in free_tr_strings(REPO / source)]
    lines = ["from qgis.PyQt.QtCore import QCoreApplication", ""]
    lines += [f"QCoreApplication.translate({'@default'!r}, {text!r})" for text in strings]
    DEFAULT_CONTEXT_SHIM.parent.mkdir(parents=True, exist_ok=True)
    DEFAULT_CONTEXT_SHIM.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(DEFAULT_CONTEXT_SHIM.relative_to(REPO))


def pylupdate_command(ts: str) -> list[str]:
    """The command that refreshes ``ts``: pylupdate5 where present, else pylupdate6
    (their options differ)."""
    if shutil.which("pylupdate5"):
        return ["pylupdate5", "-noobsolete", *python_sources(), "-ts", ts]
    if shutil.which("pylupdate6"):
        sources = [*python_sources(), write_default_context_shim()]
        return ["pylupdate6", "--no-obsolete", "--no-summary", "--ts", ts, *sources]
    raise SystemExit(
        "Neither pylupdate5 nor pylupdate6 was found: install pyqt5-dev-tools "
        "(make setup does) or PyQt6 (its wheel ships pylupdate6)"
    )


def python_sources() -> list[str]:
    files: list[Path] = []
    for source in SOURCES:
        path = REPO / source
        files.extend(sorted(path.glob("*.py")) if path.is_dir() else [path])
    return [str(f.relative_to(REPO)) for f in files]


def update() -> None:
    for lang in LANGUAGES:
        subprocess.run(pylupdate_command(f"i18n/landcover_{lang}.ts"), cwd=REPO, check=True)


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
