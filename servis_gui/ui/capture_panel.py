"""CapturePanel: live microphone view (level meter, rolling waveform and mel), takes, labels.

The panel pulls new samples from :class:`~servis_gui.audio.capture.MicCapture` on a timer and
draws them (no Qt in the audio callback). sounddevice is imported when the panel is first shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import wraps
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton,
    QVBoxLayout, QWidget,
)

from servis_gui.audio.capture import MicCapture, list_input_devices, supported_rates
from servis_gui.audio.playback import AudioUnavailable
from servis_gui.core import recording as rec
from servis_gui.core.emotions import CANONICAL
from servis_gui.core.errors import ServisError
from servis_gui.core.live import CLIP_DBFS, RollingMel, level_meter, shift_in
from servis_gui.core.mel import hz_to_mel
from servis_gui.core.params import FeatureParams

TICK_MS = 25
VIEW_SECONDS = 5.0
METER_FLOOR_DB = -60
PREFERRED_RATE = 48000
NO_PROMPTS = "No prompts"
MEL_TICKS_HZ = (250, 1000, 4000)
CLIP_STYLES = ("background: #333; color: #888;", "background: #d50000; color: white; font-weight: bold;")
NO_DEVICE = ("No microphone found. Connect one (or start the sound server), then press Refresh. "
             "The rest of SERVIS works without it.")


class LevelMeter(QWidget):
    """Peak and RMS bars in dBFS, and a clip light that stays on until clicked."""

    def __init__(self) -> None:
        super().__init__()
        self.peak, self.rms = _meter_bar(), _meter_bar()
        self.clip = QPushButton("CLIP", toolTip="Lit when the input clipped; click to reset")
        self.clip.setFixedWidth(48)
        self.clip.clicked.connect(lambda: self.set_clipped(False))
        layout = _row((self.peak, 1), (self.rms, 1), self.clip)
        layout.setContentsMargins(0, 0, 0, 0)
        self.setLayout(layout)
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

    def reset(self, params: FeatureParams, sr: int) -> None:
        """Start empty for a stream at ``sr`` Hz analysed with ``params``."""
        self._x = np.linspace(-VIEW_SECONDS, 0.0, int(VIEW_SECONDS * sr), dtype=np.float32)
        self._samples = np.zeros_like(self._x)
        columns = int(VIEW_SECONDS * (params.sr or sr) / params.hop_length)
        self.rolling = rolling = RollingMel(params, sr, columns)
        self.image.setImage(rolling.image, levels=rolling.levels, autoLevels=False)
        self.image.setRect(QRectF(-VIEW_SECONDS, 0.0, VIEW_SECONDS, params.n_mels))
        mels, index = hz_to_mel(rolling.mel_hz), np.arange(params.n_mels) + 0.5
        ticks = [(float(np.interp(hz_to_mel(f), mels, index)), f"{f:g}") for f in MEL_TICKS_HZ
                 if rolling.mel_hz[0] < f < rolling.mel_hz[-1]]
        self.mel.getAxis("left").setTicks([ticks, []])
        self.mel.setYRange(0, params.n_mels, padding=0)
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
        plot = self.addPlot(row=row, col=0)
        plot.setLabel("left", label)
        plot.setMouseEnabled(x=False, y=False)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setXRange(-VIEW_SECONDS, 0.0, padding=0.0)
        return plot


class TakeForm(QGroupBox):
    """The labels of one take: intended emotion, speaker, sentence, notes; Save or Discard."""

    def __init__(self) -> None:
        super().__init__("Label the take", visible=False)
        self.emotion = QComboBox(editable=True)
        self.emotion.addItems(CANONICAL)
        self.speaker, self.sentence, self.notes = QLineEdit(), QLineEdit(), QLineEdit()
        self.save, self.discard = QPushButton("Save"), QPushButton("Discard")
        form = QFormLayout(self)
        for label, widget in (("Intended emotion", self.emotion), ("Speaker", self.speaker),
                              ("Sentence", self.sentence), ("Notes", self.notes)):
            form.addRow(label, widget)
        form.addRow(_row((QWidget(), 1), self.discard, self.save))
        self.take: rec.TakeInfo | None = None

    def edit(self, take: rec.TakeInfo) -> None:
        """Show ``take``'s labels (the speaker stays from the previous take when it has none)."""
        self.take = take
        self.setTitle(f"Label {take.file.name} ({take.duration:.1f} s)")
        if take.emotion:
            self.emotion.setCurrentText(take.emotion)
        self.speaker.setText(take.speaker or self.speaker.text())
        self.sentence.setText(take.text)
        self.notes.setText(take.notes)
        self.show()

    def labelled(self, sentence_ids: dict[str, str]) -> rec.TakeInfo:
        """The take with the labels as entered; ``sentence_ids`` maps prompt texts to their ids."""
        text = self.sentence.text().strip()
        sentence_id = self.take.sentence_id if text == self.take.text else sentence_ids.get(text, "")
        return replace(self.take, emotion=self.emotion.currentText().strip(), text=text,
                       speaker=self.speaker.text().strip(), sentence_id=sentence_id,
                       notes=self.notes.text().strip())


