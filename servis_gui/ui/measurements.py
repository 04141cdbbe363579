"""The Measurements panel: Praat's voice report of the clip, or of the selection, as a table.

It follows the Session (clip, selection, pitch settings) and measures on its own lane, channel
"measure", newest request first. A hidden panel (a dock tabbed behind another) measures nothing:
it catches up when it is shown. Copy and the CSV exports write what ``core.prosody_export`` formats.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView, QFileDialog, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from servis_gui.core.clip import Clip
from servis_gui.core.errors import ServisError
from servis_gui.core.prosody import PitchParams
from servis_gui.core.prosody_export import (
    format_value, measurements_text, pitch_summary, suggested_name, write_measurements_csv, write_tracks_csv,
)
from servis_gui.core.voice_report import Measurements, measurements
from servis_gui.jobs import FAILED, RESULT, Lane
from servis_gui.session import Session
from servis_gui.settings import Settings
from servis_gui.ui.message_bar import MessageBar

CHANNEL = "measure"
SETTLE_MS = 80
"""Selection or pitch changes closer together than this (a selection being dragged) are measured once."""
CLIP_SETTLE_MS = 300
"""A clip is measured once it has been shown this long (not every clip passed while holding Down)."""

SHORT_LABELS = {
    "F0 standard deviation": "F0 SD",
    "Intensity mean (energy)": "Intensity mean",
    "Intensity range (5th to 95th percentile)": "Intensity range 5–95 %",
    "Voiced segments per second": "Voiced segments",
    "HNR (Harmonicity cc, mean)": "HNR",
    "HNR of the voiced parts (Voice report)": "HNR, voiced parts",
}
"""Labels of ``Measurements.as_rows()`` shortened to fit a narrow dock (the full one is the tooltip)."""

SHORT_UNITS = {"st re 100 Hz": "st"}
UNIT_NAMES = {"st re 100 Hz": "semitones re 100 Hz", "st": "semitones", "1/s": "per second"}

NO_VALUE = {
    "F0 standard deviation": "fewer than two voiced frames lie in this range",
    "Jitter (local)": "too few consecutive voice periods lie in this range",
    "Shimmer (local)": "too few consecutive voice periods lie in this range",
    "HNR (Harmonicity cc, mean)": "no frame in this range is above Praat's silence threshold",
    "HNR of the voiced parts (Voice report)": "no voiced frame lies in this range",
}
"""Why Praat gives no value for a measure (the tooltip of its "—")."""


class MeasurementsPanel(QWidget):
    """Duration, f0 statistics, intensity, voicing, jitter, shimmer and HNR of the clip or selection.

    Parameters
    ----------
    session : Session
        Followed for the clip, the selection and the pitch settings.
    settings : Settings, optional
        Gives a writable folder for exports when the clip's own folder is not.

    Signals
    -------
    measured(Measurements) : a table of measures is shown
    failed(str) : the plain sentence shown instead (silent clip, no voiced speech...)
    """

    measured = Signal(object)
    failed = Signal(str)

    def __init__(self, session: Session, settings: Settings | None = None) -> None:
        super().__init__()
        self.session, self.settings = session, settings
        self.lane = Lane("measurements")
        self.lane.posted.connect(self._on_lane_posted)
        self.current: Measurements | None = None
        self._shown: _Request | None = None  # what the table (or the error) is about
        self._requested: _Request | None = None
        self._error: ServisError | None = None
        self._export_dir: str | None = settings.export_dir() if settings is not None else None
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(self._measure_if_shown)
        self._build()
        session.analysis_ready.connect(self._on_analysis_ready)
        for signal in (session.selection_changed, session.pitch_params_changed):
            signal.connect(self._on_inputs_changed)
        for signal in (session.prosody_ready, session.prosody_failed):
            signal.connect(self._sync)
        self._on_inputs_changed()

    def _build(self) -> None:
        self.range_label = _label(bold=True)
        self.busy_label = QLabel("Measuring…")
        policy = self.busy_label.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # the range label keeps its width: nothing jumps
        self.busy_label.setSizePolicy(policy)
        self.pitch_label = _label()
        self.status_label = _label()
        self.table = _MeasureTable()
        self.table.copy_requested.connect(self.copy)
        self.copy_button = QPushButton("Copy", toolTip="Copy the table as tab-separated text (Ctrl+C)")
        self.csv_button = QPushButton("Export CSV…", toolTip="Save these measures as a CSV file")
        self.tracks_button = QPushButton("Export tracks CSV…")
        self.copy_button.clicked.connect(self.copy)
        self.csv_button.clicked.connect(self._on_export_csv_clicked)
        self.tracks_button.clicked.connect(self._on_export_tracks_clicked)
        self.message = MessageBar()
        buttons = QGridLayout()
        buttons.addWidget(self.copy_button, 0, 0)
        buttons.addWidget(self.csv_button, 0, 1)
        buttons.addWidget(self.tracks_button, 1, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        top.addWidget(self.range_label, 1)
        top.addWidget(self.busy_label)
        layout.addLayout(top)
        for widget in (self.pitch_label, self.status_label):
            layout.addWidget(widget)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

    def copy(self) -> None:
        """Put the measures shown on the clipboard: a line naming the file, range and pitch settings,
        then tab-separated ``Measure, Value, Unit`` rows."""
        if self.current is not None and self._is_fresh():
            QGuiApplication.clipboard().setText(measurements_text(self.current, self._shown.clip.identity.path))

    def shutdown(self) -> None:
        """Stop the panel's worker lane (the main window calls this when it closes)."""
        self.lane.shutdown()

    # -- measuring -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Measure what is asked for now if the panel is on screen (its dock tab came to the front)."""
        QTimer.singleShot(0, self._measure_if_shown)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.refresh()

    def _on_analysis_ready(self, _analysis: object) -> None:
        # Praat holds the GIL for up to ~60 ms of a measurement: not while the user skims clips.
        self._sync()
        self._settle.start(CLIP_SETTLE_MS)

    def _on_inputs_changed(self, *_: object) -> None:
        self._sync()
        self._settle.start(SETTLE_MS)

    def _request(self) -> _Request | None:
        """What the panel should show now; None without a clip."""
        analysis = self.session.analysis
        if analysis is None:
            return None
        span = _clamped(self.session.selection, analysis.clip.duration)
        return _Request(analysis.clip, self.session.pitch_params_for(analysis), *(span or (None, None)))

    def _is_fresh(self) -> bool:
        return _same(self._request(), self._shown)

    def _measure_if_shown(self) -> None:
        request = self._request()
        on_screen = self.isVisible() and not self.visibleRegion().isEmpty()  # not behind another dock tab
        if not on_screen or request is None or _same(request, self._requested):
            return
        self._requested = request
        clip, params, start, end = request.clip, request.params, request.start, request.end
        self.lane.submit(CHANNEL, lambda _context: measurements(clip, params, start, end))
        self._sync()

    def _on_lane_posted(self, channel: str, token: int, kind: str, payload: tuple) -> None:
        if channel != CHANNEL or not self.lane.is_current(channel, token) or kind not in (RESULT, FAILED):
            return
        self._shown = self._requested
        outcome = payload[0]
        self.current, self._error = (outcome, None) if kind == RESULT else (None, outcome)
        self._fill_table()
        self._sync()
        if self.current is not None:
            self.measured.emit(self.current)
        else:
            self.failed.emit(str(self._error))

    # -- showing -------------------------------------------------------------------------------

    def _sync(self, *_: object) -> None:
        """Labels, status and buttons for the request now and what is shown."""
        request, fresh = self._request(), self._is_fresh()
        if request is None:
            self.range_label.setText("No clip open")
            self.pitch_label.setText("")
            self._set_status("Open a clip to measure its voice.")
        else:
            self.range_label.setText(f"Whole clip, 0.00–{request.clip.duration:.2f} s" if request.start is None
                                     else f"Selection {request.start:.2f}–{request.end:.2f} s")
            self.pitch_label.setText(f"Pitch {pitch_summary(request.params)}")
            error = self._error if fresh else None
            self._set_status(str(error) if error else "", error.details if error else "")
        self.busy_label.setVisible(not fresh)
        self.table.setEnabled(fresh)
        for button in (self.copy_button, self.csv_button):
            button.setEnabled(fresh and self.current is not None)
        prosody = self.session.prosody is not None
        self.tracks_button.setEnabled(prosody)
        self.tracks_button.setToolTip("Save the clip's f0 and intensity frames as a CSV file" if prosody
                                      else "The clip's pitch and intensity are not available yet")

    def _set_status(self, text: str, details: str = "") -> None:
        self.status_label.setText(text)
        self.status_label.setToolTip(details)
        self.status_label.setVisible(bool(text))

    def _fill_table(self) -> None:
        rows = self.current.as_rows() if self.current is not None else []
        self.table.fill([_row_items(label, value, unit) for label, value, unit in rows])

    # -- exports -------------------------------------------------------------------------------

    def _on_export_csv_clicked(self) -> None:
        m, shown = self.current, self._shown
        if m is None or shown is None:
            return
        clip_path = shown.clip.identity.path
        name = suggested_name(clip_path, "measurements", None if shown.start is None else (m.start, m.end))
        destination = self._ask("Export measurements as CSV", clip_path, name)
        if destination:
            self._save(partial(write_measurements_csv, m, clip_path, destination), destination)

    def _on_export_tracks_clicked(self) -> None:
        prosody, analysis = self.session.prosody, self.session.analysis
        if prosody is None or analysis is None:
            return
        clip_path = analysis.clip.identity.path
        destination = self._ask("Export f0 and intensity tracks as CSV", clip_path, suggested_name(clip_path, "tracks"))
        if destination:
            self._save(partial(write_tracks_csv, prosody, destination), destination)

    def _ask(self, title: str, clip_path: str, name: str) -> str:
        """The file the user chooses (``.csv`` added when it has no suffix); "" if cancelled."""
        start = os.path.join(self._export_dir or self._default_dir(clip_path), name)
        chosen, _ = QFileDialog.getSaveFileName(self, title, start, "CSV files (*.csv);;All files (*)")
        if chosen and not Path(chosen).suffix:
            chosen += ".csv"
        return chosen

    def _default_dir(self, clip_path: str) -> str:
        folder = os.path.dirname(clip_path)
        if folder and os.access(folder, os.W_OK):
            return folder
        return self.settings.recordings_dir() if self.settings is not None else str(Path.home())

    def _save(self, write: partial, destination: str) -> None:
        try:
            write()
        except ServisError as error:
            self.message.show_message(str(error), "error", details=error.details)
            return
        self._export_dir = os.path.dirname(destination)
        if self.settings is not None:
            self.settings.set_export_dir(self._export_dir)
        self.message.show_message(f"Saved {destination}", "info")


