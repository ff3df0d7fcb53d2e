"""Messages read as written by a person: plural forms by count, a capital first."""

from __future__ import annotations

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
