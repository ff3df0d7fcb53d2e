"""Polygons from a class raster, block by block, without seams.

One polygon per patch (a 4-connected group of pixels of one class), in two passes
over the raster's blocks, so memory holds a few blocks plus the polygons:

1. Each block's patches are numbered; patches of the same class that meet across a
   block border are joined (connected components of the "touches across a border"
   graph), giving every patch of the raster an id, its class and its pixel count.
2. A patch that lies in a single block is polygonized there by GDAL
   (``GDALPolygonize``, read through its Arrow stream). A patch spanning several
   blocks is traced here:
   every block contributes the pixel edges of the patch's boundary (block borders
   included), edges shared across a border cancel out, and the remaining edges are
   chained into rings once the patch's last block has been read. At a vertex where
   the patch touches itself diagonally the ring turns towards the pixel outside the
   patch, so the shell and the hole that meet there stay two rings touching at one
   point (valid simple features) instead of one self-touching ring.

Vertices lie on pixel corners: both ways compute them from integer pixel positions
with the same affine transform, so neighbouring polygons share their edges exactly,
with neither gaps nor overlaps.
"""

from __future__ import annotations

import math
import os
import struct
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from affine import Affine
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ..io.classes import CLASS_NODATA
from ..io.gdal_bindings import osgeo_raising
from ..io.progress import Progress, as_progress
from ..io.raster import (
    DEFAULT_WINDOW_PIXELS,
    Block,
    blocks_for,
    class_source,
    open_raster,
    read_class_block,
    run_blocks,
)
from .sieve import label_patches, pixels_for_raster_area, sieve_raster
from .smooth import smooth_raster

_POLYGON = struct.pack("<BI", 1, 3)


@dataclass(frozen=True)
class Patch:
    """One output polygon: ``wkb`` in the raster's CRS, area in map units squared,
    perimeter in map units, ``pixels`` the number of pixels it covers, ``name`` its
    class name (from the raster's class table, else ``class <code>``)."""

    code: int
    pixels: int
    area: float
    perimeter: float
    wkb: bytes
    name: str = ""


@dataclass(frozen=True)
class PolygonizeResult:
    """What a polygonize run produced: the raster's class table, the number of
    patches, the pixels of every class code; with a minimum area, the minimum patch
    size in pixels it stood for and a note when pixel areas vary (else None)."""

    classes: list
    patches: int
    pixels: dict[int, int] = field(default_factory=dict)
    min_size: int | None = None
    area_note: str | None = None


def polygon_wkb(rings: list[np.ndarray]) -> bytes:
    """Little-endian WKB of a polygon from closed rings, each an (n, 2) float array."""
    parts = [_POLYGON, struct.pack("<I", len(rings))]
    for ring in rings:
        parts.append(struct.pack("<I", len(ring)))
        parts.append(np.ascontiguousarray(ring, dtype="<f8").tobytes())
    return b"".join(parts)


def multipolygon_wkb(polygons: list[bytes]) -> bytes:
    """WKB of a multipolygon made of polygon WKBs (as built by :func:`polygon_wkb`)."""
    return struct.pack("<BII", 1, 6, len(polygons)) + b"".join(polygons)


class _Grid:
    """Pixel-corner coordinates to map coordinates, and measures in map units."""

    def __init__(self, transform: Affine, width: int):
        self.transform = transform
        self.stride = width + 1  # vertex id = row * stride + column
        self.pixel_width = math.hypot(transform.a, transform.d)
        self.pixel_height = math.hypot(transform.b, transform.e)
        self.pixel_area = abs(transform.a * transform.e - transform.b * transform.d)

    def to_map(self, xy: np.ndarray) -> np.ndarray:
        t = self.transform
        x, y = xy[:, 0], xy[:, 1]
        return np.column_stack((t.a * x + t.b * y + t.c, t.d * x + t.e * y + t.f))

    def perimeter(self, horizontal: float, vertical: float) -> float:
        return horizontal * self.pixel_width + vertical * self.pixel_height


# Directions of unit boundary edges: +x, +y, -x, -y in pixel (column, row) space.
_DX = np.array([1, 0, -1, 0], dtype=np.int64)
_DY = np.array([0, 1, 0, -1], dtype=np.int64)


