"""PaneStack: waveform, prosody (f0 and intensity), mel spectrogram (with the f0 contour over it)
and MFCC on one shared time axis."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Signal

from servis_gui.core.analysis import Analysis
from servis_gui.core.levels import mel_levels, mfcc_levels
from servis_gui.core.prosody import Prosody
from servis_gui.session import Session
from servis_gui.ui.plot_helpers import (
    CURSOR_PEN, MFCC_COLORMAP, PLAYHEAD_PEN, PROSODY_STRETCH, ROW_STRETCH, TimeViewBox, add_vline, band_plot,
    draw_f0, f0_curve, set_mel_ticks, set_mfcc_ticks,
)
from servis_gui.ui.prosody_pane import IntensityOverlay, ProsodyPane, describe

QWIDGETSIZE_MAX = (1 << 24) - 1
LEFT_AXIS_PX = 64
RIGHT_COLUMN_PX = 86


WAVE_ROW, PROSODY_ROW, MEL_ROW, MFCC_ROW = range(4)


class PaneStack(pg.GraphicsLayoutWidget):
    """Stacked plots that follow one ``Session``: waveform, prosody (can be hidden), mel, MFCC.

    Signals
    -------
    readout(str) : what is under the mouse (time, amplitude / Hz and dB / coefficient and value)
    drawn() : the first paint after ``show_analysis`` has finished: the clip is on screen
    prosody_drawn() : the first paint after ``show_prosody``: its f0 and intensity are on screen
    """

    readout = Signal(str)
    drawn = Signal()
    prosody_drawn = Signal()

    def __init__(self, session: Session, colormap: str = "magma") -> None:
        super().__init__()
        self.session = session
        self._awaiting_paint = self._awaiting_prosody_paint = False
        self.wave = self._add_plot(self.addPlot(row=WAVE_ROW, col=0, viewBox=TimeViewBox()), "Amplitude")
        self.prosody = ProsodyPane(self.ci, PROSODY_ROW)
        self._add_plot(self.prosody.plot, None)
        self.intensity = IntensityOverlay(self.ci, self.wave, WAVE_ROW, RIGHT_COLUMN_PX)
        self.mel = self._add_plot(band_plot(self.ci, MEL_ROW, 0, TimeViewBox()), "Frequency (Hz)")
        self.mfcc = self._add_plot(band_plot(self.ci, MFCC_ROW, 0, TimeViewBox()), "MFCC")
        self.mfcc.setLabel("bottom", "Time", units="s")
        for plot in (self.wave, self.prosody.plot, self.mel):  # one time scale, under the MFCC
            plot.hideAxis("bottom")
        self.mel_f0 = f0_curve(self.mel)
        self.curve = self.wave.plot(pen=pg.mkPen("#4fc3f7", width=1))
        self.curve.setDownsampling(auto=True, method="peak")
        self.curve.setClipToView(True)
        self.wave.setYRange(-1.0, 1.0, padding=0.02)
        self.mel_image = pg.ImageItem(axisOrder="row-major")
        self.mfcc_image = pg.ImageItem(axisOrder="row-major")
        self.mel.addItem(self.mel_image)
        self.mfcc.addItem(self.mfcc_image)
        self.mel_bar = self._add_bar(MEL_ROW, self.mel_image, colormap, "dB")
        self.mfcc_bar = self._add_bar(MFCC_ROW, self.mfcc_image, MFCC_COLORMAP, "MFCC value (c1.. range)")
        self.prosody_spacer = self._add_spacer(PROSODY_ROW)
        self.set_prosody_visible(True)
        self.cursors = [add_vline(p, CURSOR_PEN) for p in self.plots]
        self.playheads = [add_vline(p, PLAYHEAD_PEN) for p in self.plots]
        self.regions = [self._add_region(p) for p in self.plots]
        self._connect()

    @property
    def plots(self) -> tuple[pg.PlotItem, ...]:
        return self.wave, self.prosody.plot, self.mel, self.mfcc

    def set_colormap(self, name: str) -> None:
        self.mel_bar.setColorMap(pg.colormap.get(name))

    def set_prosody_visible(self, shown: bool) -> None:
        """Show or hide the Prosody pane (hidden, it gives its height to the others)."""
        self.prosody.plot.setVisible(shown)
        stretches = dict(zip((WAVE_ROW, MEL_ROW, MFCC_ROW), ROW_STRETCH, strict=True))
        stretches[PROSODY_ROW] = PROSODY_STRETCH if shown else 0
        for row, stretch in stretches.items():
            self.ci.layout.setRowStretchFactor(row, stretch)
        for item in (self.prosody.plot, self.prosody_spacer):
            item.setMaximumHeight(QWIDGETSIZE_MAX if shown else 0)
            item.setMinimumHeight(0)

    def set_f0_unit(self, unit: str) -> None:
        """Show f0 in the Prosody pane in "Hz" or "st" (semitones re 100 Hz)."""
        self.prosody.set_unit(unit)

    def show_prosody(self, prosody: Prosody) -> None:
        """Draw f0 over the mel image (at the height of its frequency) and in the Prosody pane, and
        intensity over the waveform."""
        features = self.session.analysis.features
        draw_f0(self.mel_f0, prosody.times, prosody.f0_hz, mel_hz=features.mel_hz)
        self.prosody.show(prosody)
        self.intensity.show(prosody)
        self._awaiting_prosody_paint = True

    def show_analysis(self, analysis: Analysis) -> None:
        """Draw a clip and its features (the time range is the Session's, which follows)."""
        clip, feats = analysis.clip, analysis.features
        self.curve.setData(np.arange(len(clip.samples)) / clip.sr, clip.samples)
        x0 = -0.5 * feats.frame_seconds
        width = len(feats.times) * feats.frame_seconds
        self._set_image(self.mel_image, self.mel_bar, feats.mel_db, mel_levels(feats), x0, width)
        self._set_image(self.mfcc_image, self.mfcc_bar, feats.mfcc, mfcc_levels(feats.mfcc), x0, width)
        self.mel_bar.getAxis("left").setLabel(feats.params.db_ref.unit)
        set_mel_ticks(self.mel, feats.mel_hz)
        set_mfcc_ticks(self.mfcc, feats.mfcc.shape[0])
        self.mel_f0.setData([], [])
        self.prosody.clear()
        self.intensity.clear()
        for plot in self.plots:
            plot.setLimits(xMin=x0 - 0.05, xMax=max(clip.duration, width + x0) + 0.05)
        self.show_selection(self.session.selection)
        self.show_playhead(self.session.playhead)
        self._awaiting_paint = True

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().paintEvent(event)
        if self._awaiting_paint:
            self._awaiting_paint = False
            self.drawn.emit()
        if self._awaiting_prosody_paint:
            self._awaiting_prosody_paint = False
            self.prosody_drawn.emit()

    def show_cursor(self, t: float) -> None:
        for line in self.cursors:
            line.setPos(t)
            line.show()

    def show_playhead(self, t: float | None) -> None:
        for line in self.playheads:
            line.setVisible(t is not None)
            if t is not None:
                line.setPos(t)

    def show_selection(self, selection: tuple[float, float] | None) -> None:
        for region in self.regions:
            region.blockSignals(True)
            region.setVisible(selection is not None)
            if selection is not None:
                region.setRegion(selection)
            region.blockSignals(False)

    def _add_plot(self, plot: pg.PlotItem, label: str | None) -> pg.PlotItem:
        if label:
            plot.setLabel("left", label)
        plot.getAxis("left").setWidth(LEFT_AXIS_PX)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        if hasattr(self, "wave"):  # the others follow the waveform's time range
            plot.setXLink(self.wave)
        return plot

    def _add_bar(self, row: int, image: pg.ImageItem, cmap: str, label: str) -> pg.ColorBarItem:
        bar = pg.ColorBarItem(colorMap=pg.colormap.get(cmap), label=label, interactive=False,
                              colorMapMenu=False, width=18)
        bar.setImageItem(image)
        bar.setFixedWidth(RIGHT_COLUMN_PX)
        self.addItem(bar, row=row, col=1)
        return bar

    def _add_spacer(self, row: int) -> pg.GraphicsWidget:
        spacer = pg.GraphicsWidget()
        spacer.setFixedWidth(RIGHT_COLUMN_PX)
        self.addItem(spacer, row=row, col=1)
        return spacer

    def _add_region(self, plot: pg.PlotItem) -> pg.LinearRegionItem:
        region = pg.LinearRegionItem(brush=pg.mkBrush(255, 255, 255, 40))
        region.setZValue(10)
        region.hide()
        plot.addItem(region, ignoreBounds=True)
        region.sigRegionChangeFinished.connect(self._on_region_changed)
        return region

    def _connect(self) -> None:
        s = self.session
        s.analysis_ready.connect(self.show_analysis)
        s.prosody_ready.connect(self.show_prosody)
        s.cursor_moved.connect(self.show_cursor)
        s.playhead_moved.connect(self.show_playhead)
        s.selection_changed.connect(self.show_selection)
        s.view_range_changed.connect(self._on_session_range)
        self.wave.sigXRangeChanged.connect(self._on_plot_range)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        for plot in self.plots:
            plot.getViewBox().selection_dragged.connect(self._on_selection_dragged)

    @staticmethod
    def _set_image(image, bar, data, levels, x0: float, width: float) -> None:
        image.setImage(data, autoLevels=False)
        image.setRect(QRectF(x0, 0.0, width, data.shape[0]))
        bar.setLevels(levels)

    def _on_plot_range(self, _plot, x_range) -> None:
        self.session.set_view_range(float(x_range[0]), float(x_range[1]))

    def _on_session_range(self, t0: float, t1: float) -> None:
        current = self.wave.viewRange()[0]
        if not np.allclose(current, (t0, t1)):
            self.wave.setXRange(t0, t1, padding=0.0)

    def _on_region_changed(self, region: pg.LinearRegionItem) -> None:
        self.session.set_selection(tuple(region.getRegion()))

    def _on_selection_dragged(self, t0: float, t1: float, finished: bool) -> None:
        self.show_selection((min(t0, t1), max(t0, t1)))
        if finished:
            self.session.set_selection((t0, t1))

    def _on_mouse_moved(self, pos) -> None:
        if self.session.analysis is None:
            return
        for plot in self.plots:
            if plot.isVisible() and plot.sceneBoundingRect().contains(pos):
                point = plot.getViewBox().mapSceneToView(pos)
                self.session.set_cursor(point.x())
                prosody = describe(self.prosody.prosody, point.x())
                text = self._describe(plot, point.x(), point.y())
                self.readout.emit(f"{text}   {prosody}" if prosody else text)
                return

    def _describe(self, plot: pg.PlotItem, t: float, y: float) -> str:
        clip, feats = self.session.analysis.clip, self.session.analysis.features
        head = f"t = {t:.3f} s"
        if plot is self.prosody.plot:
            return head
        if plot is self.wave:
            i = int(round(t * clip.sr))
            if 0 <= i < len(clip.samples):
                return f"{head}   amplitude {clip.samples[i]:+.4f}"
            return head
        frame = int(round(t / feats.frame_seconds))
        if not 0 <= frame < len(feats.times):
            return head
        if plot is self.mel:
            band = int(np.clip(y, 0, len(feats.mel_hz) - 1))
            value, unit = feats.mel_db[band, frame], feats.params.db_ref.unit
            return f"{head}   {feats.mel_hz[band]:.0f} Hz (mel band {band})   {value:.1f} {unit}"
        k = int(np.clip(y, 0, feats.mfcc.shape[0] - 1))
        return f"{head}   MFCC {k} = {feats.mfcc[k, frame]:.2f}"

