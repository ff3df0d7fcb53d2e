from __future__ import annotations

import pytest


def test_provider_registered_with_icon_and_name(qgis_app):
    from qgis.core import QgsApplication

    provider = QgsApplication.processingRegistry().providerById("landcover")
    assert provider is not None
    assert provider.name() == "Land cover classification"
    assert not provider.icon().isNull()


def test_every_algorithm_has_help_group_and_translatable_name(qgis_app):
    from qgis.core import QgsApplication

    provider = QgsApplication.processingRegistry().providerById("landcover")
    algorithms = [a for a in provider.algorithms() if a.group() != ""]
    for alg in algorithms:
        if alg.id().startswith("landcover:") and hasattr(alg, "REQUIRES"):
            assert alg.shortHelpString(), alg.id()
            assert alg.groupId() in {
                "prepare",
                "features",
                "classification",
                "accuracy",
                "postprocess",
            }
            for definition in alg.parameterDefinitions():
                assert definition.description(), (alg.id(), definition.name())


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
    from landcover.core.deps import REQUIREMENTS, install_hint

    pip_name = REQUIREMENTS[module][0]
    assert pip_name in install_hint([pip_name])
