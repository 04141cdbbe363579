"""The dataset browser's two views: the clip table and the emotion check boxes (no per-row widgets)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QGridLayout, QHBoxLayout, QHeaderView, QTableView, QWidget

from servis_gui.core.datasets.filtering import emotion_rank
from servis_gui.core.datasets.records import ClipRecord
from servis_gui.ui.browser_model import FIELDS, ClipFilterProxy
from servis_gui.ui.chips import emotion_icon

WIDTHS = (11, 8, 7, 26, 9, 11, 9, 10)  # in average characters; the file name column stretches
COLUMN_PADDING = 16


class ClipTable(QTableView):
    """The clip table: whole rows selected, compact rows, sorted by the model on header clicks.

    Signals
    -------
    return_pressed()
        Enter/Return on the table (the view's ``activated`` also fires on a single click in
        some styles, so it is not used).
    """

    return_pressed = Signal()

    def __init__(self, proxy: ClipFilterProxy) -> None:
        super().__init__()
        self.setModel(proxy)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)

    def fit_columns(self, records: Sequence[ClipRecord] = ()) -> None:
        """Give every column but the (stretching) file name a width for its usual contents, and
        hide the label columns no record of ``records`` fills (a narrow dock shows what matters)."""
        for column, chars in enumerate(WIDTHS):
            self.setColumnWidth(column, self.fontMetrics().averageCharWidth() * chars + COLUMN_PADDING)
        for column, field in FIELDS.items():
            self.setColumnHidden(column, bool(records) and not any(field(r) for r in records))

    def dataChanged(self, top_left: QModelIndex, bottom_right: QModelIndex,
                    roles: Sequence[int] = ()) -> None:
        """Repaint only for changes to rows on screen: probing changes thousands of rows off it."""
        first, last = self.rowAt(0), self.rowAt(self.viewport().height() - 1)
        if bottom_right.row() >= first and (last < 0 or top_left.row() <= last):
            super().dataChanged(top_left, bottom_right, list(roles))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.return_pressed.emit()
            event.accept()
        else:
            super().keyPressEvent(event)


class EmotionChecks(QWidget):
    """One check box per emotion present, with its colour chip and a count; emits ``changed``."""

    changed = Signal()
    COLUMNS = 3  # a narrow dock: the panes keep the width

    def __init__(self) -> None:
        super().__init__()
        self.boxes: dict[str, QCheckBox] = {}
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)

    def set_emotions(self, emotions: Iterable[str]) -> None:
        """Replace the boxes by one ticked box per emotion, in the canonical order."""
        for box in self.boxes.values():
            box.deleteLater()
        self.boxes = {emotion: QCheckBox(emotion) for emotion in sorted(set(emotions), key=emotion_rank)}
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


def side_by_side(*widgets: QWidget) -> QWidget:
    """Lay ``widgets`` out side by side in a margin-less row; the first one stretches."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for i, widget in enumerate(widgets):
        layout.addWidget(widget, 1 if i == 0 else 0)
    return row
