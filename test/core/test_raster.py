from __future__ import annotations

import numpy as np
import pytest
import rasterio
from conftest import write_raster
from rasterio.enums import ColorInterp
from rasterio.transform import from_origin

from landcover.core.io import raster
from landcover.core.io.classes import make_classes
from landcover.core.io.progress import Cancelled, Progress


@pytest.mark.parametrize(
    ("width", "height", "native", "max_pixels", "halo"),
    [
        (1000, 700, (256, 256), 256 * 256, 0),
        (1000, 700, (256, 256), 600 * 600, 3),
        (517, 333, (1, 517), 10_000, 2),  # striped file
        (300, 200, (512, 512), 64, 5),  # native block larger than the raster
    ],
)
def test_plan_blocks_covers_every_pixel_once(width, height, native, max_pixels, halo):
    blocks = raster.plan_blocks(width, height, native, max_pixels, halo)
    count = np.zeros((height, width), dtype=int)
    for block in blocks:
        w = block.window
        count[w.row_off : w.row_off + w.height, w.col_off : w.col_off + w.width] += 1
        # Windows start on native block boundaries.
        assert w.row_off % native[0] == 0 or native[0] > height
        assert w.col_off % native[1] == 0 or native[1] > width
        r = block.read_window
        top, bottom, left, right = block.pad
        assert r.height + top + bottom == w.height + 2 * halo
        assert r.width + left + right == w.width + 2 * halo
    assert (count == 1).all()
    assert [b.index for b in blocks] == list(range(len(blocks)))


def test_read_block_pads_halo_at_edges_and_marks_it_invalid(tmp_path):
    data = np.arange(1, 1 + 40 * 30, dtype="int16").reshape(1, 30, 40)
    path = tmp_path / "a.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=40,
        height=30,
        count=1,
        dtype="int16",
        crs="EPSG:32632",
        transform=from_origin(0, 0, 1, 1),
        nodata=5,
    ) as dst:
        dst.write(data)
    with raster.open_raster(path) as src:
        blocks = raster.plan_blocks(40, 30, (16, 16), 16 * 16, halo=2)
        for block in blocks:
            values, valid = raster.read_block(src, block, fill=-1)
            inner = values[(0, *block.inner)]
            w = block.window
            expected = data[0, w.row_off : w.row_off + w.height, w.col_off : w.col_off + w.width]
            np.testing.assert_array_equal(inner, expected)
            assert values.shape[1:] == (w.height + 4, w.width + 4)
            top, _, left, _ = block.pad
            if top:
                assert (values[0, :top] == -1).all() and not valid[:top].any()
            if left:
                assert (values[0, :, :left] == -1).all() and not valid[:, :left].any()
        first = blocks[0]
        _, valid = raster.read_block(src, first)
        assert not valid[first.pad[0] + 0, first.pad[2] + 4]  # the value 5 is nodata
        assert valid[first.pad[0] + 0, first.pad[2] + 3]


def test_create_raster_is_atomic(tmp_path):
    target = tmp_path / "out.tif"
    profile = {
        "width": 32,
        "height": 32,
        "count": 1,
        "dtype": "uint8",
        "crs": "EPSG:32632",
        "transform": from_origin(0, 0, 1, 1),
    }
    with raster.create_raster(target, **profile) as dst:
        dst.write(np.full((1, 32, 32), 7, dtype="uint8"))
    before = target.read_bytes()
    with pytest.raises(RuntimeError), raster.create_raster(target, **profile) as dst:
        dst.write(np.full((1, 32, 32), 9, dtype="uint8"))
        raise RuntimeError("crash in the middle of writing")
    assert target.read_bytes() == before
    with pytest.raises(Cancelled), raster.create_raster(tmp_path / "new.tif", **profile):
        Progress(is_cancelled=lambda: True).check()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.tif"]
    with rasterio.open(target) as src:
        assert (src.read(1) == 7).all()
        assert src.profile["tiled"]
        assert src.compression is not None


@pytest.mark.parametrize("count", [3, 4])
def test_byte_stacks_are_measurements_not_colours(tmp_path, count):
    """Found on a real Landsat composite stacked with a NIR file: GDAL tags 3 or 4 byte
    bands as RGB(A) by default, and QGIS then draws the 4th band as transparency."""
    with raster.create_raster(
        tmp_path / "stack.tif",
        width=32,
        height=32,
        count=count,
        dtype="uint8",
        crs="EPSG:32618",
        transform=from_origin(0, 0, 1, 1),
    ) as dst:
        dst.write(np.full((count, 32, 32), 7, dtype="uint8"))
    with rasterio.open(tmp_path / "stack.tif") as src:
        assert ColorInterp.alpha not in src.colorinterp
        assert src.colorinterp[0] == ColorInterp.gray


def test_class_colours_and_names_round_trip(tmp_path):
    classes = make_classes([1, 2, 5], ["water", "forest", "built-up"])
    path = tmp_path / "classes.tif"
    with raster.create_raster(
        path,
        width=8,
        height=8,
        count=1,
        dtype="uint8",
        crs="EPSG:32632",
        transform=from_origin(0, 0, 1, 1),
        nodata=0,
        classes=classes,
    ) as dst:
        dst.write(np.array([[0, 1, 2, 5] * 2] * 8, dtype="uint8")[None])
    with rasterio.open(path) as src:
        assert raster.read_classes(src) == classes
        table = src.colormap(1)
        assert table[5][:3] == classes[2].color
        assert table[0][3] == 0


