"""Table model and filter proxy of the dataset browser, fast enough for 10,000+ clips.

:class:`ClipTableModel` shows one row per :class:`ClipRecord` plus what its audio header says
(duration, sample rate, or why the file cannot be read). It sorts itself with one Python
``sorted`` call: a ``QSortFilterProxyModel`` sort would call back into Python for every
comparison (seconds for 10,000 rows). :class:`ClipFilterProxy` therefore only filters, from a
row mask it computes in one pass over the records, with per-emotion counts as a by-product.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from servis_gui.core.datasets.probe import AudioInfo
from servis_gui.core.datasets.records import ClipRecord
from servis_gui.ui.clip_list import emotion_icon

ROLE = Qt.ItemDataRole
RECORD_ROLE = ROLE.UserRole
"""``data(index, RECORD_ROLE)`` returns the row's :class:`ClipRecord`."""


class Column(IntEnum):
    """The table's columns, in display order."""

    EMOTION = 0
    SPEAKER = 1
    GENDER = 2
    SENTENCE = 3
    INTENSITY = 4
    DURATION = 5
    RATE = 6
    CORPUS = 7
    FILE = 8


HEADERS = ("Emotion", "Speaker", "Gender", "Sentence / text", "Intensity", "Duration (s)",
           "Rate (Hz)", "Corpus", "File")
NUMERIC = frozenset({Column.DURATION, Column.RATE})
_FIELDS: dict[Column, Callable[[ClipRecord], str]] = {
    Column.EMOTION: lambda r: r.emotion,
    Column.SPEAKER: lambda r: r.speaker,
    Column.GENDER: lambda r: r.gender,
    Column.SENTENCE: lambda r: r.text or r.sentence_id,
    Column.INTENSITY: lambda r: r.intensity,
    Column.CORPUS: lambda r: r.corpus,
    Column.FILE: lambda r: r.path.name,
}
_ICONS: dict[str, QIcon] = {}


def sentence_key(record: ClipRecord) -> str:
    """Return what identifies the spoken sentence: its id, else its text (``""`` when unknown)."""
    return record.sentence_id or record.text


def _chip(emotion: str) -> QIcon:
    """The emotion's colour chip, made once per emotion."""
    if emotion not in _ICONS:
        _ICONS[emotion] = emotion_icon(emotion, 14)
    return _ICONS[emotion]


def _warning_icon() -> QIcon:
    """The style's warning icon, made once."""
    if "" not in _ICONS:
        _ICONS[""] = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
    return _ICONS[""]


