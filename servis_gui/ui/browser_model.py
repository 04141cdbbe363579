"""The dataset browser's table: model, filter proxy and view, fast enough for 10,000+ clips.

:class:`ClipTableModel` shows one row per :class:`ClipRecord` plus what its audio header says
(duration, sample rate, or why the file cannot be read). It sorts itself with one Python
``sorted`` call: a ``QSortFilterProxyModel`` sort would call back into Python for every
comparison (seconds for 10,000 rows). :class:`ClipFilterProxy` therefore only filters, from a
row mask it computes in one pass over the records, with per-emotion counts as a by-product.
The views are in :mod:`servis_gui.ui.browser_views`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from enum import IntEnum
from functools import cache

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QApplication, QStyle)

from servis_gui.core.datasets.probe import AudioInfo
from servis_gui.core.datasets.records import ClipRecord
from servis_gui.core.datasets.filtering import ClipFilter, FilterOutcome, evaluate
from servis_gui.ui.chips import emotion_icon

ROLE = Qt.ItemDataRole
_TOP = QModelIndex()  # the invisible root: parent of every row
RECORD_ROLE = ROLE.UserRole
"""``data(index, RECORD_ROLE)`` returns the row's :class:`ClipRecord`."""


class Column(IntEnum):
    """The table's columns, in display order."""

    EMOTION, SPEAKER, GENDER, SENTENCE, INTENSITY, DURATION, RATE, CORPUS, FILE = range(9)


COLUMN_COUNT = len(Column)
HEADERS = ("Emotion", "Speaker", "Gender", "Sentence / text", "Intensity", "Duration (s)",
           "Rate (Hz)", "Corpus", "File")
NUMERIC = frozenset({Column.DURATION, Column.RATE})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
FIELDS: dict[Column, Callable[[ClipRecord], str]] = {
    Column.EMOTION: lambda r: r.emotion_text,
    Column.SPEAKER: lambda r: r.speaker,
    Column.GENDER: lambda r: r.gender,
    Column.SENTENCE: lambda r: r.text or r.sentence_id,
    Column.INTENSITY: lambda r: r.intensity,
    Column.CORPUS: lambda r: r.corpus,
    Column.FILE: lambda r: r.path.name,
}


@cache
def _chip(emotion: str) -> QIcon:
    """The emotion's colour chip, made once per emotion; not tinted on selected rows."""
    icon = emotion_icon(emotion, 14)
    icon.addPixmap(icon.pixmap(14), QIcon.Mode.Selected)
    return icon


@cache
def _warning_icon() -> QIcon:
    """The style's warning icon, made once."""
    return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)


