"""Write the example scene (default ``build/example``) and print where its files are.

Usage: ``/usr/bin/python3 scripts/make_example.py [folder] [--field]``

``--field`` writes the "field" variant instead (default ``build/example-field``): data
as it comes, with a class whose only polygon is on nodata, integer codes with 0, a CRS
without EPSG code, a zero-filled border without nodata, RGB-only and geographic rasters.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import link_plugin  # noqa: E402


def main(argv: list[str]) -> int:
    link_plugin()
    from landcover.core.synthetic import make_example_scene, make_field_scene

    field = "--field" in argv
    args = [a for a in argv[1:] if a != "--field"]
    default = REPO / "build" / ("example-field" if field else "example")
    folder = Path(args[0]) if args else default
    paths = (make_field_scene if field else make_example_scene)(folder)
    width = max(len(name) for name in paths)
    for name, path in paths.items():
        print(f"{name:<{width}}  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
