"""Emotion colour chips: the same colour for an emotion everywhere in the app."""

from __future__ import annotations

from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from servis_gui.core.emotions import emotion_color


def emotion_icon(emotion: str, size: int = 12) -> QIcon:
    """A small square in the emotion's colour, outlined so that light colours show on light rows."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(emotion_color(emotion)))
    painter = QPainter(pixmap)
    painter.setPen(QColor("#606060"))
    painter.drawRect(0, 0, size - 1, size - 1)
    painter.end()
    return QIcon(pixmap)
