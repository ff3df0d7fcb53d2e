"""Polygons from a class raster, block by block, without seams.

One polygon per patch (a 4-connected group of pixels of one class), in two passes
over the raster's blocks, so memory holds a few blocks plus the polygons:

1. Each block's patches are numbered; patches of the same class that meet across a
   block border are joined (connected components of the "touches across a border"
   graph), giving every patch of the raster an id, its class and its pixel count.
   The block's labels wait in a temporary file for the second pass.
2. Every patch's boundary is traced from the pixel edges where the label changes,
   with whole-array arithmetic: an edge leads to the next by a sorted search, the
   rings are the cycles of that successor map, and only the corners are kept. The
   patches lying in one block are traced there, all at once. A patch spanning
   several blocks collects its edges from every block (block borders included),
   edges shared across a border cancel out, and its rings are traced once its last
   block has been read. At a vertex where the patch touches itself diagonally the
   ring turns towards the pixel outside the patch, so the shell and the hole that
   meet there stay two rings touching at one point (valid simple features) instead
   of one self-touching ring. The polygons are those of GDAL's polygonizer, ring for
   ring (a test checks this), at less cost than running it on every block.

Vertices lie on pixel corners, computed from integer pixel positions with one affine
transform, so neighbouring polygons share their edges exactly, with neither gaps nor
overlaps. Shells run counter-clockwise on the map and holes clockwise.
"""

from __future__ import annotations

import math
import os
import struct
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, NamedTuple

import numpy as np
from affine import Affine
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, depth_first_order

from ..io.classes import CLASS_NODATA
from ..io.files import write_error
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
from .sieve import check_connectivity, pixels_for_raster_area, sieve_raster
from .smooth import smooth_raster


class Patch(NamedTuple):
    """One output polygon: ``wkb`` in the raster's CRS, area in map units squared,
    perimeter in map units, ``pixels`` the number of pixels it covers, ``name`` its
    class name (from the raster's class table, else ``class <code>``). A named tuple,
    as a map can hold millions."""

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


def multipolygon_wkb(polygons: list[bytes]) -> bytes:
    """WKB of a multipolygon made of little-endian polygon WKBs."""
    return struct.pack("<BII", 1, 6, len(polygons)) + b"".join(polygons)


class _Grid:
    """Pixel-corner coordinates to map coordinates, and measures in map units."""

    def __init__(self, transform: Affine, width: int, height: int):
        self.transform = transform
        self.height = height
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
# A pixel's four sides, as (direction of its boundary edge, the pixel corner the edge
# starts from as column and row offsets, the neighbour across as row and column offsets).
_SIDES = (
    (0, 0, 0, -1, 0),  # top: +x from the top-left corner
    (1, 1, 0, 0, 1),  # right: +y from the top-right corner
    (2, 1, 1, 1, 0),  # bottom: -x from the bottom-right corner
    (3, 0, 1, 0, -1),  # left: -y from the bottom-left corner
)
# A little-endian WKB polygon header: byte order, geometry type (3), ring count.
_WKB_HEADER = np.dtype([("order", "u1"), ("kind", "<u4"), ("rings", "<u4")])