def boundary_edges(comp: np.ndarray, wanted: np.ndarray, row: int, col: int, stride: int):
    """Directed unit edges around the pixels where ``wanted`` is True.

    ``comp`` (rows, cols) holds patch ids; an edge is emitted wherever the pixel across
    holds another id or lies outside the array. Edges keep the patch on their right
    (in row-down pixel space). Returns ``(patch ids, keys)`` with key = vertex id * 4 +
    direction, vertex ids in whole-raster pixel-corner numbering.
    """
    padded = np.pad(comp, 1, constant_values=0)
    inner = padded[1:-1, 1:-1]
    ids, keys = [], []
    sides = (
        (padded[:-2, 1:-1], 0, 0, 0),  # above differs: top edge, +x from the top-left corner
        (padded[1:-1, 2:], 1, 1, 0),  # right: +y from the top-right corner
        (padded[2:, 1:-1], 2, 1, 1),  # below: -x from the bottom-right corner
        (padded[1:-1, :-2], 3, 0, 1),  # left: -y from the bottom-left corner
    )
    for across, direction, dx, dy in sides:
        rows, cols = np.nonzero(wanted & (across != inner))
        vertex = (rows + row + dy).astype(np.int64) * stride + (cols + col + dx)
        ids.append(inner[rows, cols])
        keys.append(vertex * 4 + direction)
    return np.concatenate(ids), np.concatenate(keys)


def trace_rings(keys: np.ndarray, stride: int) -> list[np.ndarray]:
    """Chain directed unit edges into closed rings of pixel-corner (x, y) vertices.

    Pairs of opposite edges (shared by two pieces of the patch) cancel first. At a
    vertex with two ways out (the patch touches itself diagonally), the left turn is
    taken: it follows the outside pixel, keeping the rings on both sides apart.
    Rings list only corner vertices and repeat the first vertex at the end.
    """
    xy, sizes = _trace(keys, stride)
    ends = np.cumsum(sizes)
    return [np.vstack((xy[e - k : e], xy[e - k : e - k + 1])) for e, k in zip(ends, sizes)]


