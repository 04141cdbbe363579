"""First try of the emotion map and the recogniser: Ctrl+Shift+A, then Ctrl+4 shows the map with every
clip on screen, Ctrl+5 and Evaluate show the UAR and the confusion matrix; the window keeps fitting."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.e2e.first_try.checks import check_no_overlaps, check_window_fits, open_window
from tests.e2e.first_try.measure import global_visible, rect_dict
from tests.e2e.first_try.runner import Tester

Key, Mod = Qt.Key, Qt.KeyboardModifier
CTRL = Mod.ControlModifier
MIN_PLOT_PX = 150


def plot_area(plot) -> dict:
    """Where a pyqtgraph plot's data area is seen on the screen."""
    rect = plot.mapFromScene(plot.getPlotItem().getViewBox().sceneBoundingRect()).boundingRect()
    return rect_dict(global_visible(plot.viewport(), rect))


def scenario_recognise(t: Tester):
    yield from open_window(t)
    t.step("Ctrl+Shift+A")
    t.key(Key.Key_A, CTRL | Mod.ShiftModifier, "Ctrl+Shift+A")
    yield t.until(lambda: t.window.corpus is not None and t.window.corpus.result is not None, 90, "corpus analysed")
    t.step("Ctrl+4")
    t.key(Key.Key_4, CTRL, "Ctrl+4")
    tabs = t.window.analysis_tabs
    n = len(t.window.corpus.result.records)
    drawn = yield t.until(lambda: tabs.map is not None and len(tabs.map.plot.dots.getData()[0]) == n, 30,
                          "the map drawn")
    yield t.sleep(300)
    t.shot("map")
    check_window_fits(t)
    emotion_map = tabs.map
    area = plot_area(emotion_map.plot)
    t.check("map_shows_every_clip", drawn and t.window.tabs.currentWidget() is emotion_map
            and area["h"] >= MIN_PLOT_PX and area["w"] >= MIN_PLOT_PX,
            {"points": len(emotion_map.plot.dots.getData()[0]) if drawn else 0, "clips": n, "plot": area},
            f"Ctrl+4 shows the map, one point per clip, in a plot at least {MIN_PLOT_PX} px each way")
    check_no_overlaps(t, [emotion_map.plot], "map_tick_labels_do_not_overlap")
    yield from evaluate(t, tabs)


def evaluate(t: Tester, tabs):
    t.step("Ctrl+5, Evaluate")
    t.key(Key.Key_5, CTRL, "Ctrl+5")
    yield t.until(lambda: tabs.recogniser is not None, 10, "the recogniser tab")
    view = tabs.recogniser
    QTest.mouseClick(view.evaluate_button, Qt.MouseButton.LeftButton)
    done = yield t.until(lambda: view.uar.text().startswith("UAR "), 60, "the evaluation")
    yield t.sleep(300)
    t.shot("recogniser")
    check_window_fits(t)
    matrix = plot_area(view.matrix)
    uar = global_visible(view.uar)
    t.check("evaluate_shows_uar_and_matrix", done and matrix["h"] >= MIN_PLOT_PX and uar.height() > 10,
            {"uar": view.uar.text(), "matrix": matrix, "uar_label": rect_dict(uar)},
            "Evaluate shows the UAR line and the confusion matrix on screen")
    check_no_overlaps(t, [view.matrix], "matrix_labels_do_not_overlap")
