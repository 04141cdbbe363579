"""First try of pitch and intensity: the f0 contour and intensity appear after the first clip, Ctrl+Shift+P
shows the Prosody pane (and hides it again), Ctrl+M brings the Measurements table to the front."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt

from tests.e2e.first_try.checks import check_no_overlaps, open_window
from tests.e2e.first_try.measure import global_visible, item_global, rect_dict
from tests.e2e.first_try.runner import Tester

Key, Mod = Qt.Key, Qt.KeyboardModifier
CTRL, SHIFT = Mod.ControlModifier, Mod.ShiftModifier
MIN_PANE_PX = 40


def plot_visible(t: Tester, plot) -> dict:
    """Where a plot's data area is on the screen, and how much of it can be seen."""
    full, visible = item_global(t.window.panes, plot.getViewBox())
    return {"mapped": rect_dict(full), "visible": rect_dict(visible)}


def f0_points_on_screen(t: Tester) -> dict:
    """How many voiced f0 points over the mel are drawn inside the mel's visible data area."""
    panes = t.window.panes
    x, y = panes.mel_f0.getData()
    voiced = [(a, b) for a, b in zip(x if x is not None else [], y if y is not None else [], strict=True)
              if np.isfinite(b)]
    _full, visible = item_global(panes, panes.mel.getViewBox())
    inside = 0
    for a, b in voiced:
        scene = panes.mel.getViewBox().mapViewToScene(QPointF(a, b))
        point = panes.viewport().mapToGlobal(panes.mapFromScene(scene))
        inside += visible.contains(point)
    return {"voiced_points": len(voiced), "inside_mel": inside, "mel_visible": rect_dict(visible)}


def scenario_prosody(t: Tester):
    yield from open_window(t)
    t.step("prosody drawn")
    session = t.window.session
    drawn = yield t.until(lambda: session.prosody is not None, 10, "prosody of the first clip")
    yield t.sleep(150)
    t.shot("prosody")
    f0 = f0_points_on_screen(t)
    t.check("f0_contour_over_the_mel", drawn and f0["voiced_points"] > 5 and f0["inside_mel"] == f0["voiced_points"],
            f0, "the f0 contour is drawn over the mel image, every voiced point inside its visible area")
    axis = global_visible(t.window.panes, t.window.panes.mapFromScene(
        t.window.panes.intensity.axis.sceneBoundingRect()).boundingRect())
    t.check("intensity_axis_visible", axis.width() > 20 and axis.height() > 30, {"visible": rect_dict(axis)},
            "the intensity (dB) axis beside the waveform is on the screen")
    pane = t.window.panes.prosody.plot
    for label in ("show", "hide"):
        t.step(f"Ctrl+Shift+P {label}")
        was = pane.isVisible()
        t.key(Key.Key_P, CTRL | SHIFT, "Ctrl+Shift+P")
        toggled = yield t.until(lambda was=was: pane.isVisible() != was, 2, "the Prosody pane toggles")
        yield t.sleep(200)
        t.shot(f"prosody-pane-{'shown' if pane.isVisible() else 'hidden'}")
        seen = plot_visible(t, pane)
        ok = toggled and (not pane.isVisible() or seen["visible"]["h"] >= MIN_PANE_PX)
        t.check("ctrl_shift_p_toggles_the_prosody_pane", ok, {"visible_now": pane.isVisible(), **seen},
                f"Ctrl+Shift+P shows the Prosody pane (at least {MIN_PANE_PX} px high) or hides it")
        check_no_overlaps(t, [t.window.panes], "panes_tick_labels_do_not_overlap")
        if pane.isVisible() is False and label == "hide":
            break
        if not pane.isVisible():
            t.key(Key.Key_P, CTRL | SHIFT, "Ctrl+Shift+P")  # was shown at first: show it again
            yield t.until(pane.isVisible, 2, "shown again")
    yield from measurements_step(t)


def measurements_step(t: Tester):
    t.step("Ctrl+M")
    panel = t.window.measurements
    t.key(Key.Key_M, CTRL, "Ctrl+M")
    filled = yield t.until(lambda: panel.table.rowCount() > 10 and panel.current is not None, 10,
                           "the measurements table is filled")
    yield t.sleep(150)
    t.shot("measurements")
    table = panel.table
    visible = global_visible(table.viewport())
    rows = [table.item(r, 0).text() for r in range(table.rowCount()) if table.item(r, 0)]
    cut, padded = [], []
    for r, text in enumerate(rows):  # rows below the fold are reached by the scroll bar; those in view must read
        rect = table.visualRect(table.model().index(r, 0))
        if global_visible(table.viewport(), rect).isEmpty():
            continue
        lines = -(-table.fontMetrics().horizontalAdvance(text) // max(rect.width() - 8, 1))
        needed = lines * table.fontMetrics().height()
        if rect.height() < needed:
            cut.append(text)
        elif rect.height() > needed + 0.75 * table.fontMetrics().height():  # a blank line
            padded.append(text)
    reach = table.verticalScrollBar().maximum() == 0 or table.verticalScrollBar().isVisible()
    t.check("ctrl_m_shows_the_measurements", filled and visible.height() > 150 and not cut and not padded and reach,
            {"rows": len(rows), "visible": rect_dict(visible), "cut": cut[:6], "too_tall": padded[:6]},
            "Ctrl+M shows the Measurements table; rows in view show their whole label, without blank lines, "
            "and a scroll bar reaches the others")
