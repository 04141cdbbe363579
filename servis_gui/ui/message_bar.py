"""An inline bar above the panes for errors and notices (no modal dialogs in the user's way)."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

STYLES = {
    "error": "background: #5d1f1f; color: #ffdede; padding: 4px;",
    "info": "background: #263a4f; color: #e0f0ff; padding: 4px;",
}


class MessageBar(QWidget):
    """Shows one message until it is dismissed or replaced, with its details behind a toggle and
    at most one action button."""

    def __init__(self) -> None:
        super().__init__()
        self.label = _plain_label()
        self.details = _plain_label()
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                             | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.details_button = QPushButton("Details")
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self.details.setVisible)
        self.action_button = QPushButton()
        self.action_button.clicked.connect(self._run_action)
        close = QPushButton("Dismiss")
        close.clicked.connect(self.clear)
        row = QHBoxLayout()
        row.addWidget(self.label, 1)
        for button in (self.details_button, self.action_button, close):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(row)
        layout.addWidget(self.details)
        self.kind = ""
        self._action: Callable[[], None] | None = None
        self.clear()

    def show_message(self, text: str, kind: str = "error", details: str = "",
                     action: tuple[str, Callable[[], None]] | None = None) -> None:
        """Show ``text``, replacing any message shown.

        Parameters
        ----------
        text : str
            The sentence for the user (shown as plain text, never as HTML).
        kind : {"error", "info"}
            Colours the bar.
        details : str
            Shown, selectable, under the message when the user presses "Details" (no such button
            if empty).
        action : (label, callback) or None
            A button with ``label``; pressing it clears the bar, then calls ``callback`` once.
        """
        self.kind = kind
        self.label.setText(text)
        for label in (self.label, self.details):
            label.setStyleSheet(STYLES[kind])
        self.details.setText(details)
        self.details_button.setChecked(False)
        self.details.hide()
        self.details_button.setVisible(bool(details))
        self._action = action[1] if action else None
        self.action_button.setText(action[0] if action else "")
        self.action_button.setVisible(action is not None)
        self.show()

    def clear(self) -> None:
        """Hide the bar and forget its message, details and action."""
        self.kind = ""
        self.label.clear()
        self.details.clear()
        self.details.hide()
        self.details_button.setChecked(False)
        self.details_button.hide()
        self._action = None
        self.action_button.hide()
        self.hide()

    def text(self) -> str:
        """The message shown, ``""`` if none."""
        return self.label.text()

    def _run_action(self) -> None:
        action = self._action
        self.clear()
        if action is not None:
            action()


def _plain_label() -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label