class ClipTableModel(QAbstractTableModel):
    """One row per clip: the record's fields plus its probed duration and sample rate.

    Rows are a permutation (``sort``) of the records; record indices stay stable, so probe
    results and filter masks are kept by record index.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)
        self._load(())

    def _load(self, records: Sequence[ClipRecord]) -> None:
        self.records: tuple[ClipRecord, ...] = tuple(records)
        self.haystacks = [f"{r.text}\n{r.path.name}".casefold() for r in self.records]
        self._index = {str(r.path): i for i, r in enumerate(self.records)}
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

    # -- Qt model interface -------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = ROLE.DisplayRole) -> str | None:
        if orientation == Qt.Orientation.Horizontal and role == ROLE.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: QModelIndex, role: int = ROLE.DisplayRole) -> object:
        """Cell text, chip/warning icon, tooltip, alignment, or the record (``RECORD_ROLE``)."""
        if not index.isValid():
            return None
        i, column = self._order[index.row()], Column(index.column())
        if role == ROLE.DisplayRole:
            return self._text(i, column)
        if role == ROLE.DecorationRole:
            return self._icon(i, column)
        if role == ROLE.ToolTipRole:
            return self._tooltip(i, column)
        if role == ROLE.TextAlignmentRole and column in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return self.records[i] if role == RECORD_ROLE else None

    def _text(self, i: int, column: Column) -> str:
        if column == Column.DURATION:
            return "" if self._duration[i] is None else f"{self._duration[i]:.2f}"
        if column == Column.RATE:
            return "" if self._rate[i] is None else str(self._rate[i])
        return _FIELDS[column](self.records[i])

    def _icon(self, i: int, column: Column) -> QIcon | None:
        if column == Column.EMOTION:
            return _chip(self.records[i].emotion)
        return _warning_icon() if column == Column.FILE and self._error[i] else None

    def _tooltip(self, i: int, column: Column) -> str | None:
        record = self.records[i]
        if self._error[i]:
            return f"Unreadable: {self._error[i]}"
        if column == Column.FILE:
            return str(record.path)
        if column == Column.SENTENCE and record.sentence_id and record.text:
            return f"{record.sentence_id}: {record.text}"
        return None

    # -- rows, records and headers ---------------------------------------------------------------

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

    def error_of(self, path: str) -> str:
        """Return why ``path`` is unreadable (``""`` when it is fine or not probed yet)."""
        i = self._index.get(str(path))
        return "" if i is None else self._error[i]

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
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), len(Column) - 1))

    # -- sorting --------------------------------------------------------------------------------

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
        cell, records = _FIELDS[column], self.records
        return lambda i: cell(records[i]).casefold()


def _inverse(order: list[int]) -> list[int]:
    """Return the inverse permutation of ``order``."""
    inverse = [0] * len(order)
    for row, i in enumerate(order):
        inverse[i] = row
    return inverse


@dataclass(frozen=True)
class ClipFilter:
    """What the browser shows: ``""`` (or ``None`` for emotions) means no restriction.

    The search text is matched, case-insensitively, inside the clip's text and file name.
    """

    emotions: frozenset[str] | None = None
    speaker: str = ""
    gender: str = ""
    sentence: str = ""
    search: str = ""


@dataclass
class FilterOutcome:
    """One evaluation of a :class:`ClipFilter` over the records.

    Attributes
    ----------
    accepted : list of bool
        By record index: does the clip pass every criterion.
    visible : Counter
        Per emotion, the clips shown.
    facets : Counter
        Per emotion, the clips that pass every criterion but the emotion one (what ticking
        that emotion's box would show).
    """

    accepted: list[bool] = field(default_factory=list)
    visible: Counter[str] = field(default_factory=Counter)
    facets: Counter[str] = field(default_factory=Counter)


def evaluate(criteria: ClipFilter, records: Sequence[ClipRecord], haystacks: Sequence[str]) -> FilterOutcome:
    """Apply ``criteria`` to every record in one pass.

    Parameters
    ----------
    criteria : ClipFilter
        The filter.
    records : sequence of ClipRecord
        The clips.
    haystacks : sequence of str
        Per record, the case-folded text searched (see :attr:`ClipTableModel.haystacks`).

    Returns
    -------
    FilterOutcome
        The row mask and the per-emotion counts.
    """
    outcome = FilterOutcome()
    needle = criteria.search.strip().casefold()
    for record, haystack in zip(records, haystacks):
        passes = ((not criteria.speaker or record.speaker == criteria.speaker)
                  and (not criteria.gender or record.gender == criteria.gender)
                  and (not criteria.sentence or sentence_key(record) == criteria.sentence)
                  and needle in haystack)
        shown = passes and (criteria.emotions is None or record.emotion in criteria.emotions)
        outcome.accepted.append(shown)
        outcome.facets[record.emotion] += passes
        outcome.visible[record.emotion] += shown
    return outcome


class ClipFilterProxy(QSortFilterProxyModel):
    """Filters a :class:`ClipTableModel` by a :class:`ClipFilter`; sorting is the model's own."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setDynamicSortFilter(False)
        self._model = ClipTableModel(self)
        self._criteria = ClipFilter()
        self.outcome = FilterOutcome()
        self.setSourceModel(self._model)

    def setSourceModel(self, model: ClipTableModel) -> None:  # noqa: N802 (Qt override)
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
        self.outcome = evaluate(self._criteria, self._model.records, self._model.haystacks)

    def filterAcceptsRow(self, source_row: int, _parent: QModelIndex) -> bool:  # noqa: N802
        return self.outcome.accepted[self._model.record_index(source_row)]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the source model (fast); this proxy keeps its order."""
        self._model.sort(column, order)
