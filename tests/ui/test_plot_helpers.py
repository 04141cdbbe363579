"""Mel and MFCC axes choose their labels for the height they have: never overlapping, all when tall."""

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QFontMetrics

from servis_gui.core.mel import band_centres
from servis_gui.ui.plot_helpers import set_mel_ticks, set_mfcc_ticks


def _labels(plot, height_px: float) -> list[tuple[float, str]]:
    axis = plot.getAxis("left")
    low, high = plot.viewRange()[1]
    values = [v for _s, level in axis.tickValues(low, high, height_px) for v in level]
    px = [(v - low) * height_px / (high - low) for v in values]
    return list(zip(px, axis.tickStrings(values, 1.0, 1.0)))


@pytest.fixture
def plots(qtbot):
    from servis_gui.ui.plot_helpers import band_plot

    widget = pg.GraphicsLayoutWidget()
    qtbot.addWidget(widget)
    mel, mfcc = band_plot(widget.ci, 0, 0), band_plot(widget.ci, 1, 0)
    set_mel_ticks(mel, band_centres(128, 0.0, 8000.0))
    set_mfcc_ticks(mfcc, 20)
    yield mel, mfcc
    widget.close()  # the widget owns the plots: keep it alive until here


@pytest.mark.parametrize("height_px", [40, 60, 100, 200, 600])
def test_labels_never_overlap_at_any_height(plots, height_px):
    for plot in plots:
        shown = _labels(plot, height_px)
        font = QFontMetrics(plot.getAxis("left").font()).height()
        gaps = np.diff([px for px, _label in shown])
        assert shown and (gaps >= font).all(), (height_px, shown)


def test_a_tall_axis_shows_every_label_a_short_one_fewer(plots):
    mel, mfcc = plots
    assert [label for _px, label in _labels(mel, 600)] == ["100", "200", "500", "1k", "2k", "4k"]
    assert len(_labels(mfcc, 600)) == 20
    assert len(_labels(mel, 60)) < 6
    assert [label for _px, label in _labels(mfcc, 60)] in (["0", "10"], ["0", "5", "10", "15"], ["0", "20"])
