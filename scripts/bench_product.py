"""Benchmark section: importing a Sentinel-2 L2A product (``landcover:importproduct`` core).

A full-size synthetic product in the SAFE layout (10980 x 10980 pixels at 10 m; four
10 m bands, six 20 m bands and the 20 m SCL) is imported with the default bands at
10 m: reflectance from the metadata, 20 m bands resampled bilinearly, SCL classes
masked, one float32 stack. The baseline is the I/O floor: ``gdal_translate`` of the
same bands (through a VRT resampling the 20 m bands bilinearly) into one uint16
stack with the same creation options, without reflectance or mask. The bands are
GeoTIFF inside the SAFE tree, because encoding ten full-size JPEG 2000 bands takes
about two minutes each here; a second case imports one full-size JPEG 2000 band
(B02) against ``gdal_translate`` of it, to show the JPEG 2000 decoding cost. Each is
run once in a fresh process, which gives both the wall time and the peak memory.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import Row, link_plugin, peak_rss_mb

SECTION = "product"
CACHE_MB = 256  # GDAL block cache for both sides, so memory shows what each step needs

OURS = """
from landcover.core.prepare import product
product.import_product({source!r}, {output!r}, bands={bands!r}, mask_classes={mask!r})
"""

FLOOR = """
from osgeo import gdal
from landcover.core.io.raster import geotiff_profile
gdal.UseExceptions()
files = {files!r}
vrt = gdal.BuildVRT({vrt!r}, files, separate=True, resolution="user", xRes=10, yRes=10,
                    resampleAlg="bilinear")
profile = geotiff_profile(vrt.RasterXSize, vrt.RasterYSize, len(files), "uint16")
options = ["TILED=YES", "BLOCKXSIZE=%d" % profile["blockxsize"],
           "BLOCKYSIZE=%d" % profile["blockysize"], "COMPRESS=" + profile["compress"],
           "PREDICTOR=%d" % profile["predictor"], "INTERLEAVE=" + profile["interleave"].upper(),
           "BIGTIFF=IF_SAFER", "NUM_THREADS=ALL_CPUS"]
if "ZSTD_LEVEL" in profile:
    options.append("ZSTD_LEVEL=%d" % profile["ZSTD_LEVEL"])
