"""CompareGrid: waveform / mel / MFCC of several clips on shared scales and one linked time axis."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Signal

from servis_gui.core.emotions import colour
from servis_gui.core.levels import group_mel_db, mfcc_levels
from servis_gui.ui.panes import (
    CURSOR_PEN, LEFT_AXIS_PX, MFCC_COLORMAP, PLAYHEAD_PEN, TimeViewBox, add_vline, set_mel_ticks,
    set_mfcc_ticks,
)
from servis_gui.workers import Analysis

ROWS = ("waveform", "mel", "mfcc")


@dataclass(frozen=True)
class GridClip:
    """One column (or row) of the grid: what to call it and what to draw."""

    title: str
    emotion: str
    analysis: Analysis


class ClickableLabel(pg.LabelItem):
    """A clip header; clicking it asks to play that clip."""

    clicked = Signal()

    def mouseClickEvent(self, ev) -> None:  # noqa: N802 (Qt override)
        ev.accept()
        self.clicked.emit()


class CompareGrid(pg.GraphicsLayoutWidget):
    """Draws N clips; one colour bar drives every mel image and one every MFCC image.

    Signals
    -------
    header_clicked(int) : the header of clip i was clicked
    """

    header_clicked = Signal(int)

    def __init__(self, colormap: str = "magma") -> None:
        super().__init__()
        self.colormap = colormap
        self.clips: list[GridClip] = []
        self.plots: list[dict[str, pg.PlotItem]] = []
        self.mel_images: list[pg.ImageItem] = []
        self.mfcc_images: list[pg.ImageItem] = []
        self.curves: list[pg.PlotDataItem] = []
        self.headers: list[ClickableLabel] = []
        self.cursors: list[pg.InfiniteLine] = []
        self.playheads: list[list[pg.InfiniteLine]] = []
        self.stretch = False
        self.mel_bar: pg.ColorBarItem | None = None
        self.mfcc_bar: pg.ColorBarItem | None = None
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)

    def show_clips(self, clips: list[GridClip], reference: str, by_rows: bool, stretch: bool) -> None:
        """Rebuild the grid for ``clips``.

        Parameters
        ----------
        clips : list of GridClip
            Their features must use ``db_ref="full_scale"`` (see ``Session.group_params``).
        reference : {"group_max", "full_scale", "clip_max"}
            What 0 dB means on the shared mel colour scale.
        by_rows : bool
            One row per clip instead of one column per clip.
        stretch : bool
            Stretch every clip to the same width instead of a common time scale.
        """
        self.clear()
        self.clips, self.stretch = clips, stretch
        self.plots, self.mel_images, self.mfcc_images, self.curves = [], [], [], []
        self.headers, self.cursors, self.playheads = [], [], []
        if not clips:
            return
        mel_dbs, mel_lv = group_mel_db([c.analysis.features for c in clips], reference)
        for i, (clip, mel_db) in enumerate(zip(clips, mel_dbs)):
            self._add_clip(i, clip, mel_db, by_rows, stretch)
        mfcc_lv = mfcc_levels(*[c.analysis.features.mfcc for c in clips])
        self.mel_bar = self._add_bar(self.mel_images, self.colormap, mel_lv, _REF_UNITS[reference], by_rows, 1)
        self.mfcc_bar = self._add_bar(self.mfcc_images, MFCC_COLORMAP, mfcc_lv, "MFCC", by_rows, 2)
        longest = max((1.0 if stretch else c.analysis.clip.duration) for c in clips)
        self.plots[0]["waveform"].setXRange(0.0, longest, padding=0.0)

    def set_playhead(self, index: int, t: float | None) -> None:
        """Show the playhead at ``t`` seconds in clip ``index`` only (``None`` hides it)."""
        for i, lines in enumerate(self.playheads):
            for line in lines:
                line.setVisible(i == index and t is not None)
                if i == index and t is not None:
                    line.setPos(self._x_of(i, t))

    def x_range(self) -> tuple[float, float]:
        return tuple(self.plots[0]["waveform"].viewRange()[0]) if self.plots else (0.0, 0.0)

    def _add_clip(self, i: int, clip: GridClip, mel_db: np.ndarray, by_rows: bool, stretch: bool) -> None:
        header = ClickableLabel(_header_html(clip, i), justify="left")
        header.clicked.connect(lambda i=i: self.header_clicked.emit(i))
        self.addItem(header, *((i * 2, 0, 1, 3) if by_rows else (0, i)))
        self.headers.append(header)
        plots: dict[str, pg.PlotItem] = {}
        for k, name in enumerate(ROWS):
            row, col = (i * 2 + 1, k) if by_rows else (k + 1, i)
            link = self.plots[0]["waveform"] if self.plots else plots.get("waveform")
            plots[name] = self._new_plot(row, col, show_y=(col == 0 or by_rows), link=link)
        self.plots.append(plots)
        feats, audio = clip.analysis.features, clip.analysis.clip
        scale = 1.0 / audio.duration if stretch else 1.0
        curve = plots["waveform"].plot(np.arange(len(audio.samples)) * (scale / audio.sr), audio.samples,
                                       pen=pg.mkPen(colour(clip.emotion), width=1))
        curve.setDownsampling(auto=True, method="peak")
        curve.setClipToView(True)
        plots["waveform"].setYRange(-1.0, 1.0, padding=0.02)
        self.curves.append(curve)
        rect = QRectF(-0.5 * feats.frame_seconds * scale, 0.0,
                      len(feats.times) * feats.frame_seconds * scale, 0.0)
        self.mel_images.append(self._image(plots["mel"], mel_db, rect))
        self.mfcc_images.append(self._image(plots["mfcc"], feats.mfcc, rect))
        set_mel_ticks(plots["mel"], feats.mel_hz)
        set_mfcc_ticks(plots["mfcc"], feats.mfcc.shape[0])
        self.cursors += [add_vline(p, CURSOR_PEN) for p in plots.values()]
        self.playheads.append([add_vline(p, PLAYHEAD_PEN) for p in plots.values()])

    def _new_plot(self, row: int, col: int, show_y: bool, link: pg.PlotItem | None) -> pg.PlotItem:
        plot = self.addPlot(row=row, col=col, viewBox=TimeViewBox())
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.getAxis("left").setWidth(LEFT_AXIS_PX if show_y else 8)
        plot.getAxis("left").setStyle(showValues=show_y)
        if link is not None:
            plot.setXLink(link)
        return plot

    @staticmethod
    def _image(plot: pg.PlotItem, data: np.ndarray, rect: QRectF) -> pg.ImageItem:
        image = pg.ImageItem(np.ascontiguousarray(data, dtype=np.float32), axisOrder="row-major")
        plot.addItem(image)
        image.setRect(QRectF(rect.x(), 0.0, rect.width(), data.shape[0]))
        return image

    def _add_bar(self, images, cmap: str, levels, label: str, by_rows: bool, k: int) -> pg.ColorBarItem:
        bar = pg.ColorBarItem(values=levels, colorMap=pg.colormap.get(cmap), label=label,
                              interactive=False, colorMapMenu=False, width=14,
                              orientation="horizontal" if by_rows else "vertical")
        bar.setImageItem(images)
        bar.setLevels(levels)
        n = len(self.clips)
        self.addItem(bar, *((2 * n, k) if by_rows else (k + 1, n)))
        return bar

    def _x_of(self, i: int, t: float) -> float:
        return t / self.clips[i].analysis.clip.duration if self.stretch else t

    def _on_mouse_moved(self, pos) -> None:
        for plots in self.plots:
            for plot in plots.values():
                if plot.sceneBoundingRect().contains(pos):
                    x = plot.getViewBox().mapSceneToView(pos).x()
                    for line in self.cursors:
                        line.setPos(x)
                        line.show()
                    return


_REF_UNITS = {"group_max": "dB re loudest clip", "full_scale": "dB re full scale",
              "clip_max": "dB re each clip's max"}


def _header_html(clip: GridClip, i: int) -> str:
    chip = f"<span style='color:{colour(clip.emotion)}; font-size:14pt'>■</span>"
    key = f"[{i + 1}] " if i < 9 else ""
    return f"{chip} <b>{key}{clip.emotion}</b><br><span style='font-size:8pt'>{clip.title}</span>"
