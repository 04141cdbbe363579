"""The dataset browser: a sortable, filterable table of a corpus's clips, for a dock.

Scanning and header probing run on background threads (:mod:`servis_gui.dataset_jobs`); the
table (:mod:`servis_gui.ui.browser_model`) holds no per-row widgets. Nothing in the dataset
folder is ever written or moved.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPlainTextEdit, QProgressBar, QPushButton, QTableView, QToolButton, QVBoxLayout, QWidget,
)

from servis_gui.core.datasets.detect import UNRECOGNISED
from servis_gui.core.datasets.records import ClipRecord, ScanResult, plural
from servis_gui.core.emotions import CANONICAL, EXTRAS, colour
from servis_gui.dataset_jobs import HeaderProber, ScanWorker
from servis_gui.ui.browser_model import NUMERIC, ClipFilter, ClipFilterProxy, Column, sentence_key
from servis_gui.ui.clip_list import emotion_icon

RECENT_KEY = "datasets/recent"
MAX_RECENT_DATASETS = 10
MAX_SENTENCES = 300
"""Beyond this many distinct sentences the sentence combo is disabled (use the search box)."""
SEARCH_DELAY_MS = 150
FOLDER_VIEW = ("No known corpus layout recognised in {root}: showing the folder-per-label view "
               "(each clip is labelled by the name of its folder).")
EMOTION_ORDER = {name: i for i, name in enumerate(CANONICAL + EXTRAS)}
ROWS = QItemSelectionModel.SelectionFlag.Rows
SELECT = QItemSelectionModel.SelectionFlag.ClearAndSelect | ROWS


def recent_datasets(store: QSettings) -> list[str]:
    """Return the remembered dataset folders, most recent first.

    Parameters
    ----------
    store : QSettings
        The application's settings store (key ``datasets/recent``).

    Returns
    -------
    list of str
        At most :data:`MAX_RECENT_DATASETS` folders.
    """
    value = store.value(RECENT_KEY, [])
    folders = [value] if isinstance(value, str) else list(value or [])
    return [str(folder) for folder in folders if folder][:MAX_RECENT_DATASETS]


def remember_dataset(store: QSettings, root: str) -> None:
    """Put ``root`` first in the recent datasets of ``store``.

    Parameters
    ----------
    store : QSettings
        The application's settings store.
    root : str
        A dataset folder that was opened.
    """
    folders = [root, *(folder for folder in recent_datasets(store) if folder != root)]
    store.setValue(RECENT_KEY, folders[:MAX_RECENT_DATASETS])


class _ClipTable(QTableView):
    """The clip table; Enter/Return emits ``return_pressed`` (the view would emit ``activated``,
    which some styles also emit on a single click)."""

    return_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.return_pressed.emit()
            event.accept()
        else:
            super().keyPressEvent(event)


class _EmotionChecks(QWidget):
    """One check box per emotion present, with its colour chip and a count; emits ``changed``."""

    changed = Signal()
    COLUMNS = 4

    def __init__(self) -> None:
        super().__init__()
        self.boxes: dict[str, QCheckBox] = {}
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(12)

    def set_emotions(self, emotions: Iterable[str]) -> None:
        """Replace the boxes by one checked box per emotion, in the canonical order."""
        for box in self.boxes.values():
            box.deleteLater()
        ordered = sorted(set(emotions), key=_emotion_rank)
        self.boxes = {emotion: QCheckBox(emotion) for emotion in ordered}
        for i, (emotion, box) in enumerate(self.boxes.items()):
            box.setIcon(emotion_icon(emotion))
            box.setChecked(True)
            box.toggled.connect(self.changed)
            self._grid.addWidget(box, i // self.COLUMNS, i % self.COLUMNS)

    def set_counts(self, counts: Counter[str]) -> None:
        """Show ``counts[emotion]`` next to each emotion."""
        for emotion, box in self.boxes.items():
            box.setText(f"{emotion} ({counts[emotion]:,})")

    def checked(self) -> frozenset[str] | None:
        """Return the ticked emotions, or None when all are ticked (no restriction)."""
        ticked = frozenset(e for e, box in self.boxes.items() if box.isChecked())
        return None if len(ticked) == len(self.boxes) else ticked


def _fill_combo(combo: QComboBox, everything: str, items: list[tuple[str, str]]) -> None:
    """Replace the entries of ``combo`` by ``everything`` (no filter) then ``(label, key)`` items."""
    combo.clear()
    combo.addItem(everything, "")
    for label, key in items:
        combo.addItem(label, key)


class DatasetBrowser(QWidget):
    """A dataset's clips in a table with filters, for a dock.

    Parameters
    ----------
    store : QSettings, optional
        When given, every dataset opened with :meth:`open_dataset` is remembered there
        (see :func:`recent_datasets`).

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

    def __init__(self, store: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._root = self._scanning = self._current = ""
        self._quiet = self._resetting = False
        self._warnings: list[str] = []
        self.proxy = ClipFilterProxy(self)
        self.model = self.proxy.clip_model
        self.scanner = ScanWorker(self)
        self.prober = HeaderProber(self)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._build()
        self._connect()

    # -- building -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.notice = QLabel(wordWrap=True, visible=False)
        self.notice.setStyleSheet("color: #ffcc80")
        self.progress = QProgressBar()
        self.cancel_button = QPushButton("Cancel")
        self.emotions = _EmotionChecks()
        self.speaker, self.gender, self.sentence = QComboBox(), QComboBox(), QComboBox()
        self.sentence.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.sentence.setMinimumContentsLength(16)
        self.search = QLineEdit(placeholderText="Search text and file names (Ctrl+F)", clearButtonEnabled=True)
        self.clear_button = QToolButton(text="Clear", toolTip="Show every clip (clear all filters)")
        self.table = self._build_table()
        self.summary = QLabel(textFormat=Qt.TextFormat.RichText, wordWrap=True)
        self.warnings_button = QToolButton(checkable=True, visible=False)
        self.warnings_view = QPlainTextEdit(readOnly=True, visible=False, maximumHeight=110)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        self.scan_bar = _row(self.progress, self.cancel_button)
        self.scan_bar.hide()
        for widget in (self.notice, self.scan_bar, self.emotions,
                       _row(self.search, self.speaker, self.gender, self.sentence, self.clear_button)):
            layout.addWidget(widget)
        layout.addWidget(self.table, 1)
        layout.addWidget(_row(self.summary, self.warnings_button))
        layout.addWidget(self.warnings_view)
        _fill_combo(self.speaker, "All speakers", [])
        _fill_combo(self.gender, "All genders", [])
        _fill_combo(self.sentence, "All sentences", [])

    def _build_table(self) -> _ClipTable:
        table = _ClipTable()
        table.setModel(self.proxy)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setResizeContentsPrecision(100)
        table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        return table

    def _connect(self) -> None:
        selection = self.table.selectionModel()
        selection.currentRowChanged.connect(self._on_current_row_changed)
        selection.selectionChanged.connect(self._on_selection_changed)
        self.table.return_pressed.connect(self._on_play)
        self.table.doubleClicked.connect(self._on_play)
        self.emotions.changed.connect(self._apply_filter)
        for combo in (self.speaker, self.gender, self.sentence):
            combo.currentIndexChanged.connect(self._apply_filter)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self.table.setFocus)
        self._search_timer.timeout.connect(self._apply_filter)
        self.clear_button.clicked.connect(self.clear_filters)
        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search)
        self.cancel_button.clicked.connect(self.scanner.cancel)
        self.scanner.progress.connect(self._on_scan_progress)
        self.scanner.finished.connect(self._on_scan_finished)
        self.scanner.failed.connect(self._on_scan_failed)
        self.prober.probed.connect(self._on_probed)
        self.prober.finished.connect(self._on_probing_finished)
        self.prober.failed.connect(self.message)
        self.warnings_button.toggled.connect(self.warnings_view.setVisible)

    # -- public API -----------------------------------------------------------------------------

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
        self._root, self._current = str(root), ""
        self._quiet = self._resetting = True
        self.proxy.set_records(result.records)
        self._fill_filters(result.records)
        self.search.clear()
        self._quiet = self._resetting = False
        self._search_timer.stop()
        self._warnings = list(result.warnings)
        self._show_notice(result, notice)
        self._refresh_counts()
        self.prober.start([str(record.path) for record in result.records])
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(Column.SENTENCE, min(self.table.columnWidth(Column.SENTENCE), 260))
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
        self._quiet = True
        self.table.selectionModel().setCurrentIndex(index, SELECT)
        self._quiet = False
        self._current = str(path)
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
        matches = [self.model.row_of(str(r.path)) for r in self.model.records if _same_sentence(
            r, anchor, across_speakers)]
        rows = sorted(self.proxy.mapFromSource(self.model.index(row, 0)).row() for row in matches)
        visible = [row for row in rows if row >= 0]
        if len(visible) < len(rows):
            self.message.emit(f"{plural(len(rows) - len(visible), 'clip')} of this sentence hidden by the filters")
        selection = QItemSelection()
        for row in visible:
            selection.select(self.proxy.index(row, 0), self.proxy.index(row, len(Column) - 1))
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

    def clear_filters(self) -> None:
        """Tick every emotion, reset the combos and the search box: show every clip."""
        self._resetting = True
        for box in self.emotions.boxes.values():
            box.setChecked(True)
        for combo in (self.speaker, self.gender, self.sentence):
            combo.setCurrentIndex(0)
        self.search.clear()
        self._search_timer.stop()
        self._resetting = False
        self._apply_filter()

    def shutdown(self) -> None:
        """Stop the background scan and probing (call when the window closes)."""
        self.scanner.shutdown()
        self.prober.shutdown()

    # -- filters --------------------------------------------------------------------------------

    def _fill_filters(self, records: tuple[ClipRecord, ...]) -> None:
        self.emotions.set_emotions(r.emotion for r in records)
        _fill_combo(self.speaker, "All speakers", [(s, s) for s in sorted({r.speaker for r in records} - {""})])
        _fill_combo(self.gender, "All genders", [(g, g) for g in sorted({r.gender for r in records} - {""})])
        sentences = {sentence_key(r): r for r in records if sentence_key(r)}
        items = [(_sentence_label(r), key) for key, r in sorted(sentences.items())]
        _fill_combo(self.sentence, "All sentences", items if len(items) <= MAX_SENTENCES else [])
        self.sentence.setEnabled(0 < len(items) <= MAX_SENTENCES)
        many = len(items) > MAX_SENTENCES
        self.sentence.setToolTip(f"{len(items):,} different sentences: use the search box" if many else "")

    def _apply_filter(self) -> None:
        """Filter by the current state of the filter bar (the panes keep their clip)."""
        if self._resetting:
            return
        criteria = ClipFilter(self.emotions.checked(), self.speaker.currentData() or "",
                              self.gender.currentData() or "", self.sentence.currentData() or "",
                              self.search.text())
        self._quiet = True
        self.proxy.set_criteria(criteria)
        self._quiet = False
        self._refresh_counts()

    def _refresh_counts(self) -> None:
        outcome = self.proxy.outcome
        self.emotions.set_counts(outcome.facets)
        chips = " &nbsp; ".join(f'<span style="color:{colour(e)}">■</span>&nbsp;{e}&nbsp;{n:,}'
                                for e, n in sorted(outcome.visible.items(), key=lambda item: _emotion_rank(item[0])) if n)
        unreadable = self.model.unreadable_count()
        bad = f" &nbsp; ⚠ {unreadable:,} unreadable" if unreadable else ""
        self.summary.setText(f"<b>{self.proxy.rowCount():,}</b> of {len(self.model.records):,} clips"
                             f"{bad}<br>{chips}")

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # -- notices and warnings -------------------------------------------------------------------

    def _show_notice(self, result: ScanResult, notice: str) -> None:
        lines = [notice] if notice else []
        if not result.records:
            lines += list(result.warnings[:1]) or [f"No audio files found in {self._root}"]
        elif UNRECOGNISED in result.warnings:
            lines.append(FOLDER_VIEW.format(root=self._root))
        self.notice.setText("\n".join(lines))
        self.notice.setVisible(bool(lines))
        self._refresh_warnings()

    def _refresh_warnings(self) -> None:
        unreadable = self.model.unreadable_count()
        lines = self._warnings + ([f"{plural(unreadable, 'file')} could not be read (marked ⚠ in the "
                                    "table; hover over the row to see why)"] if unreadable else [])
        self.warnings_view.setPlainText("\n".join(lines))
        self.warnings_button.setText(f"⚠ {plural(len(lines), 'warning')}")
        self.warnings_button.setVisible(bool(lines))
        if not lines:
            self.warnings_button.setChecked(False)

    # -- slots ----------------------------------------------------------------------------------

    def _record(self, index: QModelIndex) -> ClipRecord:
        return self.model.record_at(self.proxy.mapToSource(index).row())

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet or not current.isValid():
            return
        path = str(self._record(current).path)
        if path != self._current:
            self._current = path
            self.clip_activated.emit(path)

    def _on_selection_changed(self, *_ranges: object) -> None:
        if not self._quiet:
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
        if self._store is not None and result.records:
            remember_dataset(self._store, self._scanning)

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
            self._quiet = True
            self.model.resort()
            self._quiet = False


def _row(*widgets: QWidget) -> QWidget:
    """Lay ``widgets`` out side by side in a margin-less row; the first one stretches."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for i, widget in enumerate(widgets):
        layout.addWidget(widget, 1 if i == 0 else 0)
    return row


def _same_sentence(record: ClipRecord, anchor: ClipRecord, across_speakers: bool) -> bool:
    """Is ``record`` the same sentence as ``anchor`` (same corpus; same speaker unless across)?"""
    return (record.corpus == anchor.corpus and sentence_key(record) == sentence_key(anchor)
            and (across_speakers or record.speaker == anchor.speaker))


def _sentence_label(record: ClipRecord) -> str:
    """The sentence combo's label: ``id: text`` (shortened), or whichever of the two is known."""
    label = f"{record.sentence_id}: {record.text}" if record.sentence_id and record.text else sentence_key(record)
    return label if len(label) <= 60 else label[:59] + "…"


def _emotion_rank(emotion: str) -> tuple[int, str]:
    """Sort key: the canonical emotions in their order, then the others by name."""
    return EMOTION_ORDER.get(emotion, len(EMOTION_ORDER)), emotion
