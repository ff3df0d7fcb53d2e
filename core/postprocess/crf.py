"""Regularise a classification with a conditional random field on its probabilities.

The field's energy is the classifier's evidence (``-log p`` per pixel and class) plus
a Potts term: two pixels within ``radius`` of each other pay for taking different
classes, with a weight that falls off with distance (a Gaussian of ``radius / 2``
pixels) and is the sum of a spatial part and an edge-aware part. The edge-aware part
is scaled by ``exp(-d² / 2)``, where ``d²`` is the squared difference of the guide
raster between the two pixels, normalised per band by its mean squared difference
between neighbouring pixels: across a sharp edge of the image it vanishes, so the
field does not smooth across it. Without a guide, the probabilities themselves are
the guide.

Inference is mean field: every iteration each pixel's class distribution becomes the
softmax of its evidence plus the weighted distributions of its neighbours. Unlike a
majority filter, which votes with hard labels, a confident pixel (a 2-pixel river
the classifier is sure of) outweighs its neighbours, while an unsure speck gives way.

One iteration reads ``radius`` pixels around each pixel, so blocks read with a halo
of ``iterations * radius`` pixels give exactly the result of the whole raster.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from ..io.classes import (
    CLASS_NODATA,
    CLASSES_TAG,
    MAP_TAG,
    ClassInfo,
    class_dtype,
    classes_from_json,
)
from ..io.errors import InputError
from ..io.progress import Progress, as_progress
from ..io.raster import (
    Block,
    blocks_for,
    check_same_grid,
    create_raster,
    grid_of,
    open_raster,
    read_block,
    run_blocks,
)

# Windows are smaller than the default: a block holds several float arrays per class
# and one weight array per neighbour.
CRF_WINDOW_PIXELS = 512 * 512
EVIDENCE_FLOOR = 1e-6  # probabilities of 0 still cost a finite amount
MAX_WEIGHT = 50.0
MAX_RADIUS = 10
MAX_ITERATIONS = 50
SCALE_SAMPLE_BLOCKS = 9  # blocks read to scale the guide's differences


@dataclass(frozen=True)
class CrfSettings:
    """Weights of the Potts term (dimensionless, added to log-probabilities), the
    neighbourhood radius in pixels and the number of mean-field iterations."""

    spatial_weight: float = 3.0
    edge_weight: float = 5.0
    radius: int = 2
    iterations: int = 5

    def check(self) -> None:
        for name, value in (("spatial", self.spatial_weight), ("edge", self.edge_weight)):
            if not (0.0 <= value <= MAX_WEIGHT) or not np.isfinite(value):
                raise InputError(
                    f"the {name} weight must be between 0 and {MAX_WEIGHT:g}, not {value:g}; "
                    "1 to 5 suits most maps"
                )
        if not 1 <= self.radius <= MAX_RADIUS:
            raise InputError(
                f"the radius must be 1 to {MAX_RADIUS} pixels, not {self.radius}; 2 suits "
                "10-30 m imagery"
            )
        if not 0 <= self.iterations <= MAX_ITERATIONS:
            raise InputError(
                f"the number of iterations must be 0 to {MAX_ITERATIONS}, not {self.iterations} "
                "(0: no regularisation, the most probable class of each pixel)"
            )

    @property
    def halo(self) -> int:
        return self.iterations * self.radius


@dataclass
class CrfResult:
    """What :func:`crf_raster` wrote: the ``classes`` of the map, the ``blocks`` it was
    computed in, the valid ``pixels`` and how many of them ``changed`` (their class
    differs from the most probable one of the input)."""

    classes: list[ClassInfo]
    blocks: int
    changed: int = 0
    pixels: int = 0


def spatial_kernel(radius: int) -> list[tuple[int, int, float]]:
    """Neighbour offsets ``(dy, dx, weight)`` within ``radius`` (square, centre left out),
    Gaussian weights of standard deviation ``radius / 2`` normalised to sum 1."""
    sigma = radius / 2.0
    offsets = [
        (dy, dx, float(np.exp(-(dy * dy + dx * dx) / (2.0 * sigma * sigma))))
        for dy in range(-radius, radius + 1)
        for dx in range(-radius, radius + 1)
        if (dy, dx) != (0, 0)
    ]
    total = sum(w for _, _, w in offsets)
    return [(dy, dx, w / total) for dy, dx, w in offsets]


def _shifted(array: np.ndarray, dy: int, dx: int, radius: int) -> np.ndarray:
    """The view of a padded array (..., rows + 2r, cols + 2r) at offset (dy, dx)."""
    rows, cols = array.shape[-2] - 2 * radius, array.shape[-1] - 2 * radius
    return array[..., radius + dy : radius + dy + rows, radius + dx : radius + dx + cols]


def pair_weights(
    guide: np.ndarray,
    valid: np.ndarray,
    settings: CrfSettings,
    guide_valid: np.ndarray | None = None,
) -> list[tuple[int, int, np.ndarray]]:
    """Potts weight between each pixel and each neighbour: ``(dy, dx, (rows, cols))``.

    ``guide`` (bands, rows, cols) is already divided by its per-band neighbour scale;
    pairs with an invalid pixel weigh 0; where ``guide_valid`` is False for either
    pixel, the guide shows no edge between them.
    """
    r = settings.radius
    bands = max(guide.shape[0], 1)
    padded_guide = np.pad(guide, ((0, 0), (r, r), (r, r)))
    padded_valid = np.pad(valid, r)
    padded_known = None if guide_valid is None else np.pad(guide_valid, r)
    weights = []
    for dy, dx, spatial in spatial_kernel(r):
        d2 = np.zeros(valid.shape, dtype=np.float32)
        for band in range(guide.shape[0]):
            diff = _shifted(padded_guide[band], dy, dx, r) - guide[band]
            d2 += diff * diff
        edge = np.exp(d2 * np.float32(-0.5 / bands))
        if padded_known is not None:
            edge[~(guide_valid & _shifted(padded_known, dy, dx, r))] = 1.0
        w = np.float32(spatial) * (
            np.float32(settings.spatial_weight) + np.float32(settings.edge_weight) * edge
        )
        w *= valid & _shifted(padded_valid, dy, dx, r)
        weights.append((dy, dx, w.astype(np.float32, copy=False)))
    return weights


def mean_field(
    probabilities: np.ndarray,
    valid: np.ndarray,
    guide: np.ndarray,
    settings: CrfSettings,
    guide_valid: np.ndarray | None = None,
) -> np.ndarray:
    """Mean-field inference on one array: ``probabilities`` (classes, rows, cols),
    ``valid`` (rows, cols), ``guide`` (bands, rows, cols) scaled by
    :func:`guide_scale`, ``guide_valid`` where the guide holds data (default: where
    the probabilities do). Returns the regularised probabilities (float32, 0 where
    invalid). Pixels beyond the array count as invalid."""
    r = settings.radius
    k = probabilities.shape[0]
    p = np.where(valid, np.nan_to_num(probabilities, nan=0.0), 0.0).astype(np.float32)
    evidence = np.log(np.maximum(p, np.float32(EVIDENCE_FLOOR)))
    weights = pair_weights(guide, valid, settings, guide_valid)
    padded = np.zeros((k, valid.shape[0] + 2 * r, valid.shape[1] + 2 * r), dtype=np.float32)
    q = p
    logits = np.empty_like(p)
    term = np.empty_like(p)
    for _ in range(settings.iterations):
        padded[:, r:-r, r:-r] = q
        np.copyto(logits, evidence)
        for dy, dx, w in weights:
            np.multiply(w, _shifted(padded, dy, dx, r), out=term)
            logits += term
        logits -= logits.max(axis=0)
        np.exp(logits, out=logits)
        logits /= logits.sum(axis=0)
        q = np.where(valid, logits, np.float32(0.0))
    return q


def neighbour_sums(data: np.ndarray, valid: np.ndarray) -> tuple[np.ndarray, int]:
    """Per band of ``data`` (bands, rows, cols): the sum of squared differences between
    valid 4-neighbours, and how many such pairs there are."""
    data = np.nan_to_num(data.astype(np.float64))
    sums = np.zeros(data.shape[0])
    count = 0
    for axis in (0, 1):
        n = valid.shape[axis]
        pair = np.take(valid, range(1, n), axis=axis) & np.take(valid, range(n - 1), axis=axis)
        diff = np.diff(data, axis=axis + 1)
        sums += (diff * diff * pair).sum(axis=(1, 2))
        count += int(pair.sum())
    return sums, count


def _scale(sums: np.ndarray, count: int) -> np.ndarray:
    scale = np.sqrt(sums / max(count, 1))
    return np.where(scale > 0, scale, 1.0).astype(np.float32)


def guide_scale(src, indexes: list[int]) -> np.ndarray:
    """Per band, the root mean squared difference between 4-neighbours, from up to
    :data:`SCALE_SAMPLE_BLOCKS` default windows spread over the raster. The sample
    does not depend on the block plan of the run, so every plan gives the same
    result."""
    plan = blocks_for(src)
    step = max(1, len(plan) // SCALE_SAMPLE_BLOCKS)
    sums = np.zeros(len(indexes))
    count = 0
    for block in plan[::step][:SCALE_SAMPLE_BLOCKS]:
        data, valid = read_block(src, block, indexes)
        block_sums, block_count = neighbour_sums(data, valid)
        sums += block_sums
        count += block_count
    return _scale(sums, count)


def probability_classes(src) -> list[ClassInfo]:
    """The classes of a probability raster written by classify, or an error saying why
    the raster is not one."""
    dtype = np.dtype(src.dtypes[0])
    if not np.issubdtype(dtype, np.floating):
        raise InputError(
            f"the input holds {dtype.name} values, like a class raster; give the class "
            "probabilities raster of 'Classify raster' (its optional 'Class probabilities' "
            "output, one float band per class)"
        )
    text = src.tags().get(CLASSES_TAG)
    if not text:
        raise InputError(
            "the input raster does not say which class each band is; give the 'Class "
            "probabilities' output of 'Classify raster' (run it again if it was written by "
            "an older version)"
        )
    classes = classes_from_json(text)
    if len(classes) != src.count:
        raise InputError(
            f"the probability raster has {src.count} bands but {len(classes)} classes "
            f"({', '.join(c.name for c in classes)}); it must have one band per class, as "
            "'Classify raster' writes it"
        )
    return classes


def crf_raster(
    probabilities_path: str | os.PathLike,
    output_path: str | os.PathLike,
    guide_path: str | os.PathLike | None = None,
    settings: CrfSettings | None = None,
    output_probabilities: str | os.PathLike | None = None,
    progress: Progress | None = None,
    max_pixels: int = CRF_WINDOW_PIXELS,
    workers: int | None = None,
) -> CrfResult:
    """Regularise the probability raster of a classification block by block.

    Writes ``output_path``, a class raster (codes, names and colours of the
    probability raster's classes, nodata 0 where the probabilities are nodata), and
    optionally ``output_probabilities`` (float32, one band per class, NaN nodata).
    Returns a :class:`CrfResult`.
    """
    settings = settings or CrfSettings()
    settings.check()
    progress = as_progress(progress)
    paths = {os.path.abspath(os.fspath(p)) for p in (output_path, output_probabilities) if p}
    for given in (probabilities_path, guide_path):
        if given and os.path.abspath(os.fspath(given)) in paths:
            raise InputError(f"{given} is both an input and an output; choose another file name")
    with open_raster(probabilities_path) as src:
        classes = probability_classes(src)
        codes = np.asarray([c.code for c in classes])
        dtype = class_dtype(int(codes.max()))
        blocks = blocks_for(src, max_pixels, settings.halo)
        guide_src = open_raster(guide_path) if guide_path else None
        try:
            if guide_src is not None:
                check_same_grid(src, guide_src, "guide raster", "probabilities")
                guide_of, guide_indexes = guide_src, list(range(1, guide_src.count + 1))
            else:
                guide_of, guide_indexes = src, list(range(1, src.count + 1))
            scale = guide_scale(guide_of, guide_indexes)
            stats = CrfResult(classes, len(blocks))
            grid = grid_of(src)
            tags = {k: v for k, v in src.tags().items() if k == MAP_TAG}

            def read(block: Block):
                p, valid = read_block(src, block, dtype=np.float32)
                if guide_src is None:
                    return block, p, valid, p, None
                g, guide_valid = read_block(guide_src, block, dtype=np.float32)
                return block, p, valid, g, guide_valid

            def compute(item):
                block, p, valid, g, guide_valid = item
                inside = valid[block.inner]
                values = p[(slice(None), *block.inner)][:, inside]
                if values.size and (values.min() < -1e-4 or values.max() > 1 + 1e-4):
                    raise InputError(
                        "the input holds values outside 0..1, so it is not a probability "
                        "raster; give the 'Class probabilities' output of 'Classify raster'"
                    )
                g = np.nan_to_num(g / scale[:, None, None])
                q = mean_field(p, valid, g, settings, guide_valid)
                q = q[(slice(None), *block.inner)]
                best = np.argmax(q, axis=0)
                labels = np.where(inside, codes[best], CLASS_NODATA).astype(dtype)
                before = np.argmax(np.nan_to_num(p[(slice(None), *block.inner)]), axis=0)
                changed = int(np.count_nonzero(inside & (before != best)))
                out_q = np.where(inside, q, np.float32(np.nan)) if output_probabilities else None
                return labels, out_q, changed, int(inside.sum())

            with create_raster(
                output_path,
                count=1,
                dtype=dtype,
                nodata=CLASS_NODATA,
                classes=classes,
                tags=tags,
                overviews=True,
                **grid,
            ) as dst:
                if output_probabilities:
                    with create_raster(
                        output_probabilities,
                        count=len(classes),
                        dtype="float32",
                        nodata=float("nan"),
                        descriptions=[c.name for c in classes],
                        tags={**src.tags()},
                        **grid,
                    ) as proba_dst:
                        _run(blocks, read, compute, dst, proba_dst, stats, progress, workers)
                else:
                    _run(blocks, read, compute, dst, None, stats, progress, workers)
        finally:
            if guide_src is not None:
                guide_src.close()
    return stats


def _run(blocks, read, compute, dst, proba_dst, stats: CrfResult, progress, workers) -> None:
    def write(block: Block, result) -> None:
        labels, q, changed, pixels = result
        dst.write(labels, 1, window=block.window)
        if proba_dst is not None:
            proba_dst.write(q, window=block.window)
        stats.changed += changed
        stats.pixels += pixels

    run_blocks(blocks, read, compute, write, progress, workers)


def crf_array(
    probabilities: np.ndarray,
    guide: np.ndarray | None = None,
    settings: CrfSettings | None = None,
) -> np.ndarray:
    """The CRF on whole arrays (``probabilities`` (classes, rows, cols), NaN nodata;
    optional ``guide`` (bands, rows, cols)): the class index (0-based) per pixel, -1
    where invalid. The guide is scaled over the whole array, which is what
    :func:`crf_raster` does when its sample covers the raster."""
    settings = settings or CrfSettings()
    settings.check()
    valid = np.isfinite(probabilities).all(axis=0)
    g = probabilities if guide is None else guide
    guide_valid = None if guide is None else np.isfinite(guide).all(axis=0)
    scale = _scale(*neighbour_sums(g, valid if guide_valid is None else guide_valid))
    g = np.nan_to_num(g / scale[:, None, None]).astype(np.float32)
    q = mean_field(probabilities, valid, g, settings, guide_valid)
    return np.where(valid, np.argmax(q, axis=0), -1)
