"""Small layout helpers shared by the panels."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout


def row(*items) -> QHBoxLayout:
    """A horizontal layout of widgets; ``(widget, stretch)`` pairs stretch."""
    layout = QHBoxLayout()
    for item in items:
        widget, stretch = item if isinstance(item, tuple) else (item, 0)
        layout.addWidget(widget, stretch)
    return layout
