from __future__ import annotations


def test_qgis_process_lists_landcover_provider(qgis_process):
    listing = qgis_process("list").stdout
    assert "Land cover classification" in listing
    assert "landcover:" in listing
