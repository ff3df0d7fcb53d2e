"""Band roles from file names, descriptions and tags."""

from __future__ import annotations

import pytest

from landcover.core.io import bands


@pytest.mark.parametrize(
    ("names", "roles"),
    [
        (
            [
                "T32TQM_20230615T102021_B02_10m.jp2",
                "T32TQM_20230615T102021_B08_10m.jp2",
                "T32TQM_20230615T102021_B8A_20m.jp2",
                "T32TQM_20230615T102021_B11_20m.jp2",
            ],
            ["blue", "nir", "nir narrow", "swir1"],
        ),
        (["B02.tif", "B03.tif", "B04.tif", "B08.tif"], ["blue", "green", "red", "nir"]),
        (["B2.tif", "B5.tif", "B8A.tif"], ["blue", "rededge1", "nir narrow"]),
        (
            ["LC09_L2SP_195028_20230610_20230612_02_T1_SR_B5.TIF", "LC09_..._SR_B2.TIF"],
            ["nir", "blue"],
        ),
        (
            ["LT05_L2SP_195028_20090610_20200827_02_T1_SR_B4.TIF", "LE07_x_SR_B5.TIF"],
            ["nir", "swir1"],
        ),
        (["SR_B2.tif", "SR_B5.tif"], ["blue", "nir"]),
        (["blue.tif", "NIR.tif", "swir_1.tif", "Red.TIF"], ["blue", "nir", "swir1", "red"]),
        (["B5.tif", "B4.tif"], [None, None]),  # Sentinel-2, Landsat 8 and 5 disagree
        (["scene.tif"], [None]),
        # a role's word among others: a guess, said so in the note
        (["rgb1_fake_nir_epsg3857.tif", "field_red_2020.tif"], ["nir", "red"]),
        (["red_and_nir.tif", "reduced.tif", "RGB.byte.tif"], [None, None, None]),
    ],
)
def test_roles_from_names(names, roles):
    assert [role for role, _ in bands.roles_from_names(names)] == roles


def test_bare_sr_names_say_the_numbering_was_assumed():
    ((_, note),) = bands.roles_from_names(["SR_B5.tif"])
    assert "Landsat 8/9 numbering assumed" in note
    ((_, note),) = bands.roles_from_names(["LC08_L2SP_x_SR_B5.TIF"])
    assert note == "SR_B5, Landsat 8/9 numbering"


def test_a_role_word_among_others_is_a_guess_the_note_admits():
    ((role, note),) = bands.roles_from_names(["rgb1_fake_nir_epsg3857.tif"])
    assert role == "nir" and "guessed" in note


def test_descriptions_and_tags():
    assert bands.describe("nir", "B08") == "nir (B08)"
    assert bands.describe("nir", "nir") == "nir"
    assert bands.describe(None, "band 3") == "band 3"
    assert bands.role_of_description("nir narrow (B8A)") == "nir narrow"
    assert bands.role_of_description("NIR") == "nir"
    assert bands.role_of_description("red.tif band 1") is None
    assert bands.source_name("nir (B08)") == "B08"
    found = bands.roles_of(
        ["blue (B02)", "", "something", "T32TQM_20230615T102021_B08_10m.jp2 band 1", "red"],
        [{}, {bands.ROLE_TAG: "green"}, {}, {}, {}],
    )
    assert found == {1: "blue", 2: "green", 4: "nir", 5: "red"}
    # a role given twice keeps the first band
    assert bands.roles_of(["nir (B08)", "nir"], [{}, {}]) == {1: "nir"}
