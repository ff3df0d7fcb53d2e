"""Land Cover Classification: a QGIS Processing plugin.

Nothing here imports QGIS at module level, so the numeric core (``core``) can be
imported and tested without QGIS.
"""


def classFactory(iface):
    from .plugin import LandcoverPlugin

    return LandcoverPlugin(iface)
