"""Benchmark section: sampling training pixels under polygons (``landcover:trainclassifier``).

Square polygons spread over an 8-band uint16 stack, the same number of polygons at
every size, each a few hundred pixels. Ours rasterises each polygon only in the blocks
it covers (``core.sampling.sample_raster``); the baseline reads the whole stack,
rasterises all polygons on the whole grid and indexes the pixels under them. Both
return the same pixels. Peak memory is measured in a fresh process for each, with
GDAL's block cache capped: ours should stay flat when the stack grows 16-fold.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import Row, best_of, link_plugin, peak_rss_mb

SECTION = "train"
BANDS = 8
POLYGONS = 400
SIDE = 15  # pixels
# GDAL's block cache, capped low so that the figure is the memory sampling itself needs
CACHE_MB = 64

OURS = """
import json
from landcover.core.learn.sampling import sample_raster
features = json.load(open({features!r}))
samples = sample_raster({source!r}, [(g, c, i) for g, c, i in features])
assert len(samples) == {expected}, len(samples)
"""

BASELINE = """
import json
import numpy as np
import rasterio
from rasterio.features import rasterize
features = json.load(open({features!r}))
with rasterio.open({source!r}) as src:
    data = src.read()
    ids = rasterize(((g, i) for g, _, i in features), out_shape=(src.height, src.width),
                    transform=src.transform, fill=0, dtype="int32")
rows, cols = np.nonzero(ids)
x = data[:, rows, cols].T
valid = (x != 0).all(axis=1)
assert valid.sum() == {expected}, valid.sum()
"""


def polygons(source: str, seed: int = 0) -> list:
    """``POLYGONS`` squares of ``SIDE`` pixels, one at a random place in each cell of a
    regular grid (so none overlap), classes 1..8 in turn."""
    import numpy as np
    import rasterio

    rng = np.random.default_rng(seed)
    with rasterio.open(source) as src:
        transform, size = src.transform, src.width
    per_side = int(POLYGONS**0.5)
    cell = size // per_side
    features = []
    for i in range(per_side * per_side):
        top, left = (i // per_side) * cell, (i % per_side) * cell
        row, col = (int(v) for v in rng.integers(0, cell - SIDE, 2))
        x0, y0 = transform * (left + col, top + row)
        x1, y1 = transform * (left + col + SIDE, top + row + SIDE)
        ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
        features.append(({"type": "Polygon", "coordinates": [ring]}, i % 8 + 1, i + 1))
    return features


def run(workdir: Path, quick: bool) -> list[Row]:
    link_plugin()
    from landcover.core.learn.sampling import sample_raster
    from landcover.core.synthetic import make_benchmark_scene

    workdir.mkdir(parents=True, exist_ok=True)
    sizes = (500, 1000) if quick else (2000, 8000)
    rows: list[Row] = []
    for size in sizes:
        source = str(workdir / f"stack_{size}.tif")
        if not Path(source).exists():
            make_benchmark_scene(source, size, bands=BANDS, classes=8, seed=2)
        features = polygons(source)
        features_path = workdir / f"polygons_{size}.json"
        features_path.write_text(json.dumps(features))
        expected = len(sample_raster(source, features))
        values = {"source": source, "features": str(features_path), "expected": expected}
        ours_code = OURS.format(**values)
        base_code = BASELINE.format(**values)
        repeat = 3 if quick or size <= 2000 else 1
        ours_s = best_of(lambda code=ours_code: exec(code, {}), repeat)
        base_s = best_of(lambda code=base_code: exec(code, {}), repeat)
        capped = {"GDAL_CACHEMAX": str(CACHE_MB)}
        ours_mb = peak_rss_mb(ours_code, capped)
        base_mb = peak_rss_mb(base_code, capped)
        image_mb = size * size * BANDS * 2 / 2**20
        rows.append(
            Row(
                SECTION,
                f"sample {len(features)} polygons of {SIDE}x{SIDE} px from a {size}x{size}, "
                f"{BANDS}-band uint16 stack ({expected} pixels)",
                ours_s,
                "whole-stack read + rasterize + index",
                base_s,
                notes=(
                    f"peak RSS with GDAL_CACHEMAX={CACHE_MB} MB: ours {ours_mb:.0f} MiB, "
                    f"baseline {base_mb:.0f} MiB (stack {image_mb:.0f} MiB uncompressed)"
                    + ("" if repeat > 1 else "; single run")
                ),
                extra={
                    "peak_rss_ours_mb": f"{ours_mb:.0f}",
                    "peak_rss_baseline_mb": f"{base_mb:.0f}",
                    "pixels": str(expected),
                },
            )
        )
    return rows


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        for row in run(Path(folder), quick="--full" not in sys.argv):
            print(row.case, f"ours {row.ours_s:.2f} s", f"baseline {row.baseline_s:.2f} s")
            print("   ", row.notes)
