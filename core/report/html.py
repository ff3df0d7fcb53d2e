"""Self-contained HTML reports: inline CSS and SVG, nothing fetched from the network.

A report written here opens in any browser, offline, and can be attached to an
e-mail or a paper's supplementary material as a single file.
"""

from __future__ import annotations

import csv
import html
import io
import math
import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..io.files import atomic_outputs

if TYPE_CHECKING:  # for annotations only: the learning and accuracy steps call this module
    from ..accuracy.metrics import AccuracyResult, AccuracySummary
    from ..accuracy.spatial_cv import SplitComparison
    from ..learn.training import TrainingResult

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


def class_cell(item: object) -> Raw:
    """A table cell with a class's colour swatch and its name (escaped)."""
    name, color = _name_and_color(item)
    return Raw(swatch(color) + escape(name))


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
    parts = [f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img">']
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
    """Write ``text`` to ``path`` atomically (a partial file, then rename), UTF-8."""
    with atomic_outputs([path]) as (partial,):
        partial.write_text(text, encoding="utf-8")
    return Path(path)


# Characters that make a spreadsheet read a cell as a formula (or a command).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: object) -> str:
    """Text for a CSV cell: a leading ``'`` when it would start a spreadsheet formula.

    Only text goes through here; numbers are written as numbers (``-0.5`` stays a number).
    """
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv(
    path: str | os.PathLike,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    types: Sequence[str] | None = None,
) -> Path:
    """Write a CSV table atomically; NaN and None become empty cells (NULL in QGIS).

    ``types`` (one of ``String``, ``Integer``, ``Real`` per column) are written to a
    ``.csvt`` file beside it, so QGIS and GDAL read numbers as numbers. Text cells
    go through :func:`csv_text`, so no cell opens as a formula in a spreadsheet.
    """

    def cell(value: object) -> object:
        if value is None:
            return ""
        if isinstance(value, (float, np.floating)):
            return "" if math.isnan(value) else repr(float(value))
        if isinstance(value, (bool, np.bool_)):
            return str(bool(value))
        if isinstance(value, (int, np.integer)):
            return int(value)
        return csv_text(value)

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_text(h) for h in header])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    path = write_html(path, buffer.getvalue())
    if types is not None:
        write_html(path.with_suffix(".csvt"), ",".join(f'"{t}"' for t in types) + "\n")
    return path


def _area(value: float) -> str:
    """An area for reading: thousands separated, one decimal below 100."""
    if value is None or math.isnan(value):
        return "n/a"
    text = f"{value:,.1f}" if abs(value) < 100 else f"{value:,.0f}"
    return text.replace(",", "\u2009")


def _pct(value: float, digits: int = 1) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{100 * value:.{digits}f}%"


def interval_description(summary: AccuracySummary) -> str:
    """One sentence saying how the 95% intervals of ``summary`` were computed."""
    if summary.interval == "cluster":
        return (
            f"95% intervals: ratio estimator with the {summary.clusters} polygons as "
            "clusters, because pixels of one polygon are not independent samples "
            "(estimate \u00b1 1.96 standard errors)."
        )
    return (
        "95% intervals: Wilson score interval, every sample (point or polygon vote) "
        "counted as an independent sample."
    )


