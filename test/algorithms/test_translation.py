"""The French translation: complete, placeholders intact, and active in QGIS.

The ``.qm`` files are build output (gitignored), so the test compiles the ``.ts``
itself with ``scripts/i18n.py`` into a temporary folder and installs it through the
plugin's own ``install_translator``, then removes it so later tests see English.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TS_FILES = sorted((REPO / "i18n").glob("landcover_*.ts"))
PLACEHOLDER = re.compile(r"\{\d*(?::[^{}]*)?\}")
HTML_TAG = re.compile(r"</?(?:a|b|i|p|br|ul|ol|li|code|em|strong|tt|pre|span|div|h[1-6])\b[^>]*>")


def messages(ts: Path) -> list[tuple[str, str, ET.Element]]:
    """(context, source, translation element) of every message of a ``.ts`` file."""
    found = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            found.append((name, message.findtext("source"), message.find("translation")))
    return found


def test_there_is_a_french_translation():
    assert REPO / "i18n" / "landcover_fr.ts" in TS_FILES


@pytest.mark.parametrize("ts", TS_FILES, ids=lambda p: p.stem)
def test_every_message_is_translated(ts):
    problems = []
    for context, source, translation in messages(ts):
        if translation is None or not (translation.text or "").strip():
            problems.append(f"{context}: empty translation of {source!r}")
        elif translation.get("type") in ("unfinished", "obsolete", "vanished"):
            problems.append(f"{context}: {translation.get('type')} translation of {source!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("ts", TS_FILES, ids=lambda p: p.stem)
def test_translations_keep_placeholders_and_tags(ts):
    problems = []
    for context, source, translation in messages(ts):
        text = "" if translation is None else translation.text or ""
        for pattern in (PLACEHOLDER, HTML_TAG):
            if sorted(pattern.findall(source)) != sorted(pattern.findall(text)):
                problems.append(f"{context}: {source!r} -> {text!r}")
        if source.startswith(" ") != text.startswith(" "):
            problems.append(f"{context}: leading space differs in {source!r}")
    assert not problems, "\n".join(problems)


@pytest.fixture
def french(qgis_app, tmp_path):
    """The French translation compiled from the ``.ts`` and installed, for one test."""
    from qgis.PyQt.QtCore import QCoreApplication

    sys.path.insert(0, str(REPO / "scripts"))
    try:
        from i18n import compile_all
    finally:
        sys.path.remove(str(REPO / "scripts"))
    try:
        compile_all(tmp_path)
    except SystemExit as exc:  # lrelease missing: qttools5-dev-tools, which make setup installs
        pytest.skip(str(exc))
    from landcover.plugin import install_translator

    translator = install_translator("fr_FR", tmp_path)
    assert translator is not None, "install_translator found no landcover_fr.qm"
    yield
    QCoreApplication.removeTranslator(translator)


def test_algorithms_and_provider_speak_french(french):
    from qgis.core import QgsApplication

    registry = QgsApplication.processingRegistry()
    assert registry.providerById("landcover").name() == "Classification de l'occupation du sol"
    classify = registry.algorithmById("landcover:classify")
    assert classify.displayName() == "Classifier un raster"
    assert classify.group() == "3. Classification"
    assert registry.algorithmById("landcover:accuracy").group() == "4. Évaluation de la précision"
    instance = registry.createAlgorithmById("landcover:classify")
    assert instance.parameterDefinition("MODEL").description() == "Fichier de modèle"


def test_inherited_and_helper_messages_are_translated(french):
    """Strings written in the base class or in module helpers handed ``self.tr`` live in
    other translation contexts than the algorithm's own class name."""
    from qgis.core import QgsApplication

    alg = QgsApplication.processingRegistry().createAlgorithmById("landcover:sieve")
    assert alg.tr("Cancelled by the user; no output was written.") == (
        "Annulé par l'utilisateur ; aucune sortie n'a été écrite."
    )
    assert alg.tr("Layer '{0}': the file {1} does not exist.").startswith("Couche « {0} »")
    geographic = alg.tr(
        "The raster is in a geographic CRS ({0}), so the {1} is in degrees: {2:g} degrees is "
        "larger than the whole raster ({3:.4g} by {4:.4g} degrees). Give it in degrees (0.01 "
        "degree is about 1.1 km north-south), or reproject the raster to a projected CRS in "
        "metres."
    )
    assert geographic.startswith("Le raster est dans un SCR géographique")


def test_option_labels_are_translated(french):
    from qgis.core import QgsApplication

    registry = QgsApplication.processingRegistry()
    align = registry.createAlgorithmById("landcover:alignrasters")
    assert align.parameterDefinition("RESAMPLING").options()[0] == "Plus proche voisin"
    train = registry.createAlgorithmById("landcover:trainclassifier")
    assert "Forêt aléatoire (Random Forest)" in train.parameterDefinition("CLASSIFIER").options()


def test_english_again_without_the_translator(qgis_app):
    from qgis.core import QgsApplication

    alg = QgsApplication.processingRegistry().algorithmById("landcover:classify")
    assert alg.displayName() == "Classify raster"


def test_help_url_is_the_english_reference_in_french(french):
    from qgis.core import QgsApplication

    kmeans = QgsApplication.processingRegistry().algorithmById("landcover:kmeans")
    assert kmeans.displayName() != "Unsupervised classification (k-means)"
    assert kmeans.helpUrl().endswith(
        "/docs/algorithms.md#unsupervised-classification-k-means-landcoverkmeans"
    )
