"""Land-cover classes: codes, names and colours, and how they travel between steps."""

from __future__ import annotations

import colorsys
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .errors import InputError

# Tag under which a class raster stores its classes (JSON) inside the GeoTIFF itself.
CLASSES_TAG = "LANDCOVER_CLASSES"
# Tag naming the classification run a raster comes from (its class map, probabilities
# and uncertainty share it), so that rasters of different maps are not mixed up.
MAP_TAG = "LANDCOVER_MAP"
CLASS_NODATA = 0

# Conventional colours for common land-cover names, so maps read as users expect.
_NAMED_COLOURS: tuple[tuple[tuple[str, ...], tuple[int, int, int]], ...] = (
    (("water", "river", "lake", "sea", "ocean"), (31, 120, 180)),
    (("wetland", "marsh", "swamp"), (106, 190, 200)),
    (("conifer", "needle"), (20, 90, 50)),
    (("forest", "tree", "wood"), (35, 139, 69)),
    (("shrub", "scrub", "bush"), (140, 160, 60)),
    (("grass", "pasture", "meadow", "herb"), (166, 217, 106)),
    (("crop", "agri", "field", "arable", "farm"), (255, 221, 85)),
    (("urban", "built", "settle", "city", "building", "road", "impervious"), (215, 25, 28)),
    (("bare", "soil", "sand", "rock", "quarry"), (166, 120, 80)),
    (("snow", "ice", "glacier"), (240, 248, 255)),
    (("cloud",), (200, 200, 200)),
    (("shadow",), (70, 70, 70)),
)

# Distinct colours for classes without a conventional one.
_PALETTE: tuple[tuple[int, int, int], ...] = (
    (228, 26, 28), (55, 126, 184), (77, 175, 74), (152, 78, 163), (255, 127, 0),
    (255, 255, 51), (166, 86, 40), (247, 129, 191), (153, 153, 153), (102, 194, 165),
    (252, 141, 98), (141, 160, 203), (231, 138, 195), (166, 216, 84), (255, 217, 47),
    (229, 196, 148), (27, 158, 119), (217, 95, 2), (117, 112, 179), (102, 166, 30),
)  # fmt: skip
# After the palette, hues spread by the golden ratio: distinct in 8-bit RGB for this
# many indices (then they repeat), and the colours most maps with many classes get.
_GOLDEN_HUES = 600
# Beyond those, the 24-bit colours in the order (t * _STEP) mod 2**24: _STEP is odd,
# so t -> colour is one to one and colours never repeat (up to 16.7 million classes).
_STEP = 0x9E3779
_HEX_COLOR = re.compile(r"#?([0-9a-fA-F]{6})([0-9a-fA-F]{2})?")


@dataclass(frozen=True)
class ClassInfo:
    """One class of a land-cover map: its raster code, its name and its RGB colour."""

    code: int
    name: str
    color: tuple[int, int, int]

    def to_json(self) -> dict:
        r, g, b = self.color
        return {"code": self.code, "name": self.name, "color": f"#{r:02x}{g:02x}{b:02x}"}

    @classmethod
    def from_json(cls, item: dict) -> ClassInfo:
        return cls(int(item["code"]), str(item["name"]), parse_color(item["color"]))


def parse_color(value: str | tuple | list) -> tuple[int, int, int]:
    """An RGB triple from ``#rrggbb`` (``#rrggbbaa``) or three or four integers 0-255."""
    if isinstance(value, str):
        match = _HEX_COLOR.fullmatch(value)
        if match is None:
            raise ValueError(f"not a colour: {value[:40]!r}")
        text = match.group(1)
        return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))
    r, g, b = (int(v) for v in list(value)[:3])
    if not all(0 <= c <= 255 for c in (r, g, b)):
        raise ValueError(f"not a colour: {(r, g, b)}")
    return (r, g, b)


def palette_color(index: int) -> tuple[int, int, int]:
    """The ``index``-th colour: the fixed palette, then hues spread evenly, then every
    other RGB colour in a scattered order, so that any number of classes gets colours
    (the rare one equal to an earlier colour is skipped by :func:`make_classes`)."""
    if index < len(_PALETTE):
        return _PALETTE[index]
    if index < len(_PALETTE) + _GOLDEN_HUES:
        hue = (index * 0.618033988749895) % 1.0
        r, g, b = colorsys.hsv_to_rgb(hue, 0.65, 0.9)
        return (round(r * 255), round(g * 255), round(b * 255))
    value = ((index - len(_PALETTE) - _GOLDEN_HUES + 1) * _STEP) & 0xFFFFFF  # black last
    return (value >> 16, (value >> 8) & 0xFF, value & 0xFF)


def color_for_name(name: str, index: int) -> tuple[int, int, int]:
    """A conventional colour for well-known land-cover names, else a palette colour."""
    lowered = name.lower()
    for keywords, color in _NAMED_COLOURS:
        if any(k in lowered for k in keywords):
            return color
    return palette_color(index)


_DEFAULT_NAME = re.compile(r"class (-?\d+)(?: \(code (\d+)\))?")


def default_name(code: int) -> str:
    """The name of an integer class that has no name of its own."""
    return f"class {code}"


def recoded_name(value: int, code: int) -> str:
    """The name of a class whose value ``value`` (0 or below: nodata in class rasters)
    is stored as ``code``, so the name shows the mapping wherever the class appears."""
    return f"class {value} (code {code})"


