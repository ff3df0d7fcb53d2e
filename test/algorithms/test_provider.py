from __future__ import annotations

import pytest


def test_provider_registered_with_icon_and_name(qgis_app):
    from qgis.core import QgsApplication

    provider = QgsApplication.processingRegistry().providerById("landcover")
    assert provider is not None
    assert provider.name() == "Land cover classification"
    assert not provider.icon().isNull()


def test_every_algorithm_has_help_group_and_parameter_help(qgis_app):
    from landcover.provider import algorithm_classes

    classes = algorithm_classes()
    assert classes, "the provider found no algorithm"
    for cls in classes:
        alg = cls()
        alg.initAlgorithm()
        assert alg.name() == alg.name().lower() and " " not in alg.name()
        assert alg.displayName() and alg.shortHelpString(), alg.name()
        assert alg.groupId() in {"prepare", "features", "classification", "accuracy", "postprocess"}
        assert alg.group().strip()
        for definition in alg.parameterDefinitions():
            assert definition.description(), (alg.name(), definition.name())
            assert definition.help(), f"{alg.name()}: parameter {definition.name()} has no help"
        assert isinstance(alg.createInstance(), cls)


def test_missing_dependency_is_reported_by_can_execute(qgis_app, monkeypatch):
    from landcover.algorithms import base

    monkeypatch.setattr(base, "missing_packages", lambda modules: ["scikit-learn"])

    class Probe(base.LandcoverAlgorithm):
        def name(self):
            return "probe"

    ok, message = Probe().canExecute()
    assert not ok
    assert "scikit-learn" in message and "pip install scikit-learn" in message


@pytest.mark.parametrize("module", ["numpy", "rasterio", "sklearn", "scipy"])
def test_install_hint_names_package(module):
    from landcover.core.io.deps import REQUIREMENTS, install_hint

    pip_name = REQUIREMENTS[module][0]
    assert pip_name in install_hint([pip_name])


def github_anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown page: the heading's text
    (inline code without its backticks) lowercased, punctuation removed, each space a
    hyphen, and ``-1``, ``-2``... after a repeated one."""
    anchors: set[str] = set()
    for line in markdown.splitlines():
        if not line.startswith("#"):
            continue
        text = line.lstrip("#").strip().replace("`", "").lower()
        anchor = "".join(c for c in text if c.isalnum() or c in " -_").replace(" ", "-")
        unique, number = anchor, 0
        while unique in anchors:
            number += 1
            unique = f"{anchor}-{number}"
        anchors.add(unique)
    return anchors


def test_github_anchors_known_answers():
    anchors = github_anchors(
        "## 1. Prepare imagery\n"
        "### Import Sentinel-2 / Landsat product (`landcover:importproduct`)\n"
        "### Unsupervised classification (k-means) (`landcover:kmeans`)\n"
    )
    assert anchors == {
        "1-prepare-imagery",
        "import-sentinel-2--landsat-product-landcoverimportproduct",
        "unsupervised-classification-k-means-landcoverkmeans",
    }


def test_every_algorithm_help_url_opens_its_section_of_the_reference(qgis_app):
    import configparser

    from conftest import REPO
    from qgis.core import QgsApplication

    from landcover.provider import algorithm_classes

    metadata = configparser.ConfigParser(interpolation=None)
    metadata.read(REPO / "metadata.txt", encoding="utf-8")
    page = f"{metadata['general']['repository']}/blob/main/docs/algorithms.md"
    reference = (REPO / "docs" / "algorithms.md").read_text(encoding="utf-8")
    anchors = github_anchors(reference)
    registry = QgsApplication.processingRegistry()
    for cls in algorithm_classes():
        alg = registry.algorithmById(f"landcover:{cls().name()}")
        url, _, anchor = alg.helpUrl().partition("#")
        assert url == page, alg.id()
        assert anchor in anchors, (alg.id(), anchor)
        # its own section: the heading that names the algorithm's id
        (heading,) = [line for line in reference.splitlines() if f"(`{alg.id()}`)" in line]
        assert github_anchors(heading) == {anchor}
        assert cls().helpUrl() == alg.helpUrl()
