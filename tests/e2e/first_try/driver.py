"""Drives the REAL app through one first-try scenario and writes what a person would see as JSON.

    python driver.py REPORT.json SCENARIO SHOT_DIR [-- servis arguments…]

Run by test_first_try.py under Xvfb (QT_QPA_PLATFORM=xcb) with empty settings. The driver creates
the QApplication, schedules the scenario, then calls ``servis_gui.app.main`` (the app's own start
path). A scenario is a generator: it yields waits (polled with a QTimer, the GUI thread never
sleeps), presses keys through ``QTest.keyClick(window.windowHandle(), …)`` (QGuiApplication's
shortcut map, like an X key press), saves screenshots of the whole X screen and records checks:
``{"step", "name", "ok", "hard", "measured", "expected", "shot"}``. Soft checks are findings.

Everything is measured from the outside where possible (visible GraphicsViews, their ImageItems and
AxisItems, visible widgets' text, the screen), so the app's internals may change.
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
import threading
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from PySide6.QtCore import QPoint, QRect, QRectF, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QGuiApplication, QPainter, QPicture, QTextDocument  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractItemView, QAbstractScrollArea, QApplication, QLabel, QLineEdit, QMainWindow, QMenu, QScrollArea,
    QWidget,
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


# ---------------------------------------------------------------- the step runner ----------------------------

class Wait:
    def __init__(self, condition, timeout_s: float, what: str) -> None:
        self.condition, self.timeout_s, self.what = condition, timeout_s, what


class Tester:
    """What a scenario uses: the window, waits, keys, screenshots and checks."""

    def __init__(self, app: QApplication, scenario: str, report_path: Path, shots: Path) -> None:
        self.app, self.scenario, self.report_path, self.shots = app, scenario, report_path, shots
        self.shots.mkdir(parents=True, exist_ok=True)
        for old in self.shots.glob("*.png"):
            old.unlink()
        self.window: QMainWindow | None = None
        self.step_name = "start"
        self.checks: list[dict] = []
        self.facts: dict = {}
        self.log: list[str] = []
        self.shot_count = 0
        self.last_shot = ""
        self.t0 = time.monotonic()
        self.error: str | None = None
        self.finished = False
        self.drawn: list[tuple[float, str]] = []
        self._lock = threading.Lock()

    # -- scenario API ----------------------------------------------------------------------------

    def step(self, name: str) -> None:
        self.step_name = name
        self.say(f"step {name}")

    def say(self, text: str) -> None:
        self.log.append(f"{time.monotonic() - self.t0:7.3f} {text}")

    def until(self, condition, timeout_s: float, what: str) -> Wait:
        return Wait(condition, timeout_s, what)

    def sleep(self, ms: int) -> Wait:
        return Wait(lambda: False, ms / 1000, f"sleep {ms} ms")

    def key(self, key, modifiers=Mod.NoModifier, label: str = "") -> None:
        focus = QApplication.focusWidget()
        self.say(f"key {label or key} (focus: {type(focus).__name__ if focus else None})")
        QTest.keyClick(self.window.windowHandle(), key, modifiers)

    def shot(self, name: str) -> str:
        self.shot_count += 1
        path = self.shots / f"{self.shot_count:02d}-{name}.png"
        QGuiApplication.primaryScreen().grabWindow(0).save(str(path))
        self.last_shot = str(path)
        self.say(f"screenshot {path.name}")
        return self.last_shot

    def check(self, name: str, ok: bool, measured, expected: str, hard: bool = True) -> bool:
        self.checks.append({"step": self.step_name, "name": name, "ok": bool(ok), "hard": hard,
                            "measured": measured, "expected": expected, "shot": self.last_shot})
        self.say(f"check {name}: {'ok' if ok else 'FAILED' if hard else 'finding'}")
        return bool(ok)

    # -- report ----------------------------------------------------------------------------------

    def write_report(self) -> None:
        with self._lock:
            data = {"scenario": self.scenario, "error": self.error, "checks": self.checks,
                    "facts": self.facts, "log": self.log, "seconds": round(time.monotonic() - self.t0, 2)}
            tmp = self.report_path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data, indent=1, default=str))
            tmp.replace(self.report_path)


class Runner:
    """Runs a scenario generator on the event loop: each yielded Wait is polled every POLL_MS."""

    def __init__(self, tester: Tester, scenario) -> None:
        self.t, self.scenario = tester, scenario
        self.gen = None
        self.timer = QTimer(interval=POLL_MS)
        self.timer.timeout.connect(self._poll)
        self.wait: Wait | None = None
        self.deadline = 0.0

    def start(self) -> None:
        self.gen = self.scenario(self.t)
        self._advance(None)

    def _poll(self) -> None:
        try:
            done = bool(self.wait.condition())
        except Exception:  # noqa: BLE001 (a condition that cannot be evaluated yet is false)
            done = False
        if done or time.monotonic() >= self.deadline:
            self.timer.stop()
            if not done:
                self.t.say(f"timeout after {self.wait.timeout_s:g} s: {self.wait.what}")
            self._advance(done)

    def _advance(self, value) -> None:
        try:
            self.wait = self.gen.send(value)
        except StopIteration:
            self._final_checks()
            return self.finish()
        except Exception:  # noqa: BLE001
            self.t.error = f"in step {self.t.step_name!r}:\n{traceback.format_exc()}"
            try:
                self.t.shot("error")
            except Exception:  # noqa: BLE001
                pass
            return self.finish()
        self.deadline = time.monotonic() + self.wait.timeout_s
        self.timer.start()

    def _final_checks(self) -> None:
        """Every scenario: the app showed no 'Internal error' (its excepthook's message)."""
        window = self.t.window
        if window is not None and window.isVisible():
            self.t.step("end")
            errors = [p for p in visible_texts(window) if "internal error" in p["text"].lower()]
            self.t.check("no_internal_error_shown", not errors, errors, "no 'Internal error' message on the screen")

    def finish(self) -> None:
        self.t.finished = True
        self.t.write_report()
        code = 1 if self.t.error else 0
        QTimer.singleShot(0, lambda: QApplication.instance().exit(code))
        hard_exit = threading.Timer(15, lambda: os._exit(5))  # an app that does not quit must not hang the run
        hard_exit.daemon = True
        hard_exit.start()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMainWindow) and widget.isVisible():
                try:
                    widget.close()
                except Exception:  # noqa: BLE001 (a failing closeEvent is the app's problem, reported in its log)
                    traceback.print_exc()


