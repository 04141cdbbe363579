"""Side panel with the analysis parameters; changes apply live (debounced)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QSpinBox, QWidget

from servis_gui.core.db_reference import CLIP_REFERENCES, DbReference
from servis_gui.core.params import FeatureParams
from servis_gui.settings import COLORMAPS

SAMPLE_RATES = (None, 8000, 16000, 22050, 44100, 48000)
FFT_SIZES = (256, 512, 1024, 2048, 4096, 8192)
DEBOUNCE_MS = 150


class ParamsPanel(QWidget):
    """Edits a ``FeatureParams``; emits ``params_changed`` only for valid combinations."""

    params_changed = Signal(object)
    colormap_changed = Signal(str)

    def __init__(self, params: FeatureParams, colormap: str) -> None:
        super().__init__()
        self.sr = combo_of([("native rate" if r is None else f"{r} Hz", r) for r in SAMPLE_RATES])
        self.n_fft = combo_of([(str(n), n) for n in FFT_SIZES])
        self.hop = spin_box(16, 8192, 16, " samples")
        self.n_mels = spin_box(8, 256, 8)
        self.fmax = spin_box(0, 48000, 500, " Hz")
        self.fmax.setSpecialValueText("Nyquist (sr/2)")
        self.n_mfcc = spin_box(2, 128, 1)
        self.top_db = spin_box(20, 140, 10, " dB")
        self.db_ref = combo_of([(ref.short, ref.value) for ref in CLIP_REFERENCES])
        for index, ref in enumerate(CLIP_REFERENCES):
            self.db_ref.setItemData(index, ref.description, Qt.ItemDataRole.ToolTipRole)
        self.colormap = combo_of([(name, name) for name in COLORMAPS])
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #ff8a65")
        self.problem.setWordWrap(True)
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit_params)
        self._layout()
        self.set_params(params)
        select_data(self.colormap, colormap)
        self._connect()

    def set_params(self, params: FeatureParams) -> None:
        """Show ``params`` without emitting a change."""
        widgets = (self.sr, self.n_fft, self.hop, self.n_mels, self.fmax, self.n_mfcc,
                   self.top_db, self.db_ref)
        for w in widgets:
            w.blockSignals(True)
        select_data(self.sr, params.sr)
        select_data(self.n_fft, params.n_fft)
        self.hop.setValue(params.hop_length)
        self.n_mels.setValue(params.n_mels)
        self.fmax.setValue(int(params.fmax or 0))
        self.n_mfcc.setValue(params.n_mfcc)
        self.top_db.setValue(int(params.top_db))
        select_data(self.db_ref, params.db_ref.value)
        for w in widgets:
            w.blockSignals(False)

    def current(self) -> FeatureParams:
        """The parameters shown (raises ``ValueError`` with the reason if they are invalid)."""
        return FeatureParams(
            sr=self.sr.currentData(),
            n_fft=self.n_fft.currentData(),
            hop_length=self.hop.value(),
            n_mels=self.n_mels.value(),
            fmax=float(self.fmax.value()) or None,
            n_mfcc=self.n_mfcc.value(),
            db_ref=DbReference(self.db_ref.currentData()),
            top_db=float(self.top_db.value()),
        )

    def _layout(self) -> None:
        form = QFormLayout(self)
        form.addRow("Sample rate", self.sr)
        form.addRow("n_fft", self.n_fft)
        form.addRow("hop_length", self.hop)
        form.addRow("n_mels", self.n_mels)
        form.addRow("fmax", self.fmax)
        form.addRow("n_mfcc", self.n_mfcc)
        form.addRow("dB reference", self.db_ref)
        form.addRow("Dynamic range", self.top_db)
        form.addRow("Colour map", self.colormap)
        form.addRow(self.problem)

    def _connect(self) -> None:
        for combo in (self.sr, self.n_fft, self.db_ref):
            combo.currentIndexChanged.connect(self._timer.start)
        for spin in (self.hop, self.n_mels, self.fmax, self.n_mfcc, self.top_db):
            spin.valueChanged.connect(self._timer.start)
        self.colormap.currentIndexChanged.connect(
            lambda: self.colormap_changed.emit(self.colormap.currentData()))

    def _emit_params(self) -> None:
        try:
            params = self.current()
        except ValueError as exc:
            self.problem.setText(f"Not applied: {exc}.")
            return
        self.problem.clear()
        self.params_changed.emit(params)


def combo_of(items: list[tuple[str, object]] | tuple[tuple[str, object], ...]) -> QComboBox:
    """A combo box of ``(text, data)`` items."""
    combo = QComboBox()
    for text, data in items:
        combo.addItem(text, data)
    return combo


def spin_box(low: int, high: int, step: int, suffix: str = "") -> QSpinBox:
    """A spin box that applies when editing ends (not at every keystroke)."""
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setSingleStep(step)
    spin.setSuffix(suffix)
    spin.setKeyboardTracking(False)
    return spin


def select_data(combo: QComboBox, data: object) -> None:
    """Select the item holding ``data`` (added when missing, unless ``data`` is None)."""
    index = combo.findData(data)
    if index < 0 and data is not None:
        combo.addItem(str(data), data)
        index = combo.count() - 1
    combo.setCurrentIndex(max(index, 0))
