"""Spectral indices from multiband imagery, computed block by block.

Every index is computed on reflectance, ``DN * scale + offset``: normalised
differences do not change with the scale but do with the offset, and indices with
additive constants (SAVI, EVI, ...) are only meaningful on reflectance. A pixel is
NaN in an index when one of the bands it uses is nodata, when a denominator is zero
or when the result is not finite (never inf).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

import numpy as np

from ..io import bands as band_roles
from ..io import raster
from ..io.errors import InputError
from ..io.progress import Progress, as_progress

ROLES = ("blue", "green", "red", "nir", "swir1", "swir2")
FEATURE_TAG = "LANDCOVER_FEATURE"  # per-band JSON: how the band was made

Arrays = Mapping[str, np.ndarray]


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """``numerator / denominator`` with NaN where the denominator is zero."""
    out = np.full(np.broadcast(numerator, denominator).shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def _nd(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return _ratio(a - b, a + b)


def _msavi(r: Arrays) -> np.ndarray:
    nir, red = r["nir"], r["red"]
    term = 2.0 * nir + 1.0
    with np.errstate(invalid="ignore"):
        return (term - np.sqrt(term * term - 8.0 * (nir - red))) / 2.0


@dataclass(frozen=True)
class SpectralIndex:
    """One index of the catalogue: its bands, its formula and how to compute it."""

    name: str
    title: str
    bands: tuple[str, ...]
    formula: str
    compute: Callable[[Arrays], np.ndarray] = field(repr=False)
    needs_reflectance: bool = False


_CATALOGUE = (
    SpectralIndex(
        "NDVI",
        "Normalized difference vegetation index",
        ("nir", "red"),
        "(NIR - Red) / (NIR + Red)",
        lambda r: _nd(r["nir"], r["red"]),
    ),
    SpectralIndex(
        "NDWI",
        "Normalized difference water index (McFeeters)",
        ("green", "nir"),
        "(Green - NIR) / (Green + NIR)",
        lambda r: _nd(r["green"], r["nir"]),
    ),
    SpectralIndex(
        "MNDWI",
        "Modified normalized difference water index",
        ("green", "swir1"),
        "(Green - SWIR1) / (Green + SWIR1)",
        lambda r: _nd(r["green"], r["swir1"]),
    ),
    SpectralIndex(
        "NDBI",
        "Normalized difference built-up index",
        ("swir1", "nir"),
        "(SWIR1 - NIR) / (SWIR1 + NIR)",
        lambda r: _nd(r["swir1"], r["nir"]),
    ),
    SpectralIndex(
        "SAVI",
        "Soil-adjusted vegetation index (L = 0.5)",
        ("nir", "red"),
        "1.5 * (NIR - Red) / (NIR + Red + 0.5)",
        lambda r: 1.5 * _ratio(r["nir"] - r["red"], r["nir"] + r["red"] + 0.5),
        needs_reflectance=True,
    ),
    SpectralIndex(
        "EVI",
        "Enhanced vegetation index",
        ("nir", "red", "blue"),
        "2.5 * (NIR - Red) / (NIR + 6 Red - 7.5 Blue + 1)",
        lambda r: (
            2.5 * _ratio(r["nir"] - r["red"], r["nir"] + 6.0 * r["red"] - 7.5 * r["blue"] + 1.0)
        ),
        needs_reflectance=True,
    ),
    SpectralIndex(
        "NBR",
        "Normalized burn ratio",
        ("nir", "swir2"),
        "(NIR - SWIR2) / (NIR + SWIR2)",
        lambda r: _nd(r["nir"], r["swir2"]),
    ),
    SpectralIndex(
        "NDMI",
        "Normalized difference moisture index",
        ("nir", "swir1"),
        "(NIR - SWIR1) / (NIR + SWIR1)",
        lambda r: _nd(r["nir"], r["swir1"]),
    ),
    SpectralIndex(
        "GNDVI",
        "Green normalized difference vegetation index",
        ("nir", "green"),
        "(NIR - Green) / (NIR + Green)",
        lambda r: _nd(r["nir"], r["green"]),
    ),
    SpectralIndex(
        "EVI2",
        "Two-band enhanced vegetation index (no blue band)",
        ("nir", "red"),
        "2.5 * (NIR - Red) / (NIR + 2.4 Red + 1)",
        lambda r: 2.5 * _ratio(r["nir"] - r["red"], r["nir"] + 2.4 * r["red"] + 1.0),
        needs_reflectance=True,
    ),
    SpectralIndex(
        "MSAVI",
        "Modified soil-adjusted vegetation index (MSAVI2)",
        ("nir", "red"),
        "(2 NIR + 1 - sqrt((2 NIR + 1)^2 - 8 (NIR - Red))) / 2",
        _msavi,
        needs_reflectance=True,
    ),
    SpectralIndex(
        "BSI",
        "Bare soil index",
        ("swir1", "red", "nir", "blue"),
        "((SWIR1 + Red) - (NIR + Blue)) / ((SWIR1 + Red) + (NIR + Blue))",
        lambda r: _nd(r["swir1"] + r["red"], r["nir"] + r["blue"]),
    ),
)

# name -> index, in the (stable) order the algorithm offers them
INDICES: dict[str, SpectralIndex] = {index.name: index for index in _CATALOGUE}


@dataclass
class IndicesResult:
    """What :func:`spectral_indices` wrote: the ``descriptions`` of the output bands,
    in order, and ``warnings`` for the user."""

    descriptions: list[str]
    warnings: list[str]


@dataclass(frozen=True)
class SensorPreset:
    """Band order of a common product, and the scale and offset to reflectance."""

    key: str
    title: str
    band_names: tuple[str, ...]
    bands: dict[str, int]
    scale: float = 1.0
    offset: float = 0.0


PRESETS: dict[str, SensorPreset] = {
    preset.key: preset
    for preset in (
        SensorPreset("custom", "Custom (give band numbers)", (), {}),
        SensorPreset(
            "sentinel2_10",
            "Sentinel-2 L2A, 10 bands (B2,B3,B4,B5,B6,B7,B8,B8A,B11,B12)",
            ("B2", "B3", "B4", "B5", "B6", "B7", "B8", "B8A", "B11", "B12"),
            {"blue": 1, "green": 2, "red": 3, "nir": 7, "swir1": 9, "swir2": 10},
            scale=0.0001,
        ),
        SensorPreset(
            "sentinel2_4",
            "Sentinel-2 L2A, 4 bands at 10 m (B2,B3,B4,B8)",
            ("B2", "B3", "B4", "B8"),
            {"blue": 1, "green": 2, "red": 3, "nir": 4},
            scale=0.0001,
        ),
        SensorPreset(
            "sentinel2_12",
            "Sentinel-2 L2A, 12 bands (B1,B2,B3,B4,B5,B6,B7,B8,B8A,B9,B11,B12)",
            ("B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B8A", "B9", "B11", "B12"),
            {"blue": 2, "green": 3, "red": 4, "nir": 8, "swir1": 11, "swir2": 12},
            scale=0.0001,
        ),
        SensorPreset(
            "landsat89",
            "Landsat 8/9 Collection 2 Level-2 (SR_B1 to SR_B7)",
            ("SR_B1", "SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B6", "SR_B7"),
            {"blue": 2, "green": 3, "red": 4, "nir": 5, "swir1": 6, "swir2": 7},
            scale=0.0000275,
            offset=-0.2,
        ),
    )
}


def resolve_bands(preset: str = "custom", overrides: Mapping[str, float] | None = None) -> dict:
    """Band number of each role: the preset's, replaced by any non-zero override.

    ``overrides`` maps roles (``ROLES``) to 1-based band numbers; 0 or None keeps the
    preset's choice (for ``custom``: not available). A fractional number is refused
    rather than rounded.
    """
    return assign_bands(preset, overrides)[0]


def assign_bands(
    preset: str = "custom",
    overrides: Mapping[str, float] | None = None,
    described: Mapping[int, str] | None = None,
) -> tuple[dict[str, int], dict[str, str]]:
    """Band number of each role, and where it came from (``given``, ``described`` or
    ``preset``).

    A non-zero override wins; then the band whose description or tag names the role
    (``described`` maps band numbers to roles, see :func:`.bands.dataset_roles`); then
    the preset's band order.
    """
    if preset not in PRESETS:
        raise InputError(f"unknown sensor preset {preset!r}; choose one of {', '.join(PRESETS)}")
    for role in overrides or {}:
        if role not in ROLES:
            raise InputError(f"unknown band role {role!r}; use one of {', '.join(ROLES)}")
        number = (overrides or {})[role]
        if number and float(number) != int(float(number)):
            raise InputError(
                f"the {role.upper()} band number {number} is not a whole number; give the "
                "number of a band (1 for the first band)"
            )
    by_role = {role: number for number, role in (described or {}).items()}
    bands, how = {}, {}
    for role in ROLES:
        given = (overrides or {}).get(role)
        if given:
            bands[role], how[role] = int(float(given)), "given"
        elif role in by_role:
            bands[role], how[role] = by_role[role], "described"
        elif role in PRESETS[preset].bands:
            bands[role], how[role] = PRESETS[preset].bands[role], "preset"
    return bands, how


def input_bands(path: str | os.PathLike) -> tuple[dict[int, str], list[str], bool]:
    """What a raster says about its bands: band number -> role, the band labels, and
    whether it is tagged as holding reflectance already (``LANDCOVER_UNITS``)."""
    with raster.open_raster(path) as src:
        labels = [band_label(src, i) for i in src.indexes]
        roles = band_roles.dataset_roles(src)
        return roles, labels, src.tags().get(band_roles.UNITS_TAG) == "reflectance"


def check_indices(
    names: Sequence[str], bands: Mapping[str, int], band_count: int, append: bool = False
) -> None:
    """Raise :class:`InputError` if an index is unknown, lacks one of its bands, or
    two roles the indices use share one band.

    No index at all is allowed when the input bands are appended (imagery without
    the bands any index needs still goes through a chain that expects this step).
    """
    if not names and not append:
        raise InputError(
            "no index chosen; choose at least one index to compute, or append the input bands"
        )
    for name in names:
        if name not in INDICES:
            raise InputError(f"unknown index {name!r}; choose among {', '.join(INDICES)}")
        for role in INDICES[name].bands:
            number = bands.get(role, 0)
            if not number:
                raise InputError(
                    f"{name} needs the {role.upper()} band, which is not assigned; give its "
                    f"band number (parameter {role.upper()}) or choose a sensor preset"
                )
            if not 1 <= number <= band_count:
                raise InputError(
                    f"{name} needs the {role.upper()} band, assigned to band {number}, but "
                    f"the input has {band_count} band(s); check the sensor preset and the "
                    f"band numbers"
                )
    used: dict[int, str] = {}
    for role in dict.fromkeys(r for name in names for r in INDICES[name].bands):
        number = bands[role]
        if number in used:
            raise InputError(
                f"band {number} is given both as {used[number].upper()} and as "
                f"{role.upper()}; each role needs its own band (check the band numbers and "
                "the sensor preset)"
            )
        used[number] = role


def compute_indices(
    dn: Arrays,
    names: Sequence[str],
    scale: float = 1.0,
    offset: float = 0.0,
    valid: np.ndarray | Mapping[str, np.ndarray] | None = None,
) -> np.ndarray:
    """Indices ``names`` from digital numbers, as float32 (len(names), rows, cols).

    ``dn`` maps roles to 2-D arrays of digital numbers (reflectance is
    ``dn * scale + offset``); ``valid`` marks pixels holding data, either one
    (rows, cols) mask for every band or a mapping of roles to masks, so that nodata in
    one band only affects the indices using it. Nodata, zero denominators and
    non-finite results become NaN.
    """
    reflectance = {
        role: np.asarray(array, dtype=np.float64) * scale + offset for role, array in dn.items()
    }
    shape = next(iter(reflectance.values())).shape
    out = np.empty((len(names), *shape), dtype=np.float32)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for i, name in enumerate(names):
            values = INDICES[name].compute(reflectance)
            bad = ~np.isfinite(values)
            if isinstance(valid, Mapping):
                for role in INDICES[name].bands:
                    bad |= ~valid[role]
            elif valid is not None:
                bad |= ~valid
            values = values.astype(np.float32)
            bad |= ~np.isfinite(values)  # finite in float64, too large for float32
            values[bad] = np.nan
            out[i] = values
    return out


def band_feature(src, index: int) -> dict:
    """The feature description of input band ``index``: its stored tag, else its name."""
    text = src.tags(index).get(FEATURE_TAG)
    if text:
        try:
            return json.loads(text)
        except ValueError:
            pass
    return {"kind": "band", "band": index, "name": band_label(src, index)}


def band_label(src, index: int) -> str:
    """The description of input band ``index``, or ``band N``."""
    return src.descriptions[index - 1] or f"band {index}"


def _read_index_bands(
    src, block, reads: Sequence[int], roles: Sequence[str], bands: Mapping[str, int], copies
) -> tuple:
    """``(dn, valid, copied)`` of one window: the bands of each role with their valid
    masks, and the input bands copied to the output (float32, NaN where invalid)."""
    data, _ = raster.read_block(src, block, reads) if reads else (None, None)
    valid = {
        number: raster.valid_mask(src, data[i : i + 1], [number], block.read_window)
        for i, number in enumerate(reads)
    }
    dn = {role: data[reads.index(bands[role])] for role in roles}
    valid = {role: valid[bands[role]] for role in roles}
    copied = []
    for i in copies:
        band, band_valid = raster.read_block(src, block, [i], dtype=np.float32)
        band = band[0]
        band[~band_valid] = np.nan
        copied.append(band)
    return dn, valid, copied


def _index_window(item: tuple, indices: Sequence[str], scale: float, offset: float) -> np.ndarray:
    """The output bands (copies, then the indices) of one read window."""
    dn, valid, copied = item
    if not indices:
        return np.stack(copied)
    values = compute_indices(dn, indices, scale, offset, valid)
    if copied:
        values = np.concatenate([np.stack(copied), values])
    return values


def spectral_indices(
    input_path: str | os.PathLike,
    output_path: str | os.PathLike,
    indices: Sequence[str],
    bands: Mapping[str, int],
    *,
    scale: float = 1.0,
    offset: float = 0.0,
    append: bool = False,
    progress: Progress | None = None,
    max_pixels: int | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
) -> IndicesResult:
    """Write the ``indices`` of ``input_path`` to ``output_path`` (float32, NaN nodata).

    ``bands`` maps roles to 1-based band numbers (see :func:`resolve_bands`). With
    ``append`` the output starts with every input band (as float32, nodata as NaN),
    followed by the indices. Each output band gets a description and a
    ``LANDCOVER_FEATURE`` tag (JSON) saying how it was made. ``scheduler``: a Dask
    scheduler address whose workers compute the windows (see :mod:`.cluster`).
    Returns the output band ``descriptions`` and ``warnings`` for the user.
    """
    progress = as_progress(progress)
    indices = list(indices)
    with raster.open_raster(input_path) as src:
        check_indices(indices, bands, src.count, append)
        used = sorted({role for name in indices for role in INDICES[name].bands})
        reads = sorted({bands[role] for role in used})
        copies = list(range(1, src.count + 1)) if append else []
        # a band holding one role is described by it; one given two roles is ambiguous
        numbers = list(bands.values())
        role_of = {number: role for role, number in bands.items() if numbers.count(number) == 1}
        descriptions = [
            band_roles.describe(role_of.get(i), band_label(src, i)) for i in copies
        ] + indices
        tags = [band_feature(src, i) for i in copies]
        for name in indices:
            tags.append(
                {
                    "kind": "index",
                    "name": name,
                    "formula": INDICES[name].formula,
                    "bands": {role: bands[role] for role in INDICES[name].bands},
                    "scale": scale,
                    "offset": offset,
                }
            )
        warnings = []
        integer = any(np.issubdtype(np.dtype(src.dtypes[n - 1]), np.integer) for n in reads)
        reflectance = [n for n in indices if INDICES[n].needs_reflectance]
        if reflectance and integer and scale == 1.0 and offset == 0.0:
            warnings.append(
                f"{', '.join(reflectance)} expect reflectance (0 to 1) but the input holds "
                f"integers and no scale factor was given; set the scale factor (for example "
                f"0.0001 for Sentinel-2 L2A) or the values will be meaningless"
            )
        blocks = raster.blocks_for(src, max_pixels or raster.DEFAULT_WINDOW_PIXELS)

        read = partial(
            _read_index_bands, src, reads=reads, roles=used, bands=dict(bands), copies=copies
        )
        compute = partial(_index_window, indices=indices, scale=scale, offset=offset)

        raster.write_float_stack(
            src,
            output_path,
            descriptions,
            blocks,
            read,
            compute,
            progress,
            workers,
            scheduler,
            band_tags=[
                {
                    FEATURE_TAG: json.dumps(tag),
                    **(
                        {band_roles.ROLE_TAG: role_of[number]}
                        if number in role_of and number <= len(copies)
                        else {}
                    ),
                }
                for number, tag in enumerate(tags, start=1)
            ],
        )
    return IndicesResult(descriptions, warnings)
