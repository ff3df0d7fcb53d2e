"""Benchmark section ``otb``: side by side with Orfeo ToolBox and the naive baselines.

One synthetic scene (``make_benchmark_scene``: smoothed per-class fields, 8 classes,
10 bands uint16, tiled and compressed) at 2048², and the same generator at a full
Sentinel-2 tile (10980²) for the whole chain. Every tool is trained on the same 5000
pixels per class (drawn with a fixed seed from the truth raster) with a 100-tree forest
and fixed seeds, and every timing is the best of 3 unless a note says otherwise.

* classify: ours (``classify_raster``, file to file, both cores) against
  ``otbcli_ImageClassifier`` (Random Forest from ``otbcli_TrainImagesClassifier`` on the
  same pixels, ``-ram 2048``, 2 threads, file to file) and scikit-learn ``predict`` on
  256k-pixel batches with ``n_jobs=2`` (scene already in memory: its I/O is not timed).
  Our forest and scikit-learn's are the same trees (same samples, parameters, seed).
* majority filter (5x5): ours against ``scipy.ndimage.generic_filter`` with a mode
  function (on a crop, scaled by pixel count) and ``otbcli_ClassificationMapRegularization``
  (radius 2: a 5x5 disc, compared with our circle window).
* texture (variance 7x7): ours against ``generic_filter`` with ``np.var`` (crop, scaled).
* sieve and polygonize: ours against ``gdal_sieve.py`` and ``gdal_polygonize.py`` to
  GeoPackage (ours written to GeoPackage through OGR in one transaction).
* I/O floor: ``gdal_translate`` copying the 10-band input with our creation options.
* whole chain (indices, texture, classify, majority, sieve, polygonize) at 2048² and
  10980² in a fresh process each, with its peak resident memory (GDAL cache fixed).

Agreement (% of pixels with the same class) is reported against the truth raster and
between tools, so a speed-up never hides a loss of accuracy.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import PLUGINS, Row, best_of, link_plugin

SECTION = "otb"
BANDS = 10
CLASSES = 8
TREES = 100
THREADS = 2
BATCH = 1 << 18  # scikit-learn baseline: 256k pixels per predict call
OTB_RAM_MB = 2048
GDAL_CACHE_MB = "256"  # fixed for the whole-chain runs, so memory shows the engine
CHAIN_BUDGET_S = 15 * 60
CHAIN_BUDGET_MB = 4096
CHAIN_STAGES = ("indices", "texture", "classify", "majority", "sieve", "polygonize")
OTB_PACKAGE = "otb-bin"


def _otb_env() -> dict[str, str]:
    return {
        **os.environ,
        "ITK_GLOBAL_DEFAULT_NUMBER_OF_THREADS": str(THREADS),
        "OTB_MAX_RAM_HINT": str(OTB_RAM_MB),
        "OTB_LOGGER_LEVEL": "WARNING",
    }


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")


def _scene(workdir: Path, size: int) -> tuple[Path, Path]:
    from landcover.core.synthetic import make_benchmark_scene

    path = workdir / f"scene_{size}.tif"
    truth = path.with_name(f"{path.stem}_truth.tif")
    if not (path.exists() and truth.exists()):
        make_benchmark_scene(path, size, bands=BANDS, classes=CLASSES, seed=1)
    return path, truth


def _draw(truth: np.ndarray, per_class: int) -> np.ndarray:
    """Flat indices of ``per_class`` pixels of every class of ``truth``, fixed seed."""
    rng = np.random.default_rng(0)
    flat = truth.ravel()
    picks = [
        rng.choice(np.flatnonzero(flat == code), per_class, replace=False)
        for code in range(1, CLASSES + 1)
    ]
    return np.sort(np.concatenate(picks))


def _points(path: Path, raster: Path, pick: np.ndarray, labels: np.ndarray) -> Path:
    """The drawn pixels as points (pixel centres) with a ``class`` field, for OTB."""
    import rasterio
    from osgeo import ogr, osr

    ogr.UseExceptions()
    osr.UseExceptions()

    with rasterio.open(raster) as src:
        transform, width, wkt = src.transform, src.width, src.crs.to_wkt()
    rows, cols = np.divmod(pick, width)
    xs, ys = transform * (cols + 0.5, rows + 0.5)
    path.unlink(missing_ok=True)
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromWkt(wkt)
    layer = dataset.CreateLayer("samples", srs, ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn("class", ogr.OFTInteger))
    layer.StartTransaction()
    for x, y, code in zip(xs, ys, labels):
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("class", int(code))
        point = ogr.Geometry(ogr.wkbPoint)
        point.AddPoint_2D(float(x), float(y))
        feature.SetGeometry(point)
        layer.CreateFeature(feature)
    layer.CommitTransaction()
    dataset = None
    return path


def _otb_train(scene: Path, points: Path, model: Path) -> int:
    """Train OTB's Random Forest (OpenCV) on exactly the drawn pixels; nodes per tree."""
    _run(
        [
            "otbcli_TrainImagesClassifier",
            "-io.il", str(scene),
            "-io.vd", str(points),
            "-sample.vfn", "class",
            "-sample.mt", "-1",
            "-sample.mv", "0",
            "-sample.vtr", "0",
            "-sample.bm", "0",
            "-classifier", "rf",
            "-classifier.rf.nbtrees", str(TREES),
            "-classifier.rf.max", "1000",
            "-classifier.rf.min", "1",
            "-classifier.rf.var", "0",
            "-classifier.rf.acc", "0",
            "-rand", "0",
            "-io.out", str(model),
            "-ram", str(OTB_RAM_MB),
        ],
        _otb_env(),
    )  # fmt: skip
    text = model.read_text(encoding="utf-8", errors="replace")
    return text.count("depth:") // TREES


