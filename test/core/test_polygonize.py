from __future__ import annotations

import struct

import numpy as np
import pytest
import rasterio.features
from affine import Affine
from rasterio.enums import MergeAlg
from rasterio.transform import from_origin
from scipy import ndimage

from landcover.core.postprocess import polygonize
from landcover.core.postprocess.polygonize import label_patches

TRANSFORM = from_origin(300000, 5000000, 10, 10)


def parse_wkb(data: bytes) -> list[list[np.ndarray]]:
    """Polygons (lists of rings) of a little-endian polygon or multipolygon WKB."""

    def polygon(offset):
        order, kind, count = struct.unpack_from("<BII", data, offset)
        assert (order, kind) == (1, 3)
        offset += 9
        rings = []
        for _ in range(count):
            (points,) = struct.unpack_from("<I", data, offset)
            offset += 4
            rings.append(np.frombuffer(data, "<f8", points * 2, offset).reshape(points, 2))
            offset += points * 16
        return rings, offset

    _, kind = struct.unpack_from("<BI", data, 0)
    if kind == 3:
        return [polygon(0)[0]]
    assert kind == 6
    (count,) = struct.unpack_from("<I", data, 5)
    offset, polygons = 9, []
    for _ in range(count):
        rings, offset = polygon(offset)
        polygons.append(rings)
    return polygons


def ring_area(ring):
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * abs(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))


def signed_area(ring):
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * (np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))


def polygon_area(rings):
    return ring_area(rings[0]) - sum(ring_area(r) for r in rings[1:])


def geojson(rings):
    return {"type": "Polygon", "coordinates": [r.tolist() for r in rings]}


def collect(path, **kwargs):
    patches = []
    info = polygonize.polygonize_raster(path, patches.append, **kwargs)
    return patches, info


def sample_map(shape, seed):
    """Regions, specks, rings with holes, diagonal touches, nodata and long snakes."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(0, 5, size=(shape[0] // 16 + 1, shape[1] // 16 + 1))
    image = np.kron(coarse, np.ones((16, 16), dtype=np.int64))[: shape[0], : shape[1]]
    speck = rng.random(shape) < 0.05
    image[speck] = rng.integers(0, 5, size=int(speck.sum()))
    image[5:200, 7] = 3  # a strand crossing block borders
    image[300:302, :] = 2  # and a band across the whole map
    image[100:110:2, 250:260:2] = 4  # a chequer: patches touching at corners
    return image.astype(np.uint8)


def rebuild(patches, shape):
    """Rasterize every polygon: how many polygons cover each pixel, and their class."""
    shapes = [(geojson(rings), p.code) for p in patches for rings in parse_wkb(p.wkb)]
    cover = rasterio.features.rasterize(
        [(g, 1) for g, _ in shapes],
        out_shape=shape,
        transform=TRANSFORM,
        dtype="int32",
        merge_alg=MergeAlg.add,
    )
    classes = rasterio.features.rasterize(shapes, out_shape=shape, transform=TRANSFORM)
    return cover, classes.astype(np.int32)


@pytest.mark.parametrize("dissolve", [False, True])
def test_polygons_cover_each_pixel_once_with_its_class(tmp_path, class_raster, dissolve):
    image = sample_map((520, 530), seed=1)
    class_raster(image, "map.tif", transform=TRANSFORM)
    patches, info = collect(tmp_path / "map.tif", dissolve=dissolve, max_pixels=1, workers=2)
    cover, classes = rebuild(patches, image.shape)
    assert np.array_equal(cover, (image > 0).astype(np.int32))  # no gaps, no overlaps
    assert np.array_equal(classes, image.astype(np.int32))
    for code in np.unique(image[image > 0]):
        expected = np.count_nonzero(image == code) * 100.0
        mine = [p for p in patches if p.code == code]
        assert sum(p.area for p in mine) == expected
        geometric = sum(polygon_area(r) for p in mine for r in parse_wkb(p.wkb))
        assert geometric == pytest.approx(expected, rel=1e-12)
    if dissolve:
        assert sorted(p.code for p in patches) == sorted(int(c) for c in np.unique(image) if c)
    else:
        labels, _ = label_patches(image, 4)
        assert len(patches) == info.patches == labels.max()


def test_blockwise_equals_whole_raster(tmp_path, class_raster):
    image = sample_map((520, 530), seed=2)
    class_raster(image, "map.tif", transform=TRANSFORM)
    small, _ = collect(tmp_path / "map.tif", max_pixels=1)
    whole, _ = collect(tmp_path / "map.tif", max_pixels=10**7)

    def key(patches):
        return sorted((p.code, p.pixels, round(p.perimeter, 6)) for p in patches)

    assert key(small) == key(whole)


def test_square_with_hole_and_diagonal_touch(tmp_path, class_raster):
    image = np.zeros((8, 8), dtype=np.uint8)
    image[1:7, 1:7] = 1
    image[2:4, 2:4] = 2
    image[4, 4] = 2  # touches the hole's corner diagonally: a separate patch
    class_raster(image, "map.tif", transform=TRANSFORM)
    patches, _ = collect(tmp_path / "map.tif")
    ring = next(p for p in patches if p.code == 1)
    rings = parse_wkb(ring.wkb)[0]
    assert len(rings) == 3  # shell and two holes that touch at one corner
    assert ring.area == 31 * 100.0
    assert ring.perimeter == (24 + 8 + 4) * 10.0


def test_traced_rings_match_pixels_with_self_touching_patch():
    # One patch whose boundary touches itself at a corner (a ring enclosing a pixel).
    image = np.array(
        [
            [1, 1, 1, 0],
            [1, 0, 1, 0],
            [1, 1, 0, 1],
            [0, 0, 1, 1],
        ],
        dtype=np.uint8,
    )
    ids = (image > 0).astype(np.int32)
    ids[2:, 2:] *= 2  # the lower-right piece is another patch
    found, vertices, directions = polygonize.pixel_edges(ids)
    keys = vertices * 4 + directions  # one block at the origin: raster vertex numbers
    rings = polygonize.trace_rings(keys[found == 1], 5)
    areas = sorted(round(signed_area(r), 3) for r in rings)
    assert areas == [-1.0, 8.0]  # a shell of 8 pixels around a one-pixel hole
    assert all(len(np.unique(r[:-1], axis=0)) == len(r) - 1 for r in rings)  # simple rings


def test_nodata_only_gives_nothing(tmp_path, class_raster):
    image = np.zeros((10, 10), dtype=np.uint8)
    image[0, 0] = 1
    class_raster(image, "map.tif", transform=TRANSFORM)
    patches, info = collect(tmp_path / "map.tif")
    assert [(p.code, p.pixels) for p in patches] == [(1, 1)]
    assert info.pixels == {1: 1}


def canonical(rings) -> tuple:
    """A polygon's rings, each counter-clockwise from its smallest vertex, holes sorted."""

    def ring(xy):
        xy = xy[:-1] if signed_area(xy) > 0 else xy[:0:-1]
        start = min(range(len(xy)), key=lambda i: tuple(xy[i]))
        return tuple(map(tuple, np.roll(xy, -start, axis=0).tolist()))

    return (ring(rings[0]), tuple(sorted(ring(r) for r in rings[1:])))


