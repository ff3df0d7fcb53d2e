"""Unsupervised classification: k-means clusters of a raster's pixels.

The clusters are fitted on a uniform random sample of valid pixels gathered window
by window (never the whole raster in memory), then every pixel is assigned to its
nearest centre through the same block-wise engine as supervised classification, by
a model that can be saved and applied to other scenes.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import numpy as np

from ..io.classes import ClassInfo, make_classes, palette_color
from ..io.errors import InputError
from ..io.progress import Progress, as_progress
from ..io.raster import DEFAULT_WINDOW_PIXELS, blocks_for, open_raster, read_block
from .classify import ClassifyResult, classify_raster, known_band_name
from .model import kmeans_model

# Samples above this size are fitted with MiniBatchKMeans, which needs a fraction of
# the time of full k-means at a barely different result.
MINIBATCH_ABOVE = 50_000
N_INIT = 3


@dataclass
class KMeansFit:
    """Fitted clusters, numbered by increasing mean brightness of their centre.

    ``centers`` (k, bands) float64 in standardised units; ``mean`` and ``scale``
    (bands,) turn a pixel into those units: ``(x - mean) / scale``.
    """

    centers: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    inertia: float
    iterations: int
    method: str

    @property
    def centers_in_band_units(self) -> np.ndarray:
        return self.centers * self.scale + self.mean


@dataclass
class KMeansResult:
    """What :func:`kmeans_raster` did: the ``classification`` of the raster by the
    clusters, the number of pixels in the ``sample`` the clusters were fitted on, the
    fitting ``method``, its ``inertia`` and ``iterations``, the ``centers`` (k lists
    of band values, in band units) and the ``seconds`` the whole run took."""

    classification: ClassifyResult
    sample: int
    method: str
    inertia: float
    iterations: int
    centers: list[list[float]]
    seconds: float


def sample_pixels(
    path: str | os.PathLike,
    size: int,
    seed: int = 0,
    max_pixels: int = DEFAULT_WINDOW_PIXELS,
    progress: Progress | None = None,
) -> np.ndarray:
    """A uniform random sample of up to ``size`` valid pixels, shape (n, bands) float32.

    Every valid pixel gets a random key and the ``size`` smallest keys win (bottom-k
    sampling), so the sample is uniform over the whole raster while only candidates
    beating the current threshold are kept from each window: memory is about one
    window plus the sample.
    """
    if size < 1:
        raise InputError("the sample size must be at least 1 pixel")
    progress = as_progress(progress)
    rng = np.random.default_rng(seed)
    with open_raster(path) as src:
        blocks = blocks_for(src, max_pixels)
        bands = src.count
        kept = np.empty((0, bands), dtype=np.float32)
        keys = np.empty(0, dtype=np.float64)
        threshold = 1.0
        for done, block in enumerate(blocks, start=1):
            progress.check()
            data, valid = read_block(src, block, dtype=np.float32)
            flat = np.flatnonzero(valid.ravel())
            block_keys = rng.random(flat.size)
            chosen = block_keys < threshold
            if chosen.any():
                pixels = data.reshape(bands, -1)[:, flat[chosen]].T
                keys = np.concatenate([keys, block_keys[chosen]])
                kept = np.concatenate([kept, pixels])
                if keys.size > size:
                    best = np.argpartition(keys, size - 1)[:size]
                    keys, kept = keys[best], kept[best]
                if keys.size == size:
                    threshold = float(keys.max())
            progress(done / len(blocks))
    return np.ascontiguousarray(kept[np.argsort(keys, kind="stable")])


def fit_kmeans(
    sample: np.ndarray,
    clusters: int,
    standardize: bool = True,
    seed: int = 0,
    max_iter: int = 100,
) -> KMeansFit:
    """Fit ``clusters`` k-means centres to ``sample`` (n, bands).

    Full k-means (``N_INIT`` starts) for samples up to ``MINIBATCH_ABOVE`` pixels,
    MiniBatchKMeans beyond. With ``standardize`` every band is scaled to zero mean
    and unit variance first, so bands with large values do not dominate. Clusters are
    numbered by increasing mean of their centre (in band units): dark first.
    """
    from sklearn.cluster import KMeans, MiniBatchKMeans

    sample = np.asarray(sample, dtype=np.float64)
    if clusters < 2:
        raise InputError("ask for at least 2 clusters")
    distinct = len(np.unique(sample[: 20 * clusters + 10_000], axis=0))
    if sample.shape[0] < clusters or distinct < clusters:
        raise InputError(
            f"the raster has only {min(distinct, sample.shape[0])} distinct valid pixel values "
            f"in the sample, fewer than the {clusters} clusters asked for; ask for fewer "
            "clusters or a larger sample"
        )
    if standardize:
        mean = sample.mean(axis=0)
        scale = sample.std(axis=0)
        scale[scale == 0] = 1.0
    else:
        mean = np.zeros(sample.shape[1])
        scale = np.ones(sample.shape[1])
    scaled = (sample - mean) / scale
    if sample.shape[0] > MINIBATCH_ABOVE:
        method = "MiniBatchKMeans"
        estimator = MiniBatchKMeans(
            n_clusters=clusters,
            n_init=N_INIT,
            max_iter=max_iter,
            batch_size=4096,
            random_state=seed,
        )
    else:
        method = "KMeans"
        estimator = KMeans(n_clusters=clusters, n_init=N_INIT, max_iter=max_iter, random_state=seed)
    estimator.fit(scaled)
    centers = estimator.cluster_centers_
    order = np.argsort((centers * scale + mean).mean(axis=1), kind="stable")
    return KMeansFit(
        centers=centers[order],
        mean=mean,
        scale=scale,
        inertia=float(estimator.inertia_),
        iterations=int(estimator.n_iter_),
        method=method,
    )


def cluster_classes(clusters: int) -> list[ClassInfo]:
    """Classes 1..k named 'cluster 1'..'cluster k', in distinct colours."""
    codes = list(range(1, clusters + 1))
    return make_classes(
        codes, [f"cluster {c}" for c in codes], {c: palette_color(c - 1) for c in codes}
    )


def band_names_of(path: str | os.PathLike) -> list[str]:
    """The descriptions of a raster's bands, 'band N' where a band has none."""
    with open_raster(path) as src:
        return [
            d if known_band_name(d) else f"band {i}"
            for i, d in enumerate(src.descriptions, start=1)
        ]


