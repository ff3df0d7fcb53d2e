from __future__ import annotations

import numpy as np
import pytest
from conftest import write_raster
from rasterio.transform import from_origin

from landcover.core.io.classes import MAP_TAG, make_classes
from landcover.core.io.errors import InputError
from landcover.core.learn.active_learning import propose_points, uniform_hash
from landcover.core.learn.classify import UNCERTAINTY_BANDS

CLASSES = make_classes([1, 2, 3], ["water", "forest", "grassland"])
TRANSFORM = from_origin(500000, 4000000, 10, 10)


def scene(size=300, seed=0):
    """Classes in three vertical bands (class 3 rare: 20 columns); the map is sure
    (margin 0.9 to 1) except in two known patches (margin below 0.2) and fairly sure
    over the rare class (0.75 to 0.9); a nodata corner."""
    rng = np.random.default_rng(seed)
    labels = np.ones((size, size), np.uint8)
    labels[:, size // 2 :] = 2
    labels[:, size - 20 :] = 3
    margin = rng.uniform(0.9, 1.0, (size, size)).astype(np.float32)
    uncertain = np.zeros((size, size), bool)
    uncertain[20:60, 20:60] = True  # class 1
    uncertain[200:230, 180:230] = True  # class 2
    margin[uncertain] = rng.uniform(0.0, 0.2, int(uncertain.sum()))
    margin[:, size - 20 :] = rng.uniform(0.75, 0.9, (size, 20))
    labels[:10, :10] = 0
    margin[:10, :10] = np.nan
    return labels, margin, uncertain


def write(tmp_path, labels, margin, map_ids=("run", "run"), transform=TRANSFORM, bands=None):
    unc = np.stack([1 - margin / 2, margin, 1 - margin]).astype(np.float32)
    class_map = write_raster(
        tmp_path / "map.tif",
        labels.astype("uint8"),
        transform=TRANSFORM,
        nodata=0,
        classes=CLASSES,
        tags={MAP_TAG: map_ids[0]} if map_ids[0] else None,
    )
    names = bands or list(UNCERTAINTY_BANDS)
    uncertainty = write_raster(
        tmp_path / "unc.tif",
        unc[: len(names)],
        transform=transform,
        nodata=float("nan"),
        descriptions=names,
        tags={MAP_TAG: map_ids[1]} if map_ids[1] else None,
        plugin_writer=True,
    )
    return uncertainty, class_map


def distances(proposals):
    xy = np.array([(p.x, p.y) for p in proposals])
    d = np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(-1))
    return d[np.triu_indices(len(xy), 1)]


@pytest.mark.parametrize("max_pixels", [1, 10**7])
def test_points_favour_uncertain_pixels_spaced_and_cover_classes(tmp_path, max_pixels):
    labels, margin, uncertain = scene()
    unc, cls = write(tmp_path, labels, margin)
    result = propose_points(unc, cls, points=60, min_distance=30.0, max_pixels=max_pixels)
    assert len(result.points) == 60
    assert distances(result.points).min() >= 30.0
    by_class = {c: [p for p in result.points if p.map_class == c] for c in (1, 2, 3)}
    assert {c: len(v) for c, v in by_class.items()} == {1: 20, 2: 20, 3: 20}
    for code in (1, 2):
        # the patches are 2 % of the class's pixels and weigh about 90 % of its draw
        on_patch = [uncertain[p.row, p.col] for p in by_class[code]]
        assert sum(on_patch) >= 14
    for p in result.points:
        assert p.uncertainty == pytest.approx(margin[p.row, p.col])
        assert labels[p.row, p.col] == p.map_class
        x, y = TRANSFORM * (p.col + 0.5, p.row + 0.5)
        assert (p.x, p.y) == pytest.approx((x, y))
    # unstratified: drawn by uncertainty alone, the rare class gets far fewer points
    plain = propose_points(unc, cls, points=60, min_distance=30.0, stratify=False)
    assert sum(uncertain[p.row, p.col] for p in plain.points) >= 42
    assert sum(p.map_class == 3 for p in plain.points) <= 10
    # another seed, another draw
    other = propose_points(unc, cls, points=60, min_distance=30.0, seed=1)
    assert {(p.row, p.col) for p in other.points} != {(p.row, p.col) for p in result.points}


