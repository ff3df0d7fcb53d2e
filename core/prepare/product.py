"""Step 1: import a satellite product as one reflectance stack.

Sentinel-2 Level-2A (a ``.SAFE`` folder, its zip or its ``MTD_MSIL2A.xml``) and Landsat
Collection 2 Level-2 (a folder, its tar or its ``_MTL.xml``/``.txt``/``.json``) are read
where they are: archives through GDAL's ``/vsizip/`` and ``/vsitar/``, never unpacked.

Reflectance comes from the product's own metadata:

* Sentinel-2: ``(DN + BOA_ADD_OFFSET) / BOA_QUANTIFICATION_VALUE`` per band, from
  ``MTD_MSIL2A.xml`` (products before processing baseline 04.00 have no offset);
* Landsat: ``DN * REFLECTANCE_MULT_BAND_n + REFLECTANCE_ADD_BAND_n`` from the
  ``LEVEL2_SURFACE_REFLECTANCE_PARAMETERS`` of the MTL file.

DN 0 is fill in both. The output is float32 with NaN on fill pixels (in any band) and
on pixels flagged by the chosen scene classification (SCL) classes or QA_PIXEL bits.
Bands coarser than the target grid (Sentinel-2 20 m bands on the 10 m grid) are
resampled window by window through warped views (:func:`.align.on_grid`), the SCL
by nearest neighbour; the windows run through the shared block engine.
"""

from __future__ import annotations

import json
import os
import re
import tarfile
import zipfile
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import numpy as np
import rasterio

from ..io import bands as band_roles
from ..io.errors import InputError
from ..io.progress import Progress, as_progress
from ..io.raster import (
    DEFAULT_WINDOW_PIXELS,
    check_writable,
    create_raster,
    plan_blocks,
    run_blocks,
)
from .align import RESAMPLING_METHODS, Grid, make_grid, on_grid

UNITS_TAG = band_roles.UNITS_TAG

SENTINEL2_DEFAULT = ("B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A", "B11", "B12")
LANDSAT_OLI_DEFAULT = ("SR_B1", "SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B6", "SR_B7")
LANDSAT_TM_DEFAULT = ("SR_B1", "SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B7")
# band_id of BOA_ADD_OFFSET (and of Spectral_Information) -> band
SENTINEL2_BAND_ORDER = tuple(band_roles.SENTINEL2)  # B01 ... B12, with B8A after B08
RESOLUTIONS = (10, 20, 60)

# Scene classification (SCL) of Sentinel-2 L2A; 0 is no data and always masked.
SCL_CLASSES = {
    1: "saturated or defective",
    2: "dark area pixels (topographic shadow)",
    3: "cloud shadows",
    4: "vegetation",
    5: "not vegetated",
    6: "water",
    7: "unclassified",
    8: "cloud medium probability",
    9: "cloud high probability",
    10: "thin cirrus",
    11: "snow or ice",
}
DEFAULT_SCL = (3, 8, 9, 10)
# QA_PIXEL bits of Landsat Collection 2; bit 0 (fill) is always masked.
QA_BITS = {
    1: "dilated cloud",
    2: "cirrus",
    3: "cloud",
    4: "cloud shadow",
    5: "snow",
    7: "water",
}
DEFAULT_QA_BITS = (1, 2, 3, 4)

_S2_IMAGE = re.compile(
    r"IMG_DATA/R(10|20|60)m/[^/]*_(B\d\d|B8A|SCL)_(10|20|60)m\.(jp2|tif)$", re.IGNORECASE
)


class ProductError(InputError):
    """The input is not a product this tool reads, or a part of it is missing or damaged."""


@dataclass(frozen=True)
class SourceBand:
    """One band file of a product and its conversion to reflectance:
    ``((DN + dn_offset) / divisor) * mult + add``."""

    band: str  # the product's band name: B08, SR_B5
    role: str | None
    path: str  # what GDAL opens (a /vsizip/ or /vsitar/ path inside an archive)
    resolution: float | None = None  # metres, Sentinel-2 only (from the file name)
    dn_offset: float = 0.0
    divisor: float = 1.0
    mult: float = 1.0
    add: float = 0.0

    def formula(self) -> str:
        if self.divisor != 1.0 or self.dn_offset:
            return f"(DN {self.dn_offset:+g}) / {self.divisor:g}"
        return f"DN x {self.mult:g} {self.add:+g}"