# ---------------------------------------------------------------- shared scenario parts ----------------------

def main_window() -> QMainWindow | None:
    wins = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()]
    return wins[0] if wins else None


def has_clip_image() -> bool:
    return any(image_items(v) for v in graphics_views())


def open_window(t: Tester, expect_clip: bool = True):
    """Wait for the main window, make it active (a window manager would), wait for the first clip."""
    t.step("window")
    found = yield t.until(main_window, 15, "main window shown")
    if not found:
        raise AssertionError("no main window appeared within 15 s")
    t.window = main_window()
    t.window.clip_drawn.connect(lambda path: t.drawn.append((time.monotonic(), path)))
    t.window.activateWindow()
    t.window.raise_()
    active = yield t.until(lambda: QApplication.activeWindow() is t.window, 5, "window active")
    t.facts["active_window"] = bool(active)
    if expect_clip:
        t.step("first-clip")
        drawn = yield t.until(lambda: getattr(t.window, "panes", None) is not None and has_clip_image()
                              and "Loading" not in t.window.header.text(), 20, "first clip drawn")
        t.facts["first_clip_s"] = round(time.monotonic() - t.t0, 2)
        t.check("first_clip_drawn", drawn, {"seconds": t.facts["first_clip_s"], "header": plain(t.window.header.text())},
                "a clip drawn within 20 s")
        if not drawn:
            raise AssertionError("no clip was drawn within 20 s of the start (see app.log)")
        yield t.sleep(150)


def window_geometry(window: QMainWindow) -> dict:
    screen = screen_of(window)
    return {"frame": rect_dict(window.frameGeometry()), "geometry": rect_dict(window.geometry()),
            "available": rect_dict(screen.availableGeometry()), "screen": rect_dict(screen.geometry()),
            "device_pixel_ratio": screen.devicePixelRatio(), "minimum_size": [window.minimumSizeHint().width(),
                                                                              window.minimumSizeHint().height()]}


