"""TakeForm: label takes after recording (intended emotion, speaker, sentence, notes), one at a time."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLineEdit, QPushButton

from servis_gui.core.emotions import CANONICAL
from servis_gui.core.takes.writer import TakeInfo


class TakeForm(QGroupBox):
    """The labels of one take; Save or Discard. Further takes (recovered after a crash) wait their turn."""

    def __init__(self) -> None:
        super().__init__("Label the take", visible=False)
        self.emotion = QComboBox(editable=True)
        self.emotion.addItems(CANONICAL)
        self.speaker, self.sentence, self.notes = QLineEdit(), QLineEdit(), QLineEdit()
        self.save, self.discard = QPushButton("Save"), QPushButton("Discard")
        form = QFormLayout(self)
        for label, widget in (("Intended emotion", self.emotion), ("Speaker", self.speaker),
                              ("Sentence", self.sentence), ("Notes", self.notes)):
            form.addRow(label, widget)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.discard)
        buttons.addWidget(self.save)
        form.addRow(buttons)
        self.take: TakeInfo | None = None
        self.waiting: list[TakeInfo] = []

    def edit(self, take: TakeInfo, *more: TakeInfo) -> None:
        """Show ``take``'s labels; ``more`` takes are shown by :meth:`next`, after any already waiting.

        The speaker stays from the previous take when ``take`` has none.
        """
        self.take = take
        self.waiting.extend(more)
        waiting = f", {len(self.waiting)} more to label after it" if self.waiting else ""
        self.setTitle(f"Label {take.file.name} ({take.duration:.1f} s){waiting}")
        if take.emotion:
            self.emotion.setCurrentText(take.emotion)
        self.speaker.setText(take.speaker or self.speaker.text())
        self.sentence.setText(take.text)
        self.notes.setText(take.notes)
        self.show()

    def next(self) -> bool:
        """Show the next waiting take; hide the form and return False when none is left."""
        if self.waiting:
            self.edit(self.waiting.pop(0))
            return True
        self.hide()
        return False

    def labelled(self) -> TakeInfo:
        """The take with the labels as entered (an edited sentence loses its prompt id)."""
        text = self.sentence.text().strip()
        return replace(self.take, emotion=self.emotion.currentText().strip(), text=text,
                       sentence_id=self.take.sentence_id if text == self.take.text else "",
                       speaker=self.speaker.text().strip(), notes=self.notes.text().strip())
