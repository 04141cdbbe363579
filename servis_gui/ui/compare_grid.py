"""CompareGrid: waveform / f0 / mel / MFCC of several clips on shared scales and one linked time axis."""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtWidgets import QFrame, QGraphicsScene, QHBoxLayout, QScrollArea, QWidget

from servis_gui.core.db_reference import DbReference
from servis_gui.core.levels import group_mel_db, mfcc_levels
from servis_gui.core.prosody import Prosody
from servis_gui.core.prosody_summary import shared_f0_scale
from servis_gui.ui.compare_bars import ColorBars
from servis_gui.ui.compare_canvas import MARGIN_PX, PREPARED_COLUMNS, GridCanvas, GridClip
from servis_gui.ui.plot_helpers import MFCC_COLORMAP

__all__ = ["CompareGrid", "FigurePart", "GridClip"]

MIN_COLUMN_PX = 140
"""Narrowest column: below it the grid scrolls sideways."""
MIN_ROW_PX = 190
"""Lowest row (header and plots) in the "rows" layout: below it the grid scrolls down."""
DEFAULT_F0_SCALE = (70.0, 400.0)
"""The f0 rows' range (Hz) until a group's prosody arrives: most speaking voices."""


@dataclass(frozen=True)
class FigurePart:
    """A scene region to draw into an exported figure, at ``offset`` in figure pixels."""

    scene: QGraphicsScene
    source: QRectF
    offset: QPointF


