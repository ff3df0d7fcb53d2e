"""Step 5 through processing.run: majority filter, sieve, smoothing and polygons."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from conftest import write_raster
from rasterio.transform import from_origin

from landcover.core.io.classes import make_classes
from landcover.core.io.raster import read_classes
from landcover.core.postprocess.majority import majority_filter
from landcover.core.postprocess.polygonize import label_patches
from landcover.core.postprocess.sieve import sieve
from landcover.core.postprocess.smooth import smooth

CLASSES = make_classes([1, 2, 3, 4], ["water", "forest", "cropland", "urban"])


def noisy_map(shape=(300, 280), seed=0):
    rng = np.random.default_rng(seed)
    coarse = rng.integers(1, 5, size=(shape[0] // 20 + 1, shape[1] // 20 + 1))
    image = np.kron(coarse, np.ones((20, 20), dtype=np.int64))[: shape[0], : shape[1]]
    noise = rng.random(shape) < 0.08
    image[noise] = rng.integers(1, 5, size=int(noise.sum()))
    image[:10, :15] = 0
    return image.astype(np.uint8)


def write_map(path, image, crs="EPSG:32633", transform=None):
    transform = transform or from_origin(400000, 5600000, 10, 10)
    return write_raster(path, image, crs=crs, transform=transform, nodata=0, classes=CLASSES)


def read(path):
    with rasterio.open(path) as src:
        return src.read(1), read_classes(src)


def test_majority_filter_equals_core_and_keeps_classes(run_alg, tmp_path):
    image = noisy_map()
    source = write_map(tmp_path / "map.tif", image)
    result = run_alg(
        "landcover:majorityfilter",
        {
            "INPUT": source,
            "WINDOW_SIZE": 5,
            "SHAPE": 1,
            "ITERATIONS": 2,
            "OUTPUT": str(tmp_path / "filtered.tif"),
        },
    )
    filtered, classes = read(result["OUTPUT"])
    assert np.array_equal(filtered, majority_filter(image, 5, "circle", 2))
    assert classes == CLASSES
    assert (tmp_path / "filtered.qml").exists()


def test_even_window_is_refused_before_running(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    source = write_map(tmp_path / "map.tif", noisy_map((20, 20)))
    with pytest.raises(QgsProcessingException, match="odd"):
        run_alg(
            "landcover:majorityfilter",
            {"INPUT": source, "WINDOW_SIZE": 4, "OUTPUT": str(tmp_path / "out.tif")},
        )
    assert not (tmp_path / "out.tif").exists()


def test_sieve_with_area_in_hectares(run_alg, tmp_path):
    image = noisy_map(seed=1)
    source = write_map(tmp_path / "map.tif", image)
    result = run_alg(
        "landcover:sieve",
        {
            "INPUT": source,
            "MIN_AREA": 0.06,  # 6 pixels of 100 m²
            "CONNECTIVITY": 1,
            "OUTPUT": str(tmp_path / "sieved.tif"),
        },
    )
    assert result["MIN_PIXELS"] == 6
    sieved, classes = read(result["OUTPUT"])
    assert np.array_equal(sieved, sieve(image, 6, 8))
    assert result["CHANGED_PIXELS"] == np.count_nonzero(sieved != image) > 0
    assert classes == CLASSES


def test_sieve_needs_exactly_one_minimum(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    source = write_map(tmp_path / "map.tif", noisy_map((20, 20)))
    for size, area in ((0, 0.0), (5, 1.0)):
        with pytest.raises(QgsProcessingException, match="minimum"):
            run_alg(
                "landcover:sieve",
                {
                    "INPUT": source,
                    "MIN_SIZE": size,
                    "MIN_AREA": area,
                    "OUTPUT": str(tmp_path / "out.tif"),
                },
            )


def test_sieve_memory_does_not_grow_with_the_minimum_area(run_alg, tmp_path):
    import tracemalloc

    image = noisy_map((400, 400), seed=4)
    source = write_map(tmp_path / "map.tif", image)
    tracemalloc.start()
    try:
        result = run_alg(
            "landcover:sieve",
            {"INPUT": source, "MIN_AREA": 25.0, "OUTPUT": str(tmp_path / "sieved.tif")},
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result["MIN_PIXELS"] == 2500
    sieved, _ = read(result["OUTPUT"])
    assert np.array_equal(sieved, sieve(image, 2500, 4))
    # 160,000 pixels: a few arrays of the map, not windows grown by 2 x 2500 pixels
    assert peak < 100e6, peak


def test_sieve_larger_than_the_raster_is_refused(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    source = write_map(tmp_path / "map.tif", noisy_map((40, 40)))
    with pytest.raises(QgsProcessingException, match="larger than the whole raster"):
        run_alg(
            "landcover:sieve",
            {"INPUT": source, "MIN_SIZE": 5000, "OUTPUT": str(tmp_path / "out.tif")},
        )
    assert not (tmp_path / "out.tif").exists()


def test_sieve_area_in_geographic_crs_uses_ellipsoidal_pixel_areas(run_alg, tmp_path):
    import math

    source = write_map(
        tmp_path / "map.tif",
        noisy_map((20, 20)),
        crs="EPSG:4326",
        transform=from_origin(10, 50, 0.001, 0.001),
    )
    # 0.001 degree at 49.99 N: about 111.2 m by 71.5 m, so 5 ha is 7 pixels
    side = 6_371_000 * math.radians(0.001)
    assert math.ceil(50_000 / (side * side * math.cos(math.radians(49.99)))) == 7
    by_area = run_alg(
        "landcover:sieve",
        {"INPUT": source, "MIN_AREA": 5.0, "OUTPUT": str(tmp_path / "area.tif")},
    )
    by_size = run_alg(
        "landcover:sieve",
        {"INPUT": source, "MIN_SIZE": 7, "OUTPUT": str(tmp_path / "size.tif")},
    )
    np.testing.assert_array_equal(read(by_area["OUTPUT"])[0], read(by_size["OUTPUT"])[0])
    assert not np.array_equal(read(by_area["OUTPUT"])[0], read(source)[0])


def test_smooth_equals_core(run_alg, tmp_path):
    image = noisy_map(seed=2)
    source = write_map(tmp_path / "map.tif", image)
    result = run_alg(
        "landcover:smooth",
        {"INPUT": source, "RADIUS": 2, "OUTPUT": str(tmp_path / "smooth.tif")},
    )
    smoothed, classes = read(result["OUTPUT"])
    assert np.array_equal(smoothed, smooth(image, 2))
    assert classes == CLASSES


def polygons(path):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(str(path), "polygons", "ogr")
    assert layer.isValid()
    return layer, list(layer.getFeatures())


def assert_no_overlaps(features):
    from qgis.core import QgsSpatialIndex

    index = QgsSpatialIndex()
    by_id = {}
    for feature in features:
        index.addFeature(feature)
        by_id[feature.id()] = feature
    touching = 0
    for feature in features:
        geometry = feature.geometry()
        for other in index.intersects(geometry.boundingBox()):
            if other <= feature.id():
                continue
            shared = geometry.intersection(by_id[other].geometry())
            assert shared.area() < 1e-6, (feature.id(), other)
            touching += shared.length() > 0
    assert touching > 0  # neighbours were compared, and they share edges


@pytest.mark.parametrize("dissolve", [False, True])
def test_polygonize_to_geopackage(run_alg, tmp_path, dissolve):
    from qgis.core import QgsWkbTypes

    image = noisy_map(seed=3)
    source = write_map(tmp_path / "map.tif", image)
    output = tmp_path / "classes.gpkg"
    result = run_alg(
        "landcover:polygonize",
        {"INPUT": source, "DISSOLVE": dissolve, "OUTPUT": str(output)},
    )
    layer, features = polygons(result["OUTPUT"])
    assert [f.name() for f in layer.fields()][-4:] == [
        "class_id",
        "class_name",
        "area_ha",
        "perimeter_m",
    ]
    names = {c.code: c.name for c in CLASSES}
    for feature in features:
        assert feature.geometry().isGeosValid()
        assert feature["class_name"] == names[feature["class_id"]]
        assert feature["area_ha"] == pytest.approx(feature.geometry().area() / 10000.0)
        assert feature["perimeter_m"] == pytest.approx(feature.geometry().length())
    for code in names:
        pixels = np.count_nonzero(image == code)
        area = sum(f["area_ha"] for f in features if f["class_id"] == code)
        assert area == pytest.approx(pixels * 100.0 / 10000.0)
    if dissolve:
        assert sorted(f["class_id"] for f in features) == [1, 2, 3, 4]
        assert QgsWkbTypes.isMultiType(layer.wkbType())
    else:
        assert len(features) == label_patches(image, 4)[0].max()
        assert_no_overlaps(features)
    # The class colours are the GeoPackage's default style.
    assert layer.renderer().type() == "categorizedSymbol"
    categories = layer.renderer().categories()
    colours = {int(c.value()): c.symbol().color().getRgb()[:3] for c in categories}
    assert colours == {c.code: c.color for c in CLASSES}


def test_polygonize_with_minimum_area_and_smoothing_leaves_no_gaps(run_alg, tmp_path):
    image = noisy_map(seed=4)
    source = write_map(tmp_path / "map.tif", image)
    result = run_alg(
        "landcover:polygonize",
        {
            "INPUT": source,
            "MIN_AREA": 0.1,
            "SMOOTHING": 1,
            "OUTPUT": str(tmp_path / "clean.gpkg"),
        },
    )
    _, features = polygons(result["OUTPUT"])
    assert min(f["area_ha"] for f in features) >= 0.1 - 1e-9
    total = sum(f.geometry().area() for f in features)
    assert total == pytest.approx(np.count_nonzero(image) * 100.0)
    assert all(f.geometry().isGeosValid() for f in features)
    assert_no_overlaps(features)
    assert len(features) < label_patches(image, 4)[0].max() / 5


def test_polygonize_geographic_raster_measures_on_the_ellipsoid(run_alg, tmp_path):
    image = noisy_map((40, 50), seed=5)
    source = write_map(
        tmp_path / "map.tif",
        image,
        crs="EPSG:4326",
        transform=from_origin(10.0, 50.02, 0.0005, 0.0005),
    )
    result = run_alg(
        "landcover:polygonize",
        {"INPUT": source, "DISSOLVE": True, "OUTPUT": str(tmp_path / "geo.gpkg")},
    )
    _, features = polygons(result["OUTPUT"])
    pixel_m2 = (0.0005 * 111320 * np.cos(np.radians(50.01))) * (0.0005 * 111250)
    total = sum(f["area_ha"] for f in features)
    assert total == pytest.approx(np.count_nonzero(image) * pixel_m2 / 10000.0, rel=0.01)


def test_polygonize_float_raster_is_refused_without_output(run_alg, tmp_path):
    from qgis.core import QgsProcessingException

    with rasterio.open(
        tmp_path / "float.tif",
        "w",
        driver="GTiff",
        width=8,
        height=8,
        count=1,
        dtype="float32",
        crs="EPSG:32633",
        transform=from_origin(0, 80, 10, 10),
    ) as dst:
        dst.write(np.ones((1, 8, 8), dtype=np.float32))
    with pytest.raises(QgsProcessingException, match="unsigned integer"):
        run_alg(
            "landcover:polygonize",
            {"INPUT": str(tmp_path / "float.tif"), "OUTPUT": str(tmp_path / "out.gpkg")},
        )
    assert not (tmp_path / "out.gpkg").exists()
