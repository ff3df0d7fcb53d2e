"""Small helpers shared by the benchmark sections (``make bench``).

Every figure is measured in the same run as its baseline, on this machine, and
reported as a ratio; nothing here is used by tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PLUGINS = REPO / "build" / "test-plugins"


def link_plugin() -> None:
    """Make the repository importable as ``landcover`` (as the tests do)."""
    PLUGINS.mkdir(parents=True, exist_ok=True)
    link = PLUGINS / "landcover"
    if not link.exists():
        link.symlink_to(REPO, target_is_directory=True)
    if str(PLUGINS) not in sys.path:
        sys.path.insert(0, str(PLUGINS))


def best_of(function: Callable[[], object], repeat: int = 3) -> float:
    """The fastest of ``repeat`` wall-clock timings of ``function()``, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def peak_rss_mb(code: str, env: dict[str, str] | None = None) -> float:
    """Peak resident memory (MiB) of a fresh Python process running ``code``.

    The code runs with the plugin importable as ``landcover``; the figure includes the
    interpreter and imported libraries, so compare sizes, not absolute values. It is
    the child's own high-water mark (``VmHWM``): the ``ru_maxrss`` that ``wait4``
    reports also counts the parent's resident memory at the fork.
    """
    link_plugin()
    prelude = f"import sys; sys.path.insert(0, {str(PLUGINS)!r})\n"
    report = (
        "\nfor line in open('/proc/self/status'):\n"
        "    if line.startswith('VmHWM:'):\n"
        "        print('VmHWM_MB', int(line.split()[1]) / 1024.0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", prelude + code + report],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"benchmark subprocess failed:\n{code}\n{result.stderr[-2000:]}")
    marks = [line for line in result.stdout.splitlines() if line.startswith("VmHWM_MB ")]
    return float(marks[-1].split()[1])


@dataclass
class Row:
    """One line of the benchmark table."""

    section: str
    case: str
    ours_s: float | None = None
    baseline: str = ""
    baseline_s: float | None = None
    notes: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.ours_s and self.baseline_s:
            return self.baseline_s / self.ours_s
        return None
