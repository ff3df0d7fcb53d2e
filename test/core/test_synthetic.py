from __future__ import annotations

import json

import numpy as np
import pytest
import rasterio
from rasterio.crs import CRS
from rasterio.features import rasterize

from landcover.core import synthetic
from landcover.core.io.raster import read_classes


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    return synthetic.make_example_scene(tmp_path_factory.mktemp("example"))


def polygons(path, crs="EPSG:32632"):
    """(geojson geometry in ``crs``, class name) of every polygon in a GeoPackage."""
    from osgeo import ogr, osr

    dataset = ogr.Open(str(path))
    layer = dataset.GetLayer(0)
    target = osr.SpatialReference()
    target.SetFromUserInput(crs)
    source = layer.GetSpatialRef()
    for srs in (source, target):
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    transform = osr.CoordinateTransformation(source, target)
    found = []
    for feature in layer:
        geometry = feature.GetGeometryRef().Clone()
        geometry.Transform(transform)
        found.append((json.loads(geometry.ExportToJson()), feature.GetField("landcover")))
    definition = layer.GetLayerDefn()
    field = definition.GetFieldDefn(definition.GetFieldIndex("landcover"))
    return found, source.GetAuthorityCode(None), field.GetTypeName()


def test_bands_grids_and_types(scene):
    for name in ("blue", "green", "red", "nir"):
        with rasterio.open(scene[name]) as src:
            assert src.crs == CRS.from_epsg(32632)
            assert src.res == (10, 10)
            assert (src.width, src.height) == (400, 400)
            assert src.dtypes[0] == "uint16" and src.nodata == 0
            data = src.read(1)
            assert (data == 0).mean() > 0.03  # the swath edge
            assert data.max() <= 10000
    for name in ("swir1", "swir2"):
        with rasterio.open(scene[name]) as src:
            assert src.crs == CRS.from_epsg(32633)
            assert src.res == pytest.approx((20, 20))
            assert src.dtypes[0] == "uint16" and src.nodata == 0
    with rasterio.open(scene["scl"]) as src:
        assert src.crs == CRS.from_epsg(32632) and src.res == (20, 20)
        codes = set(np.unique(src.read(1)).tolist())
        assert {0, 3, 4, 5, 6, 8, 9} <= codes


def test_classes_spectra_and_clouds(scene):
    with rasterio.open(scene["truth"]) as src:
        truth = src.read(1)
        names = [c.name for c in read_classes(src)]
    assert names == ["water", "forest", "grassland", "cropland", "built-up", "bare soil"]
    shares = np.bincount(truth.ravel(), minlength=7)[1:] / truth.size
    assert (shares > 0.03).all()
    with rasterio.open(scene["nir"]) as nir, rasterio.open(scene["red"]) as red:
        n, r = nir.read(1).astype(float), red.read(1).astype(float)
    with rasterio.open(scene["scl"]) as src:
        scl = np.kron(src.read(1), np.ones((2, 2), dtype="uint8"))
    clear = (n > 0) & (r > 0) & ~np.isin(scl, synthetic.SCL_CLOUDS)
    ndvi = np.where(clear, n - r, 0) / np.where(clear, n + r, 1)
    water = ndvi[(truth == 1) & clear].mean()
    forest = ndvi[(truth == 2) & clear].mean()
    built = ndvi[(truth == 5) & clear].mean()
    assert water < 0 < built < forest
    # Texture: forest varies more between neighbours than water.
    rough = np.abs(np.diff(n, axis=1))
    inner = (truth[:, 1:] == truth[:, :-1]) & clear[:, 1:] & clear[:, :-1]
    assert rough[inner & (truth[:, 1:] == 2)].mean() > 3 * rough[inner & (truth[:, 1:] == 1)].mean()
    clouds = np.isin(scl, (8, 9))
    assert 0.01 < clouds.mean() < 0.15
    assert n[clouds & (scl == 9)].mean() > 4000


def test_polygons_lie_in_pure_regions_and_do_not_overlap(scene):
    with rasterio.open(scene["truth"]) as src:
        truth, transform = src.read(1), src.transform
    codes = {c.name: c.code for c in synthetic.EXAMPLE_CLASSES}
    training, train_epsg, field_type = polygons(scene["training"])
    validation, valid_epsg, _ = polygons(scene["validation"])
    assert (train_epsg, valid_epsg) == ("4326", "3857")
    assert field_type == "String"
    for found in (training, validation):
        per_class = {name: 0 for name in codes}
        for _, name in found:
            per_class[name] += 1
        assert min(per_class.values()) >= 3, per_class
    train_map = rasterize(
        [(g, codes[n]) for g, n in training], out_shape=truth.shape, transform=transform
    )
    valid_map = rasterize(
        [(g, codes[n]) for g, n in validation], out_shape=truth.shape, transform=transform
    )
    assert not ((train_map > 0) & (valid_map > 0)).any()
    for labels in (train_map, valid_map):
        inside = labels > 0
        assert inside.sum() > 1000
        np.testing.assert_array_equal(labels[inside], truth[inside])


