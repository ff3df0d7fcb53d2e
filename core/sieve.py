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
their edges inward. Every decision of a pass depends only on pixels within
``2 * min_size`` of the pixel (a patch of fewer than ``min_size`` pixels spans fewer than
``min_size`` pixels in every direction), so each pass runs block by block with that halo
and gives exactly the whole-raster result, with memory set by the window size.
"""

from __future__ import annotations

import math
import os
import shutil
import uuid
from pathlib import Path

import numpy as np
from scipy import ndimage

from .classes import CLASS_NODATA
from .errors import InputError
from .majority import present_codes, process_class_raster
from .progress import Progress, as_progress
from .raster import DEFAULT_WINDOW_PIXELS, check_writable, move_raster

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
    class_of = [nodata]
    element = structure(connectivity)
    for code in present_codes(image, nodata):
        patch, count = ndimage.label(image == code, element, output=np.int32)
        inside = patch > 0
        labels[inside] = patch[inside] + (len(class_of) - 1)
        class_of.extend([code] * count)
    return labels, np.asarray(class_of, dtype=np.int64)


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


def sieve_pass(
    image: np.ndarray, min_size: int, connectivity: int = 4, nodata: int = CLASS_NODATA
) -> np.ndarray:
    """One sieve pass over a class array (see the module description)."""
    labels, class_of = label_patches(image, connectivity, nodata)
    sizes = np.bincount(labels.ravel(), minlength=len(class_of))
    small = sizes < min_size
    small[0] = False
    if not small.any():
        return image.copy()
    src, dst = _shared_edges(labels)
    touching = small[src]
    src, dst = src[touching], dst[touching]
    new_class = class_of.copy()

    big = ~small[dst]
    if big.any():
        pairs = src[big] * (int(class_of.max()) + 1) + class_of[dst[big]]
        keys, border = np.unique(pairs, return_counts=True)
        patch, code = np.divmod(keys, int(class_of.max()) + 1)
        best = _first_per_group(patch, [code, -border])
        new_class[patch[best]] = code[best]
        settled = np.zeros(len(class_of), dtype=bool)
        settled[patch[best]] = True
    else:
        settled = np.zeros(len(class_of), dtype=bool)

    larger = (sizes[dst] > sizes[src]) | (
        (sizes[dst] == sizes[src]) & (class_of[dst] < class_of[src])
    )
    candidates = ~big & larger & ~settled[src]
    if candidates.any():
        s, d = src[candidates], dst[candidates]
        best = _first_per_group(s, [class_of[d], -sizes[d]])
        new_class[s[best]] = class_of[d[best]]
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


def sieve_halo(min_size: int) -> int:
    """Pixels of context one pass needs around a block to be exact."""
    return max(1, 2 * min_size)


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
    from .area_estimation import pixel_areas_m2
    from .raster import open_raster

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


def sieve_raster(
    input_path: str | os.PathLike,
    output_path: str | os.PathLike,
    min_size: int,
    connectivity: int = 4,
    progress: Progress | None = None,
    max_pixels: int = DEFAULT_WINDOW_PIXELS,
    workers: int | None = None,
    max_passes: int = MAX_PASSES,
) -> dict:
    """Remove patches smaller than ``min_size`` pixels from a class raster file.

    Each pass reads the previous pass's result block by block with a halo of
    ``2 * min_size`` pixels and writes a temporary raster beside the output; passes
    repeat until one changes nothing (at most ``max_passes``). The result equals
    :func:`sieve` on the whole array. Returns ``{"passes": n, "changed": pixels,
    "classes": [...]}``.
    """
    if min_size < 1:
        raise InputError(f"the minimum patch size must be 1 pixel or more, not {min_size}")
    structure(connectivity)
    output_path = check_writable(output_path)
    progress = as_progress(progress)
    halo = sieve_halo(min_size)
    workdir = output_path.with_name(f".{output_path.stem}.sieve-{uuid.uuid4().hex[:8]}")
    workdir.mkdir()
    changed_total = 0
    try:
        current: Path | str | os.PathLike = input_path
        for number in range(max_passes):
            changes: list[int] = []

            def one_pass(image: np.ndarray, changes: list[int] = changes) -> np.ndarray:
                result = sieve_pass(image, min_size, connectivity)
                inner = (slice(halo, image.shape[0] - halo), slice(halo, image.shape[1] - halo))
                changes.append(int(np.count_nonzero(result[inner] != image[inner])))
                return result

            target = workdir / f"pass{number}.tif"
            info = process_class_raster(
                current,
                target,
                one_pass,
                halo,
                progress.span(1 - 0.5**number, 1 - 0.5 ** (number + 1)),
                max_pixels,
                workers,
            )
            current = target
            changed_total += sum(changes)
            if sum(changes) == 0:
                break
        move_raster(current, output_path)
        progress(1.0)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return {"passes": number + 1, "changed": changed_total, "classes": info["classes"]}
