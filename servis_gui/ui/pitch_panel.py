"""The pitch settings of the Analysis dock: voice preset, floor, ceiling, method and f0 unit."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QMenu, QSpinBox, QWidget

from servis_gui.core.prosody import PITCH_PRESETS, PitchParams
from servis_gui.ui.params_panel import combo_of, select_data, spin_box

DEBOUNCE_MS = 150
CUSTOM = "custom"
METHOD_NAMES = (("autocorrelation (ac)", "ac"), ("cross-correlation (cc)", "cc"))
UNIT_NAMES = (("Hz", "Hz"), ("semitones re 100 Hz", "st"))


class PitchPanel(QWidget):
    """Edits the pitch settings; a voice preset fills floor and ceiling.

    Signals
    -------
    pitch_changed(PitchParams) : valid settings, after a short pause in the editing
    unit_changed(str) : "Hz" or "st"
    prosody_pane_toggled(bool) : show or hide the Prosody pane
    """

    pitch_changed = Signal(object)
    unit_changed = Signal(str)
    prosody_pane_toggled = Signal(bool)

    def __init__(self, pitch: PitchParams, unit: str, prosody_pane: bool) -> None:
        super().__init__()
        self._pitch = pitch
        self.preset = QComboBox()
        for name, preset in PITCH_PRESETS.items():
            self.preset.addItem(f"{name} ({preset.floor_hz:g}–{preset.ceiling_hz:g} Hz)", name)
        self.preset.addItem(CUSTOM, CUSTOM)
        self.preset.setToolTip("Pitch range by voice; the default covers low male voices and creak.")
        self.floor = _hz_spin(20, 1000, "Lowest f0 tracked; it also sets Praat's window (3 periods).")
        self.ceiling = _hz_spin(50, 2000, "Highest f0 tracked.")
        self.method = combo_of(METHOD_NAMES)
        self.method.setToolTip("Praat's pitch tracker: autocorrelation is Praat's default for intonation.")
        self.unit = combo_of(UNIT_NAMES)
        self.show_pane = QCheckBox("Prosody pane (Ctrl+Shift+P)")
        self.show_pane.setChecked(prosody_pane)
        self.problem = QLabel(wordWrap=True)
        self.problem.setStyleSheet("color: #ff8a65")
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit_pitch)
        self._layout()
        self.set_pitch(pitch)
        select_data(self.unit, unit)
        self._connect()

    def set_pitch(self, pitch: PitchParams) -> None:
        """Show ``pitch`` without emitting a change."""
        for widget in (self.preset, self.floor, self.ceiling, self.method):
            widget.blockSignals(True)
        self.floor.setValue(round(pitch.floor_hz))
        self.ceiling.setValue(round(pitch.ceiling_hz))
        select_data(self.method, pitch.method)
        self._show_preset()
        for widget in (self.preset, self.floor, self.ceiling, self.method):
            widget.blockSignals(False)

    def show_pane_action(self, menu: QMenu) -> QAction:
        """A checkable "Prosody pane" entry in ``menu`` (Ctrl+Shift+P), kept in step with the check box."""
        action = menu.addAction("&Prosody pane (f0 in Hz or semitones)")
        action.setCheckable(True)
        action.setChecked(self.show_pane.isChecked())
        action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        action.toggled.connect(self.show_pane.setChecked)
        self.show_pane.toggled.connect(action.setChecked)
        return action

    def current(self) -> PitchParams:
        """The settings shown (raises ``ValueError`` with the reason if they are invalid)."""
        return self._pitch.with_changes(floor_hz=float(self.floor.value()), ceiling_hz=float(self.ceiling.value()),
                                        method=self.method.currentData())

    def _layout(self) -> None:
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Voice", self.preset)
        form.addRow("Pitch floor", self.floor)
        form.addRow("Pitch ceiling", self.ceiling)
        form.addRow("Pitch method", self.method)
        form.addRow("f0 unit", self.unit)
        form.addRow(self.show_pane)
        form.addRow(self.problem)

    def _connect(self) -> None:
        self.preset.currentIndexChanged.connect(self._on_preset_chosen)
        for spin in (self.floor, self.ceiling):
            spin.valueChanged.connect(self._on_range_edited)
        self.method.currentIndexChanged.connect(self._timer.start)
        self.unit.currentIndexChanged.connect(lambda: self.unit_changed.emit(self.unit.currentData()))
        self.show_pane.toggled.connect(self.prosody_pane_toggled)

    def _on_preset_chosen(self) -> None:
        preset = PITCH_PRESETS.get(self.preset.currentData())
        if preset is None:
            return
        for spin, value in ((self.floor, preset.floor_hz), (self.ceiling, preset.ceiling_hz)):
            spin.blockSignals(True)
            spin.setValue(round(value))
            spin.blockSignals(False)
        self._timer.start()

    def _on_range_edited(self) -> None:
        self.preset.blockSignals(True)
        self._show_preset()
        self.preset.blockSignals(False)
        self._timer.start()

    def _show_preset(self) -> None:
        """Select the preset whose range is shown, else "custom"."""
        shown = (self.floor.value(), self.ceiling.value())
        name = next((n for n, p in PITCH_PRESETS.items() if (p.floor_hz, p.ceiling_hz) == shown), CUSTOM)
        select_data(self.preset, name)

    def _emit_pitch(self) -> None:
        try:
            pitch = self.current()
        except ValueError as exc:
            self.problem.setText(f"Not applied: {exc}.")
            return
        self.problem.clear()
        self._pitch = pitch
        self.pitch_changed.emit(pitch)


def _hz_spin(low: int, high: int, tooltip: str) -> QSpinBox:
    spin = spin_box(low, high, 10, " Hz")
    spin.setToolTip(tooltip)
    return spin