def test_deterministic(scene, tmp_path):
    again = synthetic.make_example_scene(tmp_path)
    for name in ("red", "swir1", "scl", "truth"):
        with rasterio.open(scene[name]) as a, rasterio.open(again[name]) as b:
            np.testing.assert_array_equal(a.read(), b.read())
    assert polygons(scene["validation"])[0] == polygons(again["validation"])[0]
    other = synthetic.make_example_scene(tmp_path / "other", size=200, seed=1)
    with rasterio.open(other["truth"]) as src:
        assert src.shape == (200, 200)


def test_random_forest_is_good_but_not_perfect(scene):
    from sklearn.ensemble import RandomForestClassifier

    from landcover.core.prepare import align

    stack = align.align_rasters(
        [scene[name] for name in synthetic.BANDS],
        scene["truth"].with_name("stack.tif"),
        align.target_grid(scene["blue"]),
        resampling="bilinear",
    )
    with rasterio.open(stack.path) as src:
        data = src.read().astype("float32")
        transform = src.transform
    with rasterio.open(scene["scl"]) as src:
        scl = np.kron(src.read(1), np.ones((2, 2), dtype="uint8"))
    valid = (data > 0).all(axis=0) & ~np.isin(scl, synthetic.SCL_CLOUDS)
    codes = {c.name: c.code for c in synthetic.EXAMPLE_CLASSES}

    def samples(path):
        found = polygons(path)[0]
        labels = rasterize(
            [(g, codes[n]) for g, n in found], out_shape=valid.shape, transform=transform
        )
        keep = (labels > 0) & valid
        return data[:, keep].T, labels[keep]

    x_train, y_train = samples(scene["training"])
    x_valid, y_valid = samples(scene["validation"])
    model = RandomForestClassifier(60, random_state=0, n_jobs=1).fit(x_train, y_train)
    accuracy = (model.predict(x_valid) == y_valid).mean()
    assert 0.8 < accuracy < 0.99


def test_benchmark_scene_blockwise(tmp_path):
    paths = synthetic.make_benchmark_scene(tmp_path / "bench.tif", 600, bands=4, classes=5)
    with rasterio.open(paths["image"]) as src, rasterio.open(paths["truth"]) as truth:
        assert src.count == 4 and src.dtypes[0] == "uint16"
        assert src.block_shapes[0] == (256, 256)
        image, codes = src.read(), truth.read(1)
        assert src.crs == truth.crs and src.transform == truth.transform
    assert set(np.unique(codes).tolist()) <= {1, 2, 3, 4, 5}
    assert len(np.unique(codes)) >= 3
    assert image.min() >= 1
    # Class regions are smooth: neighbouring pixels mostly share a class, across
    # block edges (row 255/256) as well as inside blocks.
    assert (codes[255] == codes[256]).mean() > 0.9
    assert (codes[:, 1:] == codes[:, :-1]).mean() > 0.95
    # Class means differ, but distributions overlap.
    means = [image[0][codes == k].mean() for k in np.unique(codes)]
    assert np.ptp(means) > 100
    again = synthetic.make_benchmark_scene(tmp_path / "again.tif", 600, bands=4, classes=5)
    with rasterio.open(again["image"]) as src:
        np.testing.assert_array_equal(src.read(), image)


def test_field_variant_has_the_traits_of_real_data(tmp_path):
    from osgeo import ogr

    paths = synthetic.make_field_scene(tmp_path)
    with rasterio.open(paths["bands"]) as src:
        assert src.crs.to_epsg() is None and src.count == 6 and src.nodata == 0
        bands = src.read()
        transform = src.transform
    with rasterio.open(paths["border"]) as src:
        assert src.nodata is None
        assert (src.read(1)[:, : synthetic.FIELD_BORDER] == 0).all()
    with rasterio.open(paths["rgb"]) as src:
        assert src.count == 3 and src.descriptions == ("red", "green", "blue")
    with rasterio.open(paths["geographic"]) as src:
        assert src.crs == CRS.from_epsg(4326)
    dataset = ogr.Open(str(paths["training"]))
    layer = dataset.GetLayer(0)
    rows = [(f.GetFID(), f.GetField("landcover"), f.GetField("code")) for f in layer]
    assert 0 in {code for _, _, code in rows}
    on_nodata = [fid for fid, name, _ in rows if name == synthetic.FIELD_ON_NODATA]
    assert len(on_nodata) == 1
    assert rows[0][0] == synthetic.FIELD_TINY_ID
    found, _, _ = polygons(paths["training"], synthetic.FIELD_CRS)
    geometry = next(g for g, name in found if name == synthetic.FIELD_ON_NODATA)
    inside = rasterize([(geometry, 1)], out_shape=bands.shape[1:], transform=transform) == 1
    assert inside.any() and (bands[:, inside] == 0).all()
    tiny = rasterize([(found[0][0], 1)], out_shape=bands.shape[1:], transform=transform)
    assert not tiny.any()
