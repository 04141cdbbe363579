"""CapturePanel: live microphone view (level meter, rolling waveform, mel and f0), takes, labels.

The panel pulls new samples from :class:`~servis_gui.audio.capture.MicCapture` on a timer and
draws them (no Qt in the audio callback). sounddevice is imported when the panel is first shown.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from servis_gui.audio.capture import MicCapture, list_input_devices, supported_rates
from servis_gui.audio.playback import AudioUnavailable
from servis_gui.core.datasets.records import plural
from servis_gui.core.errors import ServisError
from servis_gui.core.live import level_meter
from servis_gui.core.params import FeatureParams
from servis_gui.core.prosody import DEFAULT_PITCH, PitchParams
from servis_gui.core.takes import store
from servis_gui.core.takes.prompts import PROMPT_LISTS
from servis_gui.core.takes.recorder import Recorder
from servis_gui.core.takes.writer import TakeInfo
from servis_gui.ui.live_view import LevelMeter, LiveView
from servis_gui.ui.take_form import TakeForm
from servis_gui.ui.layouts import row

TICK_MS = 25
PREFERRED_RATE = 48000
NO_PROMPT = "No prompt"
NO_DEVICE = ("No microphone found. Connect one (or start the sound server), then press Refresh. "
             "The rest of SERVIS works without it.")


def _reports_errors(method: Callable[..., None]) -> Callable[..., None]:
    """Wrap a panel method so that a ServisError is shown to the user instead of raised."""

    @wraps(method)
    def wrapper(panel: CapturePanel, *args) -> None:
        try:
            method(panel, *args)
        except ServisError as exc:
            panel._say(str(exc))

    return wrapper


class CapturePanel(QWidget):
    """Records takes from a microphone into a folder that scans as the dataset "My recordings".

    Parameters
    ----------
    folder : Path or str
        The recordings folder (created with the first take).
    params : FeatureParams
        Analysis parameters of the live mel view (follow changes with :meth:`set_params`).
    pitch_params : PitchParams
        Settings of the live f0 trace (follow changes with :meth:`set_pitch_params`).
    colormap : str
        pyqtgraph colour map of the live mel view.

    Signals
    -------
    take_saved(str) : a take was labelled and saved (its path)
    recordings_changed(str) : takes or labels in the folder changed (the folder): rescan it
    samples_pushed(object) : each block of samples given to the live view (float32, at ``capture.sr``)
    """

    take_saved = Signal(str)
    recordings_changed = Signal(str)
    samples_pushed = Signal(object)

    def __init__(self, folder: Path | str, params: FeatureParams, colormap: str = "magma",
                 pitch_params: PitchParams = DEFAULT_PITCH) -> None:
        super().__init__()
        self.capture, self.params, self._activated = MicCapture(), params, False
        self.pitch_params = pitch_params
        self.recorder = Recorder(Path(folder), self.capture)
        self._timer = QTimer(self, interval=TICK_MS, timerType=Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._on_tick)
        self.record_action = QAction("Record", self, shortcut=QKeySequence("Ctrl+R"),
                                     shortcutContext=Qt.ShortcutContext.ApplicationShortcut)
        self.record_action.triggered.connect(self.toggle_recording)
        self.addAction(self.record_action)
        self._build(colormap)
        self._offer_recovery()
        QCoreApplication.instance().aboutToQuit.connect(self.shutdown)

    @property
    def folder(self) -> Path:
        return self.recorder.folder

    def _build(self, colormap: str) -> None:
        self.device, self.rate, self.prompt = QComboBox(), QComboBox(), QComboBox()
        for combo in (self.device, self.prompt):  # long names must not widen the dock
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
        self.prompt.addItem(NO_PROMPT, None)
        for corpus, prompts in PROMPT_LISTS.items():
            for prompt in prompts:
                self.prompt.addItem(f"{corpus} {prompt.sentence_id}: {prompt.text}", prompt)
        self.meter, self.view, self.form = LevelMeter(), LiveView(colormap), TakeForm()
        self.record_button, self.elapsed = QPushButton(), QLabel("0.0 s")
        self.status, self.prompt_text = _wrapping_label(), _wrapping_label()
        self.prompt_text.setStyleSheet("font-size: 15pt;")
        self.refresh, self.undo, self.drop_button, self.recover_button = (
            QPushButton(text) for text in ("Refresh", "Undo delete", "Discard", "Recover"))
        self.undo.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(row(QLabel("Input"), (self.device, 1), self.refresh))
        layout.addLayout(row(QLabel("Rate"), self.rate, (QWidget(), 1)))
        layout.addLayout(row((self.status, 1), self.undo, self.drop_button, self.recover_button))
        layout.addWidget(self.meter)
        layout.addWidget(self.view, 1)
        layout.addLayout(row(QLabel("Prompt"), (self.prompt, 1)))
        layout.addWidget(self.prompt_text)
        layout.addLayout(row((self.record_button, 1), self.elapsed))
        layout.addWidget(self.form)
        layout.addStretch(0)
        self._connect()
        self._on_prompt_changed()
        self._update_controls()

    def _connect(self) -> None:
        for signal, slot in ((self.refresh.clicked, self.refresh_devices),
                             (self.undo.clicked, self.undo_delete),
                             (self.drop_button.clicked, self._on_drop_unfinished),
                             (self.recover_button.clicked, self._on_recover),
                             (self.record_button.clicked, self.record_action.trigger),
                             (self.device.activated, self._on_device_chosen),
                             (self.rate.activated, self._open_stream),
                             (self.prompt.currentIndexChanged, self._on_prompt_changed),
                             (self.form.save.clicked, self._on_save),
                             (self.form.discard.clicked, self._on_discard)):
            signal.connect(lambda *_args, slot=slot: slot())

    def set_params(self, params: FeatureParams) -> None:
        """Follow new analysis parameters (the live mel restarts with them)."""
        self.params = params
        if self.capture.running:
            self.view.reset(params, self.capture.sr, self.pitch_params)

    def set_pitch_params(self, params: PitchParams) -> None:
        """Follow new pitch settings (floor, ceiling, method, time step): the live f0 restarts with them."""
        self.pitch_params = params
        if self.capture.running:
            self.view.reset(self.params, self.capture.sr, params)

    def set_colormap(self, name: str) -> None:
        self.view.image.setColorMap(pg.colormap.get(name))

    def set_folder(self, folder: Path | str) -> None:
        """Record into ``folder`` from the next take on, and offer its interrupted takes."""
        self.recorder = Recorder(Path(folder), self.capture)
        self._offer_recovery()

    def refresh_devices(self) -> None:
        """List the input devices again and reopen the stream (not during a take)."""
        if not self.capture.recording:
            self.capture.close()
            self._fill_devices(refresh=True)

    @_reports_errors
    def toggle_recording(self) -> None:
        """Record / Stop (Ctrl+R). Opens the microphone first if needed; says why when it cannot."""
        if self.capture.recording:
            return self._end_take()
        if not self.capture.running:
            self.activate()
        if self.capture.running:
            self.recorder.begin()
            self.form.hide()
            self.meter.set_clipped(False)
            self._update_controls()

    def activate(self) -> None:
        """List the input devices once and listen to the chosen one (also done when first shown)."""
        if not self._activated:
            self._activated = True
            self._fill_devices(refresh=False)
        elif not self.capture.running and self.device.count():
            self._open_stream()

    @_reports_errors
    def edit_take(self, path: str) -> None:
        """Show a saved take's labels in the form to change them (relabel from the browser)."""
        take = store.find_take(self.folder, path)
        if take is not None:
            self.form.edit(take)

    @_reports_errors
    def rename_take(self, path: str, new_stem: str) -> None:
        """Rename a take's file to ``<new_stem>.wav`` (refusals are shown in the panel)."""
        take = store.find_take(self.folder, path)
        if take is not None:
            renamed = store.rename_take(self.folder, take, new_stem)
            self._changed(f"{take.file.name} is now {renamed.file.name}.")

    @_reports_errors
    def delete_take(self, path: str) -> None:
        """Move a take to the trash; :meth:`undo_delete` brings it back."""
        take = self.recorder.trash(path)
        self.undo.setVisible(self.recorder.trashed is not None)
        if take is not None:
            self._changed(f"{take.file.name} moved to the trash.")

    @_reports_errors
    def undo_delete(self) -> None:
        """Bring back the take deleted last."""
        take = self.recorder.undo()
        self.undo.hide()
        if take is not None:
            self._changed(f"{take.file.name} is back.")

    @_reports_errors
    def shutdown(self) -> None:
        """Finish a running take (kept, unlabelled) and release the microphone."""
        self._timer.stop()
        try:
            self.recorder.end()
        finally:
            self.capture.close()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.activate()

    def hideEvent(self, event) -> None:
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
        self.view.reset(self.params, sr, self.pitch_params)  # before the stream: it loads Praat once
        try:
            self.capture.start(device.index, sr)
        except AudioUnavailable as exc:
            return self._stopped(str(exc))
        self._update_controls()
        self._say(f"Listening to {device.name} at {sr} Hz.")
        self._timer.start()

    def _stopped(self, reason: str) -> None:
        self._timer.stop()
        self._update_controls()
        self._say(reason)

    def _update_controls(self) -> None:
        running, recording = self.capture.running, self.capture.recording
        for widget in (self.meter, self.record_button):
            widget.setEnabled(running)
        self.view.setVisible(running)
        for widget in (self.device, self.rate):
            widget.setEnabled(running and not recording)
        self.refresh.setEnabled(not recording)
        self.record_button.setText("■ Stop  (Ctrl+R)" if recording else "● Record  (Ctrl+R)")
        self.record_button.setStyleSheet("color: #ff5252; font-weight: bold;" if recording else "")
        self.record_action.setText("Stop recording" if recording else "Record")

    @_reports_errors
    def _on_tick(self) -> None:
        trouble = self.recorder.check()
        if trouble is not None:
            problem, take = trouble
            self._stopped(f"{problem} Press Refresh to reconnect.")
            return self._show_take(take, f"{problem} The take so far was kept: label it below, "
                                         "then press Refresh to reconnect.")
        samples = self.capture.read_new()
        if len(samples):
            self.meter.show_levels(*level_meter(samples))
            self.view.push(samples)
            self.samples_pushed.emit(samples)
        if self.capture.recording:
            self.elapsed.setText(f"{self.capture.take_frames / self.capture.sr:.1f} s")

    def _end_take(self) -> None:
        take = self.recorder.end(self.prompt.currentData())
        self._update_controls()
        self._show_take(take, "Label it below.")

    def _show_take(self, take: TakeInfo | None, note: str) -> None:
        if take is not None:
            self.form.edit(take)
            self._changed(f"Recorded {take.file.name} ({take.duration:.1f} s). {note}")

    @_reports_errors
    def _on_save(self) -> None:
        if self.form.take is None:
            return
        take = self.form.labelled()
        store.save_take(take.file.parent, take)
        self.form.next()
        if index := self.prompt.currentIndex():  # the next prompt, after "No prompt"
            self.prompt.setCurrentIndex(index % (self.prompt.count() - 1) + 1)
        self.take_saved.emit(str(take.file))
        self._changed(f"Saved {take.file.name} as {take.emotion or 'unlabelled'}.")

    def _on_discard(self) -> None:
        take = self.form.take
        self.form.next()
        self.delete_take(str(take.file))

    def _on_prompt_changed(self) -> None:
        prompt = self.prompt.currentData()
        self.prompt_text.setText(prompt.text if prompt else "")
        self.prompt_text.setVisible(prompt is not None)

    def _offer_recovery(self) -> None:
        names = ", ".join(path.name for path in self.recorder.unfinished)
        for button in (self.drop_button, self.recover_button):
            button.setVisible(bool(names))
        if names:
            self._say(f"SERVIS stopped while recording {names}. Recover what was recorded?")

    @_reports_errors
    def _on_recover(self) -> None:
        takes = self.recorder.recover()
        if takes:
            self.form.edit(*takes)
        self._offer_recovery()
        self._changed(f"Recovered {plural(len(takes), 'take')}: label below.")

    @_reports_errors
    def _on_drop_unfinished(self) -> None:
        self.recorder.discard_unfinished()
        self.undo.show()
        self._offer_recovery()
        self._changed("Interrupted takes moved to the trash.")

    def _changed(self, text: str) -> None:
        self._say(text)
        self.recordings_changed.emit(str(self.folder))

    def _say(self, text: str) -> None:
        """Tell the user in the panel (the status line at its top; shown once, nowhere else)."""
        self.status.setText(text)


def _wrapping_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    return label
