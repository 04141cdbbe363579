"""The main window on the demo corpus: panes filled, linked, readouts, errors, parameters."""

import numpy as np
import pytest

from servis_gui.core.db_reference import DbReference
from servis_gui.core.levels import mel_levels
from tests.ui.conftest import demo_paths


def _x_ranges(panes):
    return [tuple(np.round(p.viewRange()[0], 6)) for p in _shown(panes)]


def _shown(panes):
    """The panes on screen (the Prosody pane may be hidden)."""
    return [p for p in panes.plots if p.isVisible()]


def _on_shown(panes, items):
    return [item for item, plot in zip(items, panes.plots, strict=True) if plot.isVisible()]


def test_window_opens_on_first_demo_clip_with_three_panes_filled(window):
    analysis = window.session.analysis
    assert analysis is not None and "demo" in analysis.clip.identity.path
    panes = window.panes
    assert panes.mel_image.image.shape == analysis.features.mel_db.shape
    assert panes.mfcc_image.image.shape == analysis.features.mfcc.shape
    x, y = panes.curve.getOriginalDataset()
    assert len(y) == len(analysis.clip.samples)
    assert x[-1] == pytest.approx(analysis.clip.duration, abs=1e-3)
    assert tuple(panes.mel_bar.levels()) == pytest.approx(mel_levels(analysis.features))
    assert "synthetic demo voice" in window.header.text()
    assert {"100", "1k", "4k"} <= set(shown_tick_labels(panes.mel))
    assert window.library.browser.model.rowCount() == 32
    assert window.dataset_dock.windowTitle() == "Dataset: demo (synthetic voices)"


def test_zooming_one_pane_moves_the_others(window, qtbot):
    window.panes.mfcc.getViewBox().scaleBy(x=0.25)
    qtbot.wait(10)
    ranges = _x_ranges(window.panes)
    assert len(set(ranges)) == 1
    assert ranges[0][1] - ranges[0][0] < window.session.analysis.clip.duration / 2
    window.panes.mel.setXRange(0.5, 0.9, padding=0)
    assert _x_ranges(window.panes) == [(0.5, 0.9)] * len(_shown(window.panes)) and len(_shown(window.panes)) >= 3
    assert window.session.view_range == pytest.approx((0.5, 0.9))


def test_cursor_follows_mouse_and_status_bar_reads_values(window, qtbot):
    panes = window.panes
    scene_pos = panes.mel.getViewBox().mapViewToScene(pg_point(0.8, 40.0))
    panes._on_mouse_moved(scene_pos)
    text = window.readout.text()
    assert "t = 0.8" in text and "Hz" in text and "dB re clip max" in text
    assert all(line.isVisible() and line.value() == pytest.approx(0.8, abs=1e-3)
               for line in _on_shown(panes, panes.cursors))
    panes._on_mouse_moved(panes.mfcc.getViewBox().mapViewToScene(pg_point(0.8, 3.5)))
    assert "MFCC 3 =" in window.readout.text()
    panes._on_mouse_moved(panes.wave.getViewBox().mapViewToScene(pg_point(0.8, 0.0)))
    assert "amplitude" in window.readout.text()


def shown_tick_labels(plot) -> list[str]:
    """The y tick labels the axis draws at its present height."""
    axis = plot.getAxis("left")
    low, high = plot.viewRange()[1]
    values = [v for _spacing, level in axis.tickValues(low, high, axis.geometry().height()) for v in level]
    return axis.tickStrings(values, 1.0, 1.0)


def pg_point(x, y):
    from PySide6.QtCore import QPointF

    return QPointF(x, y)


def test_changing_parameters_recomputes_and_is_remembered(window, qtbot):
    panel = window.params_panel
    with qtbot.waitSignal(window.clip_drawn, timeout=10000):
        panel.n_mels.setValue(64)
    assert window.panes.mel_image.image.shape[0] == 64
    assert window.settings.feature_params().n_mels == 64
    with qtbot.waitSignal(window.clip_drawn, timeout=10000):
        panel.db_ref.setCurrentIndex(panel.db_ref.findData(DbReference.FULL_SCALE.value))
    assert window.session.params.db_ref == DbReference.FULL_SCALE
    assert "dB re full scale" in window.header.text() or "full scale" in window.header.text()
    assert window.panes.mel_bar.levels()[1] < 0


def test_invalid_parameters_are_explained_not_applied(window, qtbot):
    panel = window.params_panel
    before = window.session.params
    panel.n_mfcc.setValue(100)
    panel.n_mels.setValue(32)
    qtbot.wait(300)
    assert "n_mfcc" in panel.problem.text()
    assert window.session.params == before


def test_broken_file_shows_message_and_previous_clip_stays_usable(window, qtbot, tmp_path):
    previous = window.session.analysis
    bad = tmp_path / "broken.wav"
    bad.write_text("not audio at all\n" * 10)
    with qtbot.waitSignal(window.session.load_failed, timeout=10000):
        window.open_user_file(str(bad))
    assert window.messages.isVisible() and "broken.wav" in window.messages.text()
    assert window.session.analysis is previous
    assert bad.read_text() == "not audio at all\n" * 10
    other = demo_paths(window)[5]
    with qtbot.waitSignal(window.clip_drawn, timeout=10000):
        window.open_path(other)
    assert window.session.analysis.clip.identity.path == other
    assert not window.messages.isVisible()


def test_stale_result_is_dropped_when_switching_quickly(window, qtbot, tone_file):
    long_clip = tone_file("long.wav", seconds=240.0, sr=48000)
    short_clip = demo_paths(window)[7]
    shown = []
    window.session.analysis_ready.connect(lambda a: shown.append(a.clip.identity.path))
    window.open_path(long_clip)
    window.open_path(short_clip)
    qtbot.waitUntil(lambda: short_clip in shown, timeout=20000)
    qtbot.wait(1500)  # time for the long clip's result to arrive, if it were computed
    assert shown == [short_clip]
    assert window.session.analysis.clip.identity.path == short_clip


def test_selection_shows_in_every_pane_and_escape_clears_it(window, qtbot):
    window.session.set_selection((0.5, 0.2))
    assert window.session.selection == (0.2, 0.5)
    for region in _on_shown(window.panes, window.panes.regions):
        assert region.isVisible() and region.getRegion() == pytest.approx((0.2, 0.5))
    window.session.set_selection(None)
    assert not any(region.isVisible() for region in window.panes.regions)


def test_command_line_file_is_opened_and_listed(qtbot, settings, tone_file):
    from servis_gui.ui.main_window import MainWindow

    path = tone_file("arg.wav")
    win = MainWindow(settings, [path])
    win.show()
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.clip_drawn, timeout=30000):
        win.finish_setup()
    assert win.session.analysis.clip.name == "arg.wav"
    win.close()


def test_the_panes_keep_their_place_whatever_the_header_says(window, qtbot, tone_file):
    """A header that wraps differently per clip would move the panes (and repaint all of them)."""
    window.resize(900, 700)
    qtbot.wait(50)
    long_name = tone_file(name="a_take_with_a_very_long_descriptive_name_" * 4 + ".wav")
    geometries, tooltips = [], []
    for path in (tone_file(name="t.wav"), long_name, demo_paths(window)[3]):
        with qtbot.waitSignal(window.clip_drawn, timeout=10000):
            window.open_path(path)
        geometries.append(window.panes.geometry())
        tooltips.append(window.header.toolTip())
    assert geometries[0] == geometries[1] == geometries[2]
    assert "very_long" in tooltips[1] and "<br>" in tooltips[2]
