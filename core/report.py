"""Self-contained HTML reports: inline CSS and SVG, nothing fetched from the network.

A report written here opens in any browser, offline, and can be attached to an
e-mail or a paper's supplementary material as a single file.
"""

from __future__ import annotations

import html
import math
import os
import uuid
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path

import numpy as np

_CSS = """
body{font-family:-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:2em auto;
max-width:1100px;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em;border-bottom:2px solid #3a7;padding-bottom:.2em}
h2{font-size:1.25em;margin-top:1.6em;color:#264}
table{border-collapse:collapse;margin:.6em 0 1em 0;font-size:.9em}
th,td{border:1px solid #ccc;padding:.25em .55em;text-align:right}
th{background:#f0f4f0}
th.row,td.row{text-align:left}
td.diag{font-weight:bold}
.swatch{display:inline-block;width:.9em;height:.9em;border:1px solid #777;margin-right:.35em;
vertical-align:middle}
.note{background:#fff8e0;border-left:4px solid #e0a800;padding:.4em .8em;margin:.4em 0}
.summary{background:#eef6f0;border-left:4px solid #3a7;padding:.6em 1em}
.small{font-size:.85em;color:#555}
svg text{font-family:inherit}
"""


def escape(text: object) -> str:
    """Text made safe for HTML."""
    return html.escape(str(text), quote=True)