def kmeans_raster(
    input_path: str | os.PathLike,
    output_path: str | os.PathLike,
    clusters: int = 8,
    sample_size: int = 100_000,
    standardize: bool = True,
    seed: int = 0,
    max_iter: int = 100,
    model_path: str | os.PathLike | None = None,
    max_pixels: int = DEFAULT_WINDOW_PIXELS,
    workers: int | None = None,
    progress: Progress | None = None,
) -> KMeansResult:
    """Cluster the pixels of ``input_path`` into ``clusters`` classes.

    Fits on a sample (:func:`sample_pixels`, :func:`fit_kmeans`), then writes the
    class raster ``output_path`` (codes 1..k named 'cluster 1'..'cluster k' in
    distinct colours, nodata 0) block by block with
    :func:`~.classify.classify_raster`. With ``model_path`` the clusters are also
    saved as a model file that ``classify_raster`` can apply to another scene.

    Returns a :class:`KMeansResult`.
    """
    progress = as_progress(progress)
    started = time.perf_counter()
    if clusters < 2 or clusters > 255:
        raise InputError(f"the number of clusters must be between 2 and 255, not {clusters}")
    if model_path is not None and os.path.abspath(model_path) == os.path.abspath(output_path):
        raise InputError("the model and the class raster need different file names")
    sample = sample_pixels(input_path, sample_size, seed, max_pixels, progress.span(0.0, 0.3))
    if sample.shape[0] == 0:
        raise InputError(
            f"{input_path} has no valid pixels (every pixel is nodata in some band); "
            "check its nodata value"
        )
    fit = fit_kmeans(sample, clusters, standardize, seed, max_iter)
    progress(0.4)
    classes = cluster_classes(clusters)
    with open_raster(input_path) as src:
        crs_wkt = src.crs.to_wkt() if src.crs else None
    model = kmeans_model(
        fit.centers,
        fit.mean,
        fit.scale,
        classes,
        band_names_of(input_path),
        crs_wkt=crs_wkt,
        params={
            "clusters": clusters,
            "sample_size": int(sample.shape[0]),
            "standardize": bool(standardize),
            "seed": int(seed),
            "max_iter": int(max_iter),
            "method": fit.method,
        },
    )
    classification = classify_raster(
        input_path,
        model,
        output_path,
        max_pixels=max_pixels,
        workers=workers,
        progress=progress.span(0.4, 0.98),
    )
    if model_path is not None:
        try:
            model.save(model_path)
        except BaseException:
            os.remove(output_path)
            raise
    progress(1.0)
    return KMeansResult(
        classification=classification,
        sample=int(sample.shape[0]),
        method=fit.method,
        inertia=fit.inertia,
        iterations=fit.iterations,
        centers=fit.centers_in_band_units.tolist(),
        seconds=time.perf_counter() - started,
    )