@pytest.mark.parametrize("max_pixels", [1, 10**7])
def test_polygons_equal_gdal_polygonize(tmp_path, class_raster, max_pixels):
    # GDAL's polygonizer is the independent reference: the same polygons, ring for
    # ring, whether a patch lies in one block or spans several.
    image = sample_map((520, 530), seed=3)
    class_raster(image, "map.tif", transform=TRANSFORM)
    patches, _ = collect(tmp_path / "map.tif", max_pixels=max_pixels, workers=2)
    reference = rasterio.features.shapes(image, mask=image > 0, connectivity=4, transform=TRANSFORM)
    expected = sorted(canonical([np.array(r) for r in g["coordinates"]]) for g, _ in reference)
    assert sorted(canonical(parse_wkb(p.wkb)[0]) for p in patches) == expected


@pytest.mark.parametrize("transform", [TRANSFORM, Affine(10, 0, 300000, 0, 10, 5000000)])
def test_shells_counter_clockwise_on_the_map(tmp_path, class_raster, transform):
    image = np.zeros((6, 6), dtype=np.uint8)
    image[1:5, 1:5] = 1
    image[2:4, 2:4] = 2  # a hole in patch 1
    class_raster(image, "map.tif", transform=transform)
    patches, _ = collect(tmp_path / "map.tif")
    outer = next(p for p in patches if p.code == 1)
    shell, hole = parse_wkb(outer.wkb)[0]
    assert signed_area(shell) == 16 * 100.0  # counter-clockwise: positive
    assert signed_area(hole) == -4 * 100.0


@pytest.mark.parametrize("connectivity", [4, 8])
@pytest.mark.parametrize("shape", [(1, 1), (1, 9), (9, 1), (37, 41), (64, 64)])
def test_labels_are_scipy_patches(connectivity, shape):
    # scipy, one class at a time, is the reference: the same partition into patches.
    rng = np.random.default_rng(sum(shape) + connectivity)
    image = rng.integers(0, 4, size=shape).astype(np.uint16)
    image[: shape[0] // 2, : shape[1] // 2] = 2  # a large patch among the noise
    labels, class_of = label_patches(image, connectivity)
    element = np.ones((3, 3), bool) if connectivity == 8 else None
    expected = np.zeros(shape, dtype=np.int64)
    for code in range(1, 4):
        found, _ = ndimage.label(image == code, element)
        expected[found > 0] = found[found > 0] + code * image.size
    pairs = np.unique(np.stack([labels.ravel(), expected.ravel()]), axis=1)
    assert labels.max() == len(np.unique(expected[expected > 0])) == len(class_of) - 1
    assert len(pairs[0]) == len(np.unique(pairs[0])) == len(np.unique(pairs[1]))
    assert np.array_equal(class_of[labels], image)
    assert np.array_equal(labels == 0, image == 0)
    firsts = [np.flatnonzero(labels.ravel() == k)[0] for k in range(1, labels.max() + 1)]
    assert firsts == sorted(firsts)  # numbered in raster order