def _read_band(path: Path, window=None) -> np.ndarray:
    import rasterio

    with rasterio.open(path) as src:
        return src.read(1, window=window)


def _goal(text: str, ratio: float, target: float) -> str:
    return f"{text}: {'met' if ratio >= target else 'NOT met'} ({ratio:.2f}x)"


def _agree(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b) * 100.0)


def _geopackage_writer(path: Path, crs_wkt: str):
    """An ``emit`` for :func:`polygonize_raster` writing a GeoPackage, and its closer."""
    from osgeo import ogr, osr

    ogr.UseExceptions()
    osr.UseExceptions()

    path.unlink(missing_ok=True)
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromWkt(crs_wkt)
    layer = dataset.CreateLayer("classes", srs, ogr.wkbPolygon)
    for name, kind in (("code", ogr.OFTInteger), ("area", ogr.OFTReal)):
        layer.CreateField(ogr.FieldDefn(name, kind))
    layer.StartTransaction()
    definition = layer.GetLayerDefn()

    def emit(patch) -> None:
        feature = ogr.Feature(definition)
        feature.SetField(0, int(patch.code))
        feature.SetField(1, float(patch.area))
        feature.SetGeometry(ogr.CreateGeometryFromWkb(patch.wkb))
        layer.CreateFeature(feature)

    def close() -> None:
        nonlocal dataset
        layer.CommitTransaction()
        dataset = None

    return emit, close


def _polygonize_gpkg(raster: Path, out: Path) -> int:
    import rasterio

    from landcover.core.postprocess.polygonize import polygonize_raster

    with rasterio.open(raster) as src:
        wkt = src.crs.to_wkt()
    emit, close = _geopackage_writer(out, wkt)
    info = polygonize_raster(raster, emit)
    close()
    return int(info.patches)


def _gpkg_count(path: Path) -> int:
    from osgeo import ogr

    ogr.UseExceptions()

    dataset = ogr.Open(str(path))
    count = dataset.GetLayer(0).GetFeatureCount()
    dataset = None
    return int(count)


def _train_ours(x: np.ndarray, y: np.ndarray, names: list[str]):
    from landcover.core.io.classes import make_classes
    from landcover.core.learn.classifiers import train_model

    classes = make_classes(list(range(1, CLASSES + 1)))
    return train_model("random_forest", x, y, classes, names, params={"n_trees": TREES}, seed=0)


