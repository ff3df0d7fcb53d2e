"""Plugin entry point: registers the Processing provider and its translations."""

from __future__ import annotations

import sys
from pathlib import Path

from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QTranslator

from .provider import LandcoverProvider

PLUGIN_DIR = Path(__file__).resolve().parent
PACKAGE = __name__.rpartition(".")[0]  # the plugin folder's name, as QGIS imports it


def install_translator(
    locale: str | None = None, directory: Path = PLUGIN_DIR / "i18n"
) -> QTranslator | None:
    """Install the translation for ``locale`` (``fr_FR`` or ``fr``), if ``directory``
    holds one; by default the locale QGIS runs in. Returns the installed translator,
    to pass to ``QCoreApplication.removeTranslator`` on unload."""
    if locale is None:
        # QGIS desktop stores the language it runs in here (the system one unless
        # overridden in Settings ▸ Options ▸ General); qgis_process leaves it empty.
        locale = QgsSettings().value("locale/userLocale", "") or ""
    for name in (locale, locale[:2]):
        qm = directory / f"landcover_{name}.qm"
        if name and qm.exists():
            translator = QTranslator()
            if translator.load(str(qm)):
                QCoreApplication.installTranslator(translator)
                return translator
    return None


class LandcoverPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.provider: LandcoverProvider | None = None
        self.translator = install_translator()

    def initProcessing(self):
        self.provider = LandcoverProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):
        self.initProcessing()

    def unload(self):
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)
            self.translator = None
        forget_modules()


def forget_modules(package: str = PACKAGE) -> None:
    """Drop every module of ``package`` from ``sys.modules``.

    QGIS forgets only the modules it saw imported through ``import`` statements, not
    those imported with ``importlib`` (each algorithm) or lazily during a run. Stale
    ones would survive a re-enable or an upgrade: the new provider would then find
    algorithm classes built on the old base class and skip them, or run old code.
    """
    if not package:
        return
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[name]
