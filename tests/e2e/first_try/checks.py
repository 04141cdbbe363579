"""Checks several first-try scenarios share: the window fits, the header reads, the panes' mel image,
the comparison grid at every scroll position."""


from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from PySide6.QtCore import QRect, Qt  # noqa: E402
from PySide6.QtGui import QTextDocument  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication, QMainWindow, QMenu, QScrollArea,
    QWidget,
)
from tests.e2e.first_try.measure import (  # noqa: E402
    all_overlaps, area, describe_image, global_rect, global_visible, graphics_views, image_items, item_global, plain,
    rect_dict, screen_of, view_of, visible_texts,
)
from tests.e2e.first_try.runner import Tester  # noqa: E402

WATCHDOG_S = float(os.environ.get("FIRST_TRY_WATCHDOG_S", "90"))
POLL_MS = 25
Key, Mod = Qt.Key, Qt.KeyboardModifier
CTRL, SHIFT = Mod.ControlModifier, Mod.ShiftModifier

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
        t.check("first_clip_drawn", drawn,
                {"seconds": t.facts["first_clip_s"], "header": plain(t.window.header.text())},
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
        m["visible"]["w"] >= min(m["needed_w"], m["width"]) - 1 and \
        m["visible"]["h"] >= min(m["needed_h"], m["height"]) - 1
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



def scroll_areas_around(widget: QWidget) -> list[QScrollArea]:
    out, parent = [], widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            out.append(parent)
        parent = parent.parentWidget()
    return out


def scroll_positions(areas) -> list[list[tuple]]:
    """Scroll positions to visit: every combination of min..max in page steps (at most ~8 per bar)."""
    bars = [bar for a in areas for bar in (a.horizontalScrollBar(), a.verticalScrollBar())
            if bar.maximum() > bar.minimum()]
    combos: list[list[tuple]] = [[]]
    for bar in bars:
        step = max(bar.pageStep(), (bar.maximum() - bar.minimum()) // 8, 1)
        values = list(range(bar.minimum(), bar.maximum(), step)) + [bar.maximum()]
        combos = [c + [(bar, v)] for c in combos for v in values]
    return combos


def bar_state(areas) -> list[dict]:
    return [{"area": type(a).__name__, "orientation": name, "visible": bar.isVisible(), "min": bar.minimum(),
             "max": bar.maximum(), "page": bar.pageStep(), "value": bar.value()}
            for a in areas
            for name, bar in (("horizontal", a.horizontalScrollBar()), ("vertical", a.verticalScrollBar()))]


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


def message_pieces(window, pattern: str) -> list[dict]:
    rx = re.compile(pattern, re.I)
    return [p for p in visible_texts(window) if rx.search(p["text"])]


def record_dock_views(t: Tester) -> list:
    dock = t.window.record_dock
    return [v for v in graphics_views() if dock.isAncestorOf(v)]


def names_in_header(text: str) -> list[str]:
    return re.findall(r"[\w.-]+\.(?:wav|flac|ogg|mp3|opus|aiff?)", text, flags=re.I) + \
        re.findall(r"\b[fm]\d_[a-z]+_[a-z]+\b", text)


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
