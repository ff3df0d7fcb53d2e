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
