"""An inline bar above the panes for errors and notices (no modal dialogs in the user's way)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

STYLES = {
    "error": "background: #5d1f1f; color: #ffdede; padding: 4px;",
    "info": "background: #263a4f; color: #e0f0ff; padding: 4px;",
}


class MessageBar(QWidget):
    """Shows one message until it is dismissed or replaced."""

    def __init__(self) -> None:
        super().__init__()
        self.label = QLabel()
        self.label.setWordWrap(True)
        close = QPushButton("Dismiss")
        close.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.kind = ""
        self.hide()

    def show_message(self, text: str, kind: str = "error") -> None:
        self.kind = kind
        self.label.setText(text)
        self.label.setStyleSheet(STYLES[kind])
        self.show()

    def clear(self) -> None:
        self.kind = ""
        self.label.clear()
        self.hide()

    def text(self) -> str:
        return self.label.text()
