"""The dataset browser: a sortable, filterable table of a corpus's clips, for a dock.

Scanning and header probing run on background threads (:mod:`servis_gui.dataset_jobs`); the
table (:mod:`servis_gui.ui.browser_model`) holds no per-row widgets. Nothing in the dataset
folder is ever written or moved.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QItemSelection, QItemSelectionModel, QModelIndex, QSignalBlocker, Qt, Signal,
)
from PySide6.QtWidgets import (
    QLabel, QPlainTextEdit, QProgressBar, QPushButton, QToolButton,
    QVBoxLayout, QWidget)

from servis_gui.core.datasets.folders import CORPUS as FOLDERS
from servis_gui.core.datasets.records import ClipRecord, ScanResult, plural
from servis_gui.core.emotions import emotion_color
from servis_gui.core.datasets.filtering import (
    emotion_rank, same_sentence, sentence_key,
)
from servis_gui.dataset_jobs import HeaderProber, ScanWorker
from servis_gui.settings import Settings
from servis_gui.ui.browser_model import COLUMN_COUNT, NUMERIC, ClipFilterProxy
from servis_gui.ui.browser_filters import FilterBar
from servis_gui.ui.browser_views import ClipTable, side_by_side

BROWSING_PAUSE_S = 0.5  # header probing pauses this long after each move, so browsing stays instant
SETTLE_S = 0.1  # header probing starts this long after a dataset is shown (the table paints first)
FOLDER_VIEW = ("No known corpus layout recognised in {root}: showing the folder-per-label view "
               "(each clip is labelled by the name of its folder).")
UNREADABLE = "{} could not be read (marked ⚠ in the table; hover over the row to see why)"
NOTICE_STYLE = "background: #fff3cd; color: #664d03; padding: 3px; border-radius: 3px"  # any theme
SELECT = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows


class DatasetBrowser(QWidget):
    """A dataset's clips in a table with filters, for a dock.

    Parameters
    ----------
    settings : Settings, optional
        When given, every dataset opened with :meth:`open_dataset` is remembered there
        (``Settings.recent_datasets``).

    Signals
    -------
    clip_activated(str) : the current row changed (arrow keys, click): show this clip now
    play_requested(str) : Enter/Return or a double-click on a clip: play it
    selection_changed(list) : the selected records (list of ClipRecord) changed
    dataset_opened(str, str) : a dataset is shown: (root folder, corpus name)
    message(str) : an error or notice for the status bar
    """

    clip_activated = Signal(str)
    play_requested = Signal(str)
    selection_changed = Signal(list)
    dataset_opened = Signal(str, str)
    message = Signal(str)

    def __init__(self, settings: Settings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._root = self._scanning = ""
        self._warnings: list[str] = []
        self.proxy = ClipFilterProxy(self)
        self.model = self.proxy.clip_model
        self.scanner, self.prober = ScanWorker(self), HeaderProber(self)
        self._build()
        self._connect()

    def _build(self) -> None:
        self.notice = QLabel(wordWrap=True, visible=False, styleSheet=NOTICE_STYLE)
        self.progress = QProgressBar()
        self.cancel_button = QPushButton("Cancel")
        self.scan_bar = side_by_side(self.progress, self.cancel_button)
        self.scan_bar.hide()
        self.filters = FilterBar()
        self.table = ClipTable(self.proxy)
        self.summary = QLabel(textFormat=Qt.TextFormat.RichText, wordWrap=True)
        self.warnings_button = QToolButton(checkable=True, visible=False)
        self.warnings_view = QPlainTextEdit(readOnly=True, visible=False, maximumHeight=110)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        for widget in (self.notice, self.scan_bar, self.filters, self.table,
                       side_by_side(self.summary, self.warnings_button), self.warnings_view):
            layout.addWidget(widget, 1 if widget is self.table else 0)

    def _connect(self) -> None:
        selection = self.table.selectionModel()
        selection.currentRowChanged.connect(self._on_current_row_changed)
        selection.selectionChanged.connect(self._on_selection_changed)
        self.table.return_pressed.connect(self._on_play)
        self.table.doubleClicked.connect(self._on_play)
        self.filters.changed.connect(self._apply_filter)
        self.filters.search.returnPressed.connect(self.table.setFocus)
        self.cancel_button.clicked.connect(self.scanner.cancel)
        self.scanner.progress.connect(self._on_scan_progress)
        self.scanner.finished.connect(self._on_scan_finished)
        self.scanner.failed.connect(self._on_scan_failed)
        self.prober.probed.connect(self._on_probed)
        self.prober.finished.connect(self._on_probing_finished)
        self.prober.failed.connect(self.message)
        self.warnings_button.toggled.connect(self.warnings_view.setVisible)

    def open_dataset(self, root: str) -> None:
        """Scan ``root`` in the background and show its clips when done (cancellable).

        Parameters
        ----------
        root : str
            The root of an extracted corpus, or any folder of audio files.
        """
        self._scanning = str(root)
        self.progress.setRange(0, 0)
        self.progress.setFormat(f"Scanning {Path(root).name}…")
        self.scan_bar.show()
        self.scanner.start(self._scanning)

    def set_records(self, result: ScanResult, root: str, notice: str = "") -> None:
        """Show an already-scanned dataset (the demo corpus) and read its headers in the background.

        Parameters
        ----------
        result : ScanResult
            The scan's records and warnings.
        root : str
            The dataset folder.
        notice : str, optional
            A note shown above the filters (e.g. what the demo corpus is).
        """
        self._root, self._warnings = str(root), list(result.warnings)
        with QSignalBlocker(self):  # the rows change under the user's feet: no clip is chosen
            self.proxy.set_records(result.records)
        self.filters.fill(result.records)
        self._show_notice(result, notice)
        self._refresh_counts()
        self.prober.start(self.model.paths)
        self.prober.pause(SETTLE_S)
        self.table.fit_columns(result.records)
        self.dataset_opened.emit(self._root, result.corpus)

    def select_path(self, path: str) -> bool:
        """Make ``path`` the current, selected row without emitting any signal.

        Returns
        -------
        bool
            False when the clip is not in the dataset or hidden by the filters.
        """
        index = self.proxy.mapFromSource(self.model.index(self.model.row_of(path), 0))
        if not index.isValid():
            return False
        with QSignalBlocker(self):  # following the Session, not the user choosing
            self.table.selectionModel().setCurrentIndex(index, SELECT)
        self.table.scrollTo(index)
        return True

    def select_same_sentence(self, across_speakers: bool = False) -> list[ClipRecord]:
        """Select every visible clip of the current clip's sentence (same corpus).

        Parameters
        ----------
        across_speakers : bool
            False: only the current clip's speaker; True: every speaker.

        Returns
        -------
        list of ClipRecord
            The selected clips in table order (the current clip among them); empty when there
            is no current clip or it has no sentence id. The current row does not change.
        """
        current = self.table.currentIndex()
        anchor = self._record(current) if current.isValid() else None
        if anchor is None or not sentence_key(anchor):
            self.message.emit("Select a clip with a known sentence first")
            return []
        same = [i for i, r in enumerate(self.model.records) if same_sentence(r, anchor, across_speakers)]
        rows = sorted(self.proxy.mapFromSource(self.model.index(self.model.row_of(self.model.paths[i]), 0)).row()
                      for i in same)
        visible = [row for row in rows if row >= 0]
        if len(visible) < len(rows):
            self.message.emit(f"{plural(len(rows) - len(visible), 'clip')} of this sentence hidden by the filters")
        selection = QItemSelection()
        for row in visible:
            selection.select(self.proxy.index(row, 0), self.proxy.index(row, COLUMN_COUNT - 1))
        self.table.selectionModel().select(selection, SELECT)
        return self.selected_records()

    def selected_records(self) -> list[ClipRecord]:
        """Return the selected clips in table order."""
        rows = sorted(self.table.selectionModel().selectedRows(), key=QModelIndex.row)
        return [self._record(index) for index in rows]

    def record_for(self, path: str) -> ClipRecord | None:
        """Return the record of ``path`` in the shown dataset, or None."""
        row = self.model.row_of(path)
        return None if row < 0 else self.model.record_at(row)

    def shutdown(self) -> None:
        """Stop the background scan and probing (call when the window closes)."""
        self.scanner.shutdown()
        self.prober.shutdown()

    def _apply_filter(self) -> None:
        """Filter by the filter bar; the panes keep their clip even if its row is hidden."""
        with QSignalBlocker(self):
            self.proxy.set_criteria(self.filters.criteria())
        self._refresh_counts()

    def _refresh_counts(self) -> None:
        outcome = self.proxy.outcome
        self.filters.emotions.set_counts(outcome.facets)
        chips = " &nbsp; ".join(f'<span style="color:{emotion_color(e)}">■</span>&nbsp;{e}&nbsp;{outcome.visible[e]:,}'
                                for e in sorted(outcome.visible, key=emotion_rank) if outcome.visible[e])
        unreadable = self.model.unreadable_count()
        bad = f" &nbsp; ⚠ {unreadable:,} unreadable" if unreadable else ""
        self.summary.setText(f"<b>{self.proxy.rowCount():,}</b> of {len(self.model.records):,} clips{bad}<br>{chips}")

    def _show_notice(self, result: ScanResult, notice: str) -> None:
        lines = [notice] if notice else []
        if not result.records:
            lines += list(result.warnings[:1]) or [f"No audio files found in {self._root}"]
        elif result.corpus == FOLDERS:
            lines.append(FOLDER_VIEW.format(root=self._root))
        self.notice.setText("\n".join(lines))
        self.notice.setVisible(bool(lines))
        self._refresh_warnings()

    def _refresh_warnings(self) -> None:
        unreadable = self.model.unreadable_count()
        lines = self._warnings + ([UNREADABLE.format(plural(unreadable, "file"))] if unreadable else [])
        self.warnings_view.setPlainText("\n".join(lines))
        self.warnings_button.setText(f"⚠ {plural(len(lines), 'warning')}")
        self.warnings_button.setVisible(bool(lines))
        self.warnings_button.setChecked(self.warnings_button.isChecked() and bool(lines))

    def _record(self, index: QModelIndex) -> ClipRecord:
        return self.model.record_at(self.proxy.mapToSource(index).row())

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.prober.pause(BROWSING_PAUSE_S)
            self.clip_activated.emit(str(self._record(current).path))

    def _on_selection_changed(self, *_ranges: object) -> None:
        self.selection_changed.emit(self.selected_records())

    def _on_play(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.play_requested.emit(str(self._record(index).path))

    def _on_scan_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        name = Path(self._scanning).name
        self.progress.setFormat(f"Indexing {name}: %v of %m files" if total else f"Listing {name}: {done:,} files")

    def _on_scan_finished(self, result: ScanResult) -> None:
        self.scan_bar.hide()
        if result.cancelled:
            self.message.emit(f"Scan of {self._scanning} cancelled")
            return
        self.set_records(result, self._scanning)
        if self._settings is not None and result.records:
            self._settings.add_recent_dataset(self._scanning)

    def _on_scan_failed(self, message: str) -> None:
        self.scan_bar.hide()
        self.message.emit(message)

    def _on_probed(self, batch: list[tuple[str, object]]) -> None:
        self.model.apply_probes(batch)
        if any(isinstance(info, str) for _path, info in batch):
            self._refresh_warnings()
            self._refresh_counts()

    def _on_probing_finished(self) -> None:
        if self.model.sort_column() in NUMERIC:
            with QSignalBlocker(self):
                self.model.resort()
