"""First try of the emotion map and the recogniser: Ctrl+Shift+A, then Ctrl+4 shows the map with every
clip on screen, Ctrl+5 and Evaluate show the UAR and the confusion matrix; the window keeps fitting.
Live: with a model evaluated, Ctrl+R and a voice in the virtual microphone put a marker on the map and
bars in the Recogniser tab, on screen; silence hides the marker and the bars."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from tests.e2e.first_try.checks import check_no_overlaps, check_window_fits, open_window
from tests.e2e.first_try.measure import global_visible, rect_dict
from tests.e2e.first_try.runner import Tester

Key, Mod = Qt.Key, Qt.KeyboardModifier
CTRL = Mod.ControlModifier
MIN_PLOT_PX = 150
MIN_BARS_PX = 60
VOICE_S = 5.0


def plot_area(plot) -> dict:
    """Where a pyqtgraph plot's data area is seen on the screen."""
    rect = plot.mapFromScene(plot.getPlotItem().getViewBox().sceneBoundingRect()).boundingRect()
    return rect_dict(global_visible(plot.viewport(), rect))


def analyse(t: Tester):
    t.step("Ctrl+Shift+A")
    t.key(Key.Key_A, CTRL | Mod.ShiftModifier, "Ctrl+Shift+A")
    yield t.until(lambda: t.window.corpus is not None and t.window.corpus.result is not None, 90, "corpus analysed")


def scenario_recognise(t: Tester):
    yield from open_window(t)
    yield from analyse(t)
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
    from servis_gui.ui.emotion_map_plot import CORNERS

    costs = {corner: emotion_map.plot.legend_cover(corner) for corner in CORNERS}
    corner = emotion_map.plot._legend_corner
    t.check("map_legend_hides_no_clip", costs[corner] == 0,
            {"corner": corner, "hidden": {str(c): v for c, v in costs.items()}},
            "the map's legend sits in a corner where it hides no clip")
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
    matrix = plot_area(view.results.matrix)
    uar = global_visible(view.uar)
    t.check("evaluate_shows_uar_and_matrix", done and matrix["h"] >= MIN_PLOT_PX and uar.height() > 10,
            {"uar": view.uar.text(), "matrix": matrix, "uar_label": rect_dict(uar)},
            "Evaluate shows the UAR line and the confusion matrix on screen")
    check_no_overlaps(t, [view.results.matrix], "matrix_labels_do_not_overlap")
    clip = Path(t.window.session.analysis.clip.identity.path).name
    predicted = yield t.until(lambda: view.prediction.caption.text().startswith(f"{clip}: "), 10,
                              "the open clip predicted")
    bars = plot_area(view.prediction.bars)
    t.check("evaluate_predicts_the_open_clip", predicted and view.prediction.bars.bars is not None and bars["h"] > 0,
            {"caption": view.prediction.caption.text(), "bars": bars, "clip": clip},
            "after Evaluate the Prediction page (in front) shows the open clip's probability bars")


def voice_file() -> Path:
    """The demo's angry clips, one after another, ``VOICE_S`` long: what a user might say into the microphone."""
    from servis_gui.paths import demo_dir

    clips = [sf.read(path, dtype="float32") for path in sorted(demo_dir().glob("*angry*.flac"))]
    sr = clips[0][1]
    path = Path(tempfile.mkdtemp(prefix="servis-live-")) / "voice.wav"
    sf.write(path, np.resize(np.concatenate([samples for samples, _ in clips]), int(VOICE_S * sr)), sr)
    return path


def scenario_live(t: Tester):
    from tests.audio.vmic import play

    yield from open_window(t)
    yield from analyse(t)
    tabs = t.window.analysis_tabs
    yield from evaluate(t, tabs)
    t.step("Ctrl+4, Ctrl+R, speak")
    t.key(Key.Key_4, CTRL, "Ctrl+4")
    emotion_map = tabs.map
    yield t.until(lambda: len(emotion_map.plot.dots.getData()[0]) > 0, 30, "the map drawn")
    t.key(Key.Key_R, CTRL, "Ctrl+R")
    yield t.until(lambda: t.window.capture.capture.recording, 5, "recording")
    player = play(voice_file())
    try:
        yield from _live_on_screen(t, tabs)
    finally:
        player.wait(timeout=2 * VOICE_S)
    t.step("silence")
    view = tabs.recogniser
    silent = yield t.until(lambda: "silence" in view.prediction.caption.text(), 10, "silence")
    t.shot("bars-silence")
    t.check("silence_is_no_guess", silent and view.prediction.bars.bars is None,
            {"caption": view.prediction.caption.text(), "bars": view.prediction.bars.bars is not None},
            "when the microphone falls silent the bars go and the caption says silence, no guess")
    t.key(Key.Key_4, CTRL, "Ctrl+4")
    yield t.sleep(300)
    t.check("silence_hides_the_marker", len(emotion_map.plot.live.points()) == 0
            and "silence" in emotion_map.live_state.text() and not global_visible(emotion_map.live_state).isEmpty(),
            {"markers": len(emotion_map.plot.live.points()), "state": emotion_map.live_state.text()},
            "the map's marker is gone and the line under the map says silence")
    t.key(Key.Key_R, CTRL, "Ctrl+R")
    yield t.until(lambda: not t.window.capture.capture.recording, 5, "stopped")


def _live_on_screen(t: Tester, tabs):
    emotion_map, view = tabs.map, tabs.recogniser
    placed = yield t.until(lambda: len(emotion_map.plot.live.points()) == 1, 15, "the live marker")
    yield t.sleep(600)
    t.shot("map-live")
    plot = emotion_map.plot
    marker = plot.mapFromScene(plot.box.mapViewToScene(QPointF(*map(float, plot.live_coords[-1])))) if placed else None
    seen = plot.viewport().visibleRegion()
    legend = plot.mapFromScene(plot.legend.sceneBoundingRect()).boundingRect()
    t.check("live_marker_on_screen", placed and seen.contains(marker) and not legend.contains(marker)
            and t.window.tabs.currentWidget() is emotion_map,
            {"marker_px": [marker.x(), marker.y()] if marker else None, "legend_px": rect_dict(legend),
             "plot": plot_area(plot), "state": emotion_map.live_state.text()},
            "a voice in the microphone puts the live marker inside the map's visible plot, not under its legend")
    t.key(Key.Key_5, CTRL, "Ctrl+5")
    live = yield t.until(lambda: view.prediction.caption.text().startswith("Microphone"), 5, "the live bars")
    yield t.sleep(300)
    t.shot("bars-live")
    bars = plot_area(view.prediction.bars)
    t.check("live_bars_on_screen", live and view.prediction.bars.bars is not None and bars["h"] >= MIN_BARS_PX,
            {"caption": view.prediction.caption.text(), "bars": bars,
             "probabilities": [round(float(p), 3) for p in view.prediction.bars.probabilities]},
            f"Ctrl+5 while speaking shows the microphone's probability bars, at least {MIN_BARS_PX} px high")
    check_no_overlaps(t, [view.prediction.bars], "bar_labels_do_not_overlap")
