#!/usr/bin/env bash
# `make qt6-check`: QGIS's own PyQt5 -> PyQt6 migration script, in its default (QGIS 3
# compatible) mode, must propose no change to any Python file of the project.
#
# The script comes from the QGIS source (scripts/pyqt5_to_pyqt6/pyqt5_to_pyqt6.py); give its
# path in PYQT6_MIGRATION_SCRIPT (default: ../shared/tools/pyqt5_to_pyqt6.py beside the
# repository). It needs PyQt6 and tokenize-rt, installed from PyPI into build/qt6-tools.
# It rewrites files in place, so it runs on a throw-away copy of the working tree.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
SCRIPT=${PYQT6_MIGRATION_SCRIPT:-$REPO/../shared/tools/pyqt5_to_pyqt6.py}
VENV=$REPO/build/qt6-tools

if [ ! -f "$SCRIPT" ]; then
	echo "QGIS's migration script was not found at $SCRIPT." >&2
	echo "Copy scripts/pyqt5_to_pyqt6/pyqt5_to_pyqt6.py from the QGIS source there," >&2
	echo "or set PYQT6_MIGRATION_SCRIPT to its path." >&2
	exit 2
fi
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import PyQt6.QtCore, tokenize_rt" 2>/dev/null; then
	python3 -m venv "$VENV"
	"$VENV/bin/pip" install -q PyQt6 PyQt6-QScintilla tokenize-rt
fi

COPY=$(mktemp -d)
trap 'rm -rf "$COPY"' EXIT
(cd "$REPO" && git ls-files -z --cached --others --exclude-standard -- '*.py' | xargs -0 tar -cf - --no-recursion) |
	tar -xf - -C "$COPY"
git -C "$COPY" init -q && git -C "$COPY" add -A &&
	git -C "$COPY" -c user.name=check -c user.email=check@localhost commit -q -m before

# The script exits non-zero when it changed a file; the diff below is the verdict.
(cd "$COPY" && QT_QPA_PLATFORM=offscreen "$VENV/bin/python" "$SCRIPT" . >"$COPY.log" 2>&1) || true
if ! git -C "$COPY" diff --quiet; then
	echo "The PyQt6 migration script proposes changes (make the code Qt6-clean):" >&2
	git -C "$COPY" diff >&2
	grep -v "^WARNING:root:QGIS classes not available" "$COPY.log" >&2 || true
	rm -f "$COPY.log"
	exit 1
fi
rm -f "$COPY.log"
echo "PyQt6 migration script: no change proposed ($(git -C "$COPY" ls-files | wc -l) Python files)."
