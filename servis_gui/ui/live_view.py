"""Live microphone views: a peak/RMS level meter and a rolling waveform + mel spectrogram with f0."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QWidget

from servis_gui.core.live import CLIP_DBFS, RollingMel, shift_in
from servis_gui.core.live_pitch import RollingPitch
from servis_gui.core.params import FeatureParams
from servis_gui.core.prosody import DEFAULT_PITCH, PitchParams, semitones
from servis_gui.ui.plot_helpers import F0_PEN, band_plot, draw_f0, f0_curve, set_mel_ticks

VIEW_SECONDS = 5.0
SIZE_HINT = (260, 300)
METER_FLOOR_DB = -60
CLIP_STYLES = ("background: #333; color: #888;", "background: #d50000; color: white; font-weight: bold;")


class LevelMeter(QWidget):
    """Peak and RMS bars in dBFS, and a clip light that stays on until clicked."""

    def __init__(self) -> None:
        super().__init__()
        self.peak, self.rms = _meter_bar(), _meter_bar()
        self.clip = QPushButton("CLIP", toolTip="Lit when the input clipped; click to reset")
        self.clip.setFixedWidth(48)
        self.clip.clicked.connect(lambda: self.set_clipped(False))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.peak, 1)
        layout.addWidget(self.rms, 1)
        layout.addWidget(self.clip)
        self.set_clipped(False)

    def show_levels(self, peak_db: float, rms_db: float) -> None:
        for bar, name, db in ((self.peak, "peak", peak_db), (self.rms, "RMS", rms_db)):
            bar.setValue(int(10 * max(METER_FLOOR_DB, db)))
            bar.setFormat(f"{name} {max(METER_FLOOR_DB, db):.1f} dBFS")
        if peak_db >= CLIP_DBFS:
            self.set_clipped(True)

    def set_clipped(self, clipped: bool) -> None:
        self.clipped = clipped
        self.clip.setStyleSheet(CLIP_STYLES[clipped])


class LiveView(pg.GraphicsLayoutWidget):
    """The last few seconds as a waveform and a mel spectrogram with Praat's f0 over it, scrolling right
    to left. All three are drawn at their true times before the newest sample: the mel and f0 frames,
    which need samples after their centres, end a little before the right edge."""

    def __init__(self, colormap: str) -> None:
        super().__init__()
        self.wave, self.mel = self._plot(0, "Amplitude"), self._plot(1, "Frequency (Hz)")
        self.wave.setYRange(-1.0, 1.0, padding=0.02)
        self.mel.setLabel("bottom", "Seconds before now")
        self.curve = self.wave.plot(pen=pg.mkPen("#4fc3f7", width=1))
        self.curve.setDownsampling(auto=True, method="peak")
        self.curve.setClipToView(True)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(pg.colormap.get(colormap))
        self.mel.addItem(self.image)
        self.f0 = f0_curve(self.mel)
        self.readout = pg.TextItem(color=F0_PEN.color(), fill=pg.mkBrush(0, 0, 0, 160), anchor=(0, 0))
        self.mel.addItem(self.readout, ignoreBounds=True)
        self.rolling: RollingMel | None = None
        self.pitch: RollingPitch | None = None
        self._pushed = 0
        self._x = self._samples = np.zeros(0, dtype=np.float32)
        self.frames_drawn = 0

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Modest: pyqtgraph's 640x550 made the Record dock take the panes' width when it opened."""
        return QSize(SIZE_HINT[0], SIZE_HINT[1])

    def reset(self, params: FeatureParams, sr: int, pitch: PitchParams = DEFAULT_PITCH) -> None:
        """Start empty for a stream at ``sr`` Hz: mel analysed with ``params``, f0 with ``pitch``.

        Loads parselmouth (0.2 s, once): call it before the stream starts, not while it runs.
        """
        self._x = np.linspace(-VIEW_SECONDS, 0.0, int(VIEW_SECONDS * sr), dtype=np.float32)
        self._samples = np.zeros_like(self._x)
        self._pushed = 0
        columns = int(VIEW_SECONDS * (params.sr or sr) / params.hop_length)
        self.rolling = rolling = RollingMel(params, sr, columns)
        self.pitch = RollingPitch(pitch, sr, VIEW_SECONDS)
        self.image.setImage(rolling.image, levels=rolling.levels, autoLevels=False)
        set_mel_ticks(self.mel, rolling.mel_hz)
        self.readout.setPos(-VIEW_SECONDS, params.n_mels)
        self._draw(sr)

    def push(self, samples: np.ndarray) -> None:
        """Scroll in new samples and redraw."""
        if self.rolling is None or self.pitch is None:
            return
        shift_in(self._samples, samples)
        self._pushed += len(samples)
        if self.rolling.push(samples):
            self.image.setImage(self.rolling.image, autoLevels=False)
        self.pitch.push(samples)
        self._draw(self.pitch.input_sr)
        self.frames_drawn += 1

    def _draw(self, sr: int) -> None:
        """Waveform, mel image at its frames' true times, f0 over the mel at the bands' heights, readout."""
        rolling, pitch = self.rolling, self.pitch
        self.curve.setData(self._x, self._samples)
        hop = rolling.frame_seconds
        right = (rolling.frames - 0.5) * hop - self._pushed / sr  # the newest column's right edge
        width = rolling.image.shape[1] * hop
        self.image.setRect(QRectF(right - width, 0.0, width, rolling.params.n_mels))
        draw_f0(self.f0, pitch.times, pitch.f0_hz, mel_hz=rolling.mel_hz)
        self.readout.setText(f0_text(pitch.current_hz))

    def _plot(self, row: int, label: str) -> pg.PlotItem:
        plot = band_plot(self.ci, row, 0) if row else self.addPlot(row=row, col=0)
        plot.setLabel("left", label)
        plot.setMouseEnabled(x=False, y=False)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setXRange(-VIEW_SECONDS, 0.0, padding=0.0)
        return plot


def f0_text(f0_hz: float) -> str:
    """The readout of the current f0: Hz and semitones re 100 Hz, or a dash when unvoiced (NaN)."""
    if not np.isfinite(f0_hz):
        return "f0 –"
    return f"f0 {f0_hz:.0f} Hz  {semitones(f0_hz):+.1f} st"


def _meter_bar() -> QProgressBar:
    bar = QProgressBar(minimum=10 * METER_FLOOR_DB, maximum=0, textVisible=True)
    bar.setValue(10 * METER_FLOOR_DB)
    return bar