class _MeasureTable(QTableWidget):
    """Three columns: the measure (wrapping when narrow), its value and unit; Ctrl+C copies them all."""

    copy_requested = Signal()

    def __init__(self) -> None:
        super().__init__(0, 3)
        self.setHorizontalHeaderLabels(["Measure", "Value", "Unit"])
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.sectionResized.connect(self._fit_rows)

    def fill(self, rows: list[tuple[QTableWidgetItem, ...]]) -> None:
        """Show ``rows`` of items; rows as high as their text at the present column widths."""
        self.setRowCount(len(rows))
        for row, items in enumerate(rows):
            for column, item in enumerate(items):
                self.setItem(row, column, item)
        self._fit_rows()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_rows()

    def _fit_rows(self, *_: object) -> None:
        """Once the columns have their new widths (a narrow dock wraps the labels, a wide one not)."""
        QTimer.singleShot(0, self.resizeRowsToContents)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_requested.emit()
            return
        super().keyPressEvent(event)


@dataclass(frozen=True, eq=False)
class _Request:
    """One measurement: this clip (the object itself), pitch settings and range (None: the whole clip)."""

    clip: Clip
    params: PitchParams
    start: float | None
    end: float | None


def _same(a: _Request | None, b: _Request | None) -> bool:
    """Do ``a`` and ``b`` ask for the same measurement (clips compared as objects, not sample by sample)?"""
    if a is None or b is None:
        return a is b
    return a.clip is b.clip and (a.params, a.start, a.end) == (b.params, b.start, b.end)


def _label(bold: bool = False) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if bold:
        label.setStyleSheet("font-weight: bold;")
    return label


def _clamped(selection: tuple[float, float] | None, duration: float) -> tuple[float, float] | None:
    """The selection within the clip; None (the whole clip) without one or when nothing is left."""
    if selection is None:
        return None
    start, end = max(0.0, selection[0]), min(duration, selection[1])
    return (start, end) if end > start else None


def _row_items(label: str, value: float | None, unit: str) -> tuple[QTableWidgetItem, ...]:
    """The measure, its value and unit as table items, the full label and unit in their tooltips."""
    tip = f"{label} ({UNIT_NAMES.get(unit, unit)})"
    if value is None:
        tip += f"\nPraat gives no value: {NO_VALUE.get(label, 'it cannot be measured in this range')}."
    items = (QTableWidgetItem(SHORT_LABELS.get(label, label)), QTableWidgetItem(format_value(value, unit)),
             QTableWidgetItem(SHORT_UNITS.get(unit, unit)))
    items[1].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    for item in items:
        item.setToolTip(tip)
    return items
