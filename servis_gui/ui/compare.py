"""The comparison view: a grid of clips, its options, the summary row, playback and export."""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QMenu, QSizePolicy,
    QSpinBox, QSplitter, QTableWidget, QTableWidgetItem, QToolBar, QToolButton, QVBoxLayout, QWidget,
)

from servis_gui.core.db_reference import GROUP_REFERENCES, DbReference
from servis_gui.core.prosody import Prosody
from servis_gui.core.prosody_export import MISSING, ExportError
from servis_gui.core.prosody_summary import NO_VOICE, summarise_prosody
from servis_gui.core.summary import summarise
from servis_gui.ui.compare_export import export_data, export_figure, export_png, export_svg, figure_size
from servis_gui.ui.compare_grid import CompareGrid, GridClip
from servis_gui.session import Session
from servis_gui.settings import Settings
from servis_gui.core.analysis import Analysis

MAX_CLIPS = 12
SHORT_VIEW_PX = 900
"""Below this height the summary table starts hidden (its tool bar button brings it back): the grid
keeps ~600 px for its four rows (its minimum), so the summary would get less than four of its 11
rows. The default window gives the view ~640 px on 1366x768 and ~760 px on 1920x1080."""
SUMMARY_ROWS = ("emotion", "speaker", "file", "duration", "peak", "RMS", "active speech",
                "median f0", "f0 range", "intensity")
PROSODY_ROWS = SUMMARY_ROWS[-3:]
"""Filled when the group's prosody arrives (after the grid is drawn)."""
PENDING = ("…", "Pitch and intensity are being computed")


