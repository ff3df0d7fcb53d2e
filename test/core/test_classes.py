"""Classes: colours for any number of classes, colours read strictly."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from crafted_models import PLUGINS

from landcover.core.io.classes import make_classes, palette_color, parse_color


def test_any_number_of_classes_gets_distinct_colours():
    """Once, about 940 classes looped forever looking for an unused colour; run in a
    process of its own so that a hang fails the test instead of stalling the suite."""
    script = textwrap.dedent(
        """
        from landcover.core.io.classes import make_classes
        names = ["water", "lake", "forest", "tree", "crop"] * 200 + [None] * 64535
        classes = make_classes(
            list(range(1, 65536)), [n or f"class {i}" for i, n in enumerate(names)]
        )
        print(len(classes), len({c.color for c in classes}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={"PYTHONPATH": str(PLUGINS)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.stdout.split() == ["65535", "65535"], done.stderr[-2000:]


def test_palette_keeps_its_first_colours_and_then_never_repeats():
    assert palette_color(0) == (228, 26, 28)
    assert palette_color(20) == (80, 230, 105)  # the golden-ratio hues as before
    tail = [palette_color(i) for i in range(620, 620 + 70_000)]
    assert len(set(tail)) == len(tail)
    assert all(0 <= v <= 255 for color in tail[:1000] for v in color)


def test_given_colours_are_kept_and_conventional_ones_do_not_repeat():
    classes = make_classes([1, 2, 3], ["water", "river", "x"], {3: (1, 2, 3)})
    assert classes[0].color == (31, 120, 180)
    assert classes[1].color != classes[0].color
    assert classes[2].color == (1, 2, 3)


@pytest.mark.parametrize("text", ["#-1-1-1", "#12345", "red", "#zzzzzz", ""])
def test_malformed_colour_text_is_refused(text):
    with pytest.raises(ValueError, match="not a colour"):
        parse_color(text)


def test_colours_are_read_from_hex_or_components_within_0_to_255():
    assert parse_color("#0a0B0c") == (10, 11, 12)
    assert parse_color("0a0b0cff") == (10, 11, 12)
    assert parse_color([1, 2, 3, 255]) == (1, 2, 3)
    with pytest.raises(ValueError, match="not a colour"):
        parse_color((300, 0, 0))
