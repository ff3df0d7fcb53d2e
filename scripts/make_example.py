"""Write the example scene (default ``build/example``) and print where its files are.

Usage: ``/usr/bin/python3 scripts/make_example.py [folder]``
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import link_plugin  # noqa: E402


def main(argv: list[str]) -> int:
    link_plugin()
    from landcover.core.synthetic import make_example_scene

    folder = Path(argv[1]) if len(argv) > 1 else REPO / "build" / "example"
    paths = make_example_scene(folder)
    width = max(len(name) for name in paths)
    for name, path in paths.items():
        print(f"{name:<{width}}  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