def test_classes_from_colour_table_alone(tmp_path):
    classes = make_classes([1, 2, 5], ["water", "forest", "built-up"])
    path = tmp_path / "classes.tif"
    with raster.create_raster(
        path,
        width=8,
        height=8,
        count=1,
        dtype="uint8",
        crs="EPSG:32632",
        transform=from_origin(0, 0, 1, 1),
        nodata=0,
        classes=classes,
    ) as dst:
        dst.write(np.array([[0, 1, 2, 5] * 2] * 8, dtype="uint8")[None])
    with rasterio.open(path, "r+") as src:
        src.update_tags(LANDCOVER_CLASSES="")
    with rasterio.open(path) as src:
        found = raster.read_classes(src)
    assert [c.code for c in found] == [1, 2, 5]
    assert [c.color for c in found] == [c.color for c in classes]


def test_run_blocks_orders_writes_and_cancels(tmp_path):
    blocks = raster.plan_blocks(100, 100, (10, 10), 100)
    written = []
    raster.run_blocks(
        blocks,
        lambda b: b.index,
        lambda i: i * 2,
        lambda b, r: written.append((b.index, r)),
        workers=2,
    )
    assert written == [(i, 2 * i) for i in range(len(blocks))]
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 5

    with pytest.raises(Cancelled):
        raster.run_blocks(
            blocks, lambda b: b, lambda b: b, lambda b, r: None, Progress(None, cancelled), 2
        )
    assert len(calls) < len(blocks) * 2


def write_classes(path, classes, dtype="uint8"):
    image = np.array([[0, 1, 2, 5] * 2] * 8, dtype=dtype)
    write_raster(path, image, transform=from_origin(0, 0, 1, 1), nodata=0, classes=classes)


def test_class_raster_has_gdal_category_names_and_attribute_table(tmp_path):
    from osgeo import gdal

    classes = make_classes([1, 2, 5], ["water", "forest", "built-up"])
    path = tmp_path / "classes.tif"
    write_classes(path, classes)
    info = gdal.Info(str(path))
    assert "Categories:" in info
    assert "5: built-up" in info and "1: water" in info
    assert "GDALRasterAttributeTable" in info and "Class_Name" in info
    dataset = gdal.Open(str(path))
    table = dataset.GetRasterBand(1).GetDefaultRAT()
    rows = [
        tuple(table.GetValueAsString(r, c) for c in range(table.GetColumnCount()))
        for r in range(table.GetRowCount())
    ]
    r, g, b = classes[2].color
    assert rows[2] == ("5", "built-up", str(r), str(g), str(b), "255")
    with rasterio.open(path) as src:
        palette = src.colormap(1)
    assert len(palette) == 256
    assert {code for code, rgba in palette.items() if rgba[3] > 0} == {1, 2, 5}


@pytest.mark.parametrize("source", ["table", "categories", "qml"])
def test_classes_of_other_software_are_read_with_their_names(tmp_path, source):
    from osgeo import gdal

    classes = make_classes([1, 2, 5], ["water", "forest", "built-up"])
    path = tmp_path / "other.tif"
    write_classes(path, classes)
    with rasterio.open(path, "r+") as dst:
        dst.update_tags(LANDCOVER_CLASSES="")
    dataset = gdal.Open(str(path), gdal.GA_Update)
    band = dataset.GetRasterBand(1)
    if source != "table":
        band.SetDefaultRAT(gdal.RasterAttributeTable())
    if source != "categories":
        band.SetCategoryNames([])
    dataset = band = None
    if source == "qml":
        (tmp_path / "other.qml").write_text(
            "<qgis><pipe><rasterrenderer type='paletted' band='1'><colorPalette>"
            "<paletteEntry value='1' color='#1f78b4' alpha='255' label='lake'/>"
            "<paletteEntry value='2' color='#238b45' alpha='255' label='woods'/>"
            "<paletteEntry value='5' color='#d7191c' alpha='255' label='town'/>"
            "</colorPalette></rasterrenderer></pipe></qgis>"
        )
    expected = ["lake", "woods", "town"] if source == "qml" else ["water", "forest", "built-up"]
    with rasterio.open(path) as src:
        found = raster.read_classes(src)
    assert [c.code for c in found] == [1, 2, 5]
    assert [c.name for c in found] == expected
    assert found[2].color == (215, 25, 28)


@pytest.mark.parametrize("count", [3, 8])  # pixel- and band-interleaved
def test_overviews_of_float_rasters(tmp_path, count):
    path = tmp_path / "measures.tif"
    data = np.random.default_rng(1).random((count, 600, 700), dtype=np.float32)
    with raster.create_raster(
        path,
        width=700,
        height=600,
        count=count,
        dtype="float32",
        crs="EPSG:32632",
        transform=from_origin(0, 0, 10, 10),
        nodata=float("nan"),
        overviews=True,
    ) as dst:
        dst.write(data)
    with rasterio.open(path) as src:
        assert src.overviews(count) == [2]
        small = src.read(count, out_shape=(300, 350))
    assert abs(float(small.mean()) - float(data[-1].mean())) < 0.01
