"""Live microphone views: a peak/RMS level meter and a rolling waveform + mel spectrogram."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QWidget

from servis_gui.core.live import CLIP_DBFS, RollingMel, shift_in
from servis_gui.core.params import FeatureParams
from servis_gui.ui.plot_helpers import band_plot, set_mel_ticks

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
    """The last few seconds as a waveform and a mel spectrogram, scrolling right to left."""

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
        self.rolling: RollingMel | None = None
        self._x = self._samples = np.zeros(0, dtype=np.float32)
        self.frames_drawn = 0

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Modest: pyqtgraph's 640x550 made the Record dock take the panes' width when it opened."""
        return QSize(SIZE_HINT[0], SIZE_HINT[1])

    def reset(self, params: FeatureParams, sr: int) -> None:
        """Start empty for a stream at ``sr`` Hz analysed with ``params``."""
        self._x = np.linspace(-VIEW_SECONDS, 0.0, int(VIEW_SECONDS * sr), dtype=np.float32)
        self._samples = np.zeros_like(self._x)
        columns = int(VIEW_SECONDS * (params.sr or sr) / params.hop_length)
        self.rolling = rolling = RollingMel(params, sr, columns)
        self.image.setImage(rolling.image, levels=rolling.levels, autoLevels=False)
        self.image.setRect(QRectF(-VIEW_SECONDS, 0.0, VIEW_SECONDS, params.n_mels))
        set_mel_ticks(self.mel, rolling.mel_hz)
        self.curve.setData(self._x, self._samples)

    def push(self, samples: np.ndarray) -> None:
        """Scroll in new samples and redraw."""
        if self.rolling is None:
            return
        shift_in(self._samples, samples)
        self.curve.setData(self._x, self._samples)
        if self.rolling.push(samples):
            self.image.setImage(self.rolling.image, autoLevels=False)
        self.frames_drawn += 1

    def _plot(self, row: int, label: str) -> pg.PlotItem:
        plot = band_plot(self.ci, row, 0) if row else self.addPlot(row=row, col=0)
        plot.setLabel("left", label)
        plot.setMouseEnabled(x=False, y=False)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setXRange(-VIEW_SECONDS, 0.0, padding=0.0)
        return plot


def _meter_bar() -> QProgressBar:
    bar = QProgressBar(minimum=10 * METER_FLOOR_DB, maximum=0, textVisible=True)
    bar.setValue(10 * METER_FLOOR_DB)
    return bar