class CompareGrid(QWidget):
    """Draws N clips; one colour bar drives every mel image and one every MFCC image, and every f0
    row has one range (``f0_scale``, Hz) in one unit (``f0_unit``).

    The clips scroll (sideways in columns, down in rows) when they do not fit; the colour bars
    stay beside them, lined up with the mel and MFCC rows.

    Signals
    -------
    header_clicked(int) : the header of clip i was clicked
    """

    header_clicked = Signal(int)

    def __init__(self, colormap: str = "magma") -> None:
        super().__init__()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.colormap = colormap
        self.clips: list[GridClip] = []
        self.stretch = False
        self.prosody: list[Prosody | str | None] = []
        self.f0_unit = "Hz"
        self.f0_scale = DEFAULT_F0_SCALE
        self.canvas = GridCanvas()
        self.scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.canvas)
        self.color_bars = ColorBars(colormap, MFCC_COLORMAP)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.color_bars)
        self.canvas.header_clicked.connect(self.header_clicked)
        self.canvas.sigDeviceRangeChanged.connect(self._on_canvas_resized)
        self.color_bars.sigDeviceRangeChanged.connect(self._on_canvas_resized)

    # -- public ------------------------------------------------------------------------------

    @property
    def mel_bar(self) -> pg.ColorBarItem:
        return self.color_bars.mel_bar

    @property
    def mfcc_bar(self) -> pg.ColorBarItem:
        return self.color_bars.mfcc_bar

    @property
    def by_rows(self) -> bool:
        return self.canvas.by_rows

    @property
    def plots(self) -> list[dict[str, pg.PlotItem]]:
        return [c.plots for c in self.canvas.used]

    @property
    def mel_images(self) -> list[pg.ImageItem]:
        return [c.mel_image for c in self.canvas.used]

    @property
    def mfcc_images(self) -> list[pg.ImageItem]:
        return [c.mfcc_image for c in self.canvas.used]

    @property
    def curves(self) -> list[pg.PlotDataItem]:
        return [c.curve for c in self.canvas.used]

    @property
    def f0_curves(self) -> list[pg.PlotDataItem]:
        return [c.f0 for c in self.canvas.used]

    @property
    def headers(self) -> list[pg.LabelItem]:
        return [c.header for c in self.canvas.used]

    @property
    def playheads(self) -> list[list[pg.InfiniteLine]]:
        return [c.playheads for c in self.canvas.used]

    def prepare(self, n: int = PREPARED_COLUMNS) -> None:
        """Build empty columns in the background of the event loop, one per turn."""
        self.canvas.prepare(n)

    def show_clips(self, clips: list[GridClip], reference: DbReference, by_rows: bool, stretch: bool) -> None:
        """Show ``clips``, reusing the columns already built.

        Parameters
        ----------
        clips : list of GridClip
            Their features must use ``DbReference.FULL_SCALE`` (see ``Session.group_params``).
        reference : DbReference
            What 0 dB means on the shared mel colour scale.
        by_rows : bool
            One row per clip instead of one column per clip.
        stretch : bool
            Stretch every clip to the same width instead of a common time scale.

        The f0 rows stay empty until :meth:`show_prosody`.
        """
        self.clips, self.stretch = clips, stretch
        self.prosody = [None] * len(clips)
        self.canvas.set_count(len(clips), by_rows)
        self._set_scrolling(len(clips), by_rows)
        if not clips:
            return
        self.canvas.set_f0_scale(*self.f0_scale, self.f0_unit)
        mel_dbs, mel_lv = group_mel_db([c.analysis.features for c in clips], reference)
        for i, (clip, mel_db) in enumerate(zip(clips, mel_dbs)):
            self.canvas.fill(i, clip, mel_db, 1.0 / clip.analysis.clip.duration if stretch else 1.0)
        self.mel_bar.setImageItem(self.mel_images)
        self.mfcc_bar.setImageItem(self.mfcc_images)
        self.mel_bar.setLevels(mel_lv)
        self.mel_bar.getAxis("left").setLabel(reference.unit)
        self.mfcc_bar.setLevels(mfcc_levels(*[c.analysis.features.mfcc for c in clips]))
        longest = max((1.0 if stretch else c.analysis.clip.duration) for c in clips)
        self.plots[0]["waveform"].setXRange(0.0, longest, padding=0.0)
        self.align_bars()

    def show_prosody(self, prosody: list[Prosody | str]) -> None:
        """Draw each clip's f0 contour, every column on one range (see ``shared_f0_scale``).

        Parameters
        ----------
        prosody : list of Prosody or str
            One per clip shown, in order; a str says why that clip has none.
        """
        self.prosody = list(prosody)
        tracks = [p.f0_hz for p in self.prosody if isinstance(p, Prosody)]
        self.f0_scale = shared_f0_scale(tracks) or self.f0_scale
        self._draw_f0()

    def set_f0_unit(self, unit: str) -> None:
        """Show f0 in ``unit``: "Hz" or "st" (semitones re 100 Hz)."""
        self.f0_unit = unit
        self._draw_f0()

    def set_playhead(self, index: int, t: float | None) -> None:
        """Show the playhead at ``t`` seconds in clip ``index`` only (``None`` hides it)."""
        for i, lines in enumerate(self.playheads):
            for line in lines:
                line.setVisible(i == index and t is not None)
                if i == index and t is not None:
                    line.setPos(self._x_of(i, t))

    def align_bars(self) -> None:
        """Line the colour bars up with the first clip's mel and MFCC plots (in columns)."""
        self.canvas.ci.layout.activate()
        if self.by_rows or not self.clips:
            half = self.color_bars.height() / 2
            spans = [(8.0, half - 8.0), (half + 8.0, 2 * half - 8.0)]
        else:
            spans = [self._span(self.plots[0][name].getViewBox()) for name in ("mel", "mfcc")]
        self.color_bars.align(spans)

    def figure_parts(self) -> list[FigurePart]:
        """What an exported figure shows: every clip (scrolled into view or not) and the bars."""
        self.align_bars()
        top = self.color_bars.mapTo(self, QPointF(0, 0)).y() - self.canvas.mapTo(self, QPointF(0, 0)).y()
        bars = QRectF(0, 0, self.color_bars.width(), self.color_bars.height())
        return [FigurePart(self.canvas.scene(), self.canvas.ci.sceneBoundingRect(), QPointF(0, 0)),
                FigurePart(self.color_bars.scene(), bars, QPointF(self.canvas.width(), top))]

    # -- layout --------------------------------------------------------------------------------

    def _draw_f0(self) -> None:
        if not self.clips:
            return
        for i, prosody in enumerate(self.prosody):
            if prosody is not None:
                self.canvas.fill_f0(i, prosody, self.f0_unit, self._x_of(i, 1.0))
        self.canvas.set_f0_scale(*self.f0_scale, self.f0_unit)

    def _set_scrolling(self, n: int, by_rows: bool) -> None:
        """Give the clips their minimum room; the scroll area scrolls when they need more."""
        hint = self.canvas.ci.effectiveSizeHint(Qt.SizeHint.MinimumSize)
        extra = 2 * MARGIN_PX
        if by_rows:
            self.canvas.setMinimumSize(round(hint.width()), max(round(hint.height()), n * MIN_ROW_PX + extra))
        else:
            self.canvas.setMinimumSize(max(round(hint.width()), n * MIN_COLUMN_PX + extra), round(hint.height()))

    def _span(self, view: pg.ViewBox) -> tuple[float, float]:
        """The vertical extent of ``view`` in the colour bars' pixels."""
        rect = self.canvas.viewportTransform().mapRect(view.sceneBoundingRect())
        top = self.color_bars.mapFrom(self, self.canvas.viewport().mapTo(self, rect.topLeft())).y()
        return float(top), float(top + rect.height())

    def _x_of(self, i: int, t: float) -> float:
        return t / self.clips[i].analysis.clip.duration if self.stretch else t

    def _on_canvas_resized(self, *_args) -> None:
        if self.clips:
            self.align_bars()
