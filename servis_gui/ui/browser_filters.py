"""The dataset browser's filter bar: emotion check boxes with counts, speaker, gender and sentence
combos, and a search box (Ctrl+F). The filtering itself is Qt-free (core.datasets.filtering)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QLineEdit, QToolButton, QVBoxLayout, QWidget

from servis_gui.core.datasets.filtering import ClipFilter, sentence_key, sentence_label
from servis_gui.core.datasets.records import ClipRecord
from servis_gui.ui.browser_views import EmotionChecks, side_by_side

WINDOW_KEYS = frozenset({Qt.Key.Key_E, Qt.Key.Key_R})
"""Ctrl+<key> combinations the search box leaves to the window's menus."""
MAX_SENTENCES = 300  # beyond this many distinct sentences, the sentence combo gives way to search
SEARCH_DELAY_MS = 150


class FilterBar(QWidget):
    """Emotion check boxes with counts, speaker/gender/sentence combos and a search box (Ctrl+F).

    Signals
    -------
    changed() : the user changed a filter (typing in the search box is debounced)
    """

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._resetting = False
        self.emotions = EmotionChecks()
        self.speaker, self.gender, self.sentence = QComboBox(), QComboBox(), QComboBox()
        self.sentence.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.sentence.setMinimumContentsLength(12)
        self.search = QLineEdit(placeholderText="Search text and file names (Ctrl+F)", clearButtonEnabled=True)
        self.search.installEventFilter(self)
        clear = QToolButton(text="Clear", toolTip="Show every clip (clear all filters)")
        self._typing = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.emotions)
        layout.addWidget(side_by_side(self.search, clear))
        layout.addWidget(side_by_side(self.sentence, self.speaker, self.gender))
        self.emotions.changed.connect(self._on_changed)
        for combo in (self.speaker, self.gender, self.sentence):
            combo.currentIndexChanged.connect(self._on_changed)
        self.search.textChanged.connect(self._typing.start)
        self._typing.timeout.connect(self._on_changed)
        clear.clicked.connect(self.clear)
        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search)
        self.fill(())

    def fill(self, records: Sequence[ClipRecord]) -> None:
        """Offer the emotions, speakers, genders and sentences of ``records``; clear every filter."""
        self._resetting = True
        self.emotions.set_emotions(r.emotion for r in records)
        _fill_combo(self.speaker, "All speakers", sorted({r.speaker for r in records} - {""}))
        _fill_combo(self.gender, "All genders", sorted({r.gender for r in records} - {""}))
        sentences = sorted({sentence_key(r): r for r in records if sentence_key(r)}.items())
        many = len(sentences) > MAX_SENTENCES
        _fill_combo(self.sentence, "All sentences", [] if many else [key for key, _ in sentences],
                    [sentence_label(r) for _, r in sentences])
        self.sentence.setEnabled(bool(sentences) and not many)
        self.sentence.setToolTip(f"{len(sentences):,} different sentences: use the search box" if many else "")
        self._resetting = False
        self._clear_search()

    def criteria(self) -> ClipFilter:
        """Return the filter the bar shows."""
        return ClipFilter(self.emotions.checked(), self.speaker.currentData() or "",
                          self.gender.currentData() or "", self.sentence.currentData() or "", self.search.text())

    def clear(self) -> None:
        """Tick every emotion, reset the combos and the search box, then emit ``changed``."""
        self._resetting = True
        for box in self.emotions.boxes.values():
            box.setChecked(True)
        for combo in (self.speaker, self.gender, self.sentence):
            combo.setCurrentIndex(0)
        self._resetting = False
        self._clear_search()
        self.changed.emit()

    def _clear_search(self) -> None:
        self.search.clear()
        self._typing.stop()  # started by clear(): no filter change to report

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Leave the window's shortcuts to the window while typing a search: the line edit would
        take Ctrl+E (end of line) and Ctrl+R before "Same sentence" and "Record" saw them."""
        if watched is self.search and event.type() == QEvent.Type.ShortcutOverride:
            combo = event.keyCombination()
            if combo.keyboardModifiers() == Qt.KeyboardModifier.ControlModifier and combo.key() in WINDOW_KEYS:
                event.ignore()
                return True
        return super().eventFilter(watched, event)

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _on_changed(self) -> None:
        if not self._resetting:
            self.changed.emit()


def _fill_combo(combo: QComboBox, everything: str, keys: list[str], labels: list[str] | None = None) -> None:
    """Replace the entries of ``combo`` by ``everything`` (no filter, key ``""``) then ``keys``."""
    combo.clear()
    combo.addItem(everything, "")
    for key, label in zip(keys, labels or keys):
        combo.addItem(label, key)