class CapturePanel(QWidget):
    """Records takes from a microphone into a folder that scans as the dataset "My recordings".

    Parameters
    ----------
    folder : Path or str
        The recordings folder (created with the first take).
    params : FeatureParams
        Analysis parameters of the live mel view (follow changes with :meth:`set_params`).
    colormap : str
        pyqtgraph colour map of the live mel view.

    Signals
    -------
    take_saved(str) : a take was labelled and saved (its path)
    recordings_changed(str) : takes or labels in the folder changed (the folder): rescan it
    message(str) : something the user should know (also shown in the panel)
    """

    take_saved = Signal(str)
    recordings_changed = Signal(str)
    message = Signal(str)

    def __init__(self, folder: Path | str, params: FeatureParams, colormap: str = "magma") -> None:
        super().__init__()
        self.folder, self.params = Path(folder), params
        self.capture = MicCapture()
        self._activated, self._trashed, self._unfinished = False, None, []
        self._timer = QTimer(self, interval=TICK_MS, timerType=Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_tick)
        self.record_action = QAction("Record", self, shortcut=QKeySequence("Ctrl+R"),
                                     shortcutContext=Qt.ShortcutContext.ApplicationShortcut)
        self.record_action.triggered.connect(self.toggle_recording)
        self.addAction(self.record_action)
        self._build(colormap)
        self._offer_recovery(rec.find_unfinished(self.folder))
        QCoreApplication.instance().aboutToQuit.connect(self.shutdown)

    def _build(self, colormap: str) -> None:
        self.device, self.rate, self.prompt_list, self.prompt = (QComboBox() for _ in range(4))
        self.prompt_list.addItems([NO_PROMPTS, *rec.PROMPT_LISTS])
        self.meter, self.view, self.form = LevelMeter(), LiveView(colormap), TakeForm()
        self.record_button, self.elapsed = QPushButton(), QLabel("0.0 s")
        self.status, self.prompt_text = _wrapping_label(), _wrapping_label()
        self.prompt_text.setStyleSheet("font-size: 15pt;")
        buttons = {"Refresh": self.refresh_devices, "Undo delete": self.undo_delete,
                   "Discard": self._on_drop_unfinished, "Recover": self._on_recover}
        self.refresh, self.undo, self.drop_button, self.recover_button = (
            _button(text, slot) for text, slot in buttons.items())
        layout = QVBoxLayout(self)
        for row in ((QLabel("Input"), (self.device, 1), self.rate, self.refresh), (self.meter,),
                    ((self.view, 1),), (QLabel("Prompts"), self.prompt_list, (self.prompt, 1)),
                    (self.prompt_text,), ((self.record_button, 1), self.elapsed),
                    ((self.status, 1), self.undo, self.drop_button, self.recover_button), (self.form,)):
            layout.addLayout(_row(*row), 1 if row[0] == (self.view, 1) else 0)
        self.device.activated.connect(self._on_device_chosen)
        self.rate.activated.connect(self._open_stream)
        self.record_button.clicked.connect(self.record_action.trigger)
        self.prompt_list.currentTextChanged.connect(self._on_prompt_list_changed)
        self.prompt.currentIndexChanged.connect(self._on_prompt_changed)
        self.form.save.clicked.connect(self._on_save)
        self.form.discard.clicked.connect(self._on_discard)
        self._on_prompt_list_changed(NO_PROMPTS)
        self._update_controls()

    def set_params(self, params: FeatureParams) -> None:
        """Follow new analysis parameters (the live mel restarts with them)."""
        self.params = params
        if self.capture.running:
            self.view.reset(params, self.capture.sr)

    def set_colormap(self, name: str) -> None:
        self.view.image.setColorMap(pg.colormap.get(name))

    def set_folder(self, folder: Path | str) -> None:
        """Record into ``folder`` from the next take on, and offer its interrupted takes."""
        self.folder = Path(folder)
        self._offer_recovery(rec.find_unfinished(self.folder))

    def refresh_devices(self) -> None:
        """List the input devices again and reopen the stream (not during a take)."""
        if not self.capture.recording:
            self.capture.close()
            self._fill_devices(refresh=True)

    def toggle_recording(self) -> None:
        """Record / Stop (Ctrl+R)."""
        if self.capture.recording:
            self._stop_take()
        elif self.capture.running:
            self._start_take()

    @_reports_errors
    def edit_take(self, path: str) -> None:
        """Show a saved take's labels in the form to change them (relabel from the browser)."""
        take = rec.find_take(self.folder, path)
        if take is not None:
            self.form.edit(take)

    @_reports_errors
    def delete_take(self, path: str) -> None:
        """Move a take to the trash; :meth:`undo_delete` brings it back."""
        take = rec.find_take(self.folder, path)
        if take is not None:
            self._trashed = rec.delete_take(self.folder, take)
            self.undo.show()
            self._changed(f"{take.file.name} moved to the trash.")

    @_reports_errors
    def undo_delete(self) -> None:
        """Bring back the take deleted last."""
        if self._trashed is not None:
            take = rec.restore_take(self.folder, self._trashed)
            self._trashed = None
            self.undo.hide()
            self._changed(f"{take.file.name} is back.")

    def shutdown(self) -> None:
        """Finish a running take (kept, unlabelled) and release the microphone."""
        if self.capture.recording:
            self._stop_take()
        self._timer.stop()
        self.capture.close()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if not self._activated:
            self._activated = True
            self._fill_devices(refresh=False)
        elif not self.capture.running and self.device.count():
            self._open_stream()

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().hideEvent(event)
        if not self.capture.recording:
            self._timer.stop()
            self.capture.close()

    def _fill_devices(self, refresh: bool) -> None:
        self.device.clear()
        try:
            devices = list_input_devices(refresh)
        except AudioUnavailable as exc:
            return self._stopped(str(exc))
        for device in devices:
            self.device.addItem(device.name + (" (default)" if device.is_default else ""), device)
        if devices:
            self._on_device_chosen()
        else:
            self._stopped(NO_DEVICE)

    def _on_device_chosen(self) -> None:
        device = self.device.currentData()
        rates = supported_rates(device.index) or [device.default_sr]
        self.rate.clear()
        for sr in rates:
            self.rate.addItem(f"{sr} Hz", sr)
        preferred = PREFERRED_RATE if PREFERRED_RATE in rates else device.default_sr
        self.rate.setCurrentIndex(max(0, self.rate.findData(preferred)))
        self._open_stream()

    def _open_stream(self) -> None:
        device, sr = self.device.currentData(), self.rate.currentData()
        try:
            self.capture.start(device.index, sr)
        except AudioUnavailable as exc:
            return self._stopped(str(exc))
        self.view.reset(self.params, sr)
        self._update_controls()
        self._say(f"Listening to {device.name} at {sr} Hz.")
        self._timer.start()

    def _stopped(self, reason: str) -> None:
        self._timer.stop()
        self._update_controls()
        self._say(reason)

    def _update_controls(self) -> None:
        running, recording = self.capture.running, self.capture.recording
        for widget in (self.view, self.meter, self.record_button, self.record_action):
            widget.setEnabled(running)
        for widget in (self.device, self.rate):
            widget.setEnabled(running and not recording)
        self.refresh.setEnabled(not recording)
        self.record_button.setText("■ Stop  (Ctrl+R)" if recording else "● Record  (Ctrl+R)")
        self.record_button.setStyleSheet("color: #ff5252; font-weight: bold;" if recording else "")
        self.record_action.setText("Stop recording" if recording else "Record")

    def _on_tick(self) -> None:
        problem = self.capture.watchdog_check()
        if problem is not None:
            take = self._stop_take() if self.capture.recording else None
            kept = f" The take so far ({take.duration:.1f} s) was kept: label it below." if take else ""
            return self._stopped(f"{problem}{kept} Press Refresh to reconnect.")
        samples = self.capture.read_new()
        if len(samples):
            self.meter.show_levels(*level_meter(samples))
            self.view.push(samples)
        if self.capture.recording:
            self.elapsed.setText(f"{self.capture.take_frames / self.capture.sr:.1f} s")

    @_reports_errors
    def _start_take(self) -> None:
        self.capture.start_take(rec.new_take_path(self.folder))
        self.form.hide()
        self.meter.set_clipped(False)
        self._update_controls()

    def _stop_take(self) -> rec.TakeInfo | None:
        try:
            take = self.capture.stop_take()
        finally:
            self._update_controls()
        prompt = self.prompt.currentData() or rec.Prompt("", "")
        self.form.edit(replace(take, sentence_id=prompt.sentence_id, text=prompt.text))
        rec.save_take(self.folder, take)
        self._changed(f"Recorded {take.file.name} ({take.duration:.1f} s). Label it below.")
        return take

    @_reports_errors
    def _on_save(self) -> None:
        take = self.form.labelled()
        rec.save_take(self.folder, take)
        self.form.hide()
        self.prompt.setCurrentIndex((self.prompt.currentIndex() + 1) % max(1, self.prompt.count()))
        self.take_saved.emit(str(take.file))
        self._changed(f"Saved {take.file.name} as {take.emotion or 'unlabelled'}.")

    def _on_discard(self) -> None:
        self.form.hide()
        self.delete_take(str(self.form.take.file))

    def _on_prompt_list_changed(self, name: str) -> None:
        self.prompt.clear()
        for prompt in rec.PROMPT_LISTS.get(name, ()):
            self.prompt.addItem(f"{prompt.sentence_id}: {prompt.text}", prompt)
        self.prompt.setEnabled(self.prompt.count() > 0)
        self._on_prompt_changed()

    def _on_prompt_changed(self) -> None:
        prompt = self.prompt.currentData()
        self.prompt_text.setText(prompt.text if prompt else "")
        self.prompt_text.setVisible(prompt is not None)

    def _offer_recovery(self, paths: list[Path]) -> None:
        self._unfinished = paths
        for button in (self.drop_button, self.recover_button):
            button.setVisible(bool(paths))
        if paths:
            self._say(f"SERVIS stopped while recording {', '.join(p.name for p in paths)}. "
                      "Recover what was recorded, or discard it?")

    @_reports_errors
    def _on_recover(self) -> None:
        while self._unfinished:
            self.form.edit(rec.recover(self._unfinished[0]))
            self._offer_recovery(self._unfinished[1:])
        self._changed("Recovered: label the take below.")

    @_reports_errors
    def _on_drop_unfinished(self) -> None:
        while self._unfinished:
            self._trashed = rec.discard_unfinished(self._unfinished[0])
            self._offer_recovery(self._unfinished[1:])
            self.undo.show()
        self._changed("Interrupted takes moved to the trash.")

    def _changed(self, text: str) -> None:
        self._say(text)
        self.recordings_changed.emit(str(self.folder))

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.message.emit(text)


def _reports_errors(method: Callable[..., None]) -> Callable[..., None]:
    """Wrap a panel method so that a ServisError is shown to the user instead of raised."""

    @wraps(method)
    def wrapper(panel: CapturePanel, *args) -> None:
        try:
            method(panel, *args)
        except ServisError as exc:
            panel._say(str(exc))

    return wrapper


def _meter_bar() -> QProgressBar:
    bar = QProgressBar(minimum=10 * METER_FLOOR_DB, maximum=0, textVisible=True)
    bar.setValue(10 * METER_FLOOR_DB)
    return bar


def _wrapping_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    return label


def _row(*items) -> QHBoxLayout:
    """A horizontal layout of widgets; ``(widget, stretch)`` pairs stretch."""
    row = QHBoxLayout()
    for item in items:
        widget, stretch = item if isinstance(item, tuple) else (item, 0)
        row.addWidget(widget, stretch)
    return row
