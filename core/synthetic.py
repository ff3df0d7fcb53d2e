"""Synthetic scenes: the small example shipped with the project and large benchmark images.

Both are deterministic for a given seed. The example scene imitates what a user
downloads: separate band files in two CRSs and resolutions, a nodata swath edge,
clouds with a Sentinel-2 SCL-like mask, and training and validation polygons in
GeoPackages whose CRSs differ from the rasters'.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from affine import Affine
from rasterio.crs import CRS
from rasterio.enums import Resampling
from rasterio.warp import calculate_default_transform, reproject
from scipy import ndimage

from .io.classes import ClassInfo, make_classes
from .io.gdal_bindings import osgeo_raising
from .io.progress import Progress, as_progress
from .io.raster import create_raster, geotiff_profile, plan_blocks, run_blocks

EXAMPLE_SEED = 20240601
EXAMPLE_CRS = "EPSG:32632"  # UTM 32N; the scene lies near the border with zone 33
SWIR_CRS = "EPSG:32633"
TRAINING_CRS = "EPSG:4326"
VALIDATION_CRS = "EPSG:3857"
CLASS_FIELD = "landcover"
CODE_FIELD = "code"
ORIGIN = (690000.0, 5340000.0)  # top-left corner in EPSG:32632, near Munich
PIXEL = 10.0

EXAMPLE_CLASSES: list[ClassInfo] = make_classes(
    [1, 2, 3, 4, 5, 6], ["water", "forest", "grassland", "cropland", "built-up", "bare soil"]
)
BANDS: tuple[str, ...] = ("blue", "green", "red", "nir", "swir1", "swir2")

# Mean surface reflectance x 10000 per class (rows) and band (columns).
SPECTRA = np.array(
    [
        [700, 900, 600, 350, 200, 120],  # water
        [350, 620, 380, 3000, 1500, 700],  # forest
        [480, 880, 620, 3300, 2150, 1150],  # grassland
        [520, 920, 700, 3000, 2250, 1300],  # cropland
        [1100, 1250, 1350, 2050, 2350, 2150],  # built-up
        [1050, 1350, 1650, 2350, 2950, 2550],  # bare soil
    ],
    dtype="float32",
)
CLOUD_SPECTRUM = np.array([5200, 5300, 5400, 5600, 4200, 3200], dtype="float32")

# Sentinel-2 scene classification codes used by the example mask.
SCL_NODATA, SCL_SHADOW, SCL_VEGETATION, SCL_NOT_VEGETATED, SCL_WATER = 0, 3, 4, 5, 6
SCL_CLOUD_MEDIUM, SCL_CLOUD_HIGH = 8, 9
SCL_CLOUDS: tuple[int, ...] = (3, 8, 9, 10)


def _smooth_noise(rng: np.random.Generator, shape: tuple[int, int], sigma: float) -> np.ndarray:
    """Gaussian-filtered white noise scaled to unit standard deviation."""
    field = ndimage.gaussian_filter(rng.standard_normal(shape), sigma, mode="wrap")
    return (field / (field.std() or 1.0)).astype("float32")


def _class_layout(rng: np.random.Generator, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Class codes (1..6) as smooth blobs, and the per-class soft weights used to mix
    spectra in boundary pixels; shapes (size, size) and (6, size, size)."""
    fields = np.stack([_smooth_noise(rng, (size, size), size / 14) for _ in range(6)])
    fields += np.array([-0.35, 0.1, 0.05, 0.1, -0.1, -0.2], dtype="float32")[:, None, None]
    truth = (np.argmax(fields, axis=0) + 1).astype("uint8")
    # Sharp but not hard boundaries: a pixel or two of mixture at each edge.
    weights = np.exp(40.0 * (fields - fields.max(axis=0)))
    weights /= weights.sum(axis=0)
    return truth, weights.astype("float32")