def _trace(keys: np.ndarray, stride: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`trace_rings` as arrays: the corner vertices of all rings, ring after ring
    (not closed), and the number of vertices of each ring. A ring starts at its edge
    of the lowest key; rings come in the order of those keys."""
    keys = np.unique(keys)
    step = _DX + _DY * stride
    vertex, direction = keys >> 2, keys & 3
    reverse = (vertex + step[direction]) * 4 + (direction + 2) % 4
    keys = keys[~np.isin(reverse, keys, assume_unique=True)]
    vertex, direction = keys >> 2, keys & 3
    target = vertex + step[direction]
    n = len(keys)
    following = np.full(n, -1, dtype=np.int64)
    for turn in (3, 0, 1):  # left, straight, right
        wanted = target * 4 + (direction + turn) % 4
        position = np.minimum(np.searchsorted(keys, wanted), n - 1)
        found = (keys[position] == wanted) & (following < 0)
        following[found] = position[found]
    if np.any(following < 0):
        raise RuntimeError("open boundary while tracing a patch")
    # The successor map is a permutation whose cycles are the rings; each ring's first
    # edge is its lowest. Pointer doubling measures every edge's distance to the last
    # edge of its ring without walking the rings one edge at a time.
    graph = coo_matrix((np.ones(n, dtype=np.int8), (np.arange(n), following)), shape=(n, n))
    _, ring = connected_components(graph, directed=True, connection="weak")
    _, first = np.unique(ring, return_index=True)
    order_of_ring = np.empty(len(first), dtype=np.int64)
    order_of_ring[np.argsort(first, kind="stable")] = np.arange(len(first))
    starts = np.zeros(n, dtype=bool)
    starts[first] = True
    last = starts[following]
    pointer = np.where(last, np.arange(n), following)
    distance = (~last).astype(np.int64)
    while True:
        ahead = pointer[pointer]
        if np.array_equal(ahead, pointer):
            break
        distance += distance[pointer]
        pointer = ahead
    length = np.bincount(ring, minlength=len(first))
    position = length[ring] - 1 - distance
    ordered = np.lexsort((position, order_of_ring[ring]))
    turns = direction[ordered]
    ring_sorted = order_of_ring[ring][ordered]
    ring_length = length[np.argsort(order_of_ring)]
    before = np.cumsum(ring_length) - ring_length
    previous = np.arange(n) - 1
    previous[before] = before + ring_length - 1
    corner = turns != turns[previous]
    corners = vertex[ordered][corner]
    xy = np.column_stack((corners % stride, corners // stride)).astype(np.float64)
    return xy, np.bincount(ring_sorted[corner], minlength=len(first))


def _ring_area(xy: np.ndarray) -> float:
    x, y = xy[:, 0], xy[:, 1]
    return 0.5 * float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))


def _ring_lengths(xy: np.ndarray) -> tuple[float, float]:
    step = np.abs(np.diff(xy, axis=0))
    return float(step[:, 0].sum()), float(step[:, 1].sum())


def traced_polygon(xy: np.ndarray, sizes: np.ndarray, grid: _Grid) -> tuple[bytes, float]:
    """WKB (shell first, then holes) and perimeter of a traced patch's rings, given as
    :func:`_trace` returns them."""
    ends = np.cumsum(sizes)
    starts = ends - sizes
    closed = sizes + 1
    at = np.cumsum(closed) - closed
    index = np.arange(int(closed.sum())) - np.repeat(at - starts, closed)
    index[at + sizes] = starts  # the closing vertex
    ring = xy[index]
    which = np.repeat(np.arange(len(sizes)), closed)
    same = which[1:] == which[:-1]
    x, y = ring[:, 0], ring[:, 1]
    cross = (x[:-1] * y[1:] - x[1:] * y[:-1])[same]
    area = np.abs(np.bincount(which[1:][same], weights=cross, minlength=len(sizes)))
    step = np.abs(np.diff(ring, axis=0))[same]
    horizontal, vertical = float(step[:, 0].sum()), float(step[:, 1].sum())
    mapped = np.ascontiguousarray(grid.to_map(ring), dtype="<f8")
    parts = [_POLYGON, struct.pack("<I", len(sizes))]
    for r in np.argsort(-area, kind="stable").tolist():  # shell first
        parts.append(struct.pack("<I", int(closed[r])))
        parts.append(mapped[at[r] : at[r] + closed[r]].tobytes())
    return b"".join(parts), grid.perimeter(horizontal, vertical)


def block_polygons(
    ids: np.ndarray, row: int, col: int, grid: _Grid
) -> tuple[list[int], list[bytes], list[float]]:
    """GDAL's polygons of the patches of ``ids`` (rows, cols; int32 patch id + 1, 0:
    none) lying at ``row``, ``col`` of the raster: ``(patch ids, WKBs, perimeters)``.

    GDAL (``GDALPolygonize``, 4-connected) traces on integer pixel-corner
    coordinates; they go to map coordinates with :meth:`_Grid.to_map`, all vertices of
    the block at once, as traced polygons do, so shared edges stay identical.
    """
    if not ids.any():
        return [], [], []
    from osgeo import gdal, ogr

    # Called on worker threads: the caller holds osgeo_raising (the bindings' mode is
    # process-wide in GDAL 3.6), and failures are also caught by their return values.
    height, width = ids.shape
    raster = gdal.GetDriverByName("MEM").Create("", width, height, 1, gdal.GDT_Int32)
    vector = ogr.GetDriverByName("Memory").CreateDataSource("")
    if raster is None or vector is None:
        raise MemoryError("GDAL could not create an in-memory dataset")
    raster.SetGeoTransform((col, 1, 0, row, 0, 1))
    band = raster.GetRasterBand(1)
    band.WriteArray(ids)
    layer = vector.CreateLayer("patches", geom_type=ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("id", ogr.OFTInteger))
    if gdal.Polygonize(band, band, layer, 0, []) not in (0, None):
        raise RuntimeError(f"GDAL could not polygonize a block: {gdal.GetLastErrorMsg()}")
    values, geometries = [], []
    for batch in layer.GetArrowStreamAsNumPy(["INCLUDE_FID=NO", "USE_MASKED_ARRAYS=NO"]):
        values.append(np.asarray(batch["id"], dtype=np.int64))
        # An object array of bytes, or of fixed-size voids when all are equally long.
        geometries.extend(map(bytes, batch[next(k for k in batch if k != "id")]))
    layer = vector = band = raster = None
    data = b"".join(geometries)
    sizes = np.fromiter(map(len, geometries), dtype=np.int64, count=len(geometries))
    starts = np.cumsum(sizes) - sizes
    ring_at, ring_points, ring_of = [], [], []
    for index, offset in enumerate(starts.tolist()):
        order, kind, rings = struct.unpack_from("<BII", data, offset)
        if (order, kind) != (1, 3):
            raise RuntimeError("GDAL returned an unexpected geometry while polygonizing")
        offset += 9
        for _ in range(rings):
            (points,) = struct.unpack_from("<I", data, offset)
            ring_at.append(offset + 4)
            ring_points.append(points)
            ring_of.append(index)
            offset += 4 + 16 * points
    at = np.asarray(ring_at, dtype=np.int64)
    points = np.asarray(ring_points, dtype=np.int64)
    raw = np.frombuffer(data, dtype=np.uint8)
    moved = raw.copy()
    xy = np.empty((int(points.sum()), 2), dtype=np.float64)
    first = np.cumsum(points) - points
    # Coordinates start at any byte: read and write them through the eight views of
    # the buffer as float64s, one per alignment.
    for shift in range(8):
        rings = np.flatnonzero(at % 8 == shift)
        if not len(rings):
            continue
        count = 2 * points[rings]
        before = np.cumsum(count) - count
        where = np.arange(int(count.sum())) + np.repeat((at[rings] - shift) // 8 - before, count)
        usable = (len(raw) - shift) // 8 * 8
        source = raw[shift : shift + usable].view("<f8")
        target = np.repeat(first[rings] * 2 - before, count) + np.arange(int(count.sum()))
        xy.reshape(-1)[target] = source[where]
        moved[shift : shift + usable].view("<f8")[where] = grid.to_map(
            xy.reshape(-1)[target].reshape(-1, 2)
        ).reshape(-1)
    # Perimeters: the pixel-unit steps between consecutive vertices of each ring.
    ring = np.repeat(np.arange(len(points)), points)
    step = np.abs(np.diff(xy, axis=0))
    same = ring[1:] == ring[:-1]
    owner = np.asarray(ring_of, dtype=np.int64)[ring[1:][same]]
    count = len(geometries)
    horizontal = np.bincount(owner, weights=step[same, 0], minlength=count)
    vertical = np.bincount(owner, weights=step[same, 1], minlength=count)
    perimeters = grid.perimeter(horizontal, vertical).tolist()
    blob = moved.tobytes()
    wkbs = [blob[a:b] for a, b in zip(starts.tolist(), (starts + sizes).tolist())]
    return (np.concatenate(values) - 1).tolist(), wkbs, perimeters


def polygonize_raster(
    input_path: str | os.PathLike,
    emit: Callable[[Patch], None],
    dissolve: bool = False,
    progress: Progress | None = None,
    max_pixels: int = DEFAULT_WINDOW_PIXELS,
    workers: int | None = None,
) -> PolygonizeResult:
    """Polygonize a class raster file; ``emit`` receives every :class:`Patch`.

    With ``dissolve``, ``emit`` instead receives one multipolygon per class at the end
    (its area, perimeter and pixels summed over the class's patches; patches of one
    class never share an edge, only corners). ``emit`` is called from the calling
    thread.
    """
    progress = as_progress(progress)
    with open_raster(input_path) as src:
        dtype, classes = class_source(src)
        names = {c.code: c.name for c in classes}
        grid = _Grid(src.transform, src.width)
        blocks = blocks_for(src, max_pixels)

        def read(block: Block) -> tuple[Block, np.ndarray]:
            return block, read_class_block(src, block, dtype)

        # Pass 1: number the patches of every block, remember block borders.
        found: dict[int, tuple] = {}

        def count(item: tuple[Block, np.ndarray]) -> tuple:
            _, image = item
            labels, class_of = label_patches(image, 4)
            sizes = np.bincount(labels.ravel(), minlength=len(class_of))
            borders = (
                labels[0].copy(),
                labels[-1].copy(),
                labels[:, 0].copy(),
                labels[:, -1].copy(),
            )
            return class_of[1:], sizes[1:], borders

        def keep(block: Block, result: tuple) -> None:
            found[block.index] = result

        run_blocks(blocks, read, count, keep, progress.span(0.0, 0.3), workers)

        offsets = {}
        total = 0
        for block in blocks:
            offsets[block.index] = total
            total += len(found[block.index][0])
        class_all = np.concatenate([[CLASS_NODATA]] + [found[b.index][0] for b in blocks])
        size_all = np.concatenate([[0]] + [found[b.index][1] for b in blocks])
        comp = _join_across_borders(blocks, found, offsets, class_all, total)
        comp_pixels = np.bincount(comp, weights=size_all).astype(np.int64)
        comp_labels = np.bincount(comp)
        comp_class = np.zeros(len(comp_labels), dtype=np.int64)
        comp_class[comp] = class_all
        found.clear()

        # Pass 2: polygons. Patch ids are component + 1 so that 0 stays nodata.
        remaining = comp_labels.copy()
        pieces: dict[int, list[np.ndarray]] = {}
        per_class: dict[int, list] = {}
        summary = {"patches": 0, "pixels": {}}

        def deliver(patch_id: int, wkb: bytes, perimeter: float) -> None:
            code = int(comp_class[patch_id])
            pixels = int(comp_pixels[patch_id])
            summary["patches"] += 1
            summary["pixels"][code] = summary["pixels"].get(code, 0) + pixels
            name = names.get(code, f"class {code}")
            patch = Patch(code, pixels, pixels * grid.pixel_area, perimeter, wkb, name)
            if dissolve:
                per_class.setdefault(code, []).append(patch)
            else:
                emit(patch)

        def shape(item: tuple[Block, np.ndarray]) -> tuple:
            block, image = item
            labels, class_of = label_patches(image, 4)
            start = offsets[block.index]
            lookup = np.zeros(len(class_of), dtype=np.int32)
            lookup[1:] = comp[start + 1 : start + len(class_of)] + 1
            spans = np.zeros(len(class_of), dtype=bool)
            spans[1:] = comp_labels[lookup[1:] - 1] > 1
            ids = lookup[labels]
            multi = spans[labels]
            row, col = int(block.window.row_off), int(block.window.col_off)
            singles = block_polygons(np.where(multi, 0, ids), row, col, grid)
            edge_ids, keys = boundary_edges(ids, multi, row, col, grid.stride)
            local = np.unique(labels[multi]) + offsets[block.index]
            seen_here = np.bincount(comp[local], minlength=0)
            touched = np.flatnonzero(seen_here)
            order = np.argsort(edge_ids, kind="stable")
            edge_ids, keys = edge_ids[order], keys[order]
            cuts = np.flatnonzero(np.diff(edge_ids)) + 1
            groups = {
                int(part_ids[0]) - 1: part_keys
                for part_ids, part_keys in zip(np.split(edge_ids, cuts), np.split(keys, cuts))
                if len(part_ids)
            }
            return singles, groups, touched, seen_here[touched]

        def write(block: Block, result: tuple) -> None:
            singles, groups, touched, counts = result
            for patch_id, wkb, perimeter in zip(*singles):
                deliver(patch_id, wkb, perimeter)
            for patch_id, keys in groups.items():
                pieces.setdefault(patch_id, []).append(keys)
            remaining[touched] -= counts
            for patch_id in touched[remaining[touched] == 0].tolist():
                xy, sizes = _trace(np.concatenate(pieces.pop(patch_id)), grid.stride)
                wkb, perimeter = traced_polygon(xy, sizes, grid)
                deliver(patch_id, wkb, perimeter)

        with osgeo_raising():
            run_blocks(blocks, read, shape, write, progress.span(0.3, 1.0), workers)

    if dissolve:
        for code in sorted(per_class):
            parts = per_class[code]
            emit(
                Patch(
                    code,
                    sum(p.pixels for p in parts),
                    sum(p.area for p in parts),
                    sum(p.perimeter for p in parts),
                    multipolygon_wkb([p.wkb for p in parts]),
                    parts[0].name,
                )
            )
    progress(1.0)
    return PolygonizeResult(classes, summary["patches"], summary["pixels"])


def polygonize_classes(
    input_path: str | os.PathLike,
    emit: Callable[[Patch], None],
    dissolve: bool = False,
    min_area: float = 0.0,
    smoothing: int = 0,
    progress: Progress | None = None,
    on_min_size: Callable[[int, str | None], None] | None = None,
    temp_dir: str | os.PathLike | None = None,
    max_pixels: int = DEFAULT_WINDOW_PIXELS,
    workers: int | None = None,
) -> PolygonizeResult:
    """Smooth, sieve and polygonize a class raster file: the whole polygonize step.

    With ``smoothing`` (a radius in pixels, 0: none) the class boundaries are first
    smoothed as :func:`.smooth.smooth_raster` does; with ``min_area`` (hectares, 0:
    none) patches smaller than that many pixels are then removed as
    :func:`.sieve.sieve_raster` does (4-connected; the size from
    :func:`.sieve.pixels_for_raster_area`, ellipsoidal pixel areas in a geographic
    CRS), and ``on_min_size(pixels, note)`` hears the size before the sieve runs. The
    intermediate rasters live in a temporary folder (in ``temp_dir``) removed on any
    exit, so a cancel or an error leaves nothing. ``emit`` receives the polygons as
    :func:`polygonize_raster` gives them.
    """
    progress = as_progress(progress)
    stages = int(smoothing > 0) + int(min_area > 0)
    min_size = note = None
    with tempfile.TemporaryDirectory(prefix="landcover-polygonize-", dir=temp_dir) as folder:
        path, done = input_path, 0.0
        if smoothing > 0:
            smoothed = Path(folder) / "smoothed.tif"
            smooth_raster(path, smoothed, smoothing, progress.span(0, 0.3), max_pixels, workers)
            path, done = smoothed, 0.3
        if min_area > 0:
            min_size, note = pixels_for_raster_area(path, min_area)
            if on_min_size is not None:
                on_min_size(min_size, note)
            sieved = Path(folder) / "sieved.tif"
            end = done + 0.3 if stages == 2 else 0.3
            sieve_raster(path, sieved, min_size, 4, progress.span(done, end), max_pixels, workers)
            path, done = sieved, end
        result = polygonize_raster(
            path, emit, dissolve, progress.span(done, 1.0), max_pixels, workers
        )
        progress.check()
    return PolygonizeResult(result.classes, result.patches, result.pixels, min_size, note)


def _join_across_borders(
    blocks: list[Block], found: dict, offsets: dict, class_all: np.ndarray, total: int
) -> np.ndarray:
    """Component of every patch number (index 0 = nodata) once patches of one class
    that touch across block borders are joined."""
    at = {(int(b.window.row_off), int(b.window.col_off)): b for b in blocks}
    first, second = [], []
    for block in blocks:
        row, col = int(block.window.row_off), int(block.window.col_off)
        h, w = block.shape
        _, bottom, _, right = found[block.index][2]
        for neighbour, mine, theirs in (
            (at.get((row, col + w)), right, 2),
            (at.get((row + h, col)), bottom, 0),
        ):
            if neighbour is None:
                continue
            other = found[neighbour.index][2][theirs]
            a = np.where(mine > 0, mine + offsets[block.index], 0)
            b = np.where(other > 0, other + offsets[neighbour.index], 0)
            same = (a > 0) & (b > 0) & (class_all[a] == class_all[b])
            first.append(a[same])
            second.append(b[same])
    size = total + 1
    if first:
        i, j = np.concatenate(first), np.concatenate(second)
    else:
        i = j = np.zeros(0, dtype=np.int64)
    graph = coo_matrix((np.ones(len(i), dtype=np.int8), (i, j)), shape=(size, size))
    _, comp = connected_components(graph, directed=False)
    return comp.astype(np.int64)
