"""The comparison grid's two colour bars, in a narrow view of their own beside the scrolled plots."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF

BARS_PX = 96
BAR_PX = 14


class ColorBars(pg.GraphicsView):
    """One colour bar for every mel image and one for every MFCC image; never scrolled away.

    ``align`` places each bar's colour strip over a vertical span of this view, so the bars can
    line up with the mel and MFCC rows of the grid beside them.
    """

    def __init__(self, mel_colormap: str, mfcc_colormap: str) -> None:
        super().__init__()
        self.setFixedWidth(BARS_PX)
        self.mel_bar = _new_bar(mel_colormap, "dB")
        self.mfcc_bar = _new_bar(mfcc_colormap, "MFCC")
        for bar in self.bars:
            self.scene().addItem(bar)

    @property
    def bars(self) -> tuple[pg.ColorBarItem, pg.ColorBarItem]:
        return self.mel_bar, self.mfcc_bar

    def align(self, spans: list[tuple[float, float]]) -> None:
        """Put the mel bar's strip over ``spans[0]`` and the MFCC bar's over ``spans[1]``.

        Parameters
        ----------
        spans : list of (top, bottom)
            In this view's pixels.
        """
        for bar, (top, bottom) in zip(self.bars, spans):
            _place(bar, QRectF(0.0, top, float(self.width()), max(bottom - top, 1.0)))


def _place(bar: pg.ColorBarItem, strip: QRectF) -> None:
    """Give ``bar`` the geometry that puts its colour strip (its ViewBox) exactly on ``strip``."""
    bar.setGeometry(strip)
    bar.layout.activate()
    inner = bar.vb.mapRectToItem(bar, bar.vb.boundingRect())
    bar.setGeometry(strip.adjusted(0.0, -inner.top(), 0.0, bar.size().height() - inner.bottom()))
    bar.layout.activate()


def _new_bar(cmap: str, label: str) -> pg.ColorBarItem:
    return pg.ColorBarItem(colorMap=pg.colormap.get(cmap), label=label, interactive=False,
                           colorMapMenu=False, width=BAR_PX)
