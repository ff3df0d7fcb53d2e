"""Write small synthetic satellite products to the published layouts, for tests and
benchmarks: a Sentinel-2 L2A ``.SAFE`` folder (JPEG 2000 bands at 10, 20 and 60 m,
SCL at 20 m, ``MTD_MSIL2A.xml`` with quantification and offsets) and a Landsat
Collection 2 Level-2 folder (``SR_B*.TIF``, ``QA_PIXEL.TIF``, MTL as text, XML and
JSON). The content is random but seeded; the functions return the digital numbers
they wrote.

Usage: ``/usr/bin/python3 scripts/make_product.py sentinel2|landsat FOLDER [SIZE]``
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import rasterio
from rasterio.transform import from_origin

S2_10M = ("B02", "B03", "B04", "B08")
S2_20M = ("B02", "B03", "B04", "B05", "B06", "B07", "B8A", "B11", "B12")
S2_60M = ("B01", "B02", "B09")
S2_ORDER = (
    "B01",
    "B02",
    "B03",
    "B04",
    "B05",
    "B06",
    "B07",
    "B08",
    "B8A",
    "B09",
    "B10",
    "B11",
    "B12",
)
S2_ORIGIN = (600000.0, 5100000.0)
S2_CRS = "EPSG:32632"
LANDSAT_ORIGIN = (300000.0, 5000000.0)
LANDSAT_CRS = "EPSG:32633"


def write_band(path: Path, data: np.ndarray, crs: str, transform, driver: str) -> None:
    """One single-band uint16 file: JPEG 2000 (lossless, tiled like the products) or
    a tiled GeoTIFF."""
    path.parent.mkdir(parents=True, exist_ok=True)
    options = {}
    if driver == "JP2OpenJPEG":
        options = dict(QUALITY=100, REVERSIBLE="YES")
        if min(data.shape) > 1024:  # the products' tiles; a smaller image is one tile
            options.update(BLOCKXSIZE=1024, BLOCKYSIZE=1024)
    else:
        options = dict(tiled=True, blockxsize=256, blockysize=256, compress="DEFLATE")
    with rasterio.open(
        path,
        "w",
        driver=driver,
        width=data.shape[1],
        height=data.shape[0],
        count=1,
        dtype=data.dtype,
        crs=crs,
        transform=transform,
        **options,
    ) as dst:
        dst.write(data, 1)


def sentinel2_mtd(
    product_type: str, baseline: str, offsets: bool, files: list[str], start: str
) -> str:
    """``MTD_MSIL2A.xml`` (or ``MTD_MSIL1C.xml``) with what a reader needs."""
    level = "2A" if product_type.endswith("2A") else "1C"
    prefix = "BOA" if level == "2A" else ""
    images = "".join(f"<IMAGE_FILE>{f}</IMAGE_FILE>" for f in files)
    quantification = (
        f'<QUANTIFICATION_VALUES_LIST><{prefix}_QUANTIFICATION_VALUE unit="none">10000'
        f'</{prefix}_QUANTIFICATION_VALUE><AOT_QUANTIFICATION_VALUE unit="none">1000.0'
        "</AOT_QUANTIFICATION_VALUE></QUANTIFICATION_VALUES_LIST>"
        if level == "2A"
        else '<QUANTIFICATION_VALUE unit="none">10000</QUANTIFICATION_VALUE>'
    )
    offset_list = ""
    if offsets:
        tag = "BOA_ADD_OFFSET" if level == "2A" else "RADIO_ADD_OFFSET"
        offset_list = (
            f"<{tag}_VALUES_LIST>"
            + "".join(f'<{tag} band_id="{i}">-1000</{tag}>' for i in range(13))
            + f"</{tag}_VALUES_LIST>"
        )
    spectral = "".join(
        f'<Spectral_Information bandId="{i}" physicalBand="{b.replace("B0", "B")}">'
        "<RESOLUTION>10</RESOLUTION></Spectral_Information>"
        for i, b in enumerate(S2_ORDER)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<n1:Level-{level}_User_Product xmlns:n1="https://psd-14.sentinel2.eo.esa.int/PSD/'
        f'User_Product_Level-{level}.xsd">'
        "<n1:General_Info><Product_Info>"
        f"<PRODUCT_START_TIME>{start}</PRODUCT_START_TIME>"
        f"<PRODUCT_TYPE>{product_type}</PRODUCT_TYPE>"
        f"<PROCESSING_BASELINE>{baseline}</PROCESSING_BASELINE>"
        '<Datatake datatakeIdentifier="GS2A_20230615T102021_041234_N05.09">'
        "<SPACECRAFT_NAME>Sentinel-2A</SPACECRAFT_NAME></Datatake>"
        '<Product_Organisation><Granule_List><Granule imageFormat="JPEG2000">'
        f"{images}</Granule></Granule_List></Product_Organisation>"
        "</Product_Info>"
        f"<Product_Image_Characteristics>{quantification}{offset_list}"
        f"<Spectral_Information_List>{spectral}</Spectral_Information_List>"
        "</Product_Image_Characteristics></n1:General_Info>"
        f"</n1:Level-{level}_User_Product>\n"
    )


def write_sentinel2(
    folder: str | Path,
    size: int = 60,
    *,
    level: str = "2A",
    baseline: str = "05.09",
    offsets: bool = True,
    driver: str = "JP2OpenJPEG",
    skip: tuple[str, ...] = (),
    seed: int = 0,
) -> dict:
    """A Sentinel-2 product of ``size`` x ``size`` pixels at 10 m (a multiple of 6).

    Returns ``{"safe": path, "dn": {(band, resolution): array}, "scl": array (20 m)}``.
    ``skip`` names files to leave out (``"B11"`` drops it at every resolution).
    Some pixels of every band are 0 (fill) at the top-left corner.
    """
    rng = np.random.default_rng(seed)
    stamp, tile = "20230615T102021", "32TQM"
    kind = f"MSIL{level}"
    name = f"S2A_{kind}_{stamp}_N{baseline.replace('.', '')}_R065_T{tile}_20230615T170501.SAFE"
    safe = Path(folder) / name
    granule = f"GRANULE/L{level}_T{tile}_A041234_{stamp}"
    suffix = "jp2" if driver == "JP2OpenJPEG" else "tif"
    dn: dict = {}
    files = []
    for resolution, names in ((10, S2_10M), (20, S2_20M), (60, S2_60M)):
        n = size * 10 // resolution
        transform = from_origin(*S2_ORIGIN, resolution, resolution)
        for band in names:
            if band in skip:
                continue
            data = rng.integers(1001, 9000, size=(n, n)).astype(np.uint16)
            data[: max(1, n // 10), : max(1, n // 10)] = 0  # fill at the corner
            relative = f"{granule}/IMG_DATA/R{resolution}m/T{tile}_{stamp}_{band}_{resolution}m"
            if level == "1C":
                relative = f"{granule}/IMG_DATA/T{tile}_{stamp}_{band}"
            write_band(safe / f"{relative}.{suffix}", data, S2_CRS, transform, driver)
            files.append(relative)
            dn[(band, resolution)] = data
    scl = None
    if level == "2A" and "SCL" not in skip:
        n = size // 2
        scl = rng.integers(1, 12, size=(n, n)).astype(np.uint8)
        scl[: max(1, n // 10), : max(1, n // 10)] = 0
        relative = f"{granule}/IMG_DATA/R20m/T{tile}_{stamp}_SCL_20m"
        write_band(
            safe / f"{relative}.{suffix}",
            scl,
            S2_CRS,
            from_origin(*S2_ORIGIN, 20, 20),
            driver,
        )
        files.append(relative)
    metadata = sentinel2_mtd(f"S2MSI{level}", baseline, offsets, files, "2023-06-15T10:20:21.024Z")
    (safe / f"MTD_MSIL{level}.xml").write_text(metadata, encoding="utf-8")
    (safe / granule / "MTD_TL.xml").write_text("<Tile/>\n", encoding="utf-8")
    return {"safe": safe, "dn": dn, "scl": scl}


LANDSAT_SCALE = (2.75e-05, -0.2)


def landsat_mtl(product_id: str, spacecraft: int, level: str, files: dict[str, str]) -> dict:
    """The MTL groups of a Landsat C2 product (L1 rescaling included, with other values,
    as in real files)."""
    bands = sorted(int(k.removeprefix("SR_B")) for k in files if k.startswith("SR_B"))
    contents = {
        "ORIGIN": "Image courtesy of the U.S. Geological Survey",
        "LANDSAT_PRODUCT_ID": product_id,
        "PROCESSING_LEVEL": level,
        "COLLECTION_NUMBER": "02",
        "COLLECTION_CATEGORY": "T1",
    }
    contents.update({f"FILE_NAME_BAND_{n}": files[f"SR_B{n}"] for n in bands})
    if "QA_PIXEL" in files:
        contents["FILE_NAME_QUALITY_L1_PIXEL"] = files["QA_PIXEL"]
    return {
        "PRODUCT_CONTENTS": contents,
        "IMAGE_ATTRIBUTES": {
            "SPACECRAFT_ID": f"LANDSAT_{spacecraft}",
            "SENSOR_ID": "OLI_TIRS" if spacecraft >= 8 else "TM",
            "WRS_PATH": "195",
            "WRS_ROW": "28",
            "DATE_ACQUIRED": "2023-06-10",
        },
        "LEVEL2_SURFACE_REFLECTANCE_PARAMETERS": {
            **{f"REFLECTANCE_MULT_BAND_{n}": "2.75E-05" for n in bands},
            **{f"REFLECTANCE_ADD_BAND_{n}": "-0.200000" for n in bands},
        },
        "LEVEL1_RADIOMETRIC_RESCALING": {
            **{f"REFLECTANCE_MULT_BAND_{n}": "2.0000E-05" for n in bands},
            **{f"REFLECTANCE_ADD_BAND_{n}": "-0.100000" for n in bands},
        },
    }


def mtl_text(groups: dict) -> str:
    lines = ["GROUP = LANDSAT_METADATA_FILE"]
    for group, values in groups.items():
        lines.append(f"  GROUP = {group}")
        for key, value in values.items():
            quoted = (
                value
                if value.replace(".", "").replace("E-", "").lstrip("-").isdigit()
                else f'"{value}"'
            )
            lines.append(f"    {key} = {quoted}")
        lines.append(f"  END_GROUP = {group}")
    lines += ["END_GROUP = LANDSAT_METADATA_FILE", "END"]
    return "\n".join(lines) + "\n"


def mtl_xml(groups: dict) -> str:
    body = "".join(
        f"<{group}>" + "".join(f"<{k}>{v}</{k}>" for k, v in values.items()) + f"</{group}>"
        for group, values in groups.items()
    )
    header = '<?xml version="1.0" encoding="UTF-8"?>\n'
    return f"{header}<LANDSAT_METADATA_FILE>{body}</LANDSAT_METADATA_FILE>\n"


def write_landsat(
    folder: str | Path,
    size: int = 40,
    *,
    spacecraft: int = 9,
    level: str = "L2SP",
    formats: tuple[str, ...] = ("txt", "xml", "json"),
    seed: int = 1,
) -> dict:
    """A Landsat C2 product of ``size`` x ``size`` 30 m pixels.

    Returns ``{"folder": path, "id": product id, "dn": {band: array}, "qa": array}``.
    QA_PIXEL has fill (bit 0) at the top-left corner, and random cloud, shadow,
    cirrus and snow bits elsewhere.
    """
    rng = np.random.default_rng(seed)
    mission = {9: "LC09", 8: "LC08", 7: "LE07", 5: "LT05", 4: "LT04"}[spacecraft]
    product_id = f"{mission}_{level}_195028_20230610_20230612_02_T1"
    root = Path(folder) / product_id
    transform = from_origin(*LANDSAT_ORIGIN, 30, 30)
    bands = (1, 2, 3, 4, 5, 6, 7) if spacecraft >= 8 else (1, 2, 3, 4, 5, 7)
    dn, files = {}, {}
    corner = max(1, size // 10)
    for n in bands:
        data = rng.integers(7300, 40000, size=(size, size)).astype(np.uint16)
        data[:corner, :corner] = 0
        files[f"SR_B{n}"] = f"{product_id}_SR_B{n}.TIF"
        write_band(root / files[f"SR_B{n}"], data, LANDSAT_CRS, transform, "GTiff")
        dn[f"SR_B{n}"] = data
    qa = np.full((size, size), 1 << 6, dtype=np.uint16)  # clear
    for bit in (1, 2, 3, 4, 5):
        qa[rng.random((size, size)) < 0.08] |= 1 << bit
    qa[:corner, :corner] = 1
    files["QA_PIXEL"] = f"{product_id}_QA_PIXEL.TIF"
    write_band(root / files["QA_PIXEL"], qa, LANDSAT_CRS, transform, "GTiff")
    groups = landsat_mtl(product_id, spacecraft, level, files)
    if "txt" in formats:
        (root / f"{product_id}_MTL.txt").write_text(mtl_text(groups), encoding="utf-8")
    if "xml" in formats:
        (root / f"{product_id}_MTL.xml").write_text(mtl_xml(groups), encoding="utf-8")
    if "json" in formats:
        (root / f"{product_id}_MTL.json").write_text(
            json.dumps({"LANDSAT_METADATA_FILE": groups}, indent=2), encoding="utf-8"
        )
    return {"folder": root, "id": product_id, "dn": dn, "qa": qa}


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] not in ("sentinel2", "landsat"):
        print(__doc__)
        return 2
    size = int(argv[3]) if len(argv) > 3 else (600 if argv[1] == "sentinel2" else 200)
    if argv[1] == "sentinel2":
        print(write_sentinel2(argv[2], size)["safe"])
    else:
        print(write_landsat(argv[2], size)["folder"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
