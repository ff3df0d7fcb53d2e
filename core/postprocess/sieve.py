"""Minimum mapping unit: small patches of a class raster join their neighbours.

A patch is a connected group of pixels of one class (4- or 8-connected). One pass
replaces every patch smaller than ``min_size`` pixels at once:

* if it touches patches of at least ``min_size`` pixels, it takes the class it shares
  the longest border with among those (border = pixel edges; a tie goes to the smaller
  class code);
* otherwise (it only touches other small patches) it takes the class of its largest
  neighbouring patch, provided that one is larger than itself (equal sizes: the
  smaller class code wins), so that small neighbours never swap classes;
* nodata is never merged into and never changes; a patch touching nothing but nodata
  stays as it is.

Passes repeat until nothing changes, so clusters of small patches are absorbed from
their edges inward. A pass over a file needs every patch's size, however far it
extends, so :func:`sieve_raster` numbers the patches of each block and joins the
numbers of one patch across block edges; the passes then run on that graph of patches
(after a pass, the patches are groups of neighbours that now share a class, their
sizes and borders the sums of their parts'), and the map is written block by block
once: memory is set by the window size and the number of patches, not by the minimum
size, and the result is exactly the whole-raster one.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
from scipy import ndimage

from ..io.classes import CLASS_NODATA
from ..io.errors import InputError
from ..io.files import move_into_place, partial_path, remove_quietly, remove_stale_partials
from ..io.progress import Progress, as_progress
from ..io.raster import (
    DEFAULT_WINDOW_PIXELS,
    Block,
    blocks_for,
    check_writable,
    create_raster,
    open_raster,
    read_block,
    run_blocks,
)
from .majority import class_source, present_codes

MAX_PASSES = 50


def structure(connectivity: int) -> np.ndarray:
    """The scipy labelling structure for 4- or 8-connected patches."""
    if connectivity == 4:
        return ndimage.generate_binary_structure(2, 1)
    if connectivity == 8:
        return np.ones((3, 3), dtype=bool)
    raise InputError(f"connectivity must be 4 or 8, not {connectivity}")


def label_patches(
    image: np.ndarray, connectivity: int = 4, nodata: int = CLASS_NODATA
) -> tuple[np.ndarray, np.ndarray]:
    """Number the patches of a class array (rows, cols).

    Returns ``(labels, class_of)``: int32 labels 1..n (0 on nodata) and, indexed by
    label, each patch's class code (``class_of[0]`` is ``nodata``). Numbering is
    deterministic: by class code, then in raster order.
    """
    labels = np.zeros(image.shape, dtype=np.int32)
    counts = [1]
    codes = [nodata]
    element = structure(connectivity)
    patch = np.empty(image.shape, dtype=np.int32)
    total = 0
    for code in present_codes(image, nodata):
        mask = image == code
        count = ndimage.label(mask, element, output=patch)
        # ndimage.label numbers from 1, so adding the patches counted so far where the
        # class lies gives every class its own run of numbers.
        np.add(patch, total, out=labels, where=mask)
        total += count
        counts.append(count)
        codes.append(code)
    return labels, np.repeat(np.asarray(codes, dtype=np.int64), counts)


def _shared_edges(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pixel edge between two different patches, once in each direction."""
    pairs = []
    for a, b in ((labels[:, :-1], labels[:, 1:]), (labels[:-1, :], labels[1:, :])):
        between = (a != b) & (a > 0) & (b > 0)
        pairs.append((a[between], b[between]))
    first = np.concatenate([p[0] for p in pairs] + [p[1] for p in pairs])
    second = np.concatenate([p[1] for p in pairs] + [p[0] for p in pairs])
    return first, second


def _first_per_group(groups: np.ndarray, order: list[np.ndarray]) -> np.ndarray:
    """Index of the best row of each group, rows ranked by ``order`` (last key first)."""
    ranked = np.lexsort([*order, groups])
    keep = np.ones(len(ranked), dtype=bool)
    keep[1:] = groups[ranked][1:] != groups[ranked][:-1]
    return ranked[keep]