def accuracy_tables(
    result: AccuracyResult,
) -> tuple[tuple[list, list, list], tuple[list, list, list]]:
    """(header, rows, types) of the confusion matrix and of the metrics tables."""
    names = [c.name for c in result.classes]
    codes = result.codes
    matrix = np.asarray(result.matrix)
    area = result.area
    header = ["table", "reference", *names, "total"]
    rows: list[list] = []
    for i, name in enumerate(names):
        rows.append(["count", name, *matrix[i].tolist(), int(matrix[i].sum())])
    rows.append(["count", "total", *matrix.sum(axis=0).tolist(), int(matrix.sum())])
    value_type = "Integer"
    if area is not None:
        value_type = "Real"
        proportions = np.asarray(area.proportions)
        for i, name in enumerate(names):
            rows.append(
                ["area proportion", name, *proportions[i].tolist(), float(proportions[i].sum())]
            )
        rows.append(["area proportion", "total", *proportions.sum(axis=0).tolist(), 1.0])
    matrix_table = (header, rows, ["String", "String"] + [value_type] * (len(names) + 1))

    s = result.summary
    m_header = ["class", "code", "measure", "value", "ci95_low", "ci95_high"]
    m_rows: list[list] = [
        ["all", None, "overall_accuracy", s.overall_accuracy, *s.overall_accuracy_ci95],
        ["all", None, "kappa", s.kappa, None, None],
        ["all", None, "quantity_disagreement", s.quantity_disagreement, None, None],
        ["all", None, "allocation_disagreement", s.allocation_disagreement, None, None],
        ["all", None, "samples", s.n, None, None],
    ]
    for i, (name, code) in enumerate(zip(names, codes)):
        code = code if code > 0 else None  # a reference class the map lacks has no code
        m_rows += [
            [
                name,
                code,
                "producers_accuracy",
                s.producers_accuracy[i],
                *s.producers_accuracy_ci95[i],
            ],
            [name, code, "users_accuracy", s.users_accuracy[i], *s.users_accuracy_ci95[i]],
            [name, code, "f1", s.f1[i], None, None],
            [name, code, "reference_samples", s.reference_totals[i], None, None],
            [name, code, "map_samples", s.map_totals[i], None, None],
        ]
    if area is not None:
        unit = area.area_unit
        m_rows.append(
            [
                "all",
                None,
                "area_adjusted_overall_accuracy",
                area.overall_accuracy,
                *area.overall_accuracy_ci95,
            ]
        )
        for i, (name, code) in enumerate(zip(names, codes)):
            m_rows += [
                [name, code, "area_adjusted_users_accuracy", area.users_accuracy[i],
                 *area.users_accuracy_ci95[i]],
                [name, code, "area_adjusted_producers_accuracy", area.producers_accuracy[i],
                 *area.producers_accuracy_ci95[i]],
                [name, code, f"mapped_area_{unit}", area.mapped_area_ha[i], None, None],
                [name, code, f"estimated_area_{unit}", area.area_ha[i],
                 *area.area_ha_ci95[i]],
            ]  # fmt: skip
    metrics_table = (m_header, m_rows, ["String", "Integer", "String", "Real", "Real", "Real"])
    return matrix_table, metrics_table


def write_accuracy_tables(
    result: AccuracyResult, matrix_csv: str | None, metrics_csv: str | None
) -> None:
    """Write the confusion matrix and the metrics of :func:`.metrics.assess_accuracy`."""
    matrix_table, metrics_table = accuracy_tables(result)
    if matrix_csv:
        write_csv(matrix_csv, *matrix_table)
    if metrics_csv:
        write_csv(metrics_csv, *metrics_table)


def accuracy_summary_text(result: AccuracyResult) -> list[str]:
    """The main findings of an accuracy assessment in plain sentences."""
    s = result.summary
    names = [c.name for c in result.classes]
    unit = "polygons" if result.mode == "polygons" else "reference samples"
    lo, hi = s.overall_accuracy_ci95
    text = [
        f"The map agrees with the reference for {_pct(s.overall_accuracy)} of {s.n} "
        f"{unit} (95% confidence interval {_pct(lo)} to {_pct(hi)}); Cohen's kappa is "
        f"{format_number(s.kappa, 2)}."
    ]
    if result.interval:
        text.append(result.interval)
    disagreement = s.quantity_disagreement + s.allocation_disagreement
    if disagreement > 0:
        text.append(
            f"Of the {_pct(disagreement)} disagreement, {_pct(s.quantity_disagreement)} "
            "comes from the map having too much or too little of some classes (quantity) "
            f"and {_pct(s.allocation_disagreement)} from classes mapped in the wrong "
            "places (allocation)."
        )
    matrix = np.asarray(result.matrix).copy()
    np.fill_diagonal(matrix, 0)
    if matrix.sum() > 0:
        i, j = np.unravel_index(int(np.argmax(matrix)), matrix.shape)
        text.append(
            f"The most frequent error: '{names[i]}' mapped as '{names[j]}' "
            f"({int(matrix[i, j])} {unit})."
        )
    f1 = [(v, n) for v, n in zip(s.f1, names) if not math.isnan(v)]
    if len(f1) > 1:
        worst, best = min(f1), max(f1)
        text.append(
            f"The weakest class is '{worst[1]}' (F1 {worst[0]:.2f}), the strongest "
            f"'{best[1]}' (F1 {best[0]:.2f})."
        )
    area = result.area
    if area is not None:
        lo, hi = area.overall_accuracy_ci95
        unit_area = "ha" if area.area_unit == "ha" else "pixels"
        text.append(
            f"Weighted by the mapped area of each class, the overall accuracy is "
            f"{_pct(area.overall_accuracy)} ({_pct(lo)} to {_pct(hi)})."
        )
        change = [
            (abs(a - m) / m if m > 0 else 0.0, n, a, m)
            for a, m, n in zip(area.area_ha, area.mapped_area_ha, names)
        ]
        rel, name, estimate, mapped = max(change)
        if rel > 0:
            text.append(
                f"The largest correction of a class area is for '{name}': "
                f"{_area(estimate)} {unit_area} estimated from the reference "
                f"against {_area(mapped)} {unit_area} on the map."
            )
    return text


