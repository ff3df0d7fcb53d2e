"""Band roles: what each band of a stack measures (blue, red, nir...), in one place.

A role travels with the band as its description, ``"nir (B08)"`` (the role, then the
band's source name in parentheses), and as the band tag ``LANDCOVER_ROLE``. The
tools that need a band by role (spectral indices, texture) read it from there, so a
stack made by ``importproduct``, ``alignrasters`` or ``spectralindices`` needs no
band numbers. Roles are also recognised in the usual band file names of Sentinel-2
(``T32TQM_20230615T102021_B08_10m.jp2``, ``B8A``) and Landsat Collection 2
(``LC09_L2SP_..._SR_B5.TIF``), whose numbering differs between Landsat 8/9 (OLI) and
Landsat 4, 5 and 7 (TM, ETM+).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import PurePath

ROLE_TAG = "LANDCOVER_ROLE"  # per-band tag: the band's role
BAND_ID_TAG = "LANDCOVER_BAND_ID"  # per-band tag: the product's own band name (B08, SR_B5)
UNITS_TAG = "LANDCOVER_UNITS"  # dataset tag; "reflectance": values are reflectance (0..1)

# Every role, in spectral order. Names with a space ("nir narrow") are written as is.
ROLES = (
    "coastal",
    "blue",
    "green",
    "red",
    "rededge1",
    "rededge2",
    "rededge3",
    "nir",
    "nir narrow",
    "water vapour",
    "cirrus",
    "swir1",
    "swir2",
)

SENTINEL2 = {
    "B01": "coastal",
    "B02": "blue",
    "B03": "green",
    "B04": "red",
    "B05": "rededge1",
    "B06": "rededge2",
    "B07": "rededge3",
    "B08": "nir",
    "B8A": "nir narrow",
    "B09": "water vapour",
    "B10": "cirrus",
    "B11": "swir1",
    "B12": "swir2",
}
# Landsat 8 and 9 (OLI) surface reflectance bands
LANDSAT_OLI = {
    "SR_B1": "coastal",
    "SR_B2": "blue",
    "SR_B3": "green",
    "SR_B4": "red",
    "SR_B5": "nir",
    "SR_B6": "swir1",
    "SR_B7": "swir2",
}
# Landsat 4, 5 (TM) and 7 (ETM+) surface reflectance bands: one number lower, no
# coastal band, and band 6 is thermal
LANDSAT_TM = {
    "SR_B1": "blue",
    "SR_B2": "green",
    "SR_B3": "red",
    "SR_B4": "nir",
    "SR_B5": "swir1",
    "SR_B7": "swir2",
}
SENSORS = {"sentinel2": SENTINEL2, "landsat_oli": LANDSAT_OLI, "landsat_tm": LANDSAT_TM}
SENSOR_TITLES = {
    "sentinel2": "Sentinel-2",
    "landsat_oli": "Landsat 8/9",
    "landsat_tm": "Landsat 4/5/7",
}

# Landsat product ids start with the mission: LC08, LC09 (OLI) or LT04, LT05, LE07
_LANDSAT_MISSION = re.compile(r"(?:^|[^A-Z0-9])L([COTE])0?([4-9])_", re.IGNORECASE)
_SENTINEL2_HINT = re.compile(
    r"(?:MSIL2A|MSIL1C|^S2[ABCD]_|_T\d{2}[A-Z]{3}_|\.jp2$|(?:^|[^A-Z0-9])B(?:0\d|1[0-2]|8A)"
    r"(?:[^A-Z0-9]|$))",
    re.IGNORECASE,
)
_SR_BAND = re.compile(r"(?:^|[^A-Z0-9])SR_B(\d{1,2})(?:[^A-Z0-9]|$)", re.IGNORECASE)
_S2_BAND = re.compile(r"(?:^|[^A-Z0-9])B(0?\d|1[0-2]|8A)(?:[^A-Z0-9]|$)", re.IGNORECASE)
# role words as file names: blue.tif, NIR.tif, swir_1.tif, "red edge 1"
_ROLE_WORDS = {
    "coastal": "coastal",
    "aerosol": "coastal",
    "blue": "blue",
    "green": "green",
    "red": "red",
    "rededge1": "rededge1",
    "rededge2": "rededge2",
    "rededge3": "rededge3",
    "nir": "nir",
    "nir narrow": "nir narrow",
    "nirnarrow": "nir narrow",
    "nir08": "nir",
    "swir1": "swir1",
    "swir16": "swir1",
    "swir2": "swir2",
    "swir22": "swir2",
    "cirrus": "cirrus",
}


def detect_sensor(names: Sequence[str]) -> str | None:
    """The sensor family (a key of :data:`SENSORS`) that ``names`` (file names or band
    descriptions) come from, or None when they do not say."""
    for name in names:
        match = _LANDSAT_MISSION.search(PurePath(str(name)).name)
        if match:
            return "landsat_oli" if int(match.group(2)) >= 8 else "landsat_tm"
    if any(_SENTINEL2_HINT.search(PurePath(str(name)).name) for name in names):
        return "sentinel2"
    return None


def band_id(name: str, sensor: str | None) -> str | None:
    """The product band name found in a file name or description (``B08``, ``B8A``,
    ``SR_B5``), normalised, or None."""
    base = PurePath(str(name)).name
    match = _SR_BAND.search(base)
    if match:
        return f"SR_B{int(match.group(1))}"
    if sensor in (None, "sentinel2"):
        match = _S2_BAND.search(base)
        if match:
            code = match.group(1).upper()
            return "B8A" if code == "8A" else f"B{int(code):02d}"
    return None


def role_from_word(text: str) -> str | None:
    """The role named by ``text`` itself (``nir``, ``Red``, ``swir_1.tif``), or None."""
    stem = PurePath(str(text)).name
    stem = re.sub(r"\.(tif|tiff|jp2|vrt|img)$", "", stem, flags=re.IGNORECASE)
    key = re.sub(r"[\s_\-]+", "", stem.lower())
    if key in _ROLE_WORDS:
        return _ROLE_WORDS[key]
    spaced = re.sub(r"[\s_\-]+", " ", stem.lower()).strip()
    return _ROLE_WORDS.get(spaced)


def role_among_words(text: str) -> str | None:
    """The one role named by a whole word of ``text`` (``rgb1_fake_nir_epsg3857.tif``
    -> ``nir``), or None when no word, or words of two roles, name one."""
    stem = re.sub(r"\.(tif|tiff|jp2|vrt|img)$", "", PurePath(str(text)).name, flags=re.IGNORECASE)
    words = re.split(r"[^a-z0-9]+", stem.lower())
    found = {_ROLE_WORDS[word] for word in words if word in _ROLE_WORDS}
    return found.pop() if len(found) == 1 else None


def roles_from_names(names: Sequence[str]) -> list[tuple[str | None, str]]:
    """For each file name, its role and how it was recognised, ``(role, note)``.

    The sensor is detected from all the names together (a Landsat product id, or
    Sentinel-2 band names such as ``B08`` or ``B8A``), so that ``SR_B5`` is NIR in a
    Landsat 8/9 product and SWIR1 in a Landsat 5/7 one. ``SR_Bn`` without a mission
    prefix is read with Landsat 8/9 numbering, and the note says so; bare ``Bn``
    without Sentinel-2 hints is left without a role (Sentinel-2, Landsat 8 and
    Landsat 5 number bands 5 to 7 differently). ``(None, "")`` when unrecognised.
    """
    sensor = detect_sensor(names)
    out: list[tuple[str | None, str]] = []
    for name in names:
        word = role_from_word(name)
        if word:
            out.append((word, "file name"))
            continue
        code = band_id(name, sensor)
        if code is None:
            # A guess, and the note says so: the role's word among others in the name.
            guess = role_among_words(name)
            out.append((guess, "guessed from a word of the file name") if guess else (None, ""))
        elif code.startswith("SR_B"):
            family = sensor if sensor in ("landsat_oli", "landsat_tm") else "landsat_oli"
            role = SENSORS[family].get(code)
            note = f"{code}, {SENSOR_TITLES[family]} numbering"
            if sensor not in ("landsat_oli", "landsat_tm"):
                note += " assumed (no Landsat product id in the name)"
            out.append((role, note) if role else (None, ""))
        elif sensor == "sentinel2":
            role = SENTINEL2.get(code)
            out.append((role, f"{code}, Sentinel-2") if role else (None, ""))
        else:
            out.append((None, ""))
    return out


def describe(role: str | None, source: str) -> str:
    """The description of a band: ``"nir (B08)"``, or ``source`` alone without a role."""
    if not role:
        return source
    if role_of_description(source) == role:
        return source
    return f"{role} ({source})" if source else role


def source_name(description: str) -> str:
    """What a description says besides its role: ``"nir (B08)"`` -> ``B08``; a bare
    role word -> that word; anything else unchanged."""
    role = role_of_description(description)
    text = description.strip()
    if role and text.lower().startswith(role + " (") and text.endswith(")"):
        return text[len(role) + 2 : -1]
    return text


def role_of_description(description: str | None) -> str | None:
    """The role a band description starts with (``"nir (B08)"`` -> ``nir``), or a
    description that is only a role word (``"NIR"``); None otherwise."""
    if not description:
        return None
    text = description.strip().lower()
    for role in sorted(ROLES, key=len, reverse=True):
        if text == role or text.startswith(role + " (") or text.startswith(role + " -"):
            return role
    return role_from_word(text)


def roles_of(descriptions: Sequence[str | None], tags: Sequence[Mapping[str, str]]) -> dict:
    """Band number (1-based) -> role, from each band's role tag, else its description
    (a leading role, a role word, or a recognised band file name in it).

    A role given by two bands keeps the first.
    """
    found: dict[int, str] = {}
    texts = [d or "" for d in descriptions]
    from_names = roles_from_names(texts)
    for index, (text, tag) in enumerate(zip(texts, tags), start=1):
        role = tag.get(ROLE_TAG) or role_of_description(text) or from_names[index - 1][0]
        if role in ROLES and role not in found.values():
            found[index] = role
    return found


def dataset_roles(src) -> dict:
    """:func:`roles_of` for an open rasterio dataset."""
    return roles_of(list(src.descriptions), [src.tags(i) for i in src.indexes])


def band_for_role(src, role: str) -> int | None:
    """The band of an open dataset that holds ``role``, or None."""
    for index, found in dataset_roles(src).items():
        if found == role:
            return index
    return None