def merge_targets(
    sizes: np.ndarray,
    class_of: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    border: np.ndarray,
    min_size: int,
) -> np.ndarray:
    """The class every patch has after one pass (see the module description).

    ``sizes`` and ``class_of`` are indexed by patch (0: nodata); ``src``, ``dst`` and
    ``border`` list, in both directions, pixel edges shared by two patches of different
    classes (``border`` edges between ``src`` and ``dst``; a pair may repeat).
    """
    new_class = class_of.copy()
    small = sizes < min_size
    small[0] = False
    if not small.any():
        return new_class
    touching = small[src]
    src, dst, border = src[touching], dst[touching], border[touching]
    settled = np.zeros(len(class_of), dtype=bool)
    big = ~small[dst]
    if big.any():
        width = int(class_of.max()) + 1
        pairs = src[big].astype(np.int64) * width + class_of[dst[big]]
        keys, inverse = np.unique(pairs, return_inverse=True)
        length = np.bincount(inverse.ravel(), weights=border[big])
        patch, code = np.divmod(keys, width)
        # Keys are sorted by patch, then code: the first key of a patch reaching its
        # longest border is the smallest code among the longest.
        start = np.flatnonzero(np.concatenate(([True], patch[1:] != patch[:-1])))
        longest = np.maximum.reduceat(length, start)
        group = np.cumsum(np.concatenate(([False], patch[1:] != patch[:-1])))
        reach = np.flatnonzero(length == longest[group])
        best = reach[np.concatenate(([True], group[reach][1:] != group[reach][:-1]))]
        new_class[patch[best]] = code[best]
        settled[patch[best]] = True
    larger = (sizes[dst] > sizes[src]) | (
        (sizes[dst] == sizes[src]) & (class_of[dst] < class_of[src])
    )
    candidates = ~big & larger & ~settled[src]
    if candidates.any():
        s, d = src[candidates], dst[candidates]
        best = _first_per_group(s, [class_of[d], -sizes[d]])
        new_class[s[best]] = class_of[d[best]]
    return new_class


def sieve_pass(
    image: np.ndarray, min_size: int, connectivity: int = 4, nodata: int = CLASS_NODATA
) -> np.ndarray:
    """One sieve pass over a class array (see the module description)."""
    labels, class_of = label_patches(image, connectivity, nodata)
    sizes = np.bincount(labels.ravel(), minlength=len(class_of))
    if not (sizes[1:] < min_size).any():
        return image.copy()
    src, dst = _shared_edges(labels)
    new_class = merge_targets(sizes, class_of, src, dst, np.ones(len(src)), min_size)
    return new_class[labels].astype(image.dtype, copy=False)


def sieve(
    image: np.ndarray,
    min_size: int,
    connectivity: int = 4,
    nodata: int = CLASS_NODATA,
    max_passes: int = MAX_PASSES,
) -> np.ndarray:
    """Sieve a whole class array: passes of :func:`sieve_pass` until nothing changes."""
    result = np.asarray(image)
    for _ in range(max_passes):
        following = sieve_pass(result, min_size, connectivity, nodata)
        if np.array_equal(following, result):
            break
        result = following
    return result


def pixels_for_area(hectares: float, pixel_area_m2: float) -> int:
    """The number of whole pixels of ``pixel_area_m2`` square metres covering at least
    ``hectares``."""
    if not pixel_area_m2 > 0:
        raise InputError("the raster has no usable pixel size; check its georeferencing")
    return max(1, math.ceil(hectares * 10000.0 / pixel_area_m2 - 1e-9))


