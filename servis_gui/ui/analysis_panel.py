"""The Analysis dock: spectrogram parameters and pitch settings, scrolling on a short screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QScrollArea, QVBoxLayout, QWidget

from servis_gui.core.params import FeatureParams
from servis_gui.core.prosody import PitchParams
from servis_gui.ui.params_panel import ParamsPanel
from servis_gui.ui.pitch_panel import PitchPanel


class AnalysisPanel(QScrollArea):
    """``params`` (a :class:`ParamsPanel`) above ``pitch`` (a :class:`PitchPanel`), each in a titled box."""

    def __init__(self, params: FeatureParams, colormap: str, pitch: PitchParams, f0_unit: str,
                 prosody_pane: bool) -> None:
        super().__init__()
        self.params = ParamsPanel(params, colormap)
        self.pitch = PitchPanel(pitch, f0_unit, prosody_pane)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(_titled("Spectrogram and MFCC", self.params))
        layout.addWidget(_titled("Pitch and intensity (Praat)", self.pitch))
        layout.addStretch(1)
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QScrollArea.Shape.NoFrame)


def _titled(title: str, widget: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    QVBoxLayout(box).addWidget(widget)
    return box
