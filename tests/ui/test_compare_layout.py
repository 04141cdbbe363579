"""What a person sees of the comparison grid in a 1366x768 window: 8 and 12 clips, first use.

"First use": the grid's ``prepare`` built its hidden columns while the Compare tab was never
shown, then Ctrl+E opened a group (the case that showed a squashed 100 px strip).
"""

from itertools import combinations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QImage, QPainter

from tests.conftest import DEMO

EMOTIONS = ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"]
EIGHT = [str(DEMO / f"m3_kids_{e}.flac") for e in EMOTIONS]
THREE = EIGHT[:3]
TWELVE = EIGHT + [str(DEMO / f"f3_dogs_{e}.flac") for e in EMOTIONS[:4]]
MIN_MEL_PX = 100


def open_group(window, qtbot, paths: list[str], first_use: bool = True):
    """Show ``paths`` in the Compare tab of a 1366x768 window; return the grid once laid out."""
    window.resize(1366, 768)
    grid = window.compare.grid
    if first_use:
        qtbot.waitUntil(lambda: len(grid.canvas.columns) == 6, timeout=5000)  # prepare() ran
        assert not window.compare.isVisible()
    window.compare_paths(paths)
    qtbot.waitUntil(lambda: len(grid.clips) == len(paths), timeout=30000)
    qtbot.wait(50)
    return grid


@pytest.fixture(params=[THREE, EIGHT, TWELVE], ids=["3 clips", "8 clips", "12 clips"])
def shown(request, window, qtbot):
    return open_group(window, qtbot, request.param)


def on_canvas(grid, item) -> QRectF:
    """Where ``item`` is drawn, in the scrolled canvas's pixels."""
    return grid.canvas.viewportTransform().mapRect(item.mapRectToScene(item.boundingRect()))


def visible_part(grid, rect: QRectF) -> QRectF:
    """The part of a canvas rectangle the scroll viewport shows now."""
    origin = grid.canvas.mapTo(grid.scroll.viewport(), QPointF(0, 0))
    return rect.translated(origin).intersected(QRectF(grid.scroll.viewport().rect()))


def test_every_mel_image_is_tall_and_every_column_visible_or_reachable(shown, qtbot):
    grid = shown
    bar = grid.scroll.horizontalScrollBar()
    viewport = grid.scroll.viewport().width()
    for image in grid.mel_images:
        rect = on_canvas(grid, image)
        assert rect.height() >= MIN_MEL_PX
        inside = visible_part(grid, rect).width() >= rect.width() - 1
        reachable = bar.isVisible() and rect.right() <= bar.maximum() + viewport + 1
        assert inside or reachable
    bar.setValue(bar.maximum())
    qtbot.wait(10)
    last = on_canvas(grid, grid.mel_images[-1])
    assert visible_part(grid, last).width() >= last.width() - 1  # scrolled to the end: all of it


@pytest.mark.parametrize("end", ["minimum", "maximum"])
def test_both_colour_bars_are_visible_at_either_end_of_the_scroll(shown, qtbot, end):
    grid = shown
    bar = grid.scroll.horizontalScrollBar()
    bar.setValue(getattr(bar, end)())
    qtbot.wait(10)
    bars = grid.color_bars
    shown_region = bars.viewport().visibleRegion()  # the view's viewport is what paints
    assert not shown_region.isEmpty()
    for colour_bar, name in ((grid.mel_bar, "mel"), (grid.mfcc_bar, "mfcc")):
        strip = bars.viewportTransform().mapRect(colour_bar.vb.sceneBoundingRect())
        assert shown_region.boundingRect().contains(strip.toRect().adjusted(1, 1, -1, -1))
        row = grid.canvas.viewportTransform().mapRect(grid.plots[0][name].getViewBox().sceneBoundingRect())
        row_top = grid.canvas.viewport().mapTo(grid, row.topLeft()).y()
        assert bars.viewport().mapTo(grid, strip.topLeft()).y() == pytest.approx(row_top, abs=2)  # lined up
        assert strip.height() == pytest.approx(row.height(), abs=2)


def test_tick_labels_do_not_overlap(shown):
    grid = shown
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    labels = []
    for plots in grid.plots:
        for plot in plots.values():
            for name in ("left", "bottom"):
                axis = plot.getAxis(name)
                if axis.isVisible():
                    specs = axis.generateDrawSpecs(painter)
                    labels += [(axis.mapRectToScene(QRectF(rect)), text) for rect, _flags, text in specs[2]]
    painter.end()
    assert len(labels) > 10 * len(grid.plots)
    for (a, text_a), (b, text_b) in combinations(labels, 2):
        assert not a.adjusted(1, 1, -1, -1).intersects(b), (text_a, text_b)


def test_every_column_is_equally_wide_and_seconds_equally_long(shown):
    grid = shown
    widths = [p.getViewBox().width() for plots in grid.plots for p in plots.values()]
    assert max(widths) - min(widths) <= 1
    per_second = [p.getViewBox().width() / np.diff(p.viewRange()[0])[0] for plots in grid.plots for p in plots.values()]
    assert max(per_second) == pytest.approx(min(per_second), rel=1e-3)


def image_spans(grid, pixels: np.ndarray, scale: float, origin: QPointF) -> list[tuple[int, int]]:
    """Per column, the x extent (first, last pixel) of the colourful MFCC image in a figure."""
    spans = []
    for plots in grid.plots:
        view = plots["mfcc"].getViewBox().sceneBoundingRect()
        top, bottom = (round(origin.y() + y * scale) for y in (view.top(), view.bottom()))
        left, right = (round(origin.x() + x * scale) for x in (view.left(), view.right()))
        band = pixels[top + 3: bottom - 3, left - 3: right + 3].astype(float)
        saturation = (band.max(axis=2) - band.min(axis=2)) / np.maximum(band.max(axis=2), 1)
        columns = np.flatnonzero((saturation > 0.25).mean(axis=0) > 0.02)
        spans.append((left - 3 + int(columns[0]), left - 3 + int(columns[-1])))
    return spans


def shown_seconds(grid) -> list[float]:
    """Per column, how many seconds of its MFCC image the (linked) view shows."""
    t0, t1 = grid.plots[0]["mfcc"].viewRange()[0]
    seconds = []
    for image in grid.mfcc_images:
        rect = image.mapRectToParent(image.boundingRect())
        seconds.append(min(rect.right(), t1) - max(rect.left(), t0))
    return seconds


def figure_rect(grid) -> QRectF:
    """The extent of an exported figure at scale 1: all columns and the colour bars."""
    figure = QRectF()
    for part in grid.figure_parts():
        figure = figure.united(QRectF(part.offset, part.source.size()))
    return figure


def rgb(image: QImage) -> np.ndarray:
    """An image's pixels as an (height, width, 3) RGB array."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : image.width() * 3].reshape(image.height(), image.width(), 3).copy()  # own the pixels


def test_png_export_draws_every_second_equally_wide(window, qtbot, tmp_path):
    from servis_gui.ui.compare_export import export_png

    grid = open_group(window, qtbot, EIGHT)
    figure = figure_rect(grid)
    assert figure.width() >= grid.canvas.ci.sceneBoundingRect().width() + grid.color_bars.width()
    image = export_png(grid, tmp_path / "grid.png", round(figure.width() * 2), round(figure.height() * 2))
    spans = image_spans(grid, rgb(image), 2.0, QPointF(0, 0))
    assert len(spans) == 8
    per_second = [(last - first + 1) / s for (first, last), s in zip(spans, shown_seconds(grid))]
    assert max(per_second) == pytest.approx(min(per_second), rel=0.02)