class CompareView(QWidget):
    """Side-by-side clips with locked colour scales (the seed's figure, interactive).

    Signals
    -------
    message(str) : something to tell the user (export written, clips that failed)
    """

    message = Signal(str)

    def __init__(self, session: Session, settings: Settings, colormap: str = "magma") -> None:
        super().__init__()
        self.session, self.settings = session, settings
        self.grid = CompareGrid(colormap)
        self.grid.setToolTip("Click a clip's header, or press 1-9, to play it")
        QTimer.singleShot(1000, self.grid.prepare)  # build the first columns while the user looks
        self.summary = QTableWidget(len(SUMMARY_ROWS), 0)
        self.summary.setVerticalHeaderLabels(list(SUMMARY_ROWS))
        self.summary.setMaximumHeight(200)
        # Its share of the height comes from the splitter's stretch, not its size hint.
        self.summary.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self._entries: list[tuple[object, Analysis]] = []
        self._shown_indices: list[int] = []  # of the entries in the group's list of results
        self._group_size = 0
        self._prosody: list[Prosody | str] | None = None
        self._build_controls()
        self._layout()
        self._connect()

    # -- public ------------------------------------------------------------------------------

    def show_group(self, results: list[Analysis | str], records: list[object | None]) -> None:
        """Show the analysed clips; a result that is a message (a clip that failed) is left out,
        the window reports it. A record may be ``None``."""
        self._group_size = len(results)
        self._shown_indices = [i for i, res in enumerate(results) if not isinstance(res, str)][:MAX_CLIPS]
        self._entries = [(records[i], results[i]) for i in self._shown_indices]
        self._prosody = None
        self.redraw()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """Shown the first time on a short window (1366x768, a laptop at 200 %): the grid gets all
        the height, the summary (which would be a sliver) waits behind its tool bar button."""
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            self.summary_button.setChecked(self.height() >= SHORT_VIEW_PX)

    def redraw(self) -> None:
        """Rebuild the grid and summary with the current options (no recomputation)."""
        clips = [GridClip(_title(rec, res), getattr(rec, "emotion", "unknown"), res) for rec, res in self._entries]
        self.grid.show_clips(clips, DbReference(self.reference.currentData()), self.layout_mode.currentData() == "rows",
                             self.time_mode.currentData() == "stretch")
        self._fill_summary(clips)
        self._show_prosody()

    def play(self, index: int) -> None:
        """Play clip ``index`` (0-based); its playhead alone moves."""
        if 0 <= index < len(self.grid.clips):
            self.session.play_group_clip(index, self.grid.clips[index].analysis)

    def set_colormap(self, name: str) -> None:
        self.grid.colormap = name
        self.grid.mel_bar.setColorMap(pg.colormap.get(name))

    # -- building ----------------------------------------------------------------------------

    def _options(self) -> dict[str, QComboBox]:
        """The remembered options, by their settings key."""
        return {"layout": self.layout_mode, "reference": self.reference, "time": self.time_mode,
                "f0": self.f0_unit}

    def _build_controls(self) -> None:
        self.layout_mode = _combo([("columns", "columns"), ("rows", "rows")],
                                  "One column per clip, or one row per clip")
        self.reference = _combo([(ref.short, ref.value) for ref in GROUP_REFERENCES],
                                "What 0 dB means on the shared colour scale:\n"
                                + "\n".join(ref.description for ref in GROUP_REFERENCES))
        self.time_mode = _combo([("common scale", "common"), ("stretched", "stretch")],
                                "Common scale: every clip from 0 s, so tempo differences show.\n"
                                "Stretched: every clip fills the same width.")
        self.f0_unit = _combo([("Hz", "Hz"), ("semitones", "st")],
                              "The f0 rows in Hz, or in semitones re 100 Hz\n"
                              "(equal steps are equal musical intervals, in high and low voices alike)")
        for key, value in self.settings.compare_options().items():  # as the user left them
            combo = self._options()[key]
            combo.setCurrentIndex(max(0, combo.findData(value)))
        self.grid.set_f0_unit(self.f0_unit.currentData())
        self.summary_button = QToolButton(text="Summary", checkable=True, checked=True,
                                          toolTip="Show the table of durations and levels under the grid")
        self.summary_button.toggled.connect(self.summary.setVisible)
        self._shown_once = False
        self.pin = QCheckBox("Pin first clip")
        self.pin.setToolTip("While pinned, choosing another clip in the dataset compares it with the first one.")
        self.export_button = QToolButton(text="Export", popupMode=QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        menu.addAction("Publication figure (PNG 300 dpi + SVG)…", self._on_export_figure)
        menu.addAction("PNG…", self._on_export_png)
        menu.addAction("SVG…", self._on_export_svg)
        menu.addAction("Data (CSV + NPY)…", self._on_export_data)
        self.export_button.setMenu(menu)

    def _layout(self) -> None:
        # A tool bar: on a narrow window what does not fit goes behind its » button.
        bar = QToolBar()
        bar.addWidget(self.export_button)
        for label, widget in (("Layout", self.layout_mode), ("dB re", self.reference),
                              ("Time", self.time_mode), ("f0", self.f0_unit)):
            bar.addSeparator()
            bar.addWidget(_labelled(label, widget))  # one widget: the two go behind » together
        bar.addSeparator()
        bar.addWidget(self.summary_button)
        bar.addWidget(self.pin)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.grid)
        split.addWidget(self.summary)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(bar)
        layout.addWidget(split, 1)

    def _connect(self) -> None:
        for key, combo in self._options().items():
            combo.currentIndexChanged.connect(self._on_f0_unit_changed if key == "f0" else self.redraw)
            combo.currentIndexChanged.connect(
                lambda _i, key=key, combo=combo: self.settings.set_compare_option(key, combo.currentData()))
        self.grid.header_clicked.connect(self.play)
        self.session.group_playhead_moved.connect(self.grid.set_playhead)
        self.pin.toggled.connect(self.session.set_pinned)
        self.session.group_prosody_ready.connect(self._on_group_prosody_ready)
        for n in range(1, 10):
            shortcut = QShortcut(QKeySequence(str(n)), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda i=n - 1: self.play(i))

    def _fill_summary(self, clips: list[GridClip]) -> None:
        self.summary.setColumnCount(len(clips))
        self.summary.setHorizontalHeaderLabels([str(i + 1) for i in range(len(clips))])
        for col, ((rec, _res), clip) in enumerate(zip(self._entries, clips)):
            values = summarise(clip.analysis.clip, clip.analysis.features).as_row()
            values.update(emotion=clip.emotion, speaker=getattr(rec, "speaker", "") or "-",
                          file=clip.analysis.clip.name)
            self._set_cells(col, {key: (text, "") for key, text in values.items()})

    def _show_prosody(self) -> None:
        """Draw the f0 rows and fill the prosody rows of the summary (pending until it arrives)."""
        if self._prosody is not None:
            self.grid.show_prosody(self._prosody)
        for col in range(len(self._entries)):
            self._set_cells(col, prosody_cells(None if self._prosody is None else self._prosody[col]))
        self.summary.resizeColumnsToContents()

    def _set_cells(self, col: int, cells: dict[str, tuple[str, str]]) -> None:
        """Write (text, tooltip) cells into column ``col`` of the summary, by row title."""
        for key, (text, tip) in cells.items():
            item = QTableWidgetItem(text)
            item.setToolTip(tip)
            self.summary.setItem(SUMMARY_ROWS.index(key), col, item)

    def _on_group_prosody_ready(self, pairs: list[tuple[str, Prosody | str]]) -> None:
        if len(pairs) == self._group_size:  # the group shown (the Session sends no other)
            self._prosody = [pairs[i][1] for i in self._shown_indices]
            self._show_prosody()

    def _on_f0_unit_changed(self) -> None:
        self.grid.set_f0_unit(self.f0_unit.currentData())

    # -- export --------------------------------------------------------------------------------

    def _ask(self, title: str, suffix: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, title, f"comparison{suffix}", f"*{suffix}")
        return path

    def _on_export_png(self) -> None:
        size = figure_size(self.grid)  # every clip, also those scrolled out of view
        dialog = PngSizeDialog(self, round(size.width() * 2), round(size.height() * 2))
        if dialog.exec() and (path := self._ask("Export PNG", ".png")):
            export_png(self.grid, path, *dialog.values())
            self.message.emit(f"Saved {path}")

    def _on_export_svg(self) -> None:
        if path := self._ask("Export SVG", ".svg"):
            export_svg(self.grid, path)
            self.message.emit(f"Saved {path}")

    def _on_export_figure(self) -> None:
        if path := self._ask("Export publication figure", ".png"):
            files = export_figure(self.grid, path)
            self.message.emit("Saved " + ", ".join(str(f) for f in files))

    def _on_export_data(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export displayed data to folder")
        if folder:
            try:
                files = export_data(self.grid, folder)
            except ExportError as exc:  # a track that cannot be written, in plain words
                self.message.emit(str(exc))
                return
            self.message.emit(f"Saved {len(files)} files in {folder}")


class PngSizeDialog(QDialog):
    """Asks for the PNG's width and height in pixels and its DPI."""

    def __init__(self, parent: QWidget, width: int, height: int, dpi: int = 200) -> None:
        super().__init__(parent)
        self.setWindowTitle("PNG size")
        self.width_px, self.height_px, self.dpi = (_spin(v, 100, 20000) for v in (width, height, dpi))
        form = QFormLayout(self)
        form.addRow("Width (px)", self.width_px)
        form.addRow("Height (px)", self.height_px)
        form.addRow("Resolution (dpi)", self.dpi)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[int, int, int]:
        return self.width_px.value(), self.height_px.value(), self.dpi.value()


def _spin(value: int, low: int, high: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    return spin


def _labelled(label: str, widget: QWidget) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(QLabel(label))
    layout.addWidget(widget)
    return box


def _combo(items: list[tuple[str, str]], tooltip: str = "") -> QComboBox:
    combo = QComboBox(toolTip=tooltip)
    for text, data in items:
        combo.addItem(text, data)
    return combo


def prosody_cells(prosody: Prosody | str | None) -> dict[str, tuple[str, str]]:
    """The summary's prosody cells of one clip as (text, tooltip): pending (``None``), a reason
    (str) or no voiced frame give "—" with the reason as tooltip."""
    if prosody is None:
        return dict.fromkeys(PROSODY_ROWS, PENDING)
    summary = None if isinstance(prosody, str) else summarise_prosody(prosody)
    if summary is None:
        return dict.fromkeys(PROSODY_ROWS, (MISSING, prosody if isinstance(prosody, str) else NO_VOICE))
    return {key: (text, "") for key, text in summary.as_row().items()}


def _title(record: object | None, analysis: Analysis) -> str:
    stem = Path(analysis.clip.identity.path).stem
    speaker = getattr(record, "speaker", "") if record is not None else ""
    return f"{speaker} · {stem}" if speaker and speaker not in stem else stem
