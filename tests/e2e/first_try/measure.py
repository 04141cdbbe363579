"""What a person sees, measured from the outside: visible rectangles of widgets and graphics items,
tick labels, texts on the screen (for driver.py)."""


from __future__ import annotations

import html
import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from PySide6.QtCore import QPoint, QRect, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QPainter, QPicture  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractItemView, QAbstractScrollArea, QApplication, QLabel, QLineEdit, QMainWindow, QWidget,
)

WATCHDOG_S = float(os.environ.get("FIRST_TRY_WATCHDOG_S", "90"))
POLL_MS = 25
Key, Mod = Qt.Key, Qt.KeyboardModifier
CTRL, SHIFT = Mod.ControlModifier, Mod.ShiftModifier

# ---------------------------------------------------------------- geometry helpers ---------------------------

def rect_dict(r) -> dict | None:
    if r is None:
        return None
    r = r.toRect() if isinstance(r, QRectF) else r
    return {"x": r.x(), "y": r.y(), "w": r.width(), "h": r.height()} if not r.isEmpty() else \
        {"x": r.x(), "y": r.y(), "w": 0, "h": 0}


def area(r: QRect) -> int:
    return 0 if r.isEmpty() else r.width() * r.height()


def screen_of(widget: QWidget):
    return (widget.window().windowHandle() and widget.window().windowHandle().screen()) or \
        QGuiApplication.primaryScreen()


def widget_shown(widget: QWidget) -> bool:
    return widget.isVisible() and not global_visible(widget).isEmpty()


def global_visible(widget: QWidget, local: QRect | None = None) -> QRect:
    """The part of ``local`` (widget coordinates; the whole widget when omitted) a person can see, in
    global (screen) coordinates: clipped by every ancestor (scroll area viewports, splitters, docks,
    the window) and by the screen. (QWidget.visibleRegion is not used: it also subtracts the widget's
    own children, e.g. a GraphicsView's viewport.) Siblings drawn on top are not subtracted."""
    if not widget.isVisible():
        return QRect()
    local = widget.rect() if local is None else local
    result = QRect(widget.mapToGlobal(local.topLeft()), local.size())
    parent = widget.parentWidget()
    while parent is not None and not result.isEmpty():
        result = result.intersected(global_rect(parent))
        if isinstance(parent, QAbstractScrollArea):
            result = result.intersected(global_rect(parent.viewport()))
        if parent.isWindow():
            break
        parent = parent.parentWidget()
    return result.intersected(screen_of(widget).geometry())


def global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


# ---------------------------------------------------------------- pyqtgraph measurements ---------------------

def graphics_views() -> list:
    import pyqtgraph as pg

    return [w for w in QApplication.allWidgets() if isinstance(w, pg.GraphicsView) and w.isVisible()]


def view_of(item, fallback=None):
    """The GraphicsView showing ``item`` (the visible one when its scene has several)."""
    views = item.scene().views() if item.scene() is not None else []
    shown = [v for v in views if v.isVisible()]
    return (shown or views or [fallback])[0]


def item_global(view, item) -> tuple[QRect, QRect]:
    """(mapped rect, visible part) of a graphics item, both in global coordinates. ``view`` is only a
    fallback: the item's own scene says which view shows it."""
    view = view_of(item, view)
    mapped = view.mapFromScene(item.mapRectToScene(item.boundingRect())).boundingRect()
    viewport = view.viewport()
    full = QRect(viewport.mapToGlobal(mapped.topLeft()), mapped.size())
    return full, global_visible(viewport, mapped)


def image_items(view) -> list:
    import pyqtgraph as pg

    return [it for it in view.scene().items()
            if isinstance(it, pg.ImageItem) and it.image is not None and it.isVisible()]


def curves_with_data(view) -> list:
    import pyqtgraph as pg

    out = []
    for it in view.scene().items():
        if isinstance(it, pg.PlotCurveItem) and it.isVisible():
            x, _y = it.getData()
            if x is not None and len(x):
                out.append(it)
    return out