def _interleaved(contenders: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Best wall time (s) of each contender over ``repeat`` rounds, one run of each per
    round: the machine's other load then weighs on all of them alike."""
    best = dict.fromkeys(contenders, float("inf"))
    for _ in range(repeat):
        for name, function in contenders.items():
            best[name] = min(best[name], best_of(function, 1))
    return best


# --------------------------------------------------------------------------- chain


def chain(scene: Path, truth: Path, workdir: Path, per_class: int) -> dict:
    """The whole chain on ``scene``, ours only; seconds per stage and facts."""
    import rasterio
    from rasterio.windows import Window

    from landcover.core.features.indices import spectral_indices
    from landcover.core.features.texture import texture
    from landcover.core.learn.classify import classify_raster
    from landcover.core.postprocess.majority import majority_raster
    from landcover.core.postprocess.sieve import sieve_raster

    workdir.mkdir(parents=True, exist_ok=True)
    seconds: dict[str, float] = {}
    paths = {name: workdir / f"{name}.tif" for name in CHAIN_STAGES}

    def timed(name, function):
        start = time.perf_counter()
        result = function()
        seconds[name] = time.perf_counter() - start
        return result

    roles = {"green": 2, "red": 3, "nir": 4}
    timed(
        "indices",
        lambda: spectral_indices(
            scene, paths["indices"], ["NDVI", "NDWI"], roles, scale=0.0001, append=True
        ),
    )
    timed(
        "texture",
        lambda: texture(paths["indices"], paths["texture"], [4], 7, ["variance"], append=True),
    )
    # Training (not part of the chain's goal): the drawn pixels of a central crop.
    with rasterio.open(paths["texture"]) as src:
        names = list(src.descriptions)
        side = min(src.width, 2048)
        offset = (src.width - side) // 2
        window = Window(offset, offset, side, side)
        crop = src.read(window=window)
    labels = _read_band(truth, window)
    pick = _draw(labels, per_class)
    x = crop.reshape(crop.shape[0], -1)[:, pick].T
    ok = np.isfinite(x).all(axis=1)
    del crop
    model = timed("train", lambda: _train_ours(x[ok], labels.ravel()[pick][ok], names))
    stats = timed("classify", lambda: classify_raster(paths["texture"], model, paths["classify"]))
    timed("majority", lambda: majority_raster(paths["classify"], paths["majority"], 5, "square"))
    timed("sieve", lambda: sieve_raster(paths["majority"], paths["sieve"], 20, 4))
    polygons = timed(
        "polygonize", lambda: _polygonize_gpkg(paths["sieve"], workdir / "polygons.gpkg")
    )
    # Agreement with the truth, block by block (the maps may not fit in memory).
    agree = {}
    with rasterio.open(truth) as ref:
        for name in ("classify", "sieve"):
            same = 0
            with rasterio.open(paths[name]) as src:
                for _, window in src.block_windows(1):
                    same += int(
                        np.count_nonzero(src.read(1, window=window) == ref.read(1, window=window))
                    )
                agree[name] = 100.0 * same / (src.width * src.height)
    hwm = 0.0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            hwm = int(line.split()[1]) / 1024.0
    return {
        "seconds": seconds,
        "pixels": int(stats.pixels),
        "polygons": polygons,
        "agreement": agree,
        "features": len(names),
        "peak_mb": hwm,
    }


def _chain_in_child(scene: Path, truth: Path, workdir: Path, per_class: int) -> dict:
    """:func:`chain` in a fresh process (GDAL cache fixed), with its peak memory."""
    result_path = workdir / "chain.json"
    result_path.unlink(missing_ok=True)
    # The peak is the child's own VmHWM: wait4's ru_maxrss would also count this
    # process's memory at the fork.
    subprocess.run(
        [sys.executable, __file__, "--chain", str(scene), str(truth), str(workdir), str(per_class)],
        env={**os.environ, "GDAL_CACHEMAX": GDAL_CACHE_MB},
        check=True,
    )
    return json.loads(result_path.read_text())


# --------------------------------------------------------------------------- run


@dataclass
class Bench:
    """The scene every section of :func:`run` measures on, and the run's settings."""

    workdir: Path
    size: int  # side of the scene, pixels
    tile: int  # side of the larger whole-chain scene, pixels
    per_class: int  # training pixels drawn per class
    repeat: int  # timings: best of this many
    crop: int  # side of the crop the slow baselines are timed on, pixels
    scene: Path
    truth_path: Path
    truth: np.ndarray  # (size, size) class codes
    image: np.ndarray  # (BANDS, size, size) the scene in memory
    names: list[str]  # band descriptions
    pick: np.ndarray  # flat indices of the training pixels
    x: np.ndarray  # (pixels drawn, BANDS) float32 training features
    y: np.ndarray  # their int32 classes
    have_otb: bool

    @property
    def pixels(self) -> int:
        return self.size * self.size

    def mpx(self, seconds: float | None) -> str:
        return f"{self.pixels / seconds / 1e6:.3f} Mpx/s" if seconds else "n/a"


def _bench(workdir: Path, quick: bool) -> Bench:
    """The scene at the run's size, read once, and the training pixels drawn from it."""
    import rasterio

    workdir.mkdir(parents=True, exist_ok=True)
    size, tile = (512, 1536) if quick else (2048, 10980)
    per_class = 500 if quick else 5000
    repeat = 1 if quick else 3
    crop = 128 if quick else 512
    scene, truth_path = _scene(workdir, size)
    truth = _read_band(truth_path)
    with rasterio.open(scene) as src:
        image = src.read()
        names = list(src.descriptions)
    pick = _draw(truth, per_class)
    x = image.reshape(BANDS, -1)[:, pick].T.astype(np.float32)
    y = truth.ravel()[pick].astype(np.int32)
    have_otb = shutil.which("otbcli_ImageClassifier") is not None
    return Bench(
        workdir, size, tile, per_class, repeat, crop, scene, truth_path, truth, image, names,
        pick, x, y, have_otb,
    )  # fmt: skip


@dataclass
class Classified:
    """What the later sections take from the classify section."""

    rows: list[Row]
    ours_map: Path  # our class map of the scene
    ours_classes: np.ndarray  # the same, in memory
    seconds: float  # our best classify time


def _classify(b: Bench) -> Classified:
    """Ours against scikit-learn batched predict and OTB's ImageClassifier."""
    from sklearn.ensemble import RandomForestClassifier

    from landcover.core.learn.classify import classify_raster

    workdir, scene, truth, pixels, mpx = b.workdir, b.scene, b.truth, b.pixels, b.mpx
    size, repeat, have_otb, x, y = b.size, b.repeat, b.have_otb, b.x, b.y
    rows: list[Row] = []
    model = _train_ours(x, y, b.names)
    nodes = float(np.diff(model.arrays["tree_offsets"]).mean())
    forest = RandomForestClassifier(n_estimators=TREES, random_state=0, n_jobs=THREADS)
    forest.fit(x, y)
    ours_map = workdir / "ours_classes.tif"
    classify_raster(scene, model, ours_map)  # warm-up: imports, thread pool, page cache
    in_memory = np.ascontiguousarray(b.image.reshape(BANDS, -1).T, dtype=np.float32)
    sk_classes = np.empty(pixels, dtype=np.int32)

    def sklearn_batches() -> None:
        for start in range(0, pixels, BATCH):
            sk_classes[start : start + BATCH] = forest.predict(in_memory[start : start + BATCH])

    contenders = {
        "ours": lambda: classify_raster(scene, model, ours_map, workers=THREADS),
        # Every tree for every pixel: what a run asking for uncertainty costs.
        "ours, probabilities": lambda: classify_raster(
            scene, model, workdir / "ours_full.tif", None, workdir / "ours_unc.tif"
        ),
        "sklearn": sklearn_batches,
    }
    otb_nodes = None
    if have_otb:
        points = _points(workdir / "samples.gpkg", scene, b.pick, y)
        otb_model = workdir / "otb_rf.yml"
        otb_nodes = _otb_train(scene, points, otb_model)
        otb_map = workdir / "otb_classes.tif"
        command = [
            "otbcli_ImageClassifier",
            "-in", str(scene),
            "-model", str(otb_model),
            "-out", str(otb_map), "uint8",
            "-ram", str(OTB_RAM_MB),
        ]  # fmt: skip
        contenders["otb"] = lambda: _run(command, _otb_env())
    best = _interleaved(contenders, repeat)
    ours, sk, otb = best["ours"], best["sklearn"], best.get("otb")
    full = best["ours, probabilities"]
    ours_classes = _read_band(ours_map)
    sk_classes = sk_classes.reshape(size, size)
    otb_classes = _read_band(otb_map) if have_otb else None

    def ns_tree(seconds: float) -> float:
        return seconds * THREADS / (pixels * TREES) * 1e9

    acc_ours = _agree(ours_classes, truth)
    acc_sk = _agree(sk_classes, truth)
    case = f"classify {size}² x {BANDS} bands, RF {TREES} trees"
    rows.append(
        Row(
            SECTION,
            case,
            ours,
            f"sklearn predict, {BATCH // 1024}k batches, n_jobs={THREADS}, in memory",
            sk,
            f"ours {mpx(ours)} vs {mpx(sk)}; {ns_tree(ours):.1f} vs {ns_tree(sk):.1f} ns per "
            f"pixel per tree ({THREADS} cores); same trees ({nodes:.0f} nodes per tree); "
            f"agreement with truth {acc_ours:.2f} % vs {acc_sk:.2f} %; ours = sklearn on "
            f"{_agree(ours_classes, sk_classes):.3f} % of pixels; classes only (a pixel "
            "leaves the forest once its class is settled); with every tree for every pixel "
            f"(uncertainty written too) ours {mpx(full)}, {sk / full:.2f}x sklearn",
            {
                "ours Mpx/s": f"{pixels / ours / 1e6:.3f}",
                "sklearn Mpx/s": f"{pixels / sk / 1e6:.3f}",
                "ours with probabilities Mpx/s": f"{pixels / full / 1e6:.3f}",
                "nodes per tree (ours = sklearn)": f"{nodes:.0f}",
                "goal": _goal("classify >= 1.3x scikit-learn batched n_jobs=2", sk / ours, 1.3),
            },
        )
    )
    if have_otb:
        acc_otb = _agree(otb_classes, truth)
        rows.append(
            Row(
                SECTION,
                case,
                ours,
                f"otbcli_ImageClassifier, -ram {OTB_RAM_MB}, {THREADS} threads",
                otb,
                f"ours {mpx(ours)} vs {mpx(otb)}; {ns_tree(ours):.1f} vs {ns_tree(otb):.1f} ns "
                f"per pixel per tree; OTB (OpenCV) forest on the same pixels, {otb_nodes} "
                f"nodes per tree; agreement with truth {acc_ours:.2f} % vs {acc_otb:.2f} %; "
                f"ours = OTB on {_agree(ours_classes, otb_classes):.2f} %",
                {
                    "OTB Mpx/s": f"{pixels / otb / 1e6:.3f}",
                    "OTB nodes per tree": str(otb_nodes),
                    "goal": _goal("classify >= 3x OTB ImageClassifier", otb / ours, 3.0),
                    "goal 2": (
                        "agreement with truth no lower than the peers': "
                        f"{'met' if acc_ours >= max(acc_sk, acc_otb) else 'NOT met'} (ours "
                        f"{acc_ours:.2f} %, scikit-learn {acc_sk:.2f} %, OTB {acc_otb:.2f} %)"
                    ),
                },
            )
        )
    else:
        rows.append(Row(SECTION, case, ours, "otbcli_ImageClassifier (not installed)"))

    return Classified(rows, ours_map, ours_classes, ours)


def _majority(b: Bench, classified: Classified) -> tuple[list[Row], Path]:
    """Our majority filter (5x5) on our classification against scipy's generic_filter
    and OTB's regularisation; the rows and our square-window result."""
    from scipy import ndimage

    from landcover.core.postprocess.majority import majority_raster

    workdir, size, repeat, crop, pixels, mpx = b.workdir, b.size, b.repeat, b.crop, b.pixels, b.mpx
    ours_map, ours_classes, have_otb = classified.ours_map, classified.ours_classes, b.have_otb
    rows: list[Row] = []
    majority_out = workdir / "majority.tif"
    circle_out = workdir / "majority_circle.tif"
    contenders = {
        "square": lambda: majority_raster(ours_map, majority_out, 5, "square"),
        "circle": lambda: majority_raster(ours_map, circle_out, 5, "circle"),
    }
    otb_major = workdir / "otb_majority.tif"
    command = [
        "otbcli_ClassificationMapRegularization",
        "-io.in", str(ours_map),
        "-io.out", str(otb_major), "uint8",
        "-ip.radius", "2",
        "-ip.suvbool", "0",
        "-ip.nodatalabel", "0",
        "-ip.undecidedlabel", "0",
        "-ip.onlyisolatedpixels", "0",
        "-ram", str(OTB_RAM_MB),
    ]  # fmt: skip
    if have_otb:
        contenders["otb"] = lambda: _run(command, _otb_env())
    best = _interleaved(contenders, repeat)
    ours_sq, ours_ci = best["square"], best["circle"]
    part = ours_classes[:crop, :crop]

    def mode(values: np.ndarray) -> float:
        return float(np.bincount(values.astype(np.intp)).argmax())

    start = time.perf_counter()
    scipy_mode = ndimage.generic_filter(part, mode, size=5, mode="constant", cval=0)
    scipy_s = (time.perf_counter() - start) * pixels / (crop * crop)
    inner = (slice(2, crop - 2), slice(2, crop - 2))
    ours_major = _read_band(majority_out)
    rows.append(
        Row(
            SECTION,
            f"majority filter {size}², 5x5 square",
            ours_sq,
            "scipy generic_filter mode",
            scipy_s,
            f"baseline timed once on a {crop}² crop, scaled by pixel count; ours "
            f"{mpx(ours_sq)}; agreement on the crop (inside 2 px) "
            f"{_agree(ours_major[:crop, :crop][inner], scipy_mode[inner]):.2f} % (a tie: "
            "ours keeps the centre pixel's class, the baseline takes the smallest code)",
            {"goal": _goal("majority filter >= 50x generic_filter", scipy_s / ours_sq, 50.0)},
        )
    )
    if have_otb:
        otb_s = best["otb"]
        rows.append(
            Row(
                SECTION,
                f"majority filter {size}², radius 2 disc (ours: circle 5)",
                ours_ci,
                "otbcli_ClassificationMapRegularization",
                otb_s,
                f"ours {mpx(ours_ci)} vs {mpx(otb_s)}; agreement "
                f"{_agree(_read_band(circle_out), _read_band(otb_major)):.2f} % (both keep the "
                "centre pixel's class on a tie)",
                {
                    "goal": _goal(
                        "majority filter at least on par with OTB regularisation",
                        otb_s / ours_ci,
                        1.0,
                    )
                },
            )
        )

    return rows, majority_out


def _texture(b: Bench) -> list[Row]:
    """Our variance 7x7 of band 4 against scipy's generic_filter with np.var."""
    import rasterio
    from rasterio.windows import Window
    from scipy import ndimage

    from landcover.core.features.texture import texture

    workdir, scene, size, repeat = b.workdir, b.scene, b.size, b.repeat
    crop, pixels, mpx = b.crop, b.pixels, b.mpx
    rows: list[Row] = []
    texture_out = workdir / "texture.tif"
    ours_tx = best_of(lambda: texture(scene, texture_out, [4], 7, ["variance"]), repeat)
    with rasterio.open(scene) as src:
        band = src.read(4, window=Window(0, 0, crop, crop)).astype(np.float64)
    start = time.perf_counter()
    scipy_var = ndimage.generic_filter(band, np.var, size=7, mode="reflect")
    scipy_tx = (time.perf_counter() - start) * pixels / (crop * crop)
    with rasterio.open(texture_out) as src:
        ours_var = src.read(1, window=Window(0, 0, crop, crop)).astype(np.float64)
    inner = (slice(3, crop - 3), slice(3, crop - 3))
    close = np.isclose(ours_var[inner], scipy_var[inner], rtol=1e-4, atol=1e-3)
    rows.append(
        Row(
            SECTION,
            f"texture {size}², variance 7x7, 1 band",
            ours_tx,
            "scipy generic_filter np.var",
            scipy_tx,
            f"baseline timed once on a {crop}² crop, scaled; ours {mpx(ours_tx)} file to "
            f"file; equal (rtol 1e-4) on {100 * close.mean():.2f} % of the crop",
        )
    )

    return rows


def _sieve_and_polygonize(
    workdir: Path, size: int, repeat: int, mpx: Callable[[float | None], str], majority_out: Path
) -> list[Row]:
    """Our sieve and polygonize against gdal_sieve.py and gdal_polygonize.py."""
    from landcover.core.postprocess.sieve import sieve_raster

    rows: list[Row] = []
    # ---- sieve and polygonize against GDAL
    sieved = workdir / "sieved.tif"
    gdal_sieved = workdir / "gdal_sieved.tif"

    def gdal_sieve() -> None:
        gdal_sieved.unlink(missing_ok=True)
        _run(["gdal_sieve.py", "-q", "-st", "20", "-4", str(majority_out), str(gdal_sieved)])

    best = _interleaved(
        {"ours": lambda: sieve_raster(majority_out, sieved, 20, 4), "gdal": gdal_sieve}, repeat
    )
    ours_sv, gdal_sv = best["ours"], best["gdal"]
    rows.append(
        Row(
            SECTION,
            f"sieve {size}² (after majority), min 20 px, 4-connected",
            ours_sv,
            "gdal_sieve.py",
            gdal_sv,
            f"ours {mpx(ours_sv)}; agreement "
            f"{_agree(_read_band(sieved), _read_band(gdal_sieved)):.2f} % (both GDAL's "
            "largest-neighbour rule; ours adds the class table, names and overviews)",
        )
    )
    ours_gpkg = workdir / "ours_polygons.gpkg"
    count = [0]

    def ours_polygons() -> None:
        count[0] = _polygonize_gpkg(sieved, ours_gpkg)

    gdal_gpkg = workdir / "gdal_polygons.gpkg"

    def gdal_polygons() -> None:
        gdal_gpkg.unlink(missing_ok=True)
        _run(["gdal_polygonize.py", "-q", str(sieved), "-of", "GPKG", str(gdal_gpkg)])

    best = _interleaved({"ours": ours_polygons, "gdal": gdal_polygons}, repeat)
    ours_pg, gdal_pg = best["ours"], best["gdal"]
    rows.append(
        Row(
            SECTION,
            f"polygonize {size}² (sieved) to GeoPackage",
            ours_pg,
            "gdal_polygonize.py -f GPKG",
            gdal_pg,
            f"ours {count[0]} polygons (with areas) vs GDAL {_gpkg_count(gdal_gpkg)} "
            "(GDAL also writes the nodata-free map's every patch; ours written through OGR, "
            "one feature at a time from Python)",
        )
    )

    return rows


def _io_floor(b: Bench, classify_seconds: float) -> list[Row]:
    """gdal_translate copying the input with our creation options."""
    from landcover.core.io.raster import geotiff_profile

    workdir, scene, size, repeat, mpx = b.workdir, b.scene, b.size, b.repeat, b.mpx
    ours = classify_seconds  # our classify time, for the ratio in the notes
    rows: list[Row] = []
    profile = geotiff_profile(size, size, BANDS, "uint16")
    options = [
        f"{key}={value}"
        for key, value in (
            ("TILED", "YES"),
            ("BLOCKXSIZE", profile["blockxsize"]),
            ("BLOCKYSIZE", profile["blockysize"]),
            ("COMPRESS", profile["compress"]),
            ("PREDICTOR", profile["predictor"]),
            ("INTERLEAVE", profile["interleave"].upper()),
            ("NUM_THREADS", "ALL_CPUS"),
        )
    ]
    copy = workdir / "copy.tif"
    command = [
        "gdal_translate",
        "-q",
        *[a for o in options for a in ("-co", o)],
        str(scene),
        str(copy),
    ]
    floor = best_of(lambda: _run(command), repeat)
    rows.append(
        Row(
            SECTION,
            f"I/O floor {size}² x {BANDS} bands",
            None,
            f"gdal_translate ({profile['compress']}, tiled)",
            floor,
            f"{mpx(floor)}: reading and writing the stack once; our classify is "
            f"{ours / floor:.1f}x this",
        )
    )

    return rows


def _whole_chain(b: Bench) -> list[Row]:
    """The whole chain at both sizes, each in a fresh process, with its peak memory."""
    workdir, size, tile, per_class = b.workdir, b.size, b.tile, b.per_class
    rows: list[Row] = []
    results = {}
    for chain_size in (size, tile):
        chain_scene, chain_truth = _scene(workdir, chain_size)
        results[chain_size] = _chain_in_child(
            chain_scene, chain_truth, workdir / f"chain_{chain_size}", per_class
        )
    for chain_size, result in results.items():
        seconds = result["seconds"]
        total = sum(seconds[name] for name in CHAIN_STAGES)
        stages = ", ".join(f"{name} {seconds[name]:.0f} s" for name in CHAIN_STAGES)
        goals = {}
        if chain_size == tile:
            goals = {
                "goal": (
                    f"whole chain on {tile}² under {CHAIN_BUDGET_S // 60} min: "
                    f"{'met' if total < CHAIN_BUDGET_S else 'NOT met'} ({total / 60:.1f} min, "
                    f"{total / CHAIN_BUDGET_S:.2f} of the budget)"
                ),
                "goal 2": (
                    f"whole chain on {tile}² peak memory < {CHAIN_BUDGET_MB / 1024:.0f} GB: "
                    f"{'met' if result['peak_mb'] < CHAIN_BUDGET_MB else 'NOT met'} "
                    f"({result['peak_mb'] / 1024:.2f} GB)"
                ),
            }
        rows.append(
            Row(
                SECTION,
                f"whole chain {chain_size}² ({result['features']} features), one run",
                total,
                notes=(
                    f"{stages}; training {seconds['train']:.0f} s (not counted); "
                    f"{result['pixels'] / total / 1e6:.2f} Mpx/s; peak memory "
                    f"{result['peak_mb']:.0f} MB (GDAL_CACHEMAX={GDAL_CACHE_MB} MB); "
                    f"agreement with truth: classes {result['agreement']['classify']:.2f} %, "
                    f"after majority and sieve {result['agreement']['sieve']:.2f} %; "
                    f"{result['polygons']} polygons"
                ),
                extra={
                    "peak RSS (MB)": f"{result['peak_mb']:.0f}",
                    **{f"{k} (s)": f"{v:.1f}" for k, v in seconds.items()},
                    **goals,
                },
            )
        )
    return rows


def run(workdir: Path, quick: bool) -> list[Row]:
    link_plugin()
    b = _bench(workdir, quick)
    classified = _classify(b)
    majority_rows, majority_out = _majority(b, classified)
    return [
        *classified.rows,
        *majority_rows,
        *_texture(b),
        *_sieve_and_polygonize(b.workdir, b.size, b.repeat, b.mpx, majority_out),
        *_io_floor(b, classified.seconds),
        *_whole_chain(b),
    ]


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--chain":
        link_plugin()
        scene_arg, truth_arg, dir_arg, per_class_arg = sys.argv[2:6]
        outcome = chain(Path(scene_arg), Path(truth_arg), Path(dir_arg), int(per_class_arg))
        (Path(dir_arg) / "chain.json").write_text(json.dumps(outcome))
    else:
        for row in run(PLUGINS.parent / "bench" / SECTION, "--quick" in sys.argv):
            print(row)
