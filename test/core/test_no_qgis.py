"""The numeric core must work without QGIS."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import PLUGINS

CORE = Path(__file__).resolve().parents[2] / "core"


def test_core_modules_import_without_qgis():
    modules = sorted(
        ".".join(p.relative_to(CORE).with_suffix("").parts)
        for p in CORE.rglob("*.py")
        if p.stem != "__init__" and "__pycache__" not in p.parts
    )
    assert len(modules) > 30, modules
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'qgis' or name.startswith('qgis.'):\n"
        "            raise ImportError('the core imported QGIS: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        f"sys.path.insert(0, {str(PLUGINS)!r})\n"
        f"for m in {modules!r}:\n"
        "    __import__('landcover.core.' + m)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
