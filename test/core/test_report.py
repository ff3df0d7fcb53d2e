"""Self-contained HTML reports."""

from __future__ import annotations

import re

import numpy as np
import pytest

from landcover.core.io.classes import ClassInfo
from landcover.core.report import html as report


def test_page_is_complete_and_offline():
    page = report.html_page("Accuracy <test>", [report.section("One", report.paragraph("a & b"))])
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>Accuracy &lt;test&gt;</title>" in page
    assert "a &amp; b" in page
    # nothing to fetch: no external scripts, stylesheets or images
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", page)
    assert "<link" not in page and "<script" not in page


def test_table_formats_numbers_and_escapes_text():
    rows = [["<b>", 1200, 0.83333], ["x", 3, float("nan")]]
    text = report.table_html(["Class", "n", "acc"], rows)
    assert "&lt;b&gt;" in text
    assert "0.833" in text and "1\u2009200" in text
    assert "\u2013" in text  # NaN shown as a dash
    assert text.count("<tr>") == 3


def test_confusion_matrix_html_labels_colours_and_totals():
    classes = [ClassInfo(1, "Water", (31, 120, 180)), ClassInfo(2, "Forest", (35, 139, 69))]
    m = np.array([[8, 2], [0, 10]])
    text = report.confusion_matrix_html(m, classes)
    assert text.count("Water") == 2 and text.count("Forest") == 2  # both axes
    assert "rgb(31,120,180)" in text  # class swatch
    assert 'class="diag" style="background:rgba(40,160,90,' in text  # coloured diagonal
    assert "rgba(220,50,40," in text  # coloured error cell
    assert ">20<" in text  # grand total
    assert "0.800" in text and "1.000" in text  # producer's accuracies
    assert "0.833" in text  # user's accuracy of Forest: 10 / 12


def test_confusion_matrix_html_accepts_plain_names():
    text = report.confusion_matrix_html(np.array([[0.25, 0.05], [0.1, 0.6]]), ["a", "b"], digits=3)
    assert "0.250" in text and ">a<" in text


def test_bar_chart_svg_bars_scale_with_values_and_nan_is_na():
    colors = [(255, 0, 0), "#00f", None]
    svg = report.bar_chart_svg(["a", "b", "c"], [1.0, 0.5, float("nan")], colors)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    bar = r'<rect x="\d+" y="\d+" width="([\d.]+)" height="18" fill="(?!#f2)'
    widths = [float(w) for w in re.findall(bar, svg)]
    assert len(widths) == 2
    assert widths[0] == pytest.approx(2 * widths[1])
    assert "n/a" in svg and "rgb(255,0,0)" in svg


def test_bar_chart_draws_interval_whiskers():
    svg = report.bar_chart_svg(["a"], [0.5], intervals=[(0.4, 0.6)])
    assert "<path" in svg


def test_write_html_is_atomic_and_utf8(tmp_path):
    target = tmp_path / "r.html"
    report.write_html(target, report.html_page("Café", []))
    assert "Café" in target.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_write_html_to_missing_folder_is_a_user_error(tmp_path):
    from landcover.core.io.errors import InputError

    with pytest.raises(InputError, match="does not exist"):
        report.write_html(tmp_path / "nope" / "r.html", "x")


def test_write_csv_with_types_and_empty_cells_for_nan(tmp_path):
    import csv

    path = report.write_csv(
        tmp_path / "t.csv", ["a", "b"], [["x", float("nan")], ["y", np.float64(0.5)]],
        ["String", "Real"],
    )  # fmt: skip
    with open(path, newline="") as handle:
        assert list(csv.reader(handle)) == [["a", "b"], ["x", ""], ["y", "0.5"]]
    assert (tmp_path / "t.csvt").read_text() == '"String","Real"\n'


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1", "-cmd", "@SUM(A1)", "\tx", "\rx"])
def test_csv_text_that_would_start_a_formula_is_quoted(text):
    assert report.csv_text(text) == "'" + text


def test_csv_text_cells_are_neutralised_and_numbers_stay_numbers(tmp_path):
    import csv

    path = report.write_csv(
        tmp_path / "t.csv",
        ["class", "=evil()"],
        [["=1+1", -0.5], ["-forest", np.int64(-3)], ["water", None], [True, 2]],
    )
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["class", "'=evil()"],
        ["'=1+1", "-0.5"],
        ["'-forest", "-3"],
        ["water", ""],
        ["True", "2"],
    ]


def test_class_cell_escapes_the_name():
    cell = report.class_cell(ClassInfo(1, "<img src=x onerror=alert(1)>", (1, 2, 3)))
    assert "<img" not in cell.html and "&lt;img src=x onerror=alert(1)&gt;" in cell.html