gdal.Translate({output!r}, vrt, creationOptions=options)
vrt = None
"""


def timed_peak(code: str) -> tuple[float, float]:
    """Wall time (s) and peak memory (MiB) of one fresh process running ``code``."""
    start = time.perf_counter()
    peak = peak_rss_mb(code, {"GDAL_CACHEMAX": str(CACHE_MB)})
    return time.perf_counter() - start, peak


def jp2_product(folder: Path, size: int) -> Path:
    """A SAFE tree holding one JPEG 2000 band, B02 at 10 m, with smooth content."""
    import make_product
    from rasterio.transform import from_origin

    safe = folder / "S2A_MSIL2A_20230615T102021_N0509_R065_T32TQM_20230615T170501.SAFE"
    band = safe / (
        "GRANULE/L2A_T32TQM_A041234_20230615T102021/IMG_DATA/R10m/"
        "T32TQM_20230615T102021_B02_10m.jp2"
    )
    if not band.exists():
        rows = np.arange(size, dtype=np.float32)[:, None]
        cols = np.arange(size, dtype=np.float32)[None, :]
        data = (3000 + 1000 * np.sin(cols / 50) * np.cos(rows / 70)).astype(np.uint16)
        data += np.random.default_rng(0).integers(0, 200, (size, size), dtype=np.uint16)
        make_product.write_band(
            band,
            data,
            make_product.S2_CRS,
            from_origin(*make_product.S2_ORIGIN, 10, 10),
            "JP2OpenJPEG",
        )
        relative = str(band.relative_to(safe).with_suffix(""))
        (safe / "MTD_MSIL2A.xml").write_text(
            make_product.sentinel2_mtd("S2MSI2A", "05.09", True, [relative], "2023-06-15"),
            encoding="utf-8",
        )
    return safe


def run(workdir: Path, quick: bool) -> list[Row]:
    link_plugin()
    import make_product

    workdir.mkdir(parents=True, exist_ok=True)
    size = 1098 if quick else 10980
    folder = workdir / f"gtiff_{size}"
    safes = list(folder.glob("*.SAFE"))
    if not safes:
        make_product.write_sentinel2(folder, size, driver="GTiff", seed=3)
        safes = list(folder.glob("*.SAFE"))
    safe = safes[0]
    rows: list[Row] = []
    from landcover.core.prepare import product as core_product

    found = core_product.open_product(safe)
    chosen = core_product.choose_bands(found, core_product.SENTINEL2_DEFAULT, 10.0)
    files = [band.path for band in chosen]
    ours_out, floor_out = workdir / f"import_{size}.tif", workdir / f"floor_{size}.tif"
    ours_s, ours_mb = timed_peak(
        OURS.format(source=str(safe), output=str(ours_out), bands=None, mask=(3, 8, 9, 10))
    )
    floor_s, floor_mb = timed_peak(
        FLOOR.format(files=files, vrt=str(workdir / "floor.vrt"), output=str(floor_out))
    )
    in_mb = sum(Path(f).stat().st_size for f in files) / 2**20
    rows.append(
        Row(
            SECTION,
            f"import S2 L2A {size}x{size} at 10 m, 10 bands (4 at 10 m, 6 at 20 m bilinear), "
            "SCL mask, GeoTIFF in SAFE",
            ours_s,
            "gdal_translate of the same bands to one uint16 stack (I/O floor)",
            floor_s,
            notes=(
                f"single run each; peak RSS with GDAL_CACHEMAX={CACHE_MB} MB: ours "
                f"{ours_mb:.0f} MiB, floor {floor_mb:.0f} MiB; bands on disk {in_mb:.0f} MiB; "
                f"ours writes float32 reflectance (output {_mb(ours_out):.0f} MiB), the floor "
                f"uint16 DN ({_mb(floor_out):.0f} MiB)"
            ),
            extra={
                "peak_rss_ours_mb": f"{ours_mb:.0f}",
                "peak_rss_floor_mb": f"{floor_mb:.0f}",
            },
        )
    )
    jp2_safe = jp2_product(workdir / f"jp2_{size}", size)
    band = next(jp2_safe.rglob("*_B02_10m.jp2"))
    ours_s, ours_mb = timed_peak(
        OURS.format(
            source=str(jp2_safe), output=str(workdir / "jp2_import.tif"), bands="B02", mask=()
        )
    )
    floor_s, floor_mb = timed_peak(
        FLOOR.format(
            files=[str(band)], vrt=str(workdir / "jp2.vrt"), output=str(workdir / "jp2_floor.tif")
        )
    )
    rows.append(
        Row(
            SECTION,
            f"import one JPEG 2000 band (B02) {size}x{size}, no mask",
            ours_s,
            "gdal_translate of the band (I/O floor)",
            floor_s,
            notes=(
                f"single run each; peak RSS: ours {ours_mb:.0f} MiB, floor {floor_mb:.0f} MiB; "
                "JPEG 2000 decoding (OpenJPEG) dominates both"
            ),
            extra={
                "peak_rss_ours_mb": f"{ours_mb:.0f}",
                "peak_rss_floor_mb": f"{floor_mb:.0f}",
            },
        )
    )
    return rows


def _mb(path: Path) -> float:
    return path.stat().st_size / 2**20 if path.exists() else 0.0


if __name__ == "__main__":
    for row in run(
        Path(__file__).resolve().parent.parent / "build" / "bench" / SECTION,
        quick="--full" not in sys.argv,
    ):
        print(row.case, f"ours {row.ours_s:.2f} s", f"floor {row.baseline_s:.2f} s")
        print("   ", row.notes)
