"""GDAL's own Python bindings (osgeo), with the exception mode chosen explicitly.

GDAL 4 changes the bindings' default to raising exceptions, and GDAL 3.9 and later
warn when neither mode was chosen. The core never changes the mode for the whole
process (QGIS and other plugins share it): inside :func:`osgeo_raising` the
bindings raise, and the previous mode is restored after.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from types import SimpleNamespace


@contextmanager
def osgeo_raising() -> Iterator[SimpleNamespace]:
    """``gdal``, ``ogr`` and ``osr`` raising exceptions inside the block."""
    from osgeo import gdal, ogr, osr

    modules = (gdal, ogr, osr)
    with ExitStack() as stack:
        for module in modules:
            manager = getattr(module, "ExceptionMgr", None)  # GDAL 3.7 and later
            if manager is not None:
                stack.enter_context(manager(useExceptions=True))
            elif not module.GetUseExceptions():
                module.UseExceptions()
                stack.callback(module.DontUseExceptions)
        yield SimpleNamespace(gdal=gdal, ogr=ogr, osr=osr)