@dataclass
class Product:
    """What :func:`open_product` found: the product, its bands and its mask."""

    kind: str  # "sentinel2" or "landsat"
    family: str  # a key of bands.SENSORS
    name: str
    spacecraft: str
    date: str
    tile: str
    baseline: str
    files: dict[str, dict[float, SourceBand]]  # band -> resolution (0 for Landsat) -> file
    mask: dict[float, str]  # resolution -> path of the SCL or QA_PIXEL file
    notes: list[str] = field(default_factory=list)

    @property
    def default_bands(self) -> tuple[str, ...]:
        if self.kind == "sentinel2":
            return SENTINEL2_DEFAULT
        return LANDSAT_OLI_DEFAULT if self.family == "landsat_oli" else LANDSAT_TM_DEFAULT

    @property
    def mask_name(self) -> str:
        return "SCL" if self.kind == "sentinel2" else "QA_PIXEL"


@dataclass
class ImportResult:
    """What :func:`import_product` wrote."""

    path: Path
    product: Product
    grid: Grid
    bands: list[SourceBand]
    descriptions: list[str]
    masked: int  # pixels masked by the SCL classes or QA bits (and not fill)
    fill: int  # fill pixels (DN 0 in a band, or no data in the mask)
    total: int
    notes: list[str] = field(default_factory=list)


# -- reading products -------------------------------------------------------------------


