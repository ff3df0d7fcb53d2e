"""Messages read as written by a person: plural forms by count, a capital first."""

from __future__ import annotations

import re

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin


def test_counted_picks_the_form_by_count():
    from landcover.algorithms.base import LandcoverAlgorithm

    assert LandcoverAlgorithm.counted(1, "{0} block", "{0} blocks") == "1 block"
    assert LandcoverAlgorithm.counted(0, "{0} block", "{0} blocks") == "0 blocks"
    assert LandcoverAlgorithm.counted(12, "{0} block", "{0} blocks") == "12 blocks"


def test_one_band_is_singular(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    path = tmp_path / "one.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=20,
        height=20,
        count=1,
        dtype="float32",
        crs="EPSG:32632",
        transform=from_origin(0, 0, 10, 10),
    ) as dst:
        dst.write(np.ones((1, 20, 20), dtype="float32"))
    with pytest.raises(QgsProcessingException) as error:
        run_alg(
            "landcover:texture",
            {"INPUT": str(path), "BANDS": [2], "OUTPUT": str(tmp_path / "t.tif")},
        )
    message = str(error.value)
    assert "the input has 1 band." in message and "band(s)" not in message


def provider_algorithms():
    from qgis.core import QgsApplication

    return QgsApplication.processingRegistry().providerById("landcover").algorithms()


def test_help_speaks_of_labels_not_parameter_ids(qgis_app):

    for algorithm in provider_algorithms():
        definitions = algorithm.parameterDefinitions()
        ids = {d.name() for d in definitions}
        # words that are also part of a label (NIR, SWIR1) are band names, not ids
        labelled = {w for d in definitions for w in re.findall(r"[A-Z0-9_]+", d.description())}
        texts = [algorithm.shortHelpString() or ""] + [d.help() or "" for d in definitions]
        for text in texts:
            used = set(re.findall(r"\b[A-Z][A-Z0-9_]{2,}\b", text)) & ids - labelled
            assert not used, (algorithm.id(), used, text[:80])
            assert not re.search(r"(?<!:)//", text), (algorithm.id(), text[:80])  # "tcp://" is fine


def test_no_two_fields_share_a_label_and_reports_are_told_apart(qgis_app):
    reports = {}
    for algorithm in provider_algorithms():
        labels = [d.description() for d in algorithm.parameterDefinitions()]
        assert len(labels) == len(set(labels)), (algorithm.id(), labels)
        if algorithm.id() in (
            "landcover:Land cover workflow",
            "landcover:Land cover workflow from a product",
        ):
            continue  # its reports are those of its steps
        for output in algorithm.outputDefinitions():
            if output.type() == "outputHtml" or output.name() == "REPORT":
                reports.setdefault(output.description(), []).append(algorithm.id())
    assert reports and all(len(ids) == 1 for ids in reports.values()), reports


def test_errors_of_the_core_start_with_a_capital(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    from landcover.core import synthetic

    scene = synthetic.make_example_scene(tmp_path / "scene", size=100)
    damaged = tmp_path / "damaged.lcmodel"
    damaged.write_text("not a model", encoding="utf-8")
    with pytest.raises(QgsProcessingException) as error:
        run_alg(
            "landcover:classify",
            {"INPUT": str(scene["blue"]), "MODEL": str(damaged), "OUTPUT": str(tmp_path / "o.tif")},
        )
    assert str(error.value).startswith("The model file")


def test_sentence_leaves_names_alone():
    from landcover.algorithms.base import sentence

    assert sentence("none of the features") == "None of the features"
    assert sentence("nocrs.tif has no CRS") == "nocrs.tif has no CRS"
    assert sentence("Already a sentence") == "Already a sentence"