def describe_image(view, item) -> dict:
    full, visible = item_global(view, item)
    return {"shape": list(item.image.shape), "mapped": rect_dict(full), "visible": rect_dict(visible),
            "visible_fraction": round(area(visible) / area(full), 3) if area(full) else 0.0}


def axis_labels(view) -> list[dict]:
    """Every visible axis of ``view``: its tick labels (text and global rect) and the pairs that overlap."""
    import pyqtgraph as pg

    axes = []
    for item in view.scene().items():
        if not isinstance(item, pg.AxisItem) or not item.isVisible() or not item.style.get("showValues", True):
            continue
        picture = QPicture()
        painter = QPainter(picture)
        try:
            if item.style.get("tickFont"):
                painter.setFont(item.style["tickFont"])
            specs = item.generateDrawSpecs(painter)
        finally:
            painter.end()
        if not specs:
            continue
        labels = []
        for rect, _flags, text in specs[2]:
            full = view.mapFromScene(item.mapRectToScene(rect)).boundingRect()
            visible = global_visible(view.viewport(), full)
            labels.append({"text": text, "rect": rect_dict(QRect(view.viewport().mapToGlobal(full.topLeft()),
                                                                   full.size())),
                           "visible": not visible.isEmpty()})
        overlaps = []
        for i, a in enumerate(labels):
            for b in labels[i + 1:]:
                ra, rb = (QRect(r["x"], r["y"], r["w"], r["h"]) for r in (a["rect"], b["rect"]))
                inter = ra.intersected(rb)
                if (a["visible"] or b["visible"]) and inter.width() > 1 and inter.height() > 1:
                    overlaps.append([a["text"], b["text"], rect_dict(inter)])
        label = getattr(item, "labelText", "") or ""
        axes.append({"axis": f"{item.orientation} axis '{label}'", "labels": labels, "overlaps": overlaps})
    return axes


def all_overlaps(views) -> list:
    return [{"axis": a["axis"], "overlaps": a["overlaps"]} for v in views for a in axis_labels(v) if a["overlaps"]]


# ---------------------------------------------------------------- visible text -------------------------------

def plain(text: str) -> str:
    text = re.sub(r"<br\s*/?>", "\n", text or "", flags=re.I)
    return html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\xa0", " ").strip()


def visible_texts(window: QMainWindow) -> list[dict]:
    """What a person can read: visible labels and buttons, line edits, the status bar message, the
    window title, tab titles, pyqtgraph labels in visible views, cells of visible item views."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import QAbstractButton, QTabBar

    out = [{"where": "window title", "text": window.windowTitle()}]
    message = window.statusBar().currentMessage() if window.statusBar().isVisible() else ""
    if message:
        out.append({"where": "status bar", "text": message})
    for w in QApplication.allWidgets():
        if w.window() is not window or not widget_shown(w) or global_visible(w).isEmpty():
            continue
        where = type(w).__name__ + (f"#{w.objectName()}" if w.objectName() else "")
        if isinstance(w, QLabel) and w.text():
            out.append({"where": where, "text": plain(w.text())})
        elif isinstance(w, QAbstractButton) and w.text():
            out.append({"where": where, "text": w.text()})
        elif isinstance(w, QLineEdit) and w.text():
            out.append({"where": where, "text": w.text()})
        elif isinstance(w, QTabBar):
            out.extend({"where": "tab", "text": w.tabText(i)} for i in range(w.count()))
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            model, port = w.model(), w.viewport().rect()
            for row in range(min(model.rowCount(), 300)):
                for col in range(model.columnCount()):
                    index = model.index(row, col)
                    if w.visualRect(index).intersects(port):
                        text = model.data(index)
                        if text:
                            out.append({"where": where + " cell", "text": str(text)})
    for view in graphics_views():
        if view.window() is not window:
            continue
        for item in view.scene().items():
            if isinstance(item, (pg.LabelItem, pg.TextItem)) and item.isVisible():
                _full, visible = item_global(view, item)
                text = item.text if isinstance(item, pg.LabelItem) else item.toPlainText()
                if not visible.isEmpty() and text:
                    out.append({"where": type(item).__name__, "text": plain(text)})
    return out