class _Container:
    """The files of a product folder or archive, read without unpacking."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.kind = "folder"
        if path.is_dir():
            self.names = sorted(
                str(PurePosixPath(Path(root, f).relative_to(path)))
                for root, _, files in os.walk(path)
                for f in files
            )
        elif zipfile.is_zipfile(path):
            self.kind = "zip"
            with zipfile.ZipFile(path) as archive:
                self.names = sorted(n for n in archive.namelist() if not n.endswith("/"))
        elif _is_tar(path):
            self.kind = "tar"
            with tarfile.open(path) as archive:
                self.names = sorted(m.name for m in archive.getmembers() if m.isfile())
        else:
            raise ProductError(_not_a_product(path))

    def read(self, name: str) -> bytes:
        if self.kind == "zip":
            with zipfile.ZipFile(self.path) as archive:
                return archive.read(name)
        if self.kind == "tar":
            with tarfile.open(self.path) as archive:
                member = archive.extractfile(name)
                assert member is not None
                return member.read()
        return (self.path / name).read_bytes()

    def gdal_path(self, name: str) -> str:
        if self.kind == "folder":
            return str(self.path / name)
        return f"/vsi{self.kind}/{self.path.resolve()}/{name}"

    def find(self, pattern: str) -> list[str]:
        regex = re.compile(pattern, re.IGNORECASE)
        return [n for n in self.names if regex.search(n)]


def _is_tar(path: Path) -> bool:
    try:
        return tarfile.is_tarfile(path)
    except OSError:
        return False


def _not_a_product(path: Path) -> str:
    return (
        f"{path} is not a Sentinel-2 Level-2A or Landsat Collection 2 Level-2 product (no "
        "MTD_MSIL2A.xml or *_MTL.xml/.txt/.json found); choose the .SAFE folder, its .zip "
        "or its MTD_MSIL2A.xml, or the Landsat product folder, its .tar or its MTL file"
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse_xml(data: bytes, what: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise ProductError(
            f"{what} is not readable XML ({exc}); the product may be damaged or "
            "incomplete: download it again"
        ) from exc


def open_product(path: str | os.PathLike) -> Product:
    """Find and read the product at ``path`` (folder, archive or metadata file).

    Raises :class:`ProductError` when it is not a Sentinel-2 L2A or Landsat C2 L2
    product, is of another processing level, or its metadata lack what is needed.
    """
    path = Path(path)
    if not path.exists():
        raise ProductError(f"{path} does not exist; choose a product folder, archive or file")
    chosen = None
    if path.is_file() and path.suffix.lower() in (".xml", ".txt", ".json"):
        chosen = path.name
        if path.name.upper() == "MTD_MSIL1C.XML":
            raise ProductError(_level1c(path))
        path = path.parent
    container = _Container(path)
    level1c = container.find(r"(^|/)MTD_MSIL1C\.xml$")
    s2 = container.find(r"(^|/)MTD_MSIL2A\.xml$")
    mtl = container.find(r"_MTL\.(xml|txt|json)$")
    if chosen:
        s2 = [n for n in s2 if PurePosixPath(n).name == chosen] or (
            s2 if chosen.upper() == "MTD_MSIL2A.XML" else []
        )
        mtl = [n for n in mtl if PurePosixPath(n).name == chosen]
    if s2:
        return _sentinel2(container, min(s2, key=len))
    if level1c and not mtl:
        raise ProductError(_level1c(path))
    if mtl:
        order = {".xml": 0, ".json": 1, ".txt": 2}
        return _landsat(
            container, min(mtl, key=lambda n: (order[PurePosixPath(n).suffix.lower()], len(n)))
        )
    raise ProductError(_not_a_product(path))


def _level1c(path: Path) -> str:
    return (
        f"{path} is a Sentinel-2 Level-1C product (top-of-atmosphere reflectance); this "
        "tool needs Level-2A (surface reflectance with a scene classification): download "
        "the L2A product of the same scene, or process this one with Sen2Cor"
    )


def _s2_band(name: str) -> str:
    name = name.upper()
    if name == "B8A":
        return "B8A"
    return f"B{int(name.lstrip('B')):02d}"


def _s2_quantification(root, metadata: str) -> float:
    """BOA_QUANTIFICATION_VALUE of the Sentinel-2 metadata (DN per unit reflectance)."""
    quantification = None
    for element in root.iter():
        if _local(element.tag).endswith("BOA_QUANTIFICATION_VALUE"):
            quantification = float(element.text or "nan")
            break
    if not quantification or not np.isfinite(quantification):
        raise ProductError(
            f"{metadata} has no BOA_QUANTIFICATION_VALUE, so reflectance cannot be computed; "
            "the metadata file may be damaged: download the product again"
        )
    return quantification


def _s2_offsets(root) -> dict[str, float]:
    """Band code -> BOA_ADD_OFFSET (in DN) of the Sentinel-2 metadata; the band ids are
    those of its Spectral_Information, else :data:`SENTINEL2_BAND_ORDER`."""
    order = list(SENTINEL2_BAND_ORDER)
    for element in root.iter():
        if _local(element.tag) == "Spectral_Information" and element.get("physicalBand"):
            with_id = element.get("bandId")
            if with_id is not None and with_id.isdigit() and int(with_id) < len(order):
                order[int(with_id)] = _s2_band(element.get("physicalBand", ""))
    offsets: dict[str, float] = {}
    for element in root.iter():
        if _local(element.tag) == "BOA_ADD_OFFSET":
            index = element.get("band_id", "")
            if index.isdigit() and int(index) < len(order):
                offsets[order[int(index)]] = float(element.text or 0)
    return offsets


def _s2_images(
    container: _Container, offsets: dict[str, float], quantification: float
) -> tuple[dict[str, dict[float, SourceBand]], dict[float, str]]:
    """The band images of a Sentinel-2 product (code -> resolution in metres -> band)
    and its SCL mask images (resolution -> GDAL path)."""
    files: dict[str, dict[float, SourceBand]] = {}
    mask: dict[float, str] = {}
    for image in container.names:
        match = _S2_IMAGE.search(image)
        if not match:
            continue
        resolution = float(match.group(3))
        code = match.group(2).upper()
        gdal = container.gdal_path(image)
        if code == "SCL":
            mask[resolution] = gdal
            continue
        code = _s2_band(code)
        files.setdefault(code, {})[resolution] = SourceBand(
            code,
            band_roles.SENTINEL2.get(code),
            gdal,
            resolution,
            dn_offset=offsets.get(code, 0.0),
            divisor=quantification,
        )
    return files, mask


def _sentinel2(container: _Container, metadata: str) -> Product:
    root = _parse_xml(container.read(metadata), metadata)
    texts: dict[str, str] = {}
    for element in root.iter():
        texts.setdefault(_local(element.tag), (element.text or "").strip())
    product_type = texts.get("PRODUCT_TYPE", "")
    if product_type and "2A" not in product_type.upper():
        raise ProductError(_level1c(container.path))
    quantification = _s2_quantification(root, metadata)
    offsets = _s2_offsets(root)
    baseline = texts.get("PROCESSING_BASELINE", "")
    notes = []
    if not offsets:
        notes.append(
            f"no BOA_ADD_OFFSET in the metadata (processing baseline {baseline or 'unknown'}): "
            f"reflectance = DN / {quantification:g}"
            + (
                "; products of baseline 04.00 or later should carry offsets: check the product"
                if baseline >= "04.00"
                else ""
            )
        )
    name = PurePosixPath(metadata).parent.name or container.path.name
    name = re.sub(r"\.(SAFE|zip)$", "", name, flags=re.IGNORECASE)
    files, mask = _s2_images(container, offsets, quantification)
    if not files:
        raise ProductError(
            f"{container.path} has {metadata} but no band images under GRANULE/*/IMG_DATA/"
            "R10m, R20m or R60m; the product is incomplete: download it again"
        )
    tile = re.search(r"_T(\d{2}[A-Z]{3})_", " ".join(container.names[:50]) + " " + name)
    start = texts.get("PRODUCT_START_TIME") or texts.get("DATATAKE_SENSING_START", "")
    return Product(
        kind="sentinel2",
        family="sentinel2",
        name=name,
        spacecraft=texts.get("SPACECRAFT_NAME", "Sentinel-2"),
        date=start[:10],
        tile=tile.group(1) if tile else "",
        baseline=baseline,
        files=files,
        mask=mask,
        notes=notes,
    )


def parse_mtl(data: bytes, name: str) -> dict[str, dict[str, str]]:
    """The groups of a Landsat MTL file (text, XML or JSON): group -> key -> value."""
    text = data.decode("utf-8", errors="replace")
    suffix = PurePosixPath(name).suffix.lower()
    groups: dict[str, dict[str, str]] = {}
    if suffix == ".json":
        try:
            tree = json.loads(text)
        except ValueError as exc:
            raise ProductError(f"{name} is not readable JSON ({exc})") from exc
        top = tree.get("LANDSAT_METADATA_FILE", tree) if isinstance(tree, dict) else {}
        for group, values in top.items():
            if isinstance(values, dict):
                groups[group] = {k: str(v) for k, v in values.items()}
    elif suffix == ".xml":
        root = _parse_xml(data, name)
        for group in root:
            groups[_local(group.tag)] = {
                _local(child.tag): (child.text or "").strip() for child in group
            }
    else:
        stack: list[str] = []
        for line in text.splitlines():
            if "=" not in line:
                continue
            key, value = (part.strip() for part in line.split("=", 1))
            if key == "GROUP":
                stack.append(value)
            elif key == "END_GROUP":
                if stack:
                    stack.pop()
            elif stack:
                groups.setdefault(stack[-1], {})[key] = value.strip('"')
    return groups


def _landsat(container: _Container, metadata: str) -> Product:
    groups = parse_mtl(container.read(metadata), metadata)
    contents = groups.get("PRODUCT_CONTENTS", {})
    attributes = groups.get("IMAGE_ATTRIBUTES", {})
    level = contents.get("PROCESSING_LEVEL", "")
    if not level.upper().startswith("L2"):
        raise ProductError(
            f"{metadata} describes a Landsat {level or 'Level-1'} product; this tool needs "
            "Collection 2 Level-2 surface reflectance (L2SP or L2SR): download the "
            "Level-2 product of the same scene"
        )
    spacecraft = attributes.get("SPACECRAFT_ID", "")
    number = re.search(r"(\d)$", spacecraft)
    if not number:
        raise ProductError(f"{metadata} names no Landsat spacecraft (SPACECRAFT_ID)")
    family = "landsat_oli" if int(number.group(1)) >= 8 else "landsat_tm"
    parameters = groups.get("LEVEL2_SURFACE_REFLECTANCE_PARAMETERS", {})
    folder = PurePosixPath(metadata).parent
    files: dict[str, dict[float, SourceBand]] = {}
    for key, file_name in contents.items():
        match = re.fullmatch(r"FILE_NAME_BAND_(\d+)", key)
        if not match or "_SR_B" not in file_name.upper():
            continue
        n = match.group(1)
        code = f"SR_B{n}"
        try:
            mult = float(parameters[f"REFLECTANCE_MULT_BAND_{n}"])
            add = float(parameters[f"REFLECTANCE_ADD_BAND_{n}"])
        except (KeyError, ValueError) as exc:
            raise ProductError(
                f"{metadata} has no valid REFLECTANCE_MULT_BAND_{n} / REFLECTANCE_ADD_BAND_{n} "
                "in LEVEL2_SURFACE_REFLECTANCE_PARAMETERS; the metadata file may be damaged"
            ) from exc
        files[code] = {
            0.0: SourceBand(
                code,
                band_roles.SENSORS[family].get(code),
                container.gdal_path(str(folder / file_name)),
                mult=mult,
                add=add,
            )
        }
    if not files:
        raise ProductError(
            f"{metadata} lists no surface reflectance band (FILE_NAME_BAND_n = ..._SR_Bn.TIF)"
        )
    qa = contents.get("FILE_NAME_QUALITY_L1_PIXEL")
    path_row = ""
    if attributes.get("WRS_PATH") and attributes.get("WRS_ROW"):
        path_row = f"{int(attributes['WRS_PATH']):03d}{int(attributes['WRS_ROW']):03d}"
    return Product(
        kind="landsat",
        family=family,
        name=contents.get("LANDSAT_PRODUCT_ID", PurePosixPath(metadata).stem[:-4]),
        spacecraft=spacecraft,
        date=attributes.get("DATE_ACQUIRED", ""),
        tile=path_row,
        baseline=contents.get("COLLECTION_NUMBER", ""),
        files=files,
        mask={0.0: container.gdal_path(str(folder / qa))} if qa else {},
    )


# -- choosing bands and grid --------------------------------------------------------


def parse_band_list(text: str | Sequence[str] | None) -> list[str]:
    """Band names from ``"B02, B8A, 11"`` or ``"SR_B5"`` (upper case, S2 names padded)."""
    if text is None:
        return []
    items = re.split(r"[,;\s]+", text) if isinstance(text, str) else list(text)
    out = []
    for item in (i.strip().upper() for i in items):
        if not item:
            continue
        if re.fullmatch(r"B?(\d{1,2}|8A)", item):
            out.append(_s2_band(item))
        elif re.fullmatch(r"(SR_)?B\d", item):
            out.append("SR_" + item.removeprefix("SR_"))
        else:
            out.append(item)
    return out


def choose_bands(product: Product, wanted: Sequence[str], resolution: float) -> list[SourceBand]:
    """The file of each wanted band: the one at ``resolution`` if the product has it,
    else the finest one (Sentinel-2); every band named must exist."""
    chosen = []
    for code in wanted or product.default_bands:
        if product.kind == "landsat" and re.fullmatch(r"B\d\d|B8A", code):
            code = f"SR_B{int(code[1:])}" if code[1:].isdigit() else code
        if product.kind == "sentinel2" and code.startswith("SR_B"):
            code = _s2_band(code.removeprefix("SR_"))
        if code not in product.files:
            available = ", ".join(sorted(product.files))
            raise ProductError(
                f"band {code} is not in the product {product.name} (it has {available}); "
                "the product may be incomplete, or choose other bands"
            )
        versions = product.files[code]
        chosen.append(versions.get(resolution) or versions[min(versions)])
    return chosen


def product_grid(product: Product, bands: Sequence[SourceBand], resolution: float) -> Grid:
    """The output grid: the extent of the product's bands at ``resolution`` metres
    (Landsat: the bands' own grid)."""
    reference = bands[0].path
    with _open(reference, bands[0].band) as src:
        if product.kind == "landsat":
            return Grid(src.crs, src.transform, src.width, src.height)
        return make_grid(src.crs, tuple(src.bounds), float(resolution))


def _open(path: str, what: str):
    try:
        return rasterio.open(path)
    except rasterio.errors.RasterioIOError as exc:
        raise ProductError(
            f"cannot read {what} ({PurePosixPath(path).name}): {exc}; the file is missing or "
            "damaged: download the product again"
        ) from exc


# -- import -----------------------------------------------------------------------------


def _mask_path(product: Product, use_mask: bool, target: float) -> str | None:
    """The product's mask image nearest the ``target`` resolution (the finest when it
    has none at that resolution), or None when it has none and no mask is asked for."""
    if not (use_mask or product.mask):
        return None
    if not product.mask and use_mask:
        raise ProductError(
            f"the product {product.name} has no {product.mask_name} file, which the "
            f"mask needs; choose no mask classes, or download the complete product"
        )
    return product.mask.get(target) or product.mask[min(product.mask)]


def _band_readers(
    stack: ExitStack, chosen: Sequence[SourceBand], grid: Grid, resampling: str
) -> list[tuple[SourceBand, object]]:
    """Every chosen band opened on ``stack`` and seen on ``grid`` (resampled when its
    own grid differs), with its band."""
    readers = []
    for band in chosen:
        src = stack.enter_context(_open(band.path, band.band))
        if src.crs is None:
            raise ProductError(f"{band.band} ({band.path}) has no CRS; the file is damaged")
        view = on_grid(src, grid, _method(src, grid, resampling), src_nodata=0)
        if view is not src:
            stack.enter_context(view)
        readers.append((band, view))
    return readers


def _flag_pixels(
    flags: np.ndarray, fill: np.ndarray, kind: str, scl_classes: np.ndarray, bit_mask: int
) -> np.ndarray:
    """Pixels the mask image ``flags`` masks (SCL ``scl_classes`` for Sentinel-2, the
    bits of ``bit_mask`` but bit 0 for Landsat); adds its no-data pixels to ``fill``."""
    if kind == "sentinel2":
        fill |= flags == 0
        if scl_classes.size:
            return np.isin(flags, scl_classes)
        return np.zeros_like(fill)
    fill |= (flags & 1) != 0
    return (flags.astype(np.int64) & (bit_mask & ~1)) != 0


def _reflectance(bands: Sequence[SourceBand], arrays: Sequence[np.ndarray]) -> np.ndarray:
    """Reflectance (bands, rows, cols), float32, of the DN ``arrays`` of ``bands``."""
    out = np.empty((len(arrays), *arrays[0].shape), dtype=np.float32)
    for i, (band, dn) in enumerate(zip(bands, arrays)):
        values = (dn.astype(np.float64) + band.dn_offset) / band.divisor
        if band.mult != 1.0 or band.add:
            values = values * band.mult + band.add
        out[i] = values
    return out


def _product_tags(
    product: Product, masked: bool, classes: Sequence[int], bits: Sequence[int]
) -> dict[str, str]:
    """Dataset tags of the stack: sensor, date, tile, product, units, baseline and the
    mask applied (when ``masked``)."""
    tags = {
        "SENSOR": product.spacecraft,
        "DATE": product.date,
        "TILE": product.tile,
        "PRODUCT": product.name,
        UNITS_TAG: "reflectance",
    }
    if product.kind == "sentinel2" and product.baseline:
        tags["PROCESSING_BASELINE"] = product.baseline
    if masked:
        tags["LANDCOVER_MASK"] = (
            f"SCL {', '.join(map(str, classes))}"
            if product.kind == "sentinel2"
            else f"QA_PIXEL bits {', '.join(map(str, bits))}"
        )
    return tags


def _band_tags(band: SourceBand) -> dict[str, str]:
    """Tags of one band of the stack: its band name, reflectance formula and role."""
    band_tags = {band_roles.BAND_ID_TAG: band.band, "REFLECTANCE": band.formula()}
    if band.role:
        band_tags[band_roles.ROLE_TAG] = band.role
    return band_tags


def import_product(
    path: str | os.PathLike | Product,
    output: str | os.PathLike,
    bands: Sequence[str] | str | None = None,
    resolution: float = 10,
    resampling: str = "bilinear",
    mask_classes: Sequence[int] = DEFAULT_SCL,
    mask_bits: Sequence[int] = DEFAULT_QA_BITS,
    max_pixels: int = DEFAULT_WINDOW_PIXELS,
    progress: Progress | None = None,
    workers: int | None = None,
) -> ImportResult:
    """Write the reflectance stack of the product at ``path`` (or already opened by
    :func:`open_product`) to ``output``.

    ``bands``: band names (``B02``, ``B8A``, ``SR_B5``; default: the product's
    :attr:`Product.default_bands`), in output order. ``resolution`` (10, 20 or 60 m)
    is the Sentinel-2 grid; bands coarser than it are resampled with ``resampling``
    (one of :data:`.align.RESAMPLING_METHODS`), finer ones averaged, the SCL by
    nearest neighbour; Landsat keeps its 30 m grid. ``mask_classes`` (SCL values) or
    ``mask_bits`` (QA_PIXEL bits), whichever fits the product, set pixels to nodata
    (NaN) in every band, as do fill pixels. Each band is described by its role and
    band name (``"nir (B08)"``) and tagged with both; the dataset is tagged with
    ``SENSOR``, ``DATE``, ``TILE``, ``PRODUCT`` and ``LANDCOVER_UNITS=reflectance``.
    """
    progress = as_progress(progress)
    if resampling not in RESAMPLING_METHODS:
        raise InputError(
            f"unknown resampling method {resampling!r}; use one of {', '.join(RESAMPLING_METHODS)}"
        )
    output = check_writable(output)
    product = path if isinstance(path, Product) else open_product(path)
    notes = list(product.notes)
    if product.kind == "sentinel2" and resolution not in RESOLUTIONS:
        raise InputError(f"the resolution must be 10, 20 or 60 m (got {resolution!r})")
    target = float(resolution) if product.kind == "sentinel2" else 0.0
    chosen = choose_bands(product, parse_band_list(bands), target)
    grid = product_grid(product, chosen, resolution)
    classes = sorted({int(v) for v in mask_classes})
    bits = sorted({int(b) for b in mask_bits})
    use_mask = bool(classes) if product.kind == "sentinel2" else bool(bits)
    mask_path = _mask_path(product, use_mask, target)
    bit_mask = 1  # QA_PIXEL bit 0: fill
    for bit in bits:
        bit_mask |= 1 << bit
    scl_codes = np.array([0, *classes], dtype=np.uint8)  # SCL 0: no data
    descriptions = [band_roles.describe(b.role, b.band) for b in chosen]

    with ExitStack() as stack:
        readers = _band_readers(stack, chosen, grid, resampling)
        mask_reader = None
        if mask_path is not None:
            mask_src = stack.enter_context(_open(mask_path, product.mask_name))
            mask_reader = on_grid(mask_src, grid, "nearest", src_nodata=0)
            if mask_reader is not mask_src:
                stack.enter_context(mask_reader)
        blocks = plan_blocks(grid.width, grid.height, (1024, 1024), max_pixels)

        def read(block):
            arrays = []
            for band, reader in readers:
                arrays.append(_read(reader, block, band.band))
            flags = None
            if mask_reader is not None:
                flags = _read(mask_reader, block, product.mask_name)
            return arrays, flags

        def compute(item):
            arrays, flags = item
            fill = np.zeros(arrays[0].shape, dtype=bool)
            for dn in arrays:
                fill |= dn == 0
            masked = np.zeros_like(fill)
            if flags is not None:
                masked = _flag_pixels(flags, fill, product.kind, scl_codes[1:], bit_mask)
            out = _reflectance([band for band, _ in readers], arrays)
            bad = fill | masked
            out[:, bad] = np.nan
            return out, int((masked & ~fill).sum()), int(fill.sum())

        counts = [0, 0]
        tags = _product_tags(product, mask_path is not None, classes, bits)
        with create_raster(
            output,
            width=grid.width,
            height=grid.height,
            count=len(chosen),
            dtype="float32",
            crs=grid.crs,
            transform=grid.transform,
            nodata=float("nan"),
            descriptions=descriptions,
            tags=tags,
        ) as dst:

            def write(block, result):
                out, masked, fill = result
                dst.write(out, window=block.window)
                counts[0] += masked
                counts[1] += fill

            run_blocks(blocks, read, compute, write, progress, workers)
            for index, band in enumerate(chosen, start=1):
                dst.update_tags(index, **_band_tags(band))
    progress(1.0)
    return ImportResult(
        path=output,
        product=product,
        grid=grid,
        bands=chosen,
        descriptions=descriptions,
        masked=counts[0],
        fill=counts[1],
        total=grid.width * grid.height,
        notes=notes,
    )


def _method(src, grid: Grid, resampling: str) -> str:
    """Resampling of a band onto the grid: the user's when the band is coarser,
    average when it is finer (several source pixels per output pixel)."""
    if abs(src.transform.a) < grid.res[0] - 1e-9:
        return "average"
    return resampling


def _read(reader, block, what: str) -> np.ndarray:
    try:
        return reader.read(1, window=block.window)
    except (rasterio.errors.RasterioIOError, rasterio.errors.RasterioError) as exc:
        raise ProductError(
            f"cannot read {what} ({PurePosixPath(reader.name).name}): {exc}; the file is "
            "damaged or incomplete: download the product again"
        ) from exc