def check_window_fits(t: Tester) -> None:
    g = window_geometry(t.window)
    fits = screen_of(t.window).availableGeometry().contains(t.window.frameGeometry())
    t.check("window_fits_screen", fits, g, "frameGeometry inside the screen's availableGeometry")


def header_measure(t: Tester) -> dict:
    """What the header's text needs (laid out like the label lays it out) against what it has."""
    header = t.window.header
    doc = QTextDocument()
    doc.setDefaultFont(header.font())
    doc.setDocumentMargin(0)
    if header.textFormat() == Qt.TextFormat.PlainText:
        doc.setPlainText(header.text())
    else:
        doc.setHtml(header.text())
    width = header.contentsRect().width()
    if header.wordWrap():
        doc.setTextWidth(width)
    visible = global_visible(header)
    return {"text": plain(header.text()), "word_wrap": header.wordWrap(), "needed_w": round(doc.idealWidth()),
            "needed_h": round(doc.size().height()), "width": width, "height": header.contentsRect().height(),
            "visible": rect_dict(visible)}


def check_header_not_cut(t: Tester) -> None:
    m = header_measure(t)
    ok = m["needed_w"] <= m["width"] + 1 and m["needed_h"] <= m["height"] + 1 and \
        m["visible"]["w"] >= min(m["needed_w"], m["width"]) - 1 and m["visible"]["h"] >= min(m["needed_h"], m["height"]) - 1
    t.check("header_not_cut", ok, m, "the header's text fits its width and height and is on the screen")


def panes_view():
    panes = getattr(main_window(), "panes", None)
    return panes


def mel_of_panes(t: Tester):
    panes = t.window.panes
    return panes, panes.mel_image


def check_panes_mel(t: Tester, min_h: int = 100) -> dict:
    panes, mel = mel_of_panes(t)
    m = describe_image(panes, mel) if mel.image is not None else {"mapped": None, "visible": None}
    ok = mel.image is not None and m["visible"]["h"] >= min_h and m["visible_fraction"] >= 0.99
    t.check("panes_mel_visible", ok, m, f"mel image shown, visible height >= {min_h} px, fully inside the view "
                                         "and the screen")
    return m


def check_no_overlaps(t: Tester, views, name: str) -> None:
    overlaps = all_overlaps(views)
    t.check(name, not overlaps, overlaps[:12], "no two tick labels of one axis overlap")


# ---------------------------------------------------------------- scenarios ----------------------------------