class ClipTableModel(QAbstractTableModel):
    """One row per clip: the record's fields plus its probed duration and sample rate.

    Rows are a permutation (``sort``) of the records; record indices stay stable, so probe
    results and filter masks are kept by record index.

    Attributes
    ----------
    records : tuple of ClipRecord
        The clips, in scan order (the record indices).
    paths : list of str
        ``str(record.path)`` of each record.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)
        self._roles: dict[int, Callable[[int, int], object]] = {
            ROLE.DisplayRole: self._text, ROLE.DecorationRole: self._icon, ROLE.ToolTipRole: self._tooltip,
            ROLE.TextAlignmentRole: self._alignment, RECORD_ROLE: self._record,
        }
        self._load(())

    def _load(self, records: Sequence[ClipRecord]) -> None:
        self.records: tuple[ClipRecord, ...] = tuple(records)
        self.paths = [str(r.path) for r in self.records]
        self._haystacks: list[str] | None = None
        self._index = {path: i for i, path in enumerate(self.paths)}
        self._duration: list[float | None] = [None] * len(self.records)
        self._rate: list[int | None] = [None] * len(self.records)
        self._error = [""] * len(self.records)
        self._order = list(range(len(self.records)))
        self._row_of = list(self._order)

    def set_records(self, records: Sequence[ClipRecord]) -> None:
        """Show ``records`` (nothing probed yet), in the current sort order.

        Parameters
        ----------
        records : sequence of ClipRecord
            The clips, usually ``ScanResult.records``.
        """
        self.beginResetModel()
        self._load(records)
        self._order = self._sorted_order(*self._sort)
        self._row_of = _inverse(self._order)
        self.endResetModel()

    def haystacks(self) -> list[str]:
        """Per record, the case-folded text and file name the search box looks in (made once)."""
        if self._haystacks is None:
            self._haystacks = [f"{r.text}\n{os.path.basename(p)}".casefold()
                               for r, p in zip(self.records, self.paths)]
        return self._haystacks

    def rowCount(self, parent: QModelIndex = _TOP) -> int:
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: QModelIndex = _TOP) -> int:
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = ROLE.DisplayRole) -> str | None:
        if orientation == Qt.Orientation.Horizontal and role == ROLE.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: QModelIndex, role: int = ROLE.DisplayRole) -> object:
        """Cell text, chip/warning icon, tooltip, alignment, or the record (``RECORD_ROLE``).

        Called thousands of times per repaint: one dict look-up rejects the other roles.
        """
        handler = self._roles.get(role)
        if handler is None or not index.isValid():
            return None
        return handler(self._order[index.row()], index.column())

    def _text(self, i: int, column: int) -> str:
        if column == Column.DURATION:
            return "" if self._duration[i] is None else f"{self._duration[i]:.2f}"
        if column == Column.RATE:
            return "" if self._rate[i] is None else str(self._rate[i])
        return FIELDS[column](self.records[i])

    def _icon(self, i: int, column: int) -> QIcon | None:
        if column == Column.EMOTION:
            return _chip(self.records[i].emotion)
        return _warning_icon() if column == Column.FILE and self._error[i] else None

    def _alignment(self, _i: int, column: int) -> int | None:
        return _RIGHT if column in NUMERIC else None

    def _record(self, i: int, _column: int) -> ClipRecord:
        return self.records[i]

    def _tooltip(self, i: int, column: int) -> str | None:
        record = self.records[i]
        if self._error[i]:
            return f"Unreadable: {self._error[i]}"
        if column == Column.FILE:
            return str(record.path)
        if column == Column.SENTENCE and record.sentence_id and record.text:
            return f"{record.sentence_id}: {record.text}"
        if column == Column.EMOTION and record.raw_label not in ("", record.emotion):
            return f"Labelled {record.raw_label!r} in {record.corpus}"
        return None

    def record_at(self, row: int) -> ClipRecord:
        """Return the record shown in ``row``."""
        return self.records[self._order[row]]

    def record_index(self, row: int) -> int:
        """Return the index in :attr:`records` of the record shown in ``row``."""
        return self._order[row]

    def row_of(self, path: str) -> int:
        """Return the row showing ``path``, or -1."""
        i = self._index.get(str(path))
        return -1 if i is None else self._row_of[i]

    def unreadable_count(self) -> int:
        """Return how many probed files could not be read."""
        return sum(1 for error in self._error if error)

    def apply_probes(self, batch: Sequence[tuple[str, AudioInfo | str]]) -> None:
        """Store probed headers and repaint their rows.

        Parameters
        ----------
        batch : sequence of (path, AudioInfo or str)
            As :class:`servis_gui.dataset_jobs.HeaderProber` sends them; a str is the reason
            the file is unreadable. Unknown paths (from a previous dataset) are ignored.
        """
        rows = []
        for path, info in batch:
            i = self._index.get(path)
            if i is None:
                continue
            if isinstance(info, str):
                self._error[i] = info
            else:
                self._duration[i], self._rate[i] = info.duration_s, info.samplerate
            rows.append(self._row_of[i])
        if rows:
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), COLUMN_COUNT - 1))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows by ``column`` (numerically for duration and rate; -1: scan order)."""
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        new_order = self._sorted_order(column, order)
        row_of = _inverse(new_order)
        old = self.persistentIndexList()
        moved = [self.index(row_of[self._order[p.row()]], p.column()) for p in old]
        self.changePersistentIndexList(old, moved)
        self._order, self._row_of = new_order, row_of
        self.layoutChanged.emit()

    def resort(self) -> None:
        """Sort again by the current column (after the durations or sample rates arrived)."""
        self.sort(*self._sort)

    def sort_column(self) -> int:
        """Return the column the rows are sorted by (-1: scan order)."""
        return self._sort[0]

    def _sorted_order(self, column: int, order: Qt.SortOrder) -> list[int]:
        rows = range(len(self.records))
        if column < 0:
            return list(rows)
        return sorted(rows, key=self._sort_key(Column(column)),
                      reverse=order == Qt.SortOrder.DescendingOrder)

    def _sort_key(self, column: Column) -> Callable[[int], object]:
        if column in NUMERIC:
            values = self._duration if column == Column.DURATION else self._rate
            return lambda i: (values[i] is None, values[i] or 0)
        cell, records = FIELDS[column], self.records
        return lambda i: cell(records[i]).casefold()


def _inverse(order: list[int]) -> list[int]:
    """Return the inverse permutation of ``order``."""
    inverse = [0] * len(order)
    for row, i in enumerate(order):
        inverse[i] = row
    return inverse


class ClipFilterProxy(QSortFilterProxyModel):
    """Filters a :class:`ClipTableModel` by a :class:`ClipFilter`; sorting is the model's own."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setDynamicSortFilter(False)
        self._model = ClipTableModel(self)
        self._criteria = ClipFilter()
        self.outcome = FilterOutcome()
        self.setSourceModel(self._model)

    def setSourceModel(self, model: ClipTableModel) -> None:
        """Use ``model``; its mask is recomputed on reset, before this proxy re-filters."""
        self._model = model
        model.modelReset.connect(self._evaluate)  # connected first, so it runs first
        super().setSourceModel(model)
        self._evaluate()

    @property
    def clip_model(self) -> ClipTableModel:
        """The source model."""
        return self._model

    def set_records(self, records: Sequence[ClipRecord]) -> None:
        """Show ``records`` with no filter."""
        self._criteria = ClipFilter()
        self._model.set_records(records)

    def criteria(self) -> ClipFilter:
        """Return the filter in force."""
        return self._criteria

    def set_criteria(self, criteria: ClipFilter) -> None:
        """Filter by ``criteria`` and update :attr:`outcome` (its counts)."""
        self.beginFilterChange()
        self._criteria = criteria
        self._evaluate()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def _evaluate(self) -> None:
        searching = bool(self._criteria.search.strip())
        haystacks = self._model.haystacks() if searching else None
        self.outcome = evaluate(self._criteria, self._model.records, haystacks)

    def filterAcceptsRow(self, source_row: int, _parent: QModelIndex) -> bool:
        return self.outcome.accepted[self._model.record_index(source_row)]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the source model (fast); this proxy keeps its order."""
        self._model.sort(column, order)