def pixels_for_raster_area(path: str | os.PathLike, hectares: float) -> tuple[int, str | None]:
    """The minimum patch size in pixels for ``hectares`` on the raster at ``path``,
    and a note when pixel areas vary (a geographic CRS: areas on the ellipsoid, per
    row, from :func:`.area_estimation.pixel_areas_m2`; the centre row's area is used).
    """
    from ..accuracy.area_estimation import pixel_areas_m2
    from ..io.raster import open_raster

    with open_raster(path) as src:
        areas = pixel_areas_m2(src.transform, src.crs, src.height)
    if areas is None or not areas.size:
        raise InputError(
            "the raster has no coordinate reference system, so a minimum area in hectares "
            "cannot be turned into pixels; set its CRS, or give the minimum size in pixels"
        )
    centre = float(areas[areas.size // 2])
    size = pixels_for_area(hectares, centre)
    if areas.max() - areas.min() <= 1e-6 * areas.max():
        return size, None
    return size, (
        f"The raster is in a geographic CRS (degrees): its pixels cover "
        f"{areas.min():,.1f} to {areas.max():,.1f} m\u00b2 on the ellipsoid, so "
        f"{hectares:g} ha is taken as {size} pixels of {centre:,.1f} m\u00b2 (the centre row)."
    )


@dataclass(frozen=True)
class SieveResult:
    """What :func:`sieve_raster` did: ``passes`` evaluated, pixels ``changed`` (summed
    over the passes) and the class table carried to the output."""

    passes: int
    changed: int
    classes: list


@dataclass
class _BlockPatches:
    """The patches of one block, numbered 1..n locally (0: nodata)."""

    class_of: np.ndarray  # (n + 1,) class codes
    sizes: np.ndarray  # (n + 1,) pixels in this block
    src: np.ndarray  # edges between patches of different classes inside the block,
    dst: np.ndarray  # aggregated, only from patches small within the block
    border: np.ndarray
    corners: tuple[np.ndarray, np.ndarray]  # 8-connected: patches meeting at a corner only
    edges: tuple[np.ndarray, ...]  # labels and classes of the top, bottom, left, right rows


def _block_patches(
    image: np.ndarray, min_size: int, connectivity: int
) -> tuple[np.ndarray, _BlockPatches]:
    labels, class_of = label_patches(image, connectivity)
    sizes = np.bincount(labels.ravel(), minlength=len(class_of))
    src, dst = _shared_edges(labels)
    # A patch that is large within one block is large in the whole raster: its edges
    # can never decide anything, and it never changes class.
    keep = sizes[src] < min_size
    width = np.int64(len(class_of))
    keys = src[keep].astype(np.int64) * width + dst[keep]
    keys, border = np.unique(keys, return_counts=True)
    src, dst = np.divmod(keys, width)
    corners = (np.zeros(0, np.int64), np.zeros(0, np.int64))
    if connectivity == 8:
        a = np.concatenate([labels[:-1, :-1].ravel(), labels[:-1, 1:].ravel()])
        b = np.concatenate([labels[1:, 1:].ravel(), labels[1:, :-1].ravel()])
        meet = (a != b) & (a > 0) & (b > 0)
        a, b = a[meet], b[meet]
        meet = (sizes[a] < min_size) | (sizes[b] < min_size)
        keys = np.unique(a[meet].astype(np.int64) * width + b[meet])
        corners = np.divmod(keys, width)
    edges = []
    for line in (labels[0], labels[-1], labels[:, 0], labels[:, -1]):
        edges.extend([line.copy(), class_of[line]])
    return labels, _BlockPatches(class_of, sizes, src, dst, border, corners, tuple(edges))


class _Patches:
    """Patches of a whole raster, gathered block by block in raster order.

    Patches are numbered per block; the numbers of two blocks' parts of one patch are
    joined across the block edges, so memory grows with the number of patches and the
    raster width, never with the minimum size.
    """

    def __init__(self, width: int, connectivity: int) -> None:
        self.connectivity = connectivity
        self.offsets: list[int] = []
        self.class_of: list[np.ndarray] = [np.zeros(1, dtype=np.int64)]
        self.sizes: list[np.ndarray] = [np.zeros(1, dtype=np.int64)]
        self.count = 0
        self.pairs: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.joins: list[tuple[np.ndarray, np.ndarray]] = []
        self.corners: list[tuple[np.ndarray, np.ndarray]] = []
        self.above = np.zeros(width, dtype=np.int64)  # labels of the row above this block row
        self.above_class = np.zeros(width, dtype=np.int64)
        self.below = np.zeros(width, dtype=np.int64)
        self.below_class = np.zeros(width, dtype=np.int64)
        self.row = -1
        self.left: tuple[np.ndarray, np.ndarray] | None = None

    def add(self, block: Block, found: _BlockPatches) -> None:
        offset = self.count
        self.offsets.append(offset)
        n = len(found.class_of) - 1
        self.count += n
        self.class_of.append(found.class_of[1:].astype(np.int64))
        self.sizes.append(found.sizes[1:].astype(np.int64))
        self.pairs.append((found.src + offset, found.dst + offset, found.border))
        self.corners.append((found.corners[0] + offset, found.corners[1] + offset))
        top, top_c, bottom, bottom_c, left, left_c, right, right_c = found.edges
        shift = [
            np.where(line > 0, line.astype(np.int64) + offset, 0)
            for line in (top, bottom, left, right)
        ]
        top, bottom, left, right = shift
        c0, c1 = int(block.window.col_off), int(block.window.col_off + block.window.width)
        if block.window.row_off != self.row:  # a new row of blocks
            self.row = block.window.row_off
            self.above, self.below = self.below, self.above
            self.above_class, self.below_class = self.below_class, self.above_class
            self.left = None
        if self.row > 0:
            self._across(top, top_c, self.above, self.above_class, c0, c1)
        if self.left is not None:
            self._across(left, left_c, *self.left, None, None)
        self.below[c0:c1], self.below_class[c0:c1] = bottom, bottom_c
        self.left = (right, right_c)

    def _across(self, here, here_c, there, there_c, c0: int | None, c1: int | None) -> None:
        """Join or pair pixels of this block's first row (or column) with the line of
        the neighbouring block beside it (``c0:c1`` of a whole-width row)."""
        side = there[c0:c1] if c0 is not None else there
        side_c = there_c[c0:c1] if c0 is not None else there_c
        both = (here > 0) & (side > 0)
        same = both & (here_c == side_c)
        self.joins.append((here[same], side[same]))
        other = both & ~same
        a, b = here[other], side[other]
        ones = np.ones(2 * len(a), dtype=np.int64)
        self.pairs.append((np.concatenate([a, b]), np.concatenate([b, a]), ones))
        if self.connectivity == 8:
            full, full_c = there, there_c
            start = c0 if c0 is not None else 0
            for step in (-1, 1):
                index = np.arange(len(here)) + start + step
                inside = (index >= 0) & (index < len(full))
                h, h_c = here[inside], here_c[inside]
                d, d_c = full[index[inside]], full_c[index[inside]]
                meet = (h > 0) & (d > 0)
                join = meet & (h_c == d_c)
                self.joins.append((h[join], d[join]))
                self.corners.append((h[meet & ~join], d[meet & ~join]))

    def resolve(self, min_size: int, max_passes: int) -> tuple[np.ndarray, np.ndarray, int, int]:
        """Run the passes on the graph of patches.

        A pass changes whole patches, so the patches of the map after it are groups of
        the patches before it: neighbours (sharing a pixel edge, or for 8-connected
        patches a corner) that now have the same class. Sizes add up and borders between
        groups are the sums of their parts' borders, so every pass is decided exactly
        without reading the raster again. Returns ``(new_class, old_class, passes,
        changed)``, the classes indexed by block-local patch number (0: nodata).
        """
        class_of = np.concatenate(self.class_of)
        n = len(class_of)
        a, b = _concat(self.joins)
        root = _components(n, a, b)
        patches = int(root.max()) + 1
        size = np.bincount(root, weights=np.concatenate(self.sizes), minlength=patches)
        size = size.astype(np.int64)
        current = np.zeros(patches, dtype=np.int64)
        current[root] = class_of
        src = root[np.concatenate([p[0] for p in self.pairs])]
        dst = root[np.concatenate([p[1] for p in self.pairs])]
        border = np.concatenate([p[2] for p in self.pairs]).astype(np.float64)
        corner_a, corner_b = (root[c] for c in _concat(self.corners))
        src, dst, border = _aggregate(src, dst, border, size, min_size)
        corner_a, corner_b = _corners(corner_a, corner_b, size, min_size)
        passes = changed = 0
        while passes < max_passes:
            passes += 1
            new = merge_targets(size, current, src, dst, border, min_size)
            moved = new != current
            if not moved.any():
                break
            changed += int(size[moved].sum())
            join = new[src] == new[dst]
            ja, jb = src[join], dst[join]
            if self.connectivity == 8:
                meet = new[corner_a] == new[corner_b]
                ja = np.concatenate([ja, corner_a[meet]])
                jb = np.concatenate([jb, corner_b[meet]])
            group = _components(patches, ja, jb)
            patches = int(group.max()) + 1
            root = group[root]
            size = np.bincount(group, weights=size, minlength=patches).astype(np.int64)
            current = np.zeros(patches, dtype=np.int64)
            current[group] = new
            src, dst, border = _aggregate(group[src], group[dst], border, size, min_size)
            corner_a, corner_b = _corners(group[corner_a], group[corner_b], size, min_size)
        return current[root], class_of, passes, changed


def _concat(pairs: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    empty = [np.zeros(0, dtype=np.int64)]
    return (
        np.concatenate([p[0] for p in pairs] + empty).astype(np.int64),
        np.concatenate([p[1] for p in pairs] + empty).astype(np.int64),
    )


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected component of each of ``n`` nodes joined by the pairs ``a``, ``b``,
    numbered in node order (so node 0, nodata, never joined, stays 0)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    # One entry per pair: repeated entries would be summed, and a sum can wrap around
    # to zero in a small integer type, losing the join.
    a, b = np.divmod(np.unique(a * np.int64(n) + b), np.int64(n))
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    return component.astype(np.int64)


def _corners(a, b, size, min_size: int):
    """The pairs of different patches meeting at a corner, one of them small (only a
    small patch changes class, so only its corners can join two patches)."""
    keep = (a != b) & ((size[a] < min_size) | (size[b] < min_size))
    return a[keep], b[keep]


def _aggregate(src, dst, weight, size, min_size: int):
    """The pairs of different patches whose first one is small (a pair may repeat;
    :func:`merge_targets` sums its borders)."""
    keep = (src != dst) & (size[src] < min_size)
    return src[keep], dst[keep], weight[keep]


def sieve_raster(
    input_path: str | os.PathLike,
    output_path: str | os.PathLike,
    min_size: int,
    connectivity: int = 4,
    progress: Progress | None = None,
    max_pixels: int = DEFAULT_WINDOW_PIXELS,
    workers: int | None = None,
    max_passes: int = MAX_PASSES,
) -> SieveResult:
    """Remove patches smaller than ``min_size`` pixels from a class raster file.

    The map is read twice, block by block without any halo: first to number the
    patches of every block and join them across block edges (so the size of every
    patch and the borders of the small ones are known), then, once the passes have
    been run on that graph of patches (at most ``max_passes``, until one changes
    nothing), to write each pixel's new class to a temporary raster beside the output,
    renamed into place when complete. Memory is set by the window size and the number
    of patches, not by ``min_size``; the result equals :func:`sieve` on the whole array.
    """
    if min_size < 1:
        raise InputError(f"the minimum patch size must be 1 pixel or more, not {min_size}")
    structure(connectivity)
    output_path = check_writable(output_path)
    progress = as_progress(progress)
    with open_raster(input_path) as src:
        _, classes = class_source(src)
        pixels = src.width * src.height
    if min_size > pixels:
        raise InputError(
            f"the minimum patch size ({min_size:,} pixels) is larger than the whole raster "
            f"({pixels:,} pixels); choose a smaller size or area"
        )
    remove_stale_partials(output_path)
    workdir = partial_path(output_path, "")
    workdir.mkdir()
    try:
        labels = workdir / "patches.tif"
        plan, passes, changed = _gather(
            input_path,
            labels,
            min_size,
            connectivity,
            max_passes,
            progress.span(0.0, 0.5),
            max_pixels,
            workers,
        )
        target = workdir / "sieved.tif"
        _relabel(input_path, labels, target, plan, progress.span(0.5, 1.0), max_pixels, workers)
        progress.check()
        remove_quietly(output_path)
        move_into_place(target, output_path)
        progress(1.0)
    finally:
        remove_quietly(workdir)
    return SieveResult(passes, changed, classes)


def _class_blocks(src, max_pixels: int) -> tuple[list[Block], Callable[[Block], np.ndarray]]:
    dtype, _ = class_source(src)

    def read(block: Block) -> np.ndarray:
        data, valid = read_block(src, block, [1])
        return np.where(valid, data[0], CLASS_NODATA).astype(dtype, copy=False)

    return blocks_for(src, max_pixels), read


def _gather(path, labels_path, min_size, connectivity, max_passes, progress, max_pixels, workers):
    """Number, measure and join the patches, keeping every block's patch numbers in
    ``labels_path`` (compressed int32) so that writing needs no second labelling."""
    from ..io.raster import gdal_write_errors, geotiff_profile

    with open_raster(path) as src:
        blocks, read = _class_blocks(src, max_pixels)
        patches = _Patches(src.width, connectivity)
        profile = geotiff_profile(src.width, src.height, 1, "int32", "ZSTD")
        profile.update(ZSTD_LEVEL=1, crs=src.crs, transform=src.transform)  # speed over size
        with (
            gdal_write_errors(Path(labels_path)),
            rasterio.open(labels_path, "w", **profile) as out,
        ):

            def keep(block: Block, found: tuple[np.ndarray, _BlockPatches]) -> None:
                labels, block_patches = found
                out.write(labels, 1, window=block.window)
                patches.add(block, block_patches)

            run_blocks(
                blocks,
                read,
                lambda image: _block_patches(image, min_size, connectivity),
                keep,
                progress,
                workers,
            )
    new_class, old_class, passes, changed = patches.resolve(min_size, max_passes)
    # A block none of whose patches changes class is copied as it is.
    differs = np.concatenate([[0], np.cumsum(new_class != old_class)])
    bounds = [*patches.offsets, len(new_class) - 1]
    touched = [bool(differs[b + 1] - differs[a + 1]) for a, b in zip(bounds, bounds[1:])]
    return (bounds, touched, new_class), passes, changed


def _relabel(path, labels_path, target, plan, progress, max_pixels, workers) -> None:
    """Write ``path`` with every patch given its new class (``plan`` from _gather)."""
    bounds, touched, new_class = plan
    with open_raster(path) as src, open_raster(labels_path) as numbers:
        dtype, classes = class_source(src)
        blocks, read = _class_blocks(src, max_pixels)

        def fetch(block: Block) -> tuple[Block, np.ndarray]:
            if not touched[block.index]:
                return block, read(block)
            return block, numbers.read(1, window=block.window)

        def compute(item: tuple[Block, np.ndarray]) -> np.ndarray:
            block, data = item
            if not touched[block.index]:
                return data
            start, end = bounds[block.index], bounds[block.index + 1]
            lookup = np.empty(end - start + 1, dtype=dtype)
            lookup[0] = CLASS_NODATA
            lookup[1:] = new_class[start + 1 : end + 1]
            return lookup[data]

        with create_raster(
            target,
            width=src.width,
            height=src.height,
            count=1,
            dtype=dtype,
            crs=src.crs,
            transform=src.transform,
            nodata=CLASS_NODATA,
            classes=classes,
            overviews=True,
        ) as dst:
            run_blocks(
                blocks,
                fetch,
                compute,
                lambda block, result: dst.write(result, 1, window=block.window),
                progress,
                workers,
            )