def scenario_start(t: Tester):
    """1. The first start: the window fits, the header is readable, the panes show the mel spectrogram."""
    yield from open_window(t)
    t.step("start")
    t.shot("first-clip")
    check_window_fits(t)
    check_header_not_cut(t)
    search = t.window.library.browser.filters.search
    visible = global_visible(search)
    t.check("search_box_wide_enough", visible.width() > 120,
            {"visible": rect_dict(visible), "width": search.width(), "placeholder": search.placeholderText()},
            "the dataset search box is more than 120 px wide on the screen")
    check_panes_mel(t)
    check_no_overlaps(t, [t.window.panes], "panes_tick_labels_do_not_overlap")
    central = global_visible(t.window.centralWidget())
    panes = global_visible(t.window.panes)
    t.facts["central"], t.facts["panes"] = rect_dict(central), rect_dict(panes)
    t.facts["texts"] = visible_texts(t.window)
    t.step("resize-and-quit")
    available = screen_of(t.window).availableGeometry()
    minimum = t.window.minimumSizeHint()
    # Narrower and moved (the height stays: the mel check after the restart holds it to 100 px).
    wanted = QRect(available.x() + 30, available.y() + 20, max(available.width() * 3 // 4, minimum.width()),
                   max(t.window.height() - 20, minimum.height()))
    t.window.setGeometry(wanted)  # what a person does with the window manager
    yield t.until(lambda: t.window.geometry() == wanted, 2, "window resized")
    yield t.sleep(200)
    t.facts["resize_wanted"] = rect_dict(wanted)
    t.facts["geometry_before_quit"] = rect_dict(t.window.geometry())
    t.shot("resized")
    t.key(Key.Key_Q, CTRL, "Ctrl+Q")
    closed = yield t.until(lambda: not t.window.isVisible(), 5, "window closed by Ctrl+Q")
    t.check("ctrl_q_quits", closed, {"visible": t.window.isVisible()}, "Ctrl+Q closes the window")


def scenario_restart(t: Tester):
    """1b. Started again with the same HOME: the window comes back where the user left it."""
    previous = json.loads(Path(os.environ["FIRST_TRY_PREVIOUS"]).read_text())
    expected = previous["facts"].get("geometry_before_quit")
    yield from open_window(t)
    t.step("restarted")
    t.shot("restarted")
    now = rect_dict(t.window.geometry())
    off = max(abs(now[k] - expected[k]) for k in "xywh") if expected else None
    t.check("geometry_remembered", off is not None and off <= 8, {"now": now, "before_quit": expected, "off_px": off},
            "the window has the geometry it had when the user quit (within 8 px: no window manager here)")
    check_window_fits(t)
    check_panes_mel(t)


def current_table_path(t: Tester) -> str:
    browser = t.window.library.browser
    index = browser.table.currentIndex()
    if not index.isValid():
        return ""
    return str(browser.model.record_at(browser.proxy.mapToSource(index).row()).path)


def scenario_browse_zoom(t: Tester):
    """2. Down through five clips in the dataset table; 5. zoom and fit with the keyboard."""
    yield from open_window(t)
    t.step("focus")
    table = t.window.library.browser.table
    focus = QApplication.focusWidget()
    t.check("table_has_focus_at_start", focus is table,
            {"focus_widget": type(focus).__name__ if focus else None, "table_visible": rect_dict(global_visible(table))},
            "after start, Down goes to the dataset table (else the user must click it first)", hard=False)
    if focus is not table:
        rect = table.visualRect(table.currentIndex()) if table.currentIndex().isValid() else \
            QRect(5, 5, 10, 10)
        QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, Mod.NoModifier, rect.center())
        yield t.until(lambda: QApplication.focusWidget() is table, 2, "table focused by a click")
        t.check("table_focus_after_click", QApplication.focusWidget() is table,
                {"focus_widget": type(QApplication.focusWidget()).__name__}, "a click on the current row focuses the table")
    for n in range(1, 6):
        t.step(f"down-{n}")
        before = current_table_path(t)
        t.key(Key.Key_Down, label="Down")
        moved = yield t.until(lambda: current_table_path(t) != before, 2, "current row moved")
        path = current_table_path(t)
        name = Path(path).stem
        ok = yield t.until(lambda: t.drawn and t.drawn[-1][1] == path and name in t.window.header.text(), 5,
                           "new clip drawn")
        yield t.sleep(60)
        t.shot(f"down-{n}")
        t.check("header_names_new_clip", moved and ok and name in plain(t.window.header.text()),
                {"moved": moved, "expected": name, "header": plain(t.window.header.text())},
                "the header names the clip the table moved to")
        check_panes_mel(t)
    yield from zoom_steps(t)


def x_width(t: Tester) -> float:
    t0, t1 = t.window.panes.wave.viewRange()[0]
    return t1 - t0


def zoom_steps(t: Tester):
    t.step("zoom")
    duration = t.window.session.analysis.clip.duration
    start = x_width(t)
    t.facts["zoom"] = {"duration": duration, "start": start}
    for label, key, mods, compare in (("Ctrl+=", Key.Key_Equal, CTRL, "<"), ("Ctrl++", Key.Key_Plus, CTRL, "<"),
                                      ("Ctrl+-", Key.Key_Minus, CTRL, ">"), ("Ctrl+0", Key.Key_0, CTRL, "fit")):
        t.step(f"zoom {label}")
        before = x_width(t)
        t.key(key, mods, label)
        if compare == "<":
            ok = yield t.until(lambda: x_width(t) < before * 0.95, 1.5, f"{label} zooms in")
        elif compare == ">":
            ok = yield t.until(lambda: x_width(t) > before * 1.05, 1.5, f"{label} zooms out")
        else:
            ok = yield t.until(lambda: abs(x_width(t) - duration) <= 0.02 * duration, 1.5, f"{label} fits")
        t.shot("zoom-" + {"Ctrl+=": "ctrl-equal", "Ctrl++": "ctrl-plus", "Ctrl+-": "ctrl-minus",
                          "Ctrl+0": "ctrl-0"}[label])
        expected = {"<": "the time range shrinks", ">": "the time range grows",
                    "fit": "the time range is the whole clip"}[compare]
        t.check(f"{label} works", ok, {"x_width_before": round(before, 4), "x_width_after": round(x_width(t), 4),
                                       "duration": round(duration, 4)}, expected)
    check_no_overlaps(t, [t.window.panes], "panes_tick_labels_do_not_overlap")


