"""Benchmark section: aligning and stacking rasters (``landcover:alignrasters`` core).

A multiband uint16 image in UTM zone 32 is reprojected (bilinear) onto a 10 m grid in
zone 33. Ours works window by window through GDAL warped VRTs; the baseline reads the
whole image, warps it with one ``rasterio.warp.reproject`` call on whole arrays and
writes the result with the same creation options. Peak memory is measured in a fresh
process for each, at two sizes: ours should stay flat, the baseline grows with the
image. GDAL's block cache (a fixed share of RAM, filled by any GDAL work) is measured
both capped and at its default.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import Row, best_of, link_plugin, peak_rss_mb

SECTION = "prepare"
# GDAL keeps read and written blocks in a process-wide cache of up to 5 % of RAM by
# default, whatever the raster size; a fixed cap shows the memory the step itself needs.
CACHE_MB = 256
BANDS = 3
TARGET_CRS = "EPSG:32633"

OURS = """
from landcover.core.prepare import align
grid = align.target_grid({source!r}, crs={crs!r}, pixel_size=10)
align.align_rasters([{source!r}], {output!r}, grid, resampling="bilinear")
"""

BASELINE = """
import numpy as np
import rasterio
from rasterio.enums import Resampling
from rasterio.warp import reproject
from landcover.core.prepare import align
from landcover.core.io.raster import geotiff_profile

grid = align.target_grid({source!r}, crs={crs!r}, pixel_size=10)
with rasterio.open({source!r}) as src:
    data = src.read()
    destination = np.zeros((src.count, grid.height, grid.width), dtype=data.dtype)
    reproject(
        data,
        destination,
        src_transform=src.transform,
        src_crs=src.crs,
        src_nodata=0,
        dst_transform=grid.transform,
        dst_crs=grid.crs,
        dst_nodata=0,
        resampling=Resampling.bilinear,
    )
profile = geotiff_profile(grid.width, grid.height, destination.shape[0], destination.dtype)
profile.update(crs=grid.crs, transform=grid.transform, nodata=0)
with rasterio.open({output!r}, "w", **profile) as dst:
    dst.write(destination)
"""


def run(workdir: Path, quick: bool) -> list[Row]:
    link_plugin()
    from landcover.core.synthetic import make_benchmark_scene

    workdir.mkdir(parents=True, exist_ok=True)
    sizes = (500, 1000) if quick else (2000, 8000)
    rows: list[Row] = []
    for size in sizes:
        source = str(workdir / f"scene_{size}.tif")
        if not Path(source).exists():
            make_benchmark_scene(source, size, bands=BANDS, classes=6, seed=1)
        ours_out = str(workdir / f"aligned_{size}.tif")
        base_out = str(workdir / f"baseline_{size}.tif")
        values = {"source": source, "crs": TARGET_CRS}
        ours_code = OURS.format(output=ours_out, **values)
        base_code = BASELINE.format(output=base_out, **values)
        repeat = 3 if quick or size <= 2000 else 1
        ours_s = best_of(lambda code=ours_code: exec(code, {}), repeat)
        base_s = best_of(lambda code=base_code: exec(code, {}), repeat)
        capped = {"GDAL_CACHEMAX": str(CACHE_MB)}
        ours_mb = peak_rss_mb(ours_code, capped)
        base_mb = peak_rss_mb(base_code, capped)
        ours_default_mb = peak_rss_mb(ours_code)
        base_default_mb = peak_rss_mb(base_code)
        input_mb = size * size * BANDS * 2 / 2**20
        rows.append(
            Row(
                SECTION,
                f"align {size}x{size}, {BANDS} bands uint16, UTM 32 to 33, bilinear",
                ours_s,
                "rasterio.warp.reproject on whole arrays",
                base_s,
                notes=(
                    f"peak RSS with GDAL_CACHEMAX={CACHE_MB} MB: ours {ours_mb:.0f} MiB, "
                    f"baseline {base_mb:.0f} MiB; with GDAL's default cache: ours "
                    f"{ours_default_mb:.0f} MiB, baseline {base_default_mb:.0f} MiB (image "
                    f"{input_mb:.0f} MiB uncompressed)" + ("" if repeat > 1 else "; single run")
                ),
                extra={
                    "peak_rss_ours_mb": f"{ours_mb:.0f}",
                    "peak_rss_baseline_mb": f"{base_mb:.0f}",
                    "peak_rss_ours_default_cache_mb": f"{ours_default_mb:.0f}",
                    "peak_rss_baseline_default_cache_mb": f"{base_default_mb:.0f}",
                    "image_mb": f"{input_mb:.0f}",
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
