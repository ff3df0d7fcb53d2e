"""Build the installable plugin zip: ``dist/landcover-<version>.zip`` with a top folder
``landcover/`` holding the runtime files only (no tests, scripts or build output)."""

from __future__ import annotations

import configparser
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TOP = "landcover"
RUNTIME = (
    "__init__.py",
    "plugin.py",
    "provider.py",
    "metadata.txt",
    "LICENSE",
    "README.md",
    "CHANGELOG.md",
)
RUNTIME_DIRS = ("algorithms", "core", "resources", "i18n")
SKIP_SUFFIXES = (".pyc", ".ts")
# Test and demo data, not needed to run the plugin.
SKIP_FILES = ("core/synthetic.py",)


def version() -> str:
    parser = configparser.ConfigParser()
    parser.read(REPO / "metadata.txt", encoding="utf-8")
    return parser["general"]["version"]


def runtime_files() -> list[Path]:
    """Files tracked by git (plus compiled translations) that the plugin needs at run time."""
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    files = {REPO / f for f in tracked}
    files.update((REPO / "i18n").glob("*.qm"))
    keep = []
    for path in sorted(files):
        relative = path.relative_to(REPO)
        top = relative.parts[0]
        if not path.is_file() or path.suffix in SKIP_SUFFIXES or relative.as_posix() in SKIP_FILES:
            continue
        if (len(relative.parts) == 1 and top in RUNTIME) or top in RUNTIME_DIRS:
            keep.append(path)
    return keep


def build(destination: Path) -> Path:
    destination.mkdir(parents=True, exist_ok=True)
    target = destination / f"{TOP}-{version()}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in runtime_files():
            archive.write(path, f"{TOP}/{path.relative_to(REPO).as_posix()}")
    return target


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "dist"
    print(build(out))
