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

import json
import os
import re
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from PySide6.QtCore import QRect, Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
)
from tests.e2e.first_try.checks import (  # noqa: E402
    check_grid, check_header_not_cut, check_no_overlaps, check_panes_mel, check_window_fits, main_window, menu_titled,
    message_pieces, names_in_header, open_window, record_dock_views,
)
from tests.e2e.first_try.measure import (  # noqa: E402
    axis_labels, curves_with_data, describe_image, global_visible, image_items, item_global, plain,
    rect_dict, screen_of, visible_texts, widget_shown,
)
from tests.e2e.first_try.corpus_scenario import scenario_corpus  # noqa: E402
from tests.e2e.first_try.prosody_scenario import scenario_prosody  # noqa: E402
from tests.e2e.first_try.recognise_scenario import scenario_live, scenario_recognise  # noqa: E402
from tests.e2e.first_try.runner import Runner, Tester  # noqa: E402

WATCHDOG_S = float(os.environ.get("FIRST_TRY_WATCHDOG_S", "90"))
POLL_MS = 25
Key, Mod = Qt.Key, Qt.KeyboardModifier
CTRL, SHIFT = Mod.ControlModifier, Mod.ShiftModifier

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
            {"focus_widget": type(focus).__name__ if focus else None,
             "table_visible": rect_dict(global_visible(table))},
            "after start, Down goes to the dataset table (else the user must click it first)", hard=False)
    if focus is not table:
        rect = table.visualRect(table.currentIndex()) if table.currentIndex().isValid() else \
            QRect(5, 5, 10, 10)
        QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, Mod.NoModifier, rect.center())
        yield t.until(lambda: QApplication.focusWidget() is table, 2, "table focused by a click")
        t.check("table_focus_after_click", QApplication.focusWidget() is table,
                {"focus_widget": type(QApplication.focusWidget()).__name__},
                "a click on the current row focuses the table")
    for n in range(1, 6):
        t.step(f"down-{n}")
        before = current_table_path(t)
        t.key(Key.Key_Down, label="Down")
        moved = yield t.until(lambda before=before: current_table_path(t) != before, 2, "current row moved")
        path = current_table_path(t)
        name = Path(path).stem
        ok = yield t.until(lambda path=path, name=name: t.drawn and t.drawn[-1][1] == path
                           and name in t.window.header.text(), 5, "new clip drawn")
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
            ok = yield t.until(lambda before=before: x_width(t) < before * 0.95, 1.5, f"{label} zooms in")
        elif compare == ">":
            ok = yield t.until(lambda before=before: x_width(t) > before * 1.05, 1.5, f"{label} zooms out")
        else:
            ok = yield t.until(lambda: abs(x_width(t) - duration) <= 0.02 * duration, 1.5, f"{label} fits")
        t.shot("zoom-" + {"Ctrl+=": "ctrl-equal", "Ctrl++": "ctrl-plus", "Ctrl+-": "ctrl-minus",
                          "Ctrl+0": "ctrl-0"}[label])
        expected = {"<": "the time range shrinks", ">": "the time range grows",
                    "fit": "the time range is the whole clip"}[compare]
        t.check(f"{label} works", ok, {"x_width_before": round(before, 4), "x_width_after": round(x_width(t), 4),
                                       "duration": round(duration, 4)}, expected)
    check_no_overlaps(t, [t.window.panes], "panes_tick_labels_do_not_overlap")


def scenario_compare(t: Tester):
    """3. Ctrl+E as the first thing after start, then a 12-clip group with Ctrl+Shift+E."""
    yield from open_window(t)
    for n, label, mods in ((8, "Ctrl+E", CTRL), (12, "Ctrl+Shift+E", CTRL | SHIFT)):
        t.step(label)
        grid = t.window.compare.grid
        pressed = time.monotonic()
        focus_name = type(QApplication.focusWidget()).__name__
        t.key(Key.Key_E, mods, label)
        ok = yield t.until(lambda grid=grid, n=n: len(grid.clips) == n and len(grid.mel_images) == n
                           and all(i.image is not None for i in grid.mel_images)
                           and t.window.tabs.currentWidget() is t.window.compare, 10, f"{n} clips in the grid")
        seconds = round(time.monotonic() - pressed, 2)
        yield t.until(lambda grid=grid: all(item_global(None, i)[0].height() >= 100 for i in grid.mel_images), 2,
                      "grid laid out (mel images >= 100 px)")  # give the layout time before judging it
        yield t.sleep(150)
        t.shot(f"compare-{n}")
        t.check(f"{label}_shows_{n}_clips_within_10s", ok, {"seconds": seconds, "clips": len(grid.clips),
                                                             "focus_when_pressed": focus_name},
                f"{n} clips in the Compare tab within 10 s")
        if ok or grid.clips:
            check_grid(t, n)
            check_summary_not_a_sliver(t)
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


def check_summary_not_a_sliver(t: Tester) -> None:
    table = t.window.compare.summary
    rows = sum(not global_visible(table.viewport(), table.visualRect(table.model().index(r, 0))).isEmpty()
               for r in range(table.rowCount())) if table.isVisible() and table.columnCount() else 0
    t.check("summary_hidden_or_readable", not table.isVisible() or rows >= 4,
            {"visible": table.isVisible(), "rows_in_view": rows, "rows": table.rowCount()},
            "the summary under the grid is hidden (Summary button) or shows at least 4 rows")


def scenario_record(t: Tester):
    """4. Ctrl+R with the virtual microphone: recording starts, the panes keep their room; Ctrl+R stops."""
    yield from open_window(t)
    t.step("Ctrl+R")
    capture = t.window.capture.capture
    before = global_visible(t.window.panes)
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
    kept = panes.width() * panes.height() / max(1, before.width() * before.height())
    t.check("panes_keep_their_area_while_recording", kept >= 0.6,
            {"before": rect_dict(before), "after": rect_dict(panes), "kept": round(kept, 3)},
            "the panes keep >= 60 % of the area they had before the Record panel opened")
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
             "broken": scenario_broken, "many": scenario_many, "prosody": scenario_prosody,
             "corpus": scenario_corpus, "recognise": scenario_recognise, "live": scenario_live}


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