def label_patches(
    image: np.ndarray, connectivity: int = 4, nodata: int = CLASS_NODATA
) -> tuple[np.ndarray, np.ndarray]:
    """Number the patches of a class array (rows, cols).

    Returns ``(labels, class_of)``: int32 labels 1..n (0 on nodata) and, indexed by
    label, each patch's class code (``class_of[0]`` is ``nodata``). Patches are
    numbered in the raster order of their first pixel.

    Every class is labelled at once from runs (a row's stretches of one class): runs
    of one class in neighbouring rows that touch join, and the joined runs are the
    connected components of a graph with a node per run. Which runs touch changes
    only where a run starts in either row, so only those columns are looked at.
    """
    check_connectivity(connectivity)
    image = np.asarray(image)
    rows, cols = image.shape
    if image.size == 0:
        return np.zeros(image.shape, dtype=np.int32), np.array([nodata], dtype=np.int64)
    starts = np.ones(image.shape, dtype=bool)
    np.not_equal(image[:, 1:], image[:, :-1], out=starts[:, 1:])
    first = np.flatnonzero(starts)  # each run's first pixel
    code = image.reshape(-1)[first]  # and class

    def touching(upper: np.ndarray, lower: np.ndarray, shift: int, start: int) -> tuple:
        # The runs of pixels (r, c) and (r + 1, c + shift), at the columns from
        # ``start`` on where either run begins.
        at = np.flatnonzero((upper | lower).reshape(-1))
        row, col = np.divmod(at, upper.shape[1])
        pixel = row * cols + col + start
        run = np.searchsorted(first, np.concatenate((pixel, pixel + cols + shift)), "right")
        return np.split(run - 1, 2)

    pairs = [touching(starts[:-1], starts[1:], 0, 0)]
    if connectivity == 8:
        pairs.append(touching(starts[:-1, :-1], starts[1:, 1:], 1, 0))
        pairs.append(touching(starts[:-1, 1:], starts[1:, :-1], -1, 1))
    upper = np.concatenate([p[0] for p in pairs])
    lower = np.concatenate([p[1] for p in pairs])
    joined = (code[upper] == code[lower]) & (code[upper] != nodata)
    runs = len(code)
    graph = coo_matrix(
        (np.ones(int(joined.sum()), dtype=np.int8), (upper[joined], lower[joined])),
        shape=(runs, runs),
    )
    count, component = connected_components(graph, directed=False)
    # Components come in the order of their first run; nodata's are numbered 0.
    kept = np.zeros(count, dtype=bool)
    kept[component[code != nodata]] = True
    number = (np.cumsum(kept, dtype=np.int32) * kept)[component]  # each run's label
    class_of = np.full(int(number.max(initial=0)) + 1, nodata, dtype=np.int64)
    class_of[number] = code  # nodata's runs, if any, write nodata at 0
    lengths = np.diff(np.append(first, image.size))
    return np.repeat(number, lengths).reshape(rows, cols), class_of


