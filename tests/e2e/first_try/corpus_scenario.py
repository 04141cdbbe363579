"""First try of the Corpus tab: Ctrl+Shift+A analyses the demo corpus, the violins and dots are on screen,
the tables beside them are readable, and clicking a dot opens that clip."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from tests.e2e.first_try.checks import check_no_overlaps, check_window_fits, open_window
from tests.e2e.first_try.measure import global_visible, rect_dict
from tests.e2e.first_try.runner import Tester

Key, Mod = Qt.Key, Qt.KeyboardModifier
MIN_PLOT_PX = 120
MIN_TABLE_ROWS = 2


def scenario_corpus(t: Tester):
    yield from open_window(t)
    t.step("Ctrl+Shift+A")
    t.key(Key.Key_A, Mod.ControlModifier | Mod.ShiftModifier, "Ctrl+Shift+A")
    done = yield t.until(lambda: t.window.corpus is not None and t.window.corpus.result is not None
                         and t.window.corpus.statistics.comparison is not None, 90, "the demo corpus analysed")
    yield t.sleep(300)
    t.shot("corpus")
    view = t.window.corpus
    t.check("ctrl_shift_a_analyses_the_corpus", done and t.window.tabs.currentWidget() is view,
            {"state": view.state.text() if view else None},
            "Ctrl+Shift+A opens the Corpus tab and analyses the dataset")
    if not done:
        return
    check_window_fits(t)
    check_plot(t, view)
    check_no_overlaps(t, [view.plot], "corpus_tick_labels_do_not_overlap")
    check_tables(t, view)
    yield from click_a_dot(t, view)


def check_plot(t: Tester, view) -> None:
    plot = view.plot
    box = global_visible(plot.viewport(), plot.mapFromScene(plot.getViewBox().sceneBoundingRect()).boundingRect())
    polygons = [shapes.fill for shapes in plot._slots if shapes.fill.isVisible()]  # the violins' fills
    inside = [box.contains(plot.viewport().mapToGlobal(plot.mapFromScene(p.sceneBoundingRect()).boundingRect()
                                                      .center())) for p in polygons]  # a flat violin is a line
    emotions = len({r.emotion for r in view.result.records})
    t.check("violins_on_screen", box.height() >= MIN_PLOT_PX and len(polygons) == emotions and all(inside),
            {"plot": rect_dict(box), "violins": len(polygons), "emotions": emotions, "visible": inside},
            f"the plot is at least {MIN_PLOT_PX} px high with one visible violin per emotion")


def check_tables(t: Tester, view) -> None:
    pairs = view.statistics.pairs
    seen = global_visible(pairs.viewport())
    rows = sum(not global_visible(pairs.viewport(), pairs.visualRect(pairs.model().index(r, 0))).isEmpty()
               for r in range(pairs.rowCount()))
    t.check("statistics_readable", rows >= MIN_TABLE_ROWS and view.statistics.kruskal.text() != "",
            {"pairs_visible": rect_dict(seen), "rows_in_view": rows, "kruskal": view.statistics.kruskal.text()},
            f"the Kruskal-Wallis line and at least {MIN_TABLE_ROWS} pair rows are on screen (the rest scroll)")


def click_a_dot(t: Tester, view):
    t.step("click a dot")
    point = view.plot.dots.points()[0]
    path = str(point.data())
    scene = view.plot.getViewBox().mapViewToScene(QPointF(point.pos().x(), point.pos().y()))
    QTest.mouseClick(view.plot.viewport(), Qt.MouseButton.LeftButton, Mod.NoModifier,
                     view.plot.mapFromScene(scene))
    opened = yield t.until(lambda: t.window.session.path is not None and t.window.session.path.endswith(
        path.rsplit("/", 1)[-1]), 5, "the clicked clip opened")
    t.check("clicking_a_dot_opens_its_clip", opened, {"dot": path, "session": t.window.session.path},
            "clicking a dot opens that clip in the panes (and plays it)")