def format_number(value: object, digits: int = 3) -> str:
    """Numbers for tables: integers as they are, floats rounded, NaN as an en dash."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}".replace(",", "\u2009")
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return "\u2013"
        return f"{float(value):.{digits}f}"
    return str(value)


def html_page(title: str, sections: list[str]) -> str:
    """A complete HTML document with ``title`` and the given HTML ``sections`` in order."""
    body = "\n".join(sections)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{escape(title)}</h1>\n{body}\n</body>\n</html>\n"
    )


def table_html(header: Sequence[object], rows: Sequence[Sequence[object]]) -> str:
    """An HTML table; numbers are formatted, other cells escaped; first column left-aligned.

    A cell may be given as raw HTML by wrapping it in :class:`Raw`.
    """

    def cell(tag: str, value: object, first: bool) -> str:
        text = value.html if isinstance(value, Raw) else escape(format_number(value))
        css = ' class="row"' if first else ""
        return f"<{tag}{css}>{text}</{tag}>"

    head = "".join(cell("th", h, i == 0) for i, h in enumerate(header))
    body = "".join(
        "<tr>" + "".join(cell("td", v, i == 0) for i, v in enumerate(row)) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


class Raw:
    """HTML to put into a table cell as it is (already escaped by the caller)."""

    def __init__(self, html_text: str) -> None:
        self.html = html_text


def _name_and_color(item: object) -> tuple[str, tuple[int, int, int] | None]:
    name = getattr(item, "name", None)
    if name is not None:
        return str(name), tuple(getattr(item, "color", ())[:3]) or None
    return str(item), None


def swatch(color: Sequence[int] | None) -> str:
    """A small coloured square (HTML) for a class colour."""
    if not color:
        return ""
    r, g, b = (int(c) for c in list(color)[:3])
    return f'<span class="swatch" style="background:rgb({r},{g},{b})"></span>'


def confusion_matrix_html(
    matrix: np.ndarray, classes: Sequence[object], digits: int = 0, totals: bool = True
) -> str:
    """A confusion matrix table with class names (and colour swatches) on both axes.

    ``classes`` are :class:`~.classes.ClassInfo` objects or plain names, in matrix
    order. Rows are the reference and columns the map. Diagonal cells are shaded green
    and off-diagonal cells red, more strongly the larger their share of the row.
    ``digits`` > 0 formats the values as proportions or areas.
    """
    m = np.asarray(matrix, dtype=np.float64)
    labels = [_name_and_color(c) for c in classes]
    row_totals = m.sum(axis=1)

    def value(v: float) -> str:
        return format_number(int(np.rint(v)) if digits == 0 else float(v), digits)

    head = '<th class="row">Reference \u2193 / Map \u2192</th>' + "".join(
        f"<th>{swatch(color)}{escape(name)}</th>" for name, color in labels
    )
    if totals:
        head += "<th>Total</th><th>Producer's acc.</th>"
    rows = []
    for i, (name, color) in enumerate(labels):
        cells = []
        for j in range(len(labels)):
            share = m[i, j] / row_totals[i] if row_totals[i] > 0 else 0.0
            alpha = 0.12 + 0.78 * share if m[i, j] > 0 else 0.0
            rgb = "40,160,90" if i == j else "220,50,40"
            css = ' class="diag"' if i == j else ""
            style = f' style="background:rgba({rgb},{alpha:.2f})"' if alpha else ""
            cells.append(f"<td{css}{style}>{escape(value(m[i, j]))}</td>")
        row = f'<tr><th class="row">{swatch(color)}{escape(name)}</th>{"".join(cells)}'
        if totals:
            pa = m[i, i] / row_totals[i] if row_totals[i] > 0 else math.nan
            row += f"<td>{escape(value(row_totals[i]))}</td><td>{escape(format_number(pa))}</td>"
        rows.append(row + "</tr>")
    if totals:
        col_totals = m.sum(axis=0)
        ua = [m[j, j] / col_totals[j] if col_totals[j] > 0 else math.nan for j in range(len(m))]
        rows.append(
            '<tr><th class="row">Total</th>'
            + "".join(f"<td>{escape(value(t))}</td>" for t in col_totals)
            + f"<td>{escape(value(m.sum()))}</td><td></td></tr>"
        )
        rows.append(
            '<tr><th class="row">User\'s acc.</th>'
            + "".join(f"<td>{escape(format_number(u))}</td>" for u in ua)
            + "<td></td><td></td></tr>"
        )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def bar_chart_svg(
    labels: Sequence[str],
    values: Sequence[float],
    colors: Sequence[Sequence[int] | str | None] | None = None,
    maximum: float = 1.0,
    width: int = 560,
    intervals: Sequence[tuple[float, float]] | None = None,
) -> str:
    """A horizontal bar chart as inline SVG, one bar per label.

    ``values`` are drawn on a scale from 0 to ``maximum``; NaN values are shown as
    "n/a" without a bar. ``colors`` are RGB triples or CSS colours per bar.
    ``intervals`` (lo, hi) per bar are drawn as whiskers.
    """
    bar_h, gap, label_w, value_w = 18, 6, 170, 60
    plot_w = max(width - label_w - value_w, 50)
    height = len(labels) * (bar_h + gap) + gap
    top = maximum if maximum and maximum > 0 else 1.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">'
    ]
    for i, (label, v) in enumerate(zip(labels, values)):
        y = gap + i * (bar_h + gap)
        color = "#3a7"
        if colors is not None and i < len(colors) and colors[i] is not None:
            c = colors[i]
            color = c if isinstance(c, str) else "rgb({},{},{})".format(*[int(x) for x in c[:3]])
        short = str(label) if len(str(label)) <= 24 else str(label)[:23] + "\u2026"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_h - 5}" text-anchor="end" '
            f'font-size="12">{escape(short)}</text>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{plot_w}" height="{bar_h}" fill="#f2f2f2"/>'
        )
        v = float(v)
        if math.isnan(v):
            text = "n/a"
        else:
            bar = plot_w * min(max(v / top, 0.0), 1.0)
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{bar:.1f}" height="{bar_h}" '
                f'fill="{escape(color)}" stroke="#555" stroke-width="0.5"/>'
            )
            text = format_number(v)
            if intervals is not None and i < len(intervals):
                lo, hi = (float(t) for t in intervals[i])
                if not (math.isnan(lo) or math.isnan(hi)):
                    x0 = label_w + plot_w * min(max(lo / top, 0.0), 1.0)
                    x1 = label_w + plot_w * min(max(hi / top, 0.0), 1.0)
                    mid = y + bar_h / 2
                    parts.append(
                        f'<path d="M{x0:.1f} {mid}H{x1:.1f}M{x0:.1f} {y + 4}V{y + bar_h - 4}'
                        f'M{x1:.1f} {y + 4}V{y + bar_h - 4}" stroke="#222" fill="none"/>'
                    )
        parts.append(
            f'<text x="{label_w + plot_w + 6}" y="{y + bar_h - 5}" font-size="12">'
            f"{escape(text)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def section(title: str, *content: str) -> str:
    """A titled section of a report from HTML fragments."""
    return f"<section><h2>{escape(title)}</h2>\n" + "\n".join(content) + "\n</section>"


def paragraph(text: str, css: str | None = None) -> str:
    """Escaped text as a paragraph, optionally with a CSS class (note, summary, small)."""
    attr = f' class="{escape(css)}"' if css else ""
    return f"<p{attr}>{escape(text)}</p>"


def write_html(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` to ``path`` atomically (temporary file, then rename), UTF-8."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        from .errors import InputError

        raise InputError(
            f"the output folder {folder} does not exist; create it or choose another path"
        )
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except BaseException:
        with suppress(FileNotFoundError):
            temporary.unlink()
        raise
    return path