def _texture(rng: np.random.Generator, size: int) -> np.ndarray:
    """Relative brightness modulation per class (6, size, size): water smooth, forest
    crowns, grassland fine, cropland stripes, built-up blocks, bare soil mottled."""
    rows, cols = np.mgrid[0:size, 0:size].astype("float32")
    fine = rng.standard_normal((size, size)).astype("float32")
    crowns = ndimage.gaussian_filter(rng.standard_normal((size, size)), 0.8).astype("float32")
    crowns /= crowns.std()
    blocks = np.kron(rng.standard_normal((size // 3 + 1, size // 3 + 1)), np.ones((3, 3)))
    angle = 0.5 + 0.6 * _smooth_noise(rng, (size, size), size / 6)  # field orientations
    stripes = np.sin(2 * np.pi * (cols * np.cos(angle) + rows * np.sin(angle)) / 5.0)
    mottled = ndimage.gaussian_filter(rng.standard_normal((size, size)), 2.0).astype("float32")
    mottled /= mottled.std()
    return np.stack(
        [
            0.03 * fine,
            0.22 * crowns,
            0.07 * fine,
            0.22 * stripes,
            0.25 * blocks[:size, :size],
            0.10 * mottled,
        ]
    ).astype("float32")


def _surface(rng: np.random.Generator, size: int, weights: np.ndarray) -> np.ndarray:
    """Reflectance x 10000 (6 bands, size, size) of the cloud-free surface."""
    texture = _texture(rng, size)
    slow = 0.12 * _smooth_noise(rng, (size, size), size / 25)  # within-class variation
    bands = np.zeros((len(BANDS), size, size), dtype="float32")
    for k in range(6):
        # Texture varies the brightness of the class, more in the near infrared for
        # vegetation (canopy structure), equally elsewhere.
        scale = 1.0 + texture[k] + slow
        bands += weights[k] * SPECTRA[k][:, None, None] * scale
    bands *= 1.0 + 0.09 * rng.standard_normal(bands.shape).astype("float32")
    return bands


def _clouds(rng: np.random.Generator, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Cloud opacity and shadow strength (0..1), a few soft patches."""
    rows, cols = np.mgrid[0:size, 0:size].astype("float32")
    cloud = np.zeros((size, size), dtype="float32")
    shadow = np.zeros((size, size), dtype="float32")
    for _ in range(4):
        r, c = rng.uniform(0.1, 0.75, 2) * size
        radius = rng.uniform(0.025, 0.05) * size
        blob = np.exp(-(((rows - r) ** 2 + (cols - c) ** 2) / (2 * radius**2)))
        cloud = np.maximum(cloud, blob)
        dr, dc = 0.06 * size, 0.04 * size  # sun from the north-west
        shadow = np.maximum(
            shadow, np.exp(-(((rows - r - dr) ** 2 + (cols - c - dc) ** 2) / (2 * radius**2)))
        )
    lumpy = 1.0 + 0.25 * _smooth_noise(rng, (size, size), 3)
    cloud = np.clip((cloud * lumpy - 0.25) / 0.5, 0, 1)
    shadow = np.clip((shadow - 0.3) / 0.4, 0, 1) * (cloud < 0.05)
    return cloud, shadow


def _swath_edge(size: int) -> np.ndarray:
    """True outside the imaged swath: a wedge along the right edge."""
    rows, cols = np.mgrid[0:size, 0:size]
    return cols > 0.8 * size + 0.3 * rows


def _write(path: Path, data: np.ndarray, crs, transform, nodata, descriptions=None, classes=None):
    with create_raster(
        path,
        width=data.shape[2],
        height=data.shape[1],
        count=data.shape[0],
        dtype=data.dtype,
        crs=crs,
        transform=transform,
        nodata=nodata,
        descriptions=descriptions,
        classes=classes,
    ) as dst:
        dst.write(data)


def _place_polygons(
    rng: np.random.Generator,
    pure: np.ndarray,
    occupied: np.ndarray,
    count: int,
) -> list[tuple[str, tuple[int, int, int]]]:
    """Up to ``count`` shapes inside ``pure`` (a boolean map of one class), away from
    ``occupied`` pixels (updated). Rectangles are (row0, col0, row1, col1) pixel edges;
    discs are (row, col, radius) in pixels around a pixel centre."""
    rows, cols = np.nonzero(pure)
    shapes: list[tuple[str, tuple[int, int, int]]] = []
    if rows.size == 0:
        return shapes
    for _ in range(count * 40):
        if len(shapes) == count:
            break
        i = rng.integers(rows.size)
        r, c = int(rows[i]), int(cols[i])
        if rng.random() < 0.6:
            half_h, half_w = (int(v) for v in rng.integers(2, 8, 2))
            box = (r - half_h, c - half_w, r + half_h + 1, c + half_w + 1)
            shape = ("rect", box)
        else:
            radius = int(rng.integers(3, 8))
            box = (r - radius, c - radius, r + radius + 1, c + radius + 1)
            shape = ("disc", (r, c, radius))
        r0, c0, r1, c1 = box
        if r0 < 0 or c0 < 0 or r1 > pure.shape[0] or c1 > pure.shape[1]:
            continue
        if not pure[r0:r1, c0:c1].all() or occupied[r0:r1, c0:c1].any():
            continue
        gap = 4  # keep polygons apart so no pixel is shared between them
        occupied[max(0, r0 - gap) : r1 + gap, max(0, c0 - gap) : c1 + gap] = True
        shapes.append(shape)
    return shapes


def _ring(shape: tuple[str, tuple[int, ...]], transform: Affine) -> list[tuple[float, float]]:
    """Map coordinates of a shape's outline (closed ring)."""
    kind, values = shape
    if kind == "rect":
        r0, c0, r1, c1 = values
        corners = [(c0, r0), (c1, r0), (c1, r1), (c0, r1), (c0, r0)]
        return [transform * (c, r) for c, r in corners]
    r, c, radius = values
    angles = np.linspace(0, 2 * np.pi, 17)
    points = [(c + 0.5 + radius * np.cos(a), r + 0.5 + radius * np.sin(a)) for a in angles]
    points[-1] = points[0]
    return [transform * p for p in points]


def write_polygons(
    path: str | os.PathLike,
    rings: Sequence[tuple[list[tuple[float, float]], str]],
    source_crs: str,
    target_crs: str,
    layer_name: str,
    codes: dict[str, int] | None = None,
) -> Path:
    """Write polygons (outline in ``source_crs``, class name) to a GeoPackage in
    ``target_crs`` with a string field ``landcover`` and an integer ``id``; with
    ``codes`` (class name -> integer), also an integer field ``code``."""
    with osgeo_raising() as osgeo:
        return _write_polygons(osgeo, Path(path), rings, source_crs, target_crs, layer_name, codes)


def _write_polygons(osgeo, path, rings, source_crs, target_crs, layer_name, codes) -> Path:
    ogr, osr = osgeo.ogr, osgeo.osr
    source, target = osr.SpatialReference(), osr.SpatialReference()
    source.SetFromUserInput(source_crs)
    target.SetFromUserInput(target_crs)
    for srs in (source, target):
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    transform = osr.CoordinateTransformation(source, target)
    if path.exists():
        path.unlink()
    driver = ogr.GetDriverByName("GPKG")
    dataset = driver.CreateDataSource(str(path))
    layer = dataset.CreateLayer(layer_name, target, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("id", ogr.OFTInteger))
    name_field = ogr.FieldDefn(CLASS_FIELD, ogr.OFTString)
    name_field.SetWidth(32)
    layer.CreateField(name_field)
    if codes is not None:
        layer.CreateField(ogr.FieldDefn(CODE_FIELD, ogr.OFTInteger))
    layer.StartTransaction()
    for number, (ring_points, name) in enumerate(rings, start=1):
        ring = ogr.Geometry(ogr.wkbLinearRing)
        for x, y in ring_points:
            ring.AddPoint_2D(float(x), float(y))
        polygon = ogr.Geometry(ogr.wkbPolygon)
        polygon.AddGeometry(ring)
        polygon.Transform(transform)
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("id", number)
        feature.SetField(CLASS_FIELD, name)
        if codes is not None:
            feature.SetField(CODE_FIELD, codes[name])
        feature.SetGeometry(polygon)
        layer.CreateFeature(feature)
    layer.CommitTransaction()
    dataset = None  # closes and flushes the GeoPackage
    return path


def make_example_scene(
    folder: str | os.PathLike, size: int = 400, seed: int = EXAMPLE_SEED
) -> dict[str, Path]:
    """Write the example scene into ``folder`` and return its files by name.

    Keys: the band names of :data:`BANDS` (uint16 reflectance x 10000, nodata 0; blue,
    green, red and nir at 10 m in EPSG:32632, swir1 and swir2 at 20 m in EPSG:32633),
    ``scl`` (uint8 Sentinel-2-like scene classification at 20 m in EPSG:32632; clouds
    and shadows are codes 3, 8, 9, 10), ``truth`` (uint8 class codes 1..6 at 10 m with
    class names and colours), ``training`` (GeoPackage, EPSG:4326) and ``validation``
    (GeoPackage, EPSG:3857), both with the class name in the string field
    ``landcover``. ``size`` is the side of the 10 m grid in pixels.
    """
    if size < 100 or size % 2:
        raise ValueError(f"size must be an even number of pixels, at least 100 (got {size})")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    transform = Affine(PIXEL, 0.0, ORIGIN[0], 0.0, -PIXEL, ORIGIN[1])

    truth, weights = _class_layout(rng, size)
    surface = _surface(rng, size, weights)
    cloud, shadow = _clouds(rng, size)
    image = surface * (1 - 0.6 * shadow) * (1 - cloud) + CLOUD_SPECTRUM[:, None, None] * cloud
    outside = _swath_edge(size)
    bands = np.clip(np.rint(image), 1, 10000).astype("uint16")
    bands[:, outside] = 0

    paths: dict[str, Path] = {}
    for i, name in enumerate(BANDS[:4]):
        paths[name] = folder / f"{name}.tif"
        _write(paths[name], bands[i : i + 1], EXAMPLE_CRS, transform, 0, [name])

    # SWIR at 20 m in the neighbouring UTM zone, averaged from the 10 m surface.
    left, top = ORIGIN
    bounds = (left, top - size * PIXEL, left + size * PIXEL, top)
    swir_transform, width, height = calculate_default_transform(
        EXAMPLE_CRS, SWIR_CRS, size, size, *bounds, resolution=2 * PIXEL
    )
    for i, name in ((4, "swir1"), (5, "swir2")):
        coarse = np.zeros((1, height, width), dtype="uint16")
        reproject(
            bands[i],
            coarse[0],
            src_transform=transform,
            src_crs=EXAMPLE_CRS,
            src_nodata=0,
            dst_transform=swir_transform,
            dst_crs=SWIR_CRS,
            dst_nodata=0,
            resampling=Resampling.average,
        )
        paths[name] = folder / f"{name}.tif"
        _write(paths[name], coarse, SWIR_CRS, swir_transform, 0, [name])

    scl = np.where(np.isin(truth, (2, 3, 4)), SCL_VEGETATION, SCL_NOT_VEGETATED)
    scl = np.where(truth == 1, SCL_WATER, scl).astype("uint8")
    scl[shadow > 0.3] = SCL_SHADOW
    scl[cloud > 0.1] = SCL_CLOUD_MEDIUM
    scl[cloud > 0.5] = SCL_CLOUD_HIGH
    scl[outside] = SCL_NODATA
    scl20 = scl[::2, ::2].copy()
    for code in (SCL_SHADOW, SCL_CLOUD_MEDIUM, SCL_CLOUD_HIGH):  # any flag in 20 m wins
        scl20[(scl == code).reshape(size // 2, 2, size // 2, 2).any(axis=(1, 3))] = code
    paths["scl"] = folder / "scl.tif"
    _write(
        paths["scl"],
        scl20[None],
        EXAMPLE_CRS,
        transform * Affine.scale(2),
        SCL_NODATA,
        ["scene classification"],
    )

    paths["truth"] = folder / "truth.tif"
    _write(paths["truth"], truth[None], EXAMPLE_CRS, transform, 0, ["land cover"], EXAMPLE_CLASSES)

    # Polygons inside pure regions of their class, away from clouds and the swath edge.
    blocked = ndimage.binary_dilation(outside | (cloud > 0.02) | (shadow > 0.02), iterations=4)
    occupied = blocked.copy()
    training: list[tuple[list[tuple[float, float]], str]] = []
    validation: list[tuple[list[tuple[float, float]], str]] = []
    for info in EXAMPLE_CLASSES:
        pure = ndimage.binary_erosion(truth == info.code, iterations=3) & ~blocked
        for i, shape in enumerate(_place_polygons(rng, pure, occupied, 16)):
            target = validation if i % 5 in (1, 3) else training
            target.append((_ring(shape, transform), info.name))
    paths["training"] = write_polygons(
        folder / "training.gpkg", training, EXAMPLE_CRS, TRAINING_CRS, "training"
    )
    paths["validation"] = write_polygons(
        folder / "validation.gpkg", validation, EXAMPLE_CRS, VALIDATION_CRS, "validation"
    )
    return paths


# The field variant: what real data brings that the example scene does not.
# A CRS without an EPSG code (transverse Mercator on a local meridian, false easting).
FIELD_CRS = (
    "+proj=tmerc +lat_0=0 +lon_0=11.37 +k=1 +x_0=40000 +y_0=-5280000 +ellps=GRS80 "
    "+towgs84=0,0,0,0,0,0,0 +units=m +no_defs"
)
FIELD_ORIGIN = (85000.0, 60000.0)
# Integer codes of the field survey: another coding than the sorted names, with 0.
FIELD_CODES = {name: i for i, name in enumerate(c.name for c in EXAMPLE_CLASSES)}
FIELD_ON_NODATA = "bare soil"  # its only training polygon lies on a nodata gap
FIELD_TINY_ID = 1  # feature id of a training polygon smaller than a pixel
FIELD_BORDER = 12  # columns of zeros along the left edge of border.tif


def make_field_scene(
    folder: str | os.PathLike, size: int = 160, seed: int = EXAMPLE_SEED + 1
) -> dict[str, Path]:
    """Write the "field" variant of the example scene into ``folder``.

    Keys: ``bands`` (6-band uint16 stack, nodata 0, in :data:`FIELD_CRS`, which has no
    EPSG code; a nodata gap covers the only training polygon of
    :data:`FIELD_ON_NODATA`), ``rgb`` (3-band uint8 red, green, blue, no other band),
    ``geographic`` (the stack warped to EPSG:4326), ``border`` (the near infrared band
    without a nodata value, its :data:`FIELD_BORDER` left columns zero-filled),
    ``truth`` (class codes), ``training`` and ``validation`` (GeoPackages in EPSG:4326
    with the class name in ``landcover`` and the survey's integer code, 0 included, in
    ``code``; training feature :data:`FIELD_TINY_ID` is smaller than a pixel).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    transform = Affine(PIXEL, 0.0, FIELD_ORIGIN[0], 0.0, -PIXEL, FIELD_ORIGIN[1])
    crs = CRS.from_user_input(FIELD_CRS)
    truth, weights = _class_layout(rng, size)
    surface = _surface(rng, size, weights)
    bands = np.clip(np.rint(surface), 1, 10000).astype("uint16")

    occupied = np.zeros((size, size), dtype=bool)
    training: list[tuple[list[tuple[float, float]], str]] = []
    validation: list[tuple[list[tuple[float, float]], str]] = []
    gap = None
    for info in EXAMPLE_CLASSES:
        pure = ndimage.binary_erosion(truth == info.code, iterations=2)
        shapes = _place_polygons(rng, pure, occupied, 8)
        if info.name == FIELD_ON_NODATA:
            kind, values = shapes[0]
            r0, c0, r1, c1 = values if kind == "rect" else (
                values[0] - values[2], values[1] - values[2],
                values[0] + values[2] + 1, values[1] + values[2] + 1,
            )  # fmt: skip
            gap = (max(0, r0 - 2), max(0, c0 - 2), r1 + 2, c1 + 2)
            training.append((_ring(shapes[0], transform), info.name))
            validation += [(_ring(shape, transform), info.name) for shape in shapes[1:4]]
            continue
        for i, shape in enumerate(shapes):
            target = validation if i % 3 == 1 else training
            target.append((_ring(shape, transform), info.name))
    if gap is None:
        raise ValueError("the field scene has no room for its class on nodata; change the seed")
    r0, c0, r1, c1 = gap
    bands[:, r0:r1, c0:c1] = 0  # a masked cloud: nodata in every band
    # A polygon a third of a pixel wide, between pixel centres: it holds no pixel.
    x, y = transform * (size // 2 + 0.6, size // 2 + 0.6)
    tiny = [(x, y), (x + 3, y), (x + 3, y - 3), (x, y - 3), (x, y)]
    training.insert(0, (tiny, EXAMPLE_CLASSES[0].name))

    paths: dict[str, Path] = {}
    paths["bands"] = folder / "bands.tif"
    _write(paths["bands"], bands, crs, transform, 0, list(BANDS))
    rgb = np.clip(bands[[2, 1, 0]] / 8, 0, 255).astype("uint8")
    paths["rgb"] = folder / "rgb.tif"
    _write(paths["rgb"], rgb, crs, transform, None, ["red", "green", "blue"])
    border = bands[3:4].copy()
    border[:, :, :FIELD_BORDER] = 0
    paths["border"] = folder / "border.tif"
    _write(paths["border"], border, crs, transform, None, ["nir"])
    paths["truth"] = folder / "truth.tif"
    _write(paths["truth"], truth[None], crs, transform, 0, ["land cover"], EXAMPLE_CLASSES)

    left, top = FIELD_ORIGIN
    bounds = (left, top - size * PIXEL, left + size * PIXEL, top)
    geo_transform, width, height = calculate_default_transform(
        crs, "EPSG:4326", size, size, *bounds
    )
    warped = np.zeros((len(BANDS), height, width), dtype="uint16")
    for i in range(len(BANDS)):
        reproject(
            bands[i], warped[i], src_transform=transform, src_crs=crs, src_nodata=0,
            dst_transform=geo_transform, dst_crs="EPSG:4326", dst_nodata=0,
            resampling=Resampling.nearest,
        )  # fmt: skip
    paths["geographic"] = folder / "geographic.tif"
    _write(paths["geographic"], warped, "EPSG:4326", geo_transform, 0, list(BANDS))

    paths["training"] = write_polygons(
        folder / "training.gpkg", training, FIELD_CRS, TRAINING_CRS, "training", FIELD_CODES
    )
    paths["validation"] = write_polygons(
        folder / "validation.gpkg", validation, FIELD_CRS, TRAINING_CRS, "validation",
        FIELD_CODES,
    )  # fmt: skip
    return paths


def _upsample(coarse: np.ndarray, rows: np.ndarray, cols: np.ndarray, cell: int) -> np.ndarray:
    """Bilinear interpolation of ``coarse`` (k, n, m), one value per ``cell`` pixels,
    at pixel ``rows`` x ``cols``; returns (k, len(rows), len(cols)) float32."""
    r = rows / cell
    c = cols / cell
    r0, c0 = np.floor(r).astype(int), np.floor(c).astype(int)
    fr = (r - r0).astype("float32")[None, :, None]
    fc = (c - c0).astype("float32")[None, None, :]
    top = coarse[:, r0][:, :, c0] * (1 - fc) + coarse[:, r0][:, :, c0 + 1] * fc
    bottom = coarse[:, r0 + 1][:, :, c0] * (1 - fc) + coarse[:, r0 + 1][:, :, c0 + 1] * fc
    return (top * (1 - fr) + bottom * fr).astype("float32")


def make_benchmark_scene(
    path: str | os.PathLike,
    size: int,
    bands: int = 10,
    classes: int = 8,
    seed: int = 0,
    progress: Progress | None = None,
) -> dict[str, Path]:
    """Write a ``size`` x ``size`` uint16 image of ``bands`` bands and its truth raster.

    Classes (codes 1..``classes``) are smooth regions; their spectra overlap (class means
    a few hundred apart, within-class variation and noise of similar size), so
    classifiers reach good but not perfect accuracy. Written block by block: memory
    stays bounded at any size. Returns ``{"image": path, "truth": <stem>_truth.tif}``.
    """
    progress = as_progress(progress)
    path = Path(path)
    truth_path = path.with_name(f"{path.stem}_truth.tif")
    rng = np.random.default_rng(seed)
    cell, detail = 96, 24  # pixels per coarse value: class regions, within-class variation
    fields = rng.standard_normal((classes, size // cell + 2, size // cell + 2)).astype("float32")
    variation = rng.standard_normal((bands, size // detail + 2, size // detail + 2))
    variation = variation.astype("float32")
    base = rng.uniform(800, 3000, bands).astype("float32")
    means = base + rng.normal(0, 450, (classes, bands)).astype("float32")
    transform = Affine(PIXEL, 0.0, ORIGIN[0], 0.0, -PIXEL, ORIGIN[1])
    block_side = geotiff_profile(size, size, bands, "uint16")["blockxsize"]
    blocks = plan_blocks(size, size, (block_side, block_side), 512 * 512)

    def read(block):
        return block

    def compute(block):
        window = block.window
        rows = np.arange(window.row_off, window.row_off + window.height)
        cols = np.arange(window.col_off, window.col_off + window.width)
        codes = np.argmax(_upsample(fields, rows, cols, cell), axis=0)
        noise = np.random.default_rng([seed, block.index])
        image = means[codes].transpose(2, 0, 1)
        image = image + 250 * _upsample(variation, rows, cols, detail)
        image += noise.normal(0, 220, image.shape).astype("float32")
        return (
            np.clip(np.rint(image), 1, 10000).astype("uint16"),
            (codes + 1).astype("uint8")[None],
        )

    class_list = make_classes(list(range(1, classes + 1)))
    common = {"width": size, "height": size, "crs": CRS.from_string(EXAMPLE_CRS)}
    with (
        create_raster(
            path,
            count=bands,
            dtype="uint16",
            transform=transform,
            nodata=0,
            descriptions=[f"band {i}" for i in range(1, bands + 1)],
            **common,
        ) as image_dst,
        create_raster(
            truth_path,
            count=1,
            dtype="uint8",
            transform=transform,
            nodata=0,
            classes=class_list,
            **common,
        ) as truth_dst,
    ):

        def write(block, result):
            image_dst.write(result[0], window=block.window)
            truth_dst.write(result[1], window=block.window)

        run_blocks(blocks, read, compute, write, progress)
    return {"image": path, "truth": truth_path}


@dataclass
class ThinFeatureScene:
    """A scene with known truth for post-processing: ``truth`` (rows, cols) codes
    1..4 (1 = water), ``image`` (3, rows, cols) float32 reflectance-like bands,
    ``probabilities`` (4, rows, cols) float32 of a Gaussian classifier that knows the
    class means, and ``thin`` (rows, cols) True on the 2- and 3-pixel rivers and the
    small ponds."""

    truth: np.ndarray
    image: np.ndarray
    probabilities: np.ndarray
    thin: np.ndarray
    classes: list[ClassInfo]


THIN_SCENE_CLASSES: list[ClassInfo] = make_classes(
    [1, 2, 3, 4], ["water", "forest", "grassland", "cropland"]
)
# Water is distinct; the three land classes overlap, as vegetation classes do.
_THIN_MEANS = np.array(
    [[0.04, 0.03, 0.02], [0.04, 0.30, 0.15], [0.06, 0.36, 0.20], [0.08, 0.32, 0.24]],
    dtype="float32",
)
_THIN_NOISE = 0.035
_THIN_MIXING = 0.3


def make_thin_feature_scene(size: int = 256, seed: int = 0) -> ThinFeatureScene:
    """A deterministic ``size`` x ``size`` scene: three land classes in smooth regions,
    two meandering rivers 2 and 3 pixels wide, and ponds 4 to 6 pixels across."""
    rng = np.random.default_rng(seed)
    fields = np.stack([_smooth_noise(rng, (size, size), size / 12) for _ in range(3)])
    truth = (np.argmax(fields, axis=0) + 2).astype("uint8")
    rows, cols = np.mgrid[0:size, 0:size].astype("float32")
    thin = np.zeros((size, size), dtype=bool)
    for width, base, period, phase in ((2, 0.3, 0.9, 0.0), (3, 0.7, 0.6, 1.3)):
        centre = size * base + size * 0.06 * np.sin(2 * np.pi * cols / (size * period) + phase)
        thin |= (rows >= np.floor(centre)) & (rows < np.floor(centre) + width)
    for _ in range(max(4, size * size // 4096)):
        r, c = rng.integers(8, size - 8, 2)
        radius = rng.uniform(2.0, 3.0)
        thin |= (rows - r) ** 2 + (cols - c) ** 2 <= radius * radius
    land = truth.copy()
    truth[thin] = 1
    image = _THIN_MEANS[truth - 1].transpose(2, 0, 1).copy()
    # Pixels of thin water are mixed with the land around them, as at 10-30 m.
    mixed = _THIN_MEANS[land - 1].transpose(2, 0, 1)
    image[:, thin] = (1 - _THIN_MIXING) * image[:, thin] + _THIN_MIXING * mixed[:, thin]
    image += rng.normal(0.0, _THIN_NOISE, image.shape).astype("float32")
    distance = ((image[None] - _THIN_MEANS[:, :, None, None]) ** 2).sum(axis=1)
    logits = -distance / (2 * _THIN_NOISE**2)
    logits -= logits.max(axis=0)
    probabilities = np.exp(logits)
    probabilities /= probabilities.sum(axis=0)
    return ThinFeatureScene(
        truth, image, probabilities.astype("float32"), thin, list(THIN_SCENE_CLASSES)
    )
