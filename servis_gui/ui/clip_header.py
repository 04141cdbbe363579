"""The lines above the panes: which clip is shown, what it is, and which dB reference is in use."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy

from servis_gui.core.file_access import display_name

if TYPE_CHECKING:  # the window's shell is built before numpy and soundfile are imported
    from servis_gui.core.analysis import Analysis
    from servis_gui.core.datasets.catalogue import Catalogue

LINES = 3
SEPARATOR = " &nbsp;|&nbsp; "


class ClipHeader(QLabel):
    """Two lines about the shown clip, or which file failed to open.

    Its height never changes: a header that took one line for one clip and two for the next moved
    the panes and made every switch repaint and re-layout the whole stack. Its two lines wrap into
    a third on a narrow window (a laptop screen) instead of being cut; the tooltip has all of it.
    """

    def __init__(self, catalogue: Catalogue | None = None) -> None:
        super().__init__("Loading SERVIS…")
        self.catalogue = catalogue
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(LINES * self.fontMetrics().lineSpacing() + 6)

    def show_clip(self, analysis: Analysis) -> None:
        """Describe the clip the panes show."""
        self.setText(f"{self._labels(analysis)}<br>{self._details(analysis)}")
        self.setToolTip(self.text())

    def show_failure(self, path: str, message: str, shown: Analysis | None) -> None:
        """Say that ``path`` could not be opened, and what the panes still show (if anything)."""
        failed = f"<b>{html.escape(display_name(path))}</b> could not be opened"
        if shown is None:
            self.setText(f"{failed}.<br>Open another file (Ctrl+O) or pick a clip in the dataset.")
        else:
            self.setText(f"{failed}; still showing <b>{html.escape(shown.clip.name)}</b>.<br>"
                         + self._details(shown))
        self.setToolTip(message)

    def _labels(self, analysis: Analysis) -> str:
        clip = analysis.clip
        labels = [f"<b>{html.escape(clip.name)}</b>"]
        record = self.catalogue.record_for(clip.identity.path) if self.catalogue else None
        if record is not None:
            gender = f" ({record.gender})" if record.gender else ""
            text = f" · “{html.escape(record.text)}”" if record.text else ""
            labels.append(f"{html.escape(record.emotion_text)} · {html.escape(record.speaker)}{gender}{text}")
        return SEPARATOR.join(labels)

    def _details(self, analysis: Analysis) -> str:
        clip, feats = analysis.clip, analysis.features
        details = [f"{clip.duration:.2f} s · {clip.sr} Hz · mel peak {feats.peak_db:.1f} dB re FS",
                   feats.params.db_ref.description]
        if self.catalogue is not None and self.catalogue.is_demo(clip.identity.path):
            details.append("<i>synthetic demo voice</i>")
        return SEPARATOR.join(details)


def no_clip_label() -> QLabel:
    """What the Clip tab shows before any clip could be opened (no empty axes)."""
    label = QLabel("No clip open.\n\nOpen an audio file (Ctrl+O), drop one here, or pick a clip in the dataset.")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label