def original_value(name: str) -> int | None:
    """The integer a class was labelled with, when ``name`` is a default or recoded
    name (``class 5``, ``class 0 (code 7)``); None for a real name such as 'forest'."""
    found = _DEFAULT_NAME.fullmatch(str(name).strip())
    return int(found.group(1)) if found else None


def make_classes(
    codes: list[int], names: list[str] | None = None, colors: dict[int, tuple] | None = None
) -> list[ClassInfo]:
    """Classes for ``codes``, with given names and colours where known.

    Colours that would repeat (two classes matching the same conventional colour)
    fall back to distinct palette colours. Linear in the number of classes.
    """
    names = names or [default_name(c) for c in codes]
    colors = colors or {}
    result: list[ClassInfo] = []
    used: set[tuple[int, int, int]] = set()
    # Palette colours from the current index up to taken are known to be used (used
    # only grows), so the search resumes there instead of from each class's index.
    taken = 0
    for i, (code, name) in enumerate(zip(codes, names)):
        if code in colors:
            color = tuple(colors[code])
        else:
            color = color_for_name(name, i)
            k = max(i, taken)
            while color in used:
                color = palette_color(k)
                k += 1
            taken = k
        used.add(color)
        result.append(ClassInfo(int(code), str(name), color))
    return result


def label_classes(values: Sequence[object]) -> tuple[list[int], list[ClassInfo]]:
    """Class codes for training labels, and the classes they define.

    Integer-like labels (``3``, ``"3"``, ``3.0``) are used as codes. 0 is nodata in
    class rasters, so labels of 0 or below are recoded to the codes after the largest
    label, and their class is named with the mapping (``class 0 (code 7)``, see
    :func:`recoding`); every other code stays as it is. Other labels are names,
    numbered 1, 2, ... in sorted order. Returns one code per value and the
    :class:`ClassInfo` list.
    """
    texts = [str(v).strip() for v in values]
    if not texts:
        raise InputError("the training layer has no labelled features")
    try:
        numbers = [float(t) for t in texts]
        integral = all(n.is_integer() for n in numbers)
    except ValueError:
        integral = False
    if integral:
        labels = [int(float(t)) for t in texts]
        unique = sorted(set(labels))
        kept = [v for v in unique if v > 0]
        top = max(kept, default=0)
        recode = {
            v: top + 1 + i
            for i, v in enumerate(sorted((v for v in unique if v <= 0), reverse=True))
        }
        codes = [recode.get(v, v) for v in labels]
        names = [default_name(v) for v in kept] + [recoded_name(v, c) for v, c in recode.items()]
        return codes, make_classes(kept + list(recode.values()), names)
    names = sorted(set(texts), key=lambda t: (t.casefold(), t))
    lookup = {name: i + 1 for i, name in enumerate(names)}
    return [lookup[t] for t in texts], make_classes(list(range(1, len(names) + 1)), names)


def recoding(classes: Sequence[ClassInfo]) -> str | None:
    """A warning listing the labels stored under another code (0 and below), or None."""
    moved = [(original_value(c.name), c.code) for c in classes]
    moved = [(v, c) for v, c in moved if v is not None and v != c]
    if not moved:
        return None
    listed = ", ".join(f"{v} \u2192 code {c}" for v, c in moved)
    return (
        f"Class value(s) {listed}: 0 is nodata in class rasters, so these labels are "
        "stored under other codes (every other code is kept). The map, the model and the "
        "reports name these classes with the mapping; give codes above 0 to keep yours."
    )


def styled_classes(
    classes: Sequence[ClassInfo],
    codes: Sequence[int],
    labels: Sequence[object],
    styles: Mapping[str, tuple[str | None, tuple[int, int, int] | None]],
) -> list[ClassInfo]:
    """``classes`` with the names and colours of a layer style.

    ``codes`` and ``labels`` pair every feature's code with its label (as from
    :func:`label_classes`); ``styles`` maps a label's text to (category label, RGB),
    as a categorised renderer on the class field gives them. A class takes the
    style's colour, and its label when the class has only a default name
    (``class 3``): a real name in the class field wins.
    """
    by_code: dict[int, str] = {}
    for label, code in zip(labels, codes):
        by_code.setdefault(code, str(label).strip())
    styled = []
    for c in classes:
        label, color = styles.get(by_code.get(c.code, ""), (None, None))
        name = label if label and c.name == default_name(c.code) else c.name
        styled.append(ClassInfo(c.code, name, color or c.color))
    return styled


def classes_to_json(classes: list[ClassInfo]) -> str:
    return json.dumps([c.to_json() for c in classes], ensure_ascii=False)


def classes_from_json(text: str) -> list[ClassInfo]:
    return [ClassInfo.from_json(item) for item in json.loads(text)]


def class_dtype(max_code: int) -> str:
    """Smallest unsigned integer type holding ``max_code`` (0 is reserved for nodata)."""
    if max_code <= np.iinfo(np.uint8).max:
        return "uint8"
    if max_code <= np.iinfo(np.uint16).max:
        return "uint16"
    raise ValueError(f"class code {max_code} is larger than 65535")


def colormap(classes: list[ClassInfo], size: int = 0) -> dict[int, tuple[int, int, int, int]]:
    """A GDAL colour table: class colours, every other of ``size`` entries transparent.

    GDAL pads a GeoTIFF colour table to every value of the data type with opaque
    black; a full table keeps the values that are no class invisible.
    """
    table = dict.fromkeys(range(max(size, 1)), (0, 0, 0, 0))
    table.update({c.code: (*c.color, 255) for c in classes})
    return table