def test_uniform_hash_is_uniform_and_depends_on_position_and_seed():
    rows, cols = np.divmod(np.arange(200_000), 500)
    u = uniform_hash(rows, cols, 500, 0)
    assert u.min() > 0 and u.max() < 1
    assert np.histogram(u, bins=10, range=(0, 1))[0] == pytest.approx(np.full(10, 20_000), rel=0.03)
    assert not np.allclose(u, uniform_hash(rows, cols, 500, 1))
    np.testing.assert_array_equal(u[:7], uniform_hash(rows[:7], cols[:7], 500, 0))


def test_blocks_give_the_same_points(tmp_path):
    labels, margin, _ = scene()
    unc, cls = write(tmp_path, labels, margin)
    training = [{"type": "Point", "coordinates": (500000 + 300.0, 4000000 - 300.0)}]
    a = propose_points(unc, cls, points=40, training=training, max_pixels=1, workers=2)
    b = propose_points(unc, cls, points=40, training=training, max_pixels=10**7, workers=1)
    assert a.points == b.points


def test_points_keep_away_from_training_features(tmp_path):
    labels, margin, _ = scene()
    unc, cls = write(tmp_path, labels, margin)
    # a polygon over the class-1 uncertain patch, and its surroundings
    x0, y0 = TRANSFORM * (15, 15)
    x1, y1 = TRANSFORM * (45, 45)
    polygon = {
        "type": "Polygon",
        "coordinates": [[(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]],
    }
    result = propose_points(unc, cls, points=30, min_distance=50.0, training=[polygon])
    for p in result.points:
        assert not (10 <= p.row < 50 and 10 <= p.col < 50)
    assert distances(result.points).min() >= 50.0


def test_default_spacing_is_a_few_pixels(tmp_path):
    labels, margin, _ = scene()
    unc, cls = write(tmp_path, labels, margin)
    result = propose_points(unc, cls, points=50, measure="entropy")
    assert result.min_distance == 50.0
    assert distances(result.points).min() >= 50.0


def test_fewer_points_when_too_few_candidates(tmp_path):
    labels, margin, _ = scene(size=60)
    unc, cls = write(tmp_path, labels, margin)
    result = propose_points(unc, cls, points=500, min_distance=100.0)
    assert 0 < len(result.points) < 500


def test_bad_input_is_a_clear_error(tmp_path):
    labels, margin, _ = scene(size=40)
    cases = [
        ("another classification", {"map_ids": ("a", "b")}),
        ("another grid", {"transform": from_origin(500000, 4000010, 10, 10)}),
        ("'Uncertainty' output", {"bands": ["band 1", "band 2", "band 3"]}),
        ("'Uncertainty' output", {"bands": ["max probability"]}),
    ]
    for expected, kwargs in cases:
        unc, cls = write(tmp_path, labels, margin, **kwargs)
        with pytest.raises(InputError, match=expected):
            propose_points(unc, cls, points=5)
    # without map ids, a different nodata footprint gives the other map away
    shifted = margin.copy()
    shifted[:10, :10] = 0.5
    shifted[-10:, -10:] = np.nan
    unc, cls = write(tmp_path, labels, shifted, map_ids=(None, None))
    with pytest.raises(InputError, match="different maps"):
        propose_points(unc, cls, points=5)
    unc, cls = write(tmp_path, labels, margin)
    with pytest.raises(InputError, match="number of points"):
        propose_points(unc, cls, points=0)
    with pytest.raises(InputError, match="minimum distance"):
        propose_points(unc, cls, points=3, min_distance=-1)
    with pytest.raises(InputError, match="class raster"):
        propose_points(unc, unc, points=3)