def pixel_edges(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Directed unit edges around every patch of a block of patch labels (0: none).

    An edge lies wherever the pixel across holds another label or lies outside the
    block, and keeps its patch on the right (in row-down pixel space). Returns
    ``(labels, vertices, directions)``, one entry per edge, each vertex numbered
    ``row * (columns + 1) + column`` over the block's pixel corners.
    """
    height, width = labels.shape
    padded = np.pad(labels, 1)
    inner = padded[1:-1, 1:-1]
    sides = np.zeros(labels.shape, dtype=np.uint8)
    for direction, _, _, d_row, d_col in _SIDES:
        across = padded[1 + d_row : 1 + d_row + height, 1 + d_col : 1 + d_col + width]
        sides |= (across != inner).view(np.uint8) << direction
    sides *= (inner != 0).view(np.uint8)
    pixels = np.flatnonzero(sides)
    codes = sides.reshape(-1)[pixels]
    found, vertices, directions = [], [], []
    for direction, dx, dy, _, _ in _SIDES:
        here = pixels[(codes >> direction) & 1 == 1]
        rows, cols = np.divmod(here, width)
        found.append(labels.reshape(-1)[here])
        vertices.append((rows + dy) * (width + 1) + cols + dx)
        directions.append(np.full(len(here), direction, dtype=np.int64))
    return np.concatenate(found), np.concatenate(vertices), np.concatenate(directions)


def _raster_keys(vertices, directions, width: int, row: int, col: int, stride: int):
    """Edge keys in whole-raster vertex numbering from a block's vertex numbering."""
    rows, cols = np.divmod(vertices, width + 1)
    return ((rows + row) * stride + cols + col) * 4 + directions


def trace_rings(keys: np.ndarray, stride: int) -> list[np.ndarray]:
    """Chain directed unit edges into closed rings of pixel-corner (x, y) vertices.

    Pairs of opposite edges (shared by two pieces of the patch) cancel first. At a
    vertex with two ways out (the patch touches itself diagonally), the left turn is
    taken: it follows the outside pixel, keeping the rings on both sides apart.
    Rings list only corner vertices and repeat the first vertex at the end.
    """
    corners, sizes = _trace_corners(keys, stride, cancel=True)
    xy = np.column_stack((corners % stride, corners // stride)).astype(np.float64)
    ends = np.cumsum(sizes)
    return [np.vstack((xy[e - k : e], xy[e - k : e - k + 1])) for e, k in zip(ends, sizes)]


def _trace_corners(keys: np.ndarray, stride: int, cancel: bool) -> tuple[np.ndarray, np.ndarray]:
    """The rings that directed unit edges (key = vertex id * 4 + direction, vertex id =
    row * ``stride`` + column, plus any multiple of the vertex count to tell patches
    apart) make: their corner vertex ids, ring after ring (not closed), and the number
    of corners of each ring. A ring starts at its edge of the lowest key; rings come in
    the order of those keys. With ``cancel``, pairs of opposite edges go first."""
    keys = np.unique(keys)
    step = _DX + _DY * stride
    if cancel:
        reverse = ((keys >> 2) + step[keys & 3]) * 4 + ((keys & 3) + 2) % 4
        keys = keys[~np.isin(reverse, keys, assume_unique=True)]
    n = len(keys)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    vertex, direction = keys >> 2, keys & 3
    target = (vertex + step[direction]) * 4
    # A patch leaves a vertex by one edge, or by two where it touches itself
    # diagonally; they are the first keys at or after the target vertex's.
    first = np.searchsorted(keys, target)
    candidates = [keys[np.minimum(first + k, n - 1)] for k in (0, 1)]
    following = np.full(n, -1, dtype=np.int64)
    for turn in (3, 0, 1):  # left, straight, right
        wanted = target + (direction + turn) % 4
        for k, candidate in enumerate(candidates):
            found = (candidate == wanted) & (following < 0)
            following[found] = np.minimum(first[found] + k, n - 1)
    if np.any(following < 0):
        raise RuntimeError("open boundary while tracing a patch")
    order, sizes = _walk_cycles(following)
    turns = direction[order]
    starts = np.cumsum(sizes) - sizes
    previous = np.arange(n) - 1
    previous[starts] = starts + sizes - 1
    corner = turns != turns[previous]
    ring = np.repeat(np.arange(len(sizes)), sizes)
    return vertex[order][corner], np.bincount(ring[corner], minlength=len(sizes))


def _walk_cycles(following: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The cycles of the permutation ``following`` (``following[i]`` comes after
    ``i``), each walked from its lowest index, in the order of those indices:
    ``(indices in walking order, cycle lengths)``.

    Each cycle is cut before its lowest index and its end linked to the next cycle's
    start, so that one depth-first walk along the resulting path visits them all.
    """
    n = len(following)
    index = np.arange(n)
    graph = coo_matrix((np.ones(n, dtype=np.int8), (index, following)), shape=(n, n))
    count, cycle = connected_components(graph, directed=True, connection="weak")
    heads = np.sort(np.unique(cycle, return_index=True)[1])
    successor = following.copy()
    rank = np.full(n, -1, dtype=np.int64)
    rank[heads] = np.arange(count)
    ends = np.flatnonzero(rank[following] >= 0)  # the edge before each head
    successor[ends] = np.append(heads, -1)[rank[following[ends]] + 1]
    kept = successor >= 0
    path = coo_matrix(
        (np.ones(int(kept.sum()), dtype=np.int8), (index[kept], successor[kept])), shape=(n, n)
    )
    order = depth_first_order(path.tocsr(), int(heads[0]), directed=True, return_predecessors=False)
    walked = cycle[order]
    cuts = np.flatnonzero(walked[1:] != walked[:-1]) + 1
    sizes = np.diff(np.concatenate(([0], cuts, [n])))
    if len(order) != n or len(sizes) != count:
        raise RuntimeError("the boundary of a patch is not made of closed rings")
    return order, sizes


def ring_polygons(
    xy: np.ndarray, sizes: np.ndarray, owner: np.ndarray, grid: _Grid
) -> tuple[np.ndarray, list[bytes], np.ndarray]:
    """Polygons of traced rings, all at once.

    ``xy`` holds the rings' corners in raster pixel-corner coordinates, ring after ring
    and not closed, ``sizes`` the corners of each ring and ``owner`` the patch of each
    ring. Returns the patches (ascending), each one's WKB polygon in map coordinates
    (the shell, then the holes by decreasing area; shells run counter-clockwise on the
    map, holes clockwise) and perimeter in map units.
    """
    rings = len(sizes)
    if rings == 0:
        return np.zeros(0, dtype=np.int64), [], np.zeros(0)
    closed = sizes + 1
    at = np.cumsum(closed) - closed  # where each closed ring starts
    index = np.arange(int(closed.sum())) - np.repeat(at - (np.cumsum(sizes) - sizes), closed)
    index[at + sizes] = index[at]  # the closing vertex repeats the first
    ring_xy = xy[index]
    which = np.repeat(np.arange(rings), closed)
    same = which[1:] == which[:-1]
    segment = which[1:][same]
    x, y = ring_xy[:, 0], ring_xy[:, 1]
    area = np.abs(np.bincount(segment, (x[:-1] * y[1:] - x[1:] * y[:-1])[same], rings))
    step = np.abs(np.diff(ring_xy, axis=0))[same]
    patches, polygon = np.unique(owner, return_inverse=True)
    count = len(patches)
    horizontal = np.bincount(polygon[segment], step[:, 0], count)
    vertical = np.bincount(polygon[segment], step[:, 1], count)
    # Rings in output order: by polygon, the largest (the shell) first.
    order = np.lexsort((-area, polygon))
    polygon, closed, at = polygon[order], closed[order], at[order]
    ring_count = np.bincount(polygon, minlength=count)
    ring_bytes = 4 + 16 * closed
    polygon_bytes = 9 + np.bincount(polygon, ring_bytes, count).astype(np.int64)
    polygon_at = np.cumsum(polygon_bytes) - polygon_bytes
    before = np.cumsum(ring_bytes) - ring_bytes
    first_ring = np.cumsum(ring_count) - ring_count
    ring_at = polygon_at[polygon] + 9 + before - before[first_ring][polygon]
    # Vertices in output order; walking each ring backwards when the transform
    # mirrors (a north-up raster) keeps shells counter-clockwise on the map.
    t = grid.transform
    offset = np.arange(int(closed.sum())) - np.repeat(np.cumsum(closed) - closed, closed)
    if t.a * t.e - t.b * t.d < 0:
        offset = np.repeat(closed - 1, closed) - offset
    vertices = np.ascontiguousarray(grid.to_map(ring_xy[np.repeat(at, closed) + offset]), "<f8")
    header = np.zeros(count, dtype=_WKB_HEADER)
    header["order"], header["kind"], header["rings"] = 1, 3, ring_count
    blob = np.empty(int(polygon_bytes.sum()), dtype=np.uint8)
    header_at = (polygon_at[:, None] + np.arange(9)).reshape(-1)
    count_at = (ring_at[:, None] + np.arange(4)).reshape(-1)
    blob[header_at] = header.view(np.uint8)
    blob[count_at] = closed.astype("<u4").view(np.uint8)
    coordinate = np.ones(len(blob), dtype=bool)
    coordinate[header_at] = coordinate[count_at] = False
    blob[coordinate] = vertices.view(np.uint8).reshape(-1)
    data = blob.tobytes()
    ends = (polygon_at + polygon_bytes).tolist()
    wkbs = [data[a:b] for a, b in zip(polygon_at.tolist(), ends)]
    return patches, wkbs, grid.perimeter(horizontal, vertical)


def _traced_polygons(
    keys: np.ndarray, stride: int, corners: int, cancel: bool, grid: _Grid, row=0, col=0
) -> tuple[np.ndarray, list[bytes], np.ndarray]:
    """The polygons of edge keys (as :func:`_trace_corners` takes them) whose vertex
    ids carry their patch's number as a multiple of ``corners``, the vertex count of a
    grid ``stride`` corners wide lying at ``row``, ``col`` of the raster: ``(patch
    numbers, WKBs, perimeters)`` as :func:`ring_polygons` gives them."""
    found, sizes = _trace_corners(keys, stride, cancel)
    owner, vertex = np.divmod(found, corners)
    rows, cols = np.divmod(vertex, stride)
    xy = np.column_stack((cols + col, rows + row)).astype(np.float64)
    return ring_polygons(xy, sizes, owner[np.cumsum(sizes) - sizes], grid)


def _block_rings(found, vertices, directions, shape, row: int, col: int, grid: _Grid):
    """The polygons of the patches of a block at ``row``, ``col`` of the raster from
    their edges (as :func:`pixel_edges` gives them), traced together: ``(labels, WKBs,
    perimeters)``."""
    height, width = shape
    corners = (height + 1) * (width + 1)
    # The label, as a multiple of the corner count, keeps every patch's edges apart.
    keys = (found.astype(np.int64) * corners + vertices) * 4 + directions
    return _traced_polygons(keys, width + 1, corners, False, grid, row, col)


class _LabelStore:
    """Every block's patch labels, kept in a temporary file between the two passes
    (2 bytes per pixel, or 4 in blocks of 65536 patches or more), so that the second
    pass neither reads the raster nor labels it again."""

    def __init__(self, file: BinaryIO, folder: Path):
        self.file, self.folder = file, folder
        self.where: dict[int, tuple[int, np.dtype, tuple[int, int], int]] = {}
        self.size = 0

    @classmethod
    @contextmanager
    def temporary(cls, folder: str | os.PathLike | None) -> Iterator[_LabelStore]:
        """A store in a new temporary file in ``folder``, removed on any exit."""
        folder = Path(folder or tempfile.gettempdir())
        with tempfile.TemporaryFile(prefix="landcover-patches-", dir=folder) as file:
            yield cls(file, folder)

    def put(self, block: Block, labels: np.ndarray, patches: int) -> None:
        stored = np.ascontiguousarray(labels, np.uint16 if patches < 1 << 16 else np.int32)
        self.file.seek(self.size)
        try:
            self.file.write(memoryview(stored).cast("B"))
            self.file.flush()
        except OSError as exc:
            raise write_error(exc, self.folder / "landcover-patches") from exc
        self.where[block.index] = (self.size, stored.dtype, labels.shape, patches)
        self.size += stored.nbytes

    def get(self, block: Block) -> tuple[np.ndarray, int]:
        """A block's labels and its number of labels (nodata's 0 included)."""
        offset, dtype, shape, patches = self.where.pop(block.index)
        labels = np.empty(shape, dtype=dtype)
        self.file.seek(offset)
        self.file.readinto(memoryview(labels).cast("B"))
        return labels, patches


@dataclass
class _Numbering:
    """Pass 1's result: the first raster-wide number of every block's patches
    (``offsets``), the patch (component) of every number, and per patch its class,
    pixel count and the number of block pieces it is made of."""

    offsets: dict[int, int]
    component: np.ndarray
    code: np.ndarray
    pixels: np.ndarray
    pieces: np.ndarray


def _number_patches(src, blocks, dtype, store: _LabelStore, progress, workers) -> _Numbering:
    """Pass 1: label every block's patches (stored in ``store``) and join those of one
    class that meet across block borders."""
    found: dict[int, tuple] = {}

    def read(block: Block) -> np.ndarray:
        return read_class_block(src, block, dtype)

    def count(image: np.ndarray) -> tuple:
        labels, class_of = label_patches(image, 4)
        sizes = np.bincount(labels.reshape(-1), minlength=len(class_of))
        borders = (labels[0].copy(), labels[-1].copy(), labels[:, 0].copy(), labels[:, -1].copy())
        return class_of[1:], sizes[1:], borders, labels

    def keep(block: Block, result: tuple) -> None:
        *found[block.index], labels = result
        store.put(block, labels, len(result[0]) + 1)

    run_blocks(blocks, read, count, keep, progress, workers)
    offsets, total = {}, 0
    for block in blocks:
        offsets[block.index] = total
        total += len(found[block.index][0])
    class_all = np.concatenate([[CLASS_NODATA]] + [found[b.index][0] for b in blocks])
    size_all = np.concatenate([[0]] + [found[b.index][1] for b in blocks])
    component = _join_across_borders(blocks, found, offsets, class_all, total)
    code = np.zeros(int(component.max()) + 1, dtype=np.int64)
    code[component] = class_all
    pixels = np.bincount(component, weights=size_all).astype(np.int64)
    return _Numbering(offsets, component, code, pixels, np.bincount(component))


def _block_shapes(
    labels: np.ndarray, patches: int, block: Block, numbering: _Numbering, grid: _Grid
) -> tuple:
    """Pass 2 for one block of ``patches`` labels: the polygons of the patches lying
    wholly inside it, and the boundary edges of those spanning several blocks, grouped
    by patch."""
    start = numbering.offsets[block.index]
    lookup = numbering.component[start : start + patches].copy()  # label -> patch
    lookup[0] = 0  # nodata, a patch of one piece
    spans = numbering.pieces[lookup] > 1
    found, vertices, directions = pixel_edges(labels)
    row, col = int(block.window.row_off), int(block.window.col_off)
    inside = ~spans[found]
    ids, wkbs, perimeters = _block_rings(
        found[inside], vertices[inside], directions[inside], labels.shape, row, col, grid
    )
    across = ~inside
    edge_ids = lookup[found[across]]
    keys = _raster_keys(
        vertices[across], directions[across], labels.shape[1], row, col, grid.stride
    )
    order = np.argsort(edge_ids, kind="stable")
    edge_ids, keys = edge_ids[order], keys[order]
    cuts = np.flatnonzero(np.diff(edge_ids)) + 1
    groups = {
        int(part[0]): part_keys
        for part, part_keys in zip(np.split(edge_ids, cuts), np.split(keys, cuts))
        if len(part)
    }
    seen_here = np.bincount(lookup[np.flatnonzero(spans)], minlength=0)
    touched = np.flatnonzero(seen_here)
    return (lookup[ids], wkbs, perimeters), groups, touched, seen_here[touched]


def _spanning_polygons(
    ids: np.ndarray, edges: list[np.ndarray], grid: _Grid
) -> tuple[np.ndarray, list[bytes], np.ndarray]:
    """The polygons of patches spanning several blocks, once all their blocks are read:
    ``edges`` holds each patch's boundary edge keys from every block (raster vertex
    numbering), which are traced together."""
    corners = grid.stride * (grid.height + 1)
    # The patch's rank, as a multiple of the corner count, keeps the patches apart.
    rank = np.repeat(np.arange(len(ids), dtype=np.int64), [len(e) for e in edges])
    keys = np.concatenate(edges) + rank * (corners * 4)
    ranks, wkbs, perimeters = _traced_polygons(keys, grid.stride, corners, True, grid)
    return ids[ranks], wkbs, perimeters


def polygonize_raster(
    input_path: str | os.PathLike,
    emit: Callable[[Patch], None],
    dissolve: bool = False,
    progress: Progress | None = None,
    max_pixels: int = DEFAULT_WINDOW_PIXELS,
    workers: int | None = None,
    temp_dir: str | os.PathLike | None = None,
) -> PolygonizeResult:
    """Polygonize a class raster file; ``emit`` receives every :class:`Patch`.

    With ``dissolve``, ``emit`` instead receives one multipolygon per class at the end
    (its area, perimeter and pixels summed over the class's patches; patches of one
    class never share an edge, only corners). ``emit`` is called from the calling
    thread. Between the two passes the blocks' patch labels wait in a temporary file
    in ``temp_dir`` (2 bytes per pixel), removed on any exit.
    """
    progress = as_progress(progress)
    per_class: dict[int, list[Patch]] = {}
    with open_raster(input_path) as src, _LabelStore.temporary(temp_dir) as store:
        dtype, classes = class_source(src)
        grid = _Grid(src.transform, src.width, src.height)
        blocks = blocks_for(src, max_pixels)
        numbering = _number_patches(src, blocks, dtype, store, progress.span(0.0, 0.3), workers)
        known = {c.code: c.name for c in classes}
        present = np.unique(numbering.code[1:]).tolist()
        names = {code: known.get(code, f"class {code}") for code in present}
        remaining = numbering.pieces.copy()
        pieces: dict[int, list[np.ndarray]] = {}

        def deliver(ids: np.ndarray, wkbs: list[bytes], perimeters: np.ndarray) -> None:
            pixels = numbering.pixels[ids]
            for code, count, area, perimeter, wkb in zip(
                numbering.code[ids].tolist(),
                pixels.tolist(),
                (pixels * grid.pixel_area).tolist(),
                perimeters.tolist(),
                wkbs,
            ):
                patch = Patch(code, count, area, perimeter, wkb, names[code])
                if dissolve:
                    per_class.setdefault(code, []).append(patch)
                else:
                    emit(patch)

        def shape(item: tuple[Block, tuple[np.ndarray, int]]) -> tuple:
            block, (labels, patches) = item
            return _block_shapes(labels, patches, block, numbering, grid)

        def write(block: Block, result: tuple) -> None:
            inside, groups, touched, counts = result
            deliver(*inside)
            for patch_id, keys in groups.items():
                pieces.setdefault(patch_id, []).append(keys)
            remaining[touched] -= counts
            complete = touched[remaining[touched] == 0]
            if len(complete):
                edges = [np.concatenate(pieces.pop(i)) for i in complete.tolist()]
                deliver(*_spanning_polygons(complete, edges, grid))

        def read(block: Block) -> tuple[Block, tuple[np.ndarray, int]]:
            return block, store.get(block)

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
    totals = np.bincount(numbering.code[1:], weights=numbering.pixels[1:]).astype(np.int64)
    pixels = {code: int(totals[code]) for code in present}
    return PolygonizeResult(classes, len(numbering.code) - 1, pixels)


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
    intermediate rasters and the patch labels live in a temporary folder (in
    ``temp_dir``) removed on any exit, so a cancel or an error leaves nothing. ``emit``
    receives the polygons as :func:`polygonize_raster` gives them.
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
            path, emit, dissolve, progress.span(done, 1.0), max_pixels, workers, folder
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