def accuracy_report_html(result: AccuracyResult, title: str = "Accuracy assessment") -> str:
    """The self-contained HTML report of :func:`.metrics.assess_accuracy`."""
    classes = result.classes
    names = [c.name for c in classes]
    colors = [c.color for c in classes]
    s = result.summary
    sections = [
        section(
            "Summary",
            *(paragraph(t, "summary") for t in accuracy_summary_text(result)),
        )
    ]
    if result.notes:
        sections.append(section("Notes", *(paragraph(n, "note") for n in result.notes)))
    sections.append(
        section(
            "Confusion matrix",
            paragraph(
                "Rows are the reference classes, columns the map classes; the diagonal "
                "holds the agreements. Cell shading grows with the share of the row.",
                "small",
            ),
            confusion_matrix_html(result.matrix, classes),
        )
    )

    def with_interval(value: float, interval) -> str:
        lo, hi = interval
        if math.isnan(lo):
            return format_number(value)
        return f"{format_number(value)} ({format_number(lo)} \u2013 {format_number(hi)})"

    rows = []
    for i, c in enumerate(classes):
        rows.append(
            [
                class_cell(c),
                c.code if c.code > 0 else "",
                s.reference_totals[i],
                s.map_totals[i],
                with_interval(s.producers_accuracy[i], s.producers_accuracy_ci95[i]),
                with_interval(s.users_accuracy[i], s.users_accuracy_ci95[i]),
                s.f1[i],
            ]
        )
    sections.append(
        section(
            "Per-class accuracy",
            table_html(
                [
                    "Class",
                    "Code",
                    "Reference n",
                    "Map n",
                    "Producer's acc. (95%)",
                    "User's acc. (95%)",
                    "F1",
                ],
                rows,
            ),
            paragraph(result.interval, "small"),
            "<h3>F1 score</h3>",
            bar_chart_svg(names, s.f1, colors),
            "<h3>Producer's accuracy (omission) and user's accuracy (commission)</h3>",
            bar_chart_svg(
                [f"{n} \u2013 producer's" for n in names] + [f"{n} \u2013 user's" for n in names],
                s.producers_accuracy + s.users_accuracy,
                colors + colors,
            ),
            table_html(
                ["Overall figure", "Value"],
                [
                    ["Overall accuracy", s.overall_accuracy],
                    [
                        "95% interval",
                        "{} \u2013 {}".format(*(format_number(v) for v in s.overall_accuracy_ci95)),
                    ],
                    ["Cohen's kappa", s.kappa],
                    ["Quantity disagreement", s.quantity_disagreement],
                    ["Allocation disagreement", s.allocation_disagreement],
                    ["Samples", s.n],
                ],
            ),
        )
    )
    area = result.area
    if area is not None:
        unit = area.area_unit
        rows = []
        for i, c in enumerate(classes):
            lo, hi = area.area_ha_ci95[i]
            ua_lo, ua_hi = area.users_accuracy_ci95[i]
            pa_lo, pa_hi = area.producers_accuracy_ci95[i]
            rows.append(
                [
                    class_cell(c),
                    _area(area.mapped_area_ha[i]),
                    _area(area.area_ha[i]),
                    f"{_area(lo)} \u2013 {_area(hi)}",
                    f"{format_number(area.users_accuracy[i])} "
                    f"({format_number(ua_lo)} \u2013 {format_number(ua_hi)})",
                    f"{format_number(area.producers_accuracy[i])} "
                    f"({format_number(pa_lo)} \u2013 {format_number(pa_hi)})",
                ]
            )
        lo, hi = area.overall_accuracy_ci95
        sections.append(
            section(
                "Area-adjusted estimates (Olofsson et al. 2014)",
                paragraph(
                    "Stratified estimates with the map classes as strata, weighted by "
                    "their mapped area. Intervals are 95% (estimate \u00b1 1.96 standard "
                    f"errors). Area-adjusted overall accuracy: "
                    f"{format_number(area.overall_accuracy)} "
                    f"({format_number(lo)} \u2013 {format_number(hi)})."
                ),
                table_html(
                    [
                        "Class",
                        f"Mapped area ({unit})",
                        f"Estimated area ({unit})",
                        "95% interval",
                        "User's acc. (95%)",
                        "Producer's acc. (95%)",
                    ],
                    rows,
                ),
                "<h3>Estimated area with 95% interval</h3>",
                bar_chart_svg(
                    names,
                    area.area_ha,
                    colors,
                    maximum=max([hi for _, hi in area.area_ha_ci95 if not math.isnan(hi)] + [1.0]),
                    intervals=area.area_ha_ci95,
                ),
                paragraph("Estimated area proportions (rows reference, columns map):", "small"),
                confusion_matrix_html(area.proportions, classes, digits=4, totals=False),
            )
        )
    counts = result.counts
    assessed = [[key, value] for key, value in result.settings.items()]
    assessed += [
        ["Date", datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")],
        ["Count", "one vote per polygon" if result.mode == "polygons"
         else "every reference pixel"],
        ["Reference features", counts.features],
        ["Without a reference class (skipped)", counts.unfilled],
        ["Outside the map (skipped)", counts.outside],
        ["Features without a valid map pixel (skipped)", counts.without_pixels],
        ["Pixels on map nodata (skipped)", counts.nodata_pixels],
        ["Pixels in overlapping polygons of different classes (skipped)",
         counts.overlap_pixels],
        ["Samples assessed", counts.samples],
    ]  # fmt: skip
    sections.append(section("What was assessed", table_html(["Item", "Value"], assessed)))
    sections.append(section("Definitions and references", _METHODS))
    return html_page(title, sections)


_METHODS = (
    "<ul>"
    "<li><b>Overall accuracy</b>: share of samples where the map equals the reference. "
    "With pixels of reference polygons, its interval and those of producer's and user's "
    "accuracy come from the ratio estimator of cluster sampling, each polygon a cluster "
    "(Cochran, W. G. (1977), Sampling Techniques, 3rd ed., Wiley, section 6.9), because "
    "neighbouring pixels of one polygon are not independent; with points or one vote "
    "per polygon, from the Wilson score interval.</li>"
    "<li><b>Producer's accuracy</b> of a class: share of its reference samples mapped as "
    "that class (1 \u2212 omission error). <b>User's accuracy</b>: share of the samples "
    "mapped as the class that truly are it (1 \u2212 commission error). <b>F1</b>: their "
    "harmonic mean.</li>"
    "<li><b>Cohen's kappa</b>: agreement beyond chance. <b>Quantity</b> and "
    "<b>allocation disagreement</b>: Pontius, R. G. & Millones, M. (2011), Death to "
    "Kappa, International Journal of Remote Sensing 32: 4407\u20134429.</li>"
    "<li><b>Area-adjusted estimates</b>: Olofsson, P., Foody, G. M., Herold, M., "
    "Stehman, S. V., Woodcock, C. E. & Wulder, M. A. (2014), Good practices for "
    "estimating area and assessing accuracy of land change, Remote Sensing of "
    "Environment 148: 42\u201357. Valid for a stratified random sample with the map "
    "classes as strata (for example points from 'Stratified random validation "
    "points').</li>"
    "</ul>"
)


def spatial_cv_report_html(result: SplitComparison, title: str = "Spatial cross-validation") -> str:
    """The self-contained HTML report of :func:`.spatial_cv.run_spatial_cv`."""
    classes = result.classes
    names = [c.name for c in classes]
    colors = [c.color for c in classes]
    spatial, plain = result.spatial, result.random
    unit = "polygon" if result.strategy == "polygon" else "spatial block"
    s_oa, r_oa = spatial.mean.overall_accuracy, plain.mean.overall_accuracy
    summary = [
        f"With whole {unit}s held out, the classifier reaches a mean overall accuracy of "
        f"{_pct(s_oa)} over {len(spatial.folds)} folds (standard deviation "
        f"{_pct(spatial.std.overall_accuracy)}). This is the figure to expect on new "
        "areas of the map.",
        f"A plain random split of the same {result.samples} pixels reports "
        f"{_pct(r_oa)}: {_pct(result.optimism)} higher, because test pixels have "
        "near-identical neighbours from the same polygon in the training set.",
    ]
    if result.optimism > 0.05:
        summary.append(
            "The gap is large: accuracy figures from random pixel splits of these training "
            "data would overstate the map's quality. Use an independent validation sample."
        )
    rows = []
    for split, part in (("spatial", spatial), ("random", plain)):
        for r in part.folds:
            rows.append(
                [split, r.fold, r.n_train, r.n_test, r.overall_accuracy, r.kappa, r.macro_f1]
            )  # fmt: skip
        rows.append(
            [Raw(f"<b>{split} mean</b>"), "", "", "", part.mean.overall_accuracy,
             part.mean.kappa, part.mean.macro_f1]
        )  # fmt: skip
        pooled = part.summary
        f1_values = [v for v in pooled.f1 if not math.isnan(v)]
        rows.append(
            [Raw(f"<b>{split} pooled</b>"), "", "", pooled.n, pooled.overall_accuracy,
             pooled.kappa, float(np.mean(f1_values)) if f1_values else math.nan]
        )  # fmt: skip
    f1_rows = []
    for i, c in enumerate(classes):
        f1_rows.append(
            [class_cell(c), spatial.summary.f1[i],
             plain.summary.f1[i]]
        )  # fmt: skip
    sections = [
        section("Summary", *(paragraph(t, "summary") for t in summary)),
    ]
    if result.notes:
        sections.append(section("Notes", *(paragraph(n, "note") for n in result.notes)))
    sections += [
        section(
            "Spatial against random split",
            bar_chart_svg(
                [
                    "spatial (mean OA)",
                    "random (mean OA)",
                    "spatial (mean kappa)",
                    "random (mean kappa)",
                ],
                [s_oa, r_oa, spatial.mean.kappa, plain.mean.kappa],
                ["#3a7", "#d95f02", "#3a7", "#d95f02"],
            ),
            table_html(
                [
                    "Split",
                    "Fold",
                    "Training pixels",
                    "Test pixels",
                    "Overall acc.",
                    "Kappa",
                    "Macro F1",
                ],
                rows,
            ),
        ),
        section(
            "Per-class F1 (pooled over the folds)",
            table_html(["Class", "Spatial", "Random"], f1_rows),
            "<h3>Spatial split</h3>",
            bar_chart_svg(names, spatial.summary.f1, colors),
        ),
        section(
            "Confusion matrix of the spatial split (pooled over the folds)",
            confusion_matrix_html(spatial.matrix, classes),
        ),
    ]
    assessed = [[key, value] for key, value in result.settings.items()]
    assessed += [
        ["Date", datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")],
        ["Strategy", "grouped by polygon" if result.strategy == "polygon"
         else f"spatial blocks of {format_number(result.block_size, 1)} map units"],
        ["Separate units", result.units],
        ["Folds", len(spatial.folds)],
        ["Pixels", result.samples],
    ]  # fmt: skip
    sections.append(section("What was assessed", table_html(["Item", "Value"], assessed)))
    return html_page(title, sections)


# What each setting of a training run means, in the words of the report (the
# classifier's parameters come with the result, from the classifier registry).
SETTING_WORDS: dict[str, str] = {
    "max_per_class": "Most training (and validation) pixels drawn per class (0: all).",
    "balance": "Whether every class gets as many training pixels as the smallest.",
    "all_touched": "Whether polygons take every pixel they touch, not only those whose centre "
    "they contain.",
    "validation_fraction": "Share of each class's polygons held out for validation.",
    "tune": "Parameter search by cross-validation: none, grid or random.",
    "folds": "Cross-validation folds, grouped by polygon.",
    "seed": "Seed of the random draws: the same seed gives the same model.",
}


def training_report_html(
    result: TrainingResult,
    title: str = "Training report",
    sources: Sequence[tuple[str, str]] = (),
    settings: dict[str, Any] | None = None,
) -> str:
    """A self-contained HTML report of a training run.

    ``sources`` are (what, which) pairs naming the data (input raster, training
    layer, class field); ``settings`` the run's other settings (sampling,
    validation, tuning), explained like the classifier's parameters.
    """
    model = result.model
    sections = []
    words = {**result.parameter_words, **SETTING_WORDS}
    rows = [[key, str(value), words.get(key, "")] for key, value in result.params.items()]
    rows += [[key, str(value), words.get(key, "")] for key, value in (settings or {}).items()]
    overview = [
        paragraph(f"Classifier: {result.classifier_label}", "summary"),
        table_html(["Data", "Used"], [list(pair) for pair in sources]) if sources else "",
        table_html(["Setting", "Value", "Meaning"], rows),
        paragraph(f"Created {model.created}.", "small"),
        "<h3>Bands</h3>",
        table_html(["Band", "Name"], list(enumerate(model.band_names, start=1))),
    ]
    sections.append(section("Model", *overview))
    rows = []
    for c in result.classes:
        row = result.samples[c.code]
        rows.append(
            [
                class_cell(c),
                c.code,
                row["available"],
                row["dropped"],
                row["train_features"],
                row["train"],
                row["validation_features"],
                row["validation"],
            ]
        )
    sections.append(
        section(
            "Samples per class",
            table_html(
                [
                    "Class",
                    "Code",
                    "Valid pixels",
                    "Dropped (nodata)",
                    "Training features",
                    "Training pixels",
                    "Held-out features",
                    "Validation pixels",
                ],
                rows,
            ),
            paragraph(
                f"Pixels dropped where polygons of different classes overlap: "
                f"{result.overlap_dropped}.",
                "small",
            ),
        )
    )
    for heading, scores, note in (
        (
            "Cross-validation (folds grouped by polygon)",
            result.cv,
            "Out-of-fold predictions of the training pixels; no polygon is on both sides.",
        ),
        (
            "Validation on held-out polygons",
            result.validation,
            "Pixels of whole polygons kept out of training. The held-out polygons are "
            "written to the validation output for an independent accuracy assessment.",
        ),
    ):
        if scores is None:
            continue
        summary = scores["summary"]
        lo, hi = summary.overall_accuracy_ci95
        sections.append(
            section(
                heading,
                paragraph(
                    f"Overall accuracy {_pct(summary.overall_accuracy)} "
                    f"(95% interval {_pct(lo)} to {_pct(hi)}), kappa "
                    f"{summary.kappa:.3f}, {summary.n} pixels.",
                    "summary",
                ),
                paragraph(f"{note} {interval_description(summary)}", "small"),
                confusion_matrix_html(scores["matrix"], result.classes),
                "<h3>F1 score per class</h3>",
                bar_chart_svg(
                    [c.name for c in result.classes],
                    summary.f1,
                    [c.color for c in result.classes],
                ),
            )
        )
    if result.tuning:
        ordered = sorted(result.tuning, key=lambda t: -t["overall_accuracy"])
        sections.append(
            section(
                "Parameter tuning",
                table_html(
                    ["Parameters", "Cross-validated overall accuracy"],
                    [
                        [
                            ", ".join(f"{k}={v}" for k, v in t["params"].items()),
                            t["overall_accuracy"],
                        ]
                        for t in ordered
                    ],
                ),
            )
        )
    if result.importances is not None:
        values = result.importances
        top = max(values) if values and max(values) > 0 else 1.0
        how = (
            "Mean decrease in impurity over the trees."
            if result.importance_method == "impurity"
            else "Drop in accuracy when the band is shuffled (permutation importance)."
        )
        # The chart shortens long band names: the table beside it gives them in full.
        table = table_html(
            ["Band", "Name", "Importance"],
            [[i, name, value] for i, (name, value) in enumerate(zip(model.band_names, values), 1)],
        )
        chart = bar_chart_svg(
            [f"{i}. {name}" for i, name in enumerate(model.band_names, start=1)],
            values,
            maximum=top,
        )
        sections.append(
            section(
                "Band importance",
                paragraph(how, "small"),
                '<div style="display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start">'
                f"<div>{chart}</div><div>{table}</div></div>",
            )
        )
    if result.messages:
        sections.append(section("Notes", *(paragraph(m, "note") for m in result.messages)))
    versions = ", ".join(f"{k} {v}" for k, v in model.versions.items())
    sections.append(section("Software", paragraph(versions, "small")))
    return html_page(title, sections)