def scroll_areas_around(widget: QWidget) -> list[QScrollArea]:
    out, parent = [], widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            out.append(parent)
        parent = parent.parentWidget()
    return out


def scroll_positions(areas) -> list[list[tuple]]:
    """Scroll positions to visit: every combination of min..max in page steps (at most ~8 per bar)."""
    bars = [bar for a in areas for bar in (a.horizontalScrollBar(), a.verticalScrollBar()) if bar.maximum() > bar.minimum()]
    combos: list[list[tuple]] = [[]]
    for bar in bars:
        step = max(bar.pageStep(), (bar.maximum() - bar.minimum()) // 8, 1)
        values = list(range(bar.minimum(), bar.maximum(), step)) + [bar.maximum()]
        combos = [c + [(bar, v)] for c in combos for v in values]
    return combos


def bar_state(areas) -> list[dict]:
    return [{"area": type(a).__name__, "orientation": name, "visible": bar.isVisible(), "min": bar.minimum(),
             "max": bar.maximum(), "page": bar.pageStep(), "value": bar.value()}
            for a in areas for name, bar in (("horizontal", a.horizontalScrollBar()), ("vertical", a.verticalScrollBar()))]


def measure_grid(t: Tester, n: int):
    """The grid's mel images and colour bars at every scroll position a person can reach."""
    grid = t.window.compare.grid
    areas = scroll_areas_around(view_of(grid.mel_images[0], grid)) if grid.mel_images else scroll_areas_around(grid)
    t.facts.setdefault("grid", {})[n] = {"scrollbars": bar_state(areas), "grid_widget": rect_dict(global_rect(grid)),
                                         "grid_visible": rect_dict(global_visible(grid))}
    images = list(grid.mel_images)
    best = [{"h": 0, "w": 0, "mapped": None} for _ in images]
    bars_at: dict = {}
    combos = scroll_positions(areas)
    for k, combo in enumerate(combos):
        for bar, value in combo:
            bar.setValue(value)
        QApplication.processEvents()
        for i, image in enumerate(images):
            full, visible = item_global(grid, image)
            if visible.height() * visible.width() > best[i]["h"] * best[i]["w"] or best[i]["mapped"] is None:
                best[i] = {"h": visible.height(), "w": visible.width(), "mapped": rect_dict(full),
                           "visible": rect_dict(visible)}
        if k in (0, len(combos) - 1):
            where = "min" if k == 0 else "max"
            bars_at[where] = {}
            for name in ("mel_bar", "mfcc_bar"):
                bar_item = getattr(grid, name)
                target = getattr(bar_item, "bar", bar_item)
                full, visible = item_global(grid, target) if bar_item.isVisible() else (QRect(), QRect())
                bars_at[where][name] = {"mapped": rect_dict(full), "visible": rect_dict(visible),
                                        "fraction": round(area(visible) / area(full), 3) if area(full) else 0.0}
            if k == len(combos) - 1 and len(combos) > 1:
                t.shot(f"grid-{n}-scrolled-to-max")
    for bar, _value in (combos[0] if combos else []):
        bar.setValue(bar.minimum())
    QApplication.processEvents()
    return images, best, bars_at


def check_grid(t: Tester, n: int):
    grid = t.window.compare.grid
    images, best, bars_at = measure_grid(t, n)
    t.check("grid_clip_count", len(grid.clips) == n, {"clips": len(grid.clips)}, f"{n} clips in the grid")
    low = [(i, b["h"]) for i, b in enumerate(best) if b["h"] < 100]
    t.check("grid_mel_images_tall_enough", not low and len(images) == n,
            {"visible_heights": [b["h"] for b in best], "too_low": low, "images": len(images)},
            "every mel image of the grid is at least 100 px high where it can be seen")
    hidden = [(i, b["w"], b["mapped"]["w"] if b["mapped"] else None) for i, b in enumerate(best)
              if not b["mapped"] or b["w"] < 0.5 * b["mapped"]["w"]]
    areas = scroll_areas_around(view_of(images[0], grid)) if images else []
    t.check("grid_columns_reachable", not hidden,
            {"unreachable (index, best visible w, w)": hidden, "scrollbars": bar_state(areas)},
            "every column is on the screen, or can be scrolled into view with a visible scroll bar")
    bad_bars = [(where, name, b["fraction"], b["visible"]) for where, bars in bars_at.items()
                for name, b in bars.items() if b["fraction"] < 0.8 or b["visible"]["h"] < 60]
    t.check("grid_colour_bars_visible", not bad_bars, {"bars": bars_at, "not visible": bad_bars},
            "both colour bars are on the screen (>= 80 % and >= 60 px high) at the min and max scroll positions")
    views = []
    for item in [*images, grid.mel_bar, grid.mfcc_bar]:
        view = view_of(item)
        if view is not None and view not in views:
            views.append(view)
    check_no_overlaps(t, views, "grid_tick_labels_do_not_overlap")


def scenario_compare(t: Tester):
    """3. Ctrl+E as the first thing after start, then a 12-clip group with Ctrl+Shift+E."""
    yield from open_window(t)
    for n, label, mods in ((8, "Ctrl+E", CTRL), (12, "Ctrl+Shift+E", CTRL | SHIFT)):
        t.step(label)
        grid = t.window.compare.grid
        pressed = time.monotonic()
        focus_name = type(QApplication.focusWidget()).__name__
        t.key(Key.Key_E, mods, label)
        ok = yield t.until(lambda: len(grid.clips) == n and len(grid.mel_images) == n
                           and all(i.image is not None for i in grid.mel_images)
                           and t.window.tabs.currentWidget() is t.window.compare, 10, f"{n} clips in the grid")
        seconds = round(time.monotonic() - pressed, 2)
        yield t.until(lambda: all(item_global(None, i)[0].height() >= 100 for i in grid.mel_images), 2,
                      "grid laid out (mel images >= 100 px)")  # give the layout time before judging it
        yield t.sleep(150)
        t.shot(f"compare-{n}")
        t.check(f"{label}_shows_{n}_clips_within_10s", ok, {"seconds": seconds, "clips": len(grid.clips),
                                                             "focus_when_pressed": focus_name},
                f"{n} clips in the Compare tab within 10 s")
        if ok or grid.clips:
            check_grid(t, n)
        else:
            t.say(f"no grid to measure after {label}")
        check_window_fits(t)
    t.step("Ctrl+E while typing in the search box")
    t.key(Key.Key_F, CTRL, "Ctrl+F")
    search = t.window.library.browser.filters.search
    yield t.until(search.hasFocus, 2, "the search box has the focus")
    t.key(Key.Key_E, CTRL, "Ctrl+E")
    ok = yield t.until(lambda: len(t.window.compare.grid.clips) == 8, 10, "8 clips again")
    t.check("ctrl_e_from_the_search_box_compares", ok,
            {"clips": len(t.window.compare.grid.clips), "search_focused": search.hasFocus()},
            "Ctrl+E in the search box still compares the sentence (not 'end of line')")


def message_pieces(window, pattern: str) -> list[dict]:
    rx = re.compile(pattern, re.I)
    return [p for p in visible_texts(window) if rx.search(p["text"])]


def record_dock_views(t: Tester) -> list:
    dock = t.window.record_dock
    return [v for v in graphics_views() if dock.isAncestorOf(v)]


def scenario_record(t: Tester):
    """4. Ctrl+R with the virtual microphone: recording starts, the panes keep their room; Ctrl+R stops."""
    yield from open_window(t)
    t.step("Ctrl+R")
    capture = t.window.capture.capture
    t.key(Key.Key_R, CTRL, "Ctrl+R")
    started = yield t.until(lambda: capture.recording, 5, "recording")
    yield t.sleep(1500)
    t.shot("recording")
    t.check("ctrl_r_starts_recording", started,
            {"recording": capture.recording, "running": capture.running,
             "record_action_enabled": t.window.capture.record_action.isEnabled(),
             "record_dock_visible": t.window.record_dock.isVisible(),
             "mic_messages": message_pieces(t.window, r"microphone|input|listening")},
            "window.capture.capture.recording within 5 s of Ctrl+R")
    central, panes = global_visible(t.window.centralWidget()), global_visible(t.window.panes)
    share = panes.height() / central.height() if central.height() else 0.0
    t.check("panes_keep_room_while_recording", share >= 0.6,
            {"panes_visible": rect_dict(panes), "central_visible": rect_dict(central), "share": round(share, 3),
             "record_dock": rect_dict(global_visible(t.window.record_dock))},
            "the panes keep >= 60 % of the central widget's height")
    views = record_dock_views(t)
    t.check("live_view_visible", bool(views) and all(global_visible(v).height() >= 60 for v in views),
            [rect_dict(global_visible(v)) for v in views], "the live view is on the screen, >= 60 px high")
    check_no_overlaps(t, views, "live_view_tick_labels_do_not_overlap")
    pieces = message_pieces(t.window, r"no microphone|no input")
    t.check("no_microphone_message_at_most_once", len(pieces) <= 1, pieces,
            "a 'no microphone' message is shown at most once")
    t.step("Ctrl+R again")
    t.key(Key.Key_R, CTRL, "Ctrl+R")
    stopped = yield t.until(lambda: not capture.recording, 5, "stopped")
    yield t.sleep(300)
    t.shot("stopped")
    t.check("ctrl_r_again_stops", started and stopped, {"started": started, "recording": capture.recording},
            "the second Ctrl+R stops the take")


def scenario_record_nomic(t: Tester):
    """4b. Ctrl+R without any microphone: a visible message says why, once."""
    yield from open_window(t)
    t.step("Ctrl+R")
    t.key(Key.Key_R, CTRL, "Ctrl+R")
    said = yield t.until(lambda: message_pieces(t.window, r"microphone|input device"), 5, "a message")
    yield t.sleep(500)
    t.shot("ctrl-r-without-microphone")
    pieces = message_pieces(t.window, r"microphone|input device")
    t.check("ctrl_r_without_microphone_explains_once", len(pieces) == 1, pieces,
            "exactly one visible message says that no microphone was found", )
    t.facts["recording"] = t.window.capture.capture.recording if t.window.capture else None
    t.facts["record_dock_visible"] = t.window.record_dock.isVisible()
    t.facts["texts"] = visible_texts(t.window)
    del said


def names_in_header(text: str) -> list[str]:
    return re.findall(r"[\w.-]+\.(?:wav|flac|ogg|mp3|opus|aiff?)", text, flags=re.I) + \
        re.findall(r"\b[fm]\d_[a-z]+_[a-z]+\b", text)


def scenario_broken(t: Tester):
    """6. A broken file given at start: reported by name, nothing pretends to show a clip."""
    broken = Path(os.environ["FIRST_TRY_BROKEN"]).name
    yield from open_window(t, expect_clip=False)
    t.step("broken")
    t.window = main_window()
    settled = yield t.until(lambda: "Loading" not in t.window.header.text(), 5, "header leaves 'Loading'")
    yield t.sleep(1000)  # let anything that would follow the failure happen
    t.shot("broken-file")
    header = plain(t.window.header.text())
    t.check("header_leaves_loading_within_5s", settled and "Loading" not in header, {"header": header},
            "within 5 s the header no longer says 'Loading'")
    t.check("header_names_failed_file", broken in header, {"header": header, "file": broken},
            "the header names the file that failed")
    bar = t.window.messages
    t.check("message_bar_names_file", widget_shown(bar) and broken in bar.text(),
            {"visible": widget_shown(bar), "on_screen": rect_dict(global_visible(bar)), "text": plain(bar.text()),
             "kind": getattr(bar, "kind", None)}, "the message bar is visible and names the file")
    panes = t.window.panes
    data = {"images": [describe_image(panes, i) for i in image_items(panes)],
            "curves": len(curves_with_data(panes))} if panes is not None else {}
    empty = panes is None or (not data["images"] and not data["curves"])
    claimed = [n for n in names_in_header(header + " " + t.window.windowTitle()) if n != broken]
    if empty:
        t.check("nothing_claims_a_clip", not claimed,
                {"header": header, "title": t.window.windowTitle(), "other clip names": claimed},
                "with empty panes, neither header nor title names a clip")
        axes = []
        if panes is not None and panes.isVisible():
            for a in axis_labels(panes):
                texts = [label["text"] for label in a["labels"] if label["visible"]]
                if texts:
                    axes.append({"axis": a["axis"], "ticks": texts})
        t.check("no_fake_axes", not axes, axes, "empty panes show no axis with tick values (no data to measure)")
    else:
        drawn = t.drawn[-1][1] if t.drawn else ""
        t.check("panes_data_matches_header", bool(drawn) and Path(drawn).stem in header,
                {"drawn": drawn, "header": header, **data},
                "if the panes show a clip, the header names that clip")
    t.facts["texts"] = visible_texts(t.window)


def menu_titled(window: QMainWindow, *words: str) -> QMenu | None:
    def walk(menu):
        for action in menu.actions():
            sub = action.menu()
            if sub is not None:
                title = sub.title().replace("&", "").lower()
                if all(w in title for w in words):
                    return sub
                found = walk(sub)
                if found is not None:
                    return found
        return None

    return walk(window.menuBar())


def scenario_many(t: Tester):
    """7. Several files at start: the readable ones open, the broken one is reported, all are in File → recent."""
    names = json.loads(os.environ["FIRST_TRY_FILES"])
    readable, broken = names["readable"], names["broken"]
    yield from open_window(t, expect_clip=False)
    t.step("files")

    def shown() -> list[str]:
        text = " ".join(p["text"] for p in visible_texts(t.window))
        return [n for n in readable if n in text or Path(n).stem in text]

    ok = yield t.until(lambda: len(shown()) == len(readable), 10, "every readable file shown")
    yield t.sleep(700)
    t.shot("several-files")
    t.check("every_readable_file_opens", ok, {"shown": shown(), "readable": readable,
                                              "tab": t.window.tabs.tabText(t.window.tabs.currentIndex())
                                              if getattr(t.window, "tabs", None) else None},
            "every readable file given at start is visible (Compare tab or a list)")
    reports = message_pieces(t.window, re.escape(broken))
    reports = [p for p in reports if "cell" not in p["where"] and p["where"] != "window title"]
    t.check("broken_file_reported", bool(reports), {"pieces": reports, "message_bar": plain(t.window.messages.text())},
            "a visible message names the broken file")
    menu = menu_titled(t.window, "recent", "file")
    entries = [a.text() for a in menu.actions()] if menu is not None else None
    missing = [n for n in readable if not entries or not any(n in e for e in entries)]
    t.check("recent_files_lists_them", menu is not None and menu.isEnabled() and not missing,
            {"menu": menu.title() if menu else None, "enabled": menu.isEnabled() if menu else None,
             "entries": entries, "missing": missing, "settings.recent_files": t.window.settings.recent_files()},
            "File → Open recent file lists every readable file given at start")
    t.facts["texts"] = visible_texts(t.window)


SCENARIOS = {"start": scenario_start, "restart": scenario_restart, "browse_zoom": scenario_browse_zoom,
             "compare": scenario_compare, "record": scenario_record, "record_nomic": scenario_record_nomic,
             "broken": scenario_broken, "many": scenario_many}


def main() -> int:
    report, scenario, shots = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    app_args = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
    app = QApplication(["servis"])
    app.setQuitOnLastWindowClosed(False)  # the scenario goes on after Ctrl+Q closed the window; it quits
    tester = Tester(app, scenario, report, shots)

    def watchdog() -> None:
        if not tester.finished:
            tester.error = f"watchdog: scenario not finished after {WATCHDOG_S:g} s (step {tester.step_name!r})"
            tester.write_report()
            os._exit(4)

    timer = threading.Timer(WATCHDOG_S, watchdog)
    timer.daemon = True
    timer.start()
    runner = Runner(tester, SCENARIOS[scenario])
    QTimer.singleShot(0, runner.start)
    from servis_gui.app import main as servis_main

    rc = servis_main(app_args)
    if not tester.finished:
        tester.error = tester.error or f"the app exited (code {rc}) before the scenario finished"
        tester.write_report()
    timer.cancel()
    sys.stdout.flush()
    os._exit(1 if tester.error else 0)  # no teardown races in Qt/pyqtgraph destructors


if __name__ == "__main__":
    sys.exit(main())
