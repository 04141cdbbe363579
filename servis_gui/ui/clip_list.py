"""A simple list of clips (the demo corpus and files the user opened), coloured by emotion."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from servis_gui.core.datasets.records import ClipRecord
from servis_gui.core.emotions import colour

PATH_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ("Emotion", "Speaker", "Sentence", "File")


def emotion_icon(emotion: str, size: int = 12) -> QIcon:
    """A small square in the emotion's colour (the same colour everywhere in the app)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour(emotion)))
    return QIcon(pixmap)


class ClipList(QWidget):
    """Clips to pick from; activating one (click, Enter, arrow keys) emits ``clip_chosen(path)``."""

    clip_chosen = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #ffcc80")
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSortingEnabled(True)
        self.tree.sortByColumn(COLUMNS.index("File"), Qt.SortOrder.AscendingOrder)
        self.tree.currentItemChanged.connect(self._on_current_changed)
        self.setMinimumWidth(320)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.notice)
        layout.addWidget(self.tree)

    def set_records(self, records: tuple[ClipRecord, ...] | list[ClipRecord], notice: str = "") -> None:
        """Replace the list with ``records``; ``notice`` is shown above it."""
        self.tree.clear()
        self.notice.setText(notice)
        self.notice.setVisible(bool(notice))
        for record in records:
            self._add(record.path, record.emotion, record.speaker, record.text)
        for column in range(len(COLUMNS)):
            self.tree.resizeColumnToContents(column)

    def add_file(self, path: str) -> None:
        """Add a file the user opened (unlabelled) unless it is listed already, and select it."""
        item = self._find(path) or self._add(Path(path), "unknown", "", "")
        self.select(path, item)

    def select(self, path: str, item: QTreeWidgetItem | None = None) -> None:
        """Highlight ``path`` without emitting ``clip_chosen``."""
        item = item or self._find(path)
        if item is not None:
            self.tree.blockSignals(True)
            self.tree.setCurrentItem(item)
            self.tree.blockSignals(False)

    def paths(self) -> list[str]:
        root = self.tree.invisibleRootItem()
        return [root.child(i).data(0, PATH_ROLE) for i in range(root.childCount())]

    def _add(self, path: Path, emotion: str, speaker: str, text: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem([emotion, speaker, text, path.name])
        item.setIcon(0, emotion_icon(emotion))
        item.setData(0, PATH_ROLE, str(path))
        item.setToolTip(3, str(path))
        self.tree.addTopLevelItem(item)
        return item

    def _find(self, path: str) -> QTreeWidgetItem | None:
        root = self.tree.invisibleRootItem()
        for i in range(root.childCount()):
            if root.child(i).data(0, PATH_ROLE) == str(path):
                return root.child(i)
        return None

    def _on_current_changed(self, current: QTreeWidgetItem | None, _previous) -> None:
        if current is not None:
            self.clip_chosen.emit(current.data(0, PATH_ROLE))
