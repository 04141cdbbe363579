"""Space plays the clip (or the selection); the playhead moves across every pane shown."""

import os

import pytest

pytestmark = pytest.mark.skipif(
    not os.environ.get("PULSE_SERVER") and not os.environ.get("CI"),
    reason="needs the virtual PulseAudio of scripts/test.sh (PULSE_SERVER unset)",
)


def test_space_plays_and_the_playhead_moves_in_every_pane(window, qtbot):
    from PySide6.QtCore import Qt

    positions = []
    window.session.playhead_moved.connect(positions.append)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(positions) > 5 and positions[-1] > 0.3, timeout=5000)
    panes = window.panes
    shown = [line for line, plot in zip(panes.playheads, panes.plots, strict=True) if plot.isVisible()]
    assert len(shown) >= 3 and all(line.isVisible() and line.value() == pytest.approx(positions[-1], abs=0.05)
                                   for line in shown)
    qtbot.keyClick(window, Qt.Key.Key_Space)  # pause
    assert not window.session.player.playing
    paused_at = window.session.player.player.position
    qtbot.keyClick(window, Qt.Key.Key_Space)  # resume from the pause point
    assert window.session.player.playing
    assert window.session.player.player.position >= paused_at - 0.01
    qtbot.waitUntil(lambda: not window.session.player.playing, timeout=10000)
    assert not any(line.isVisible() for line in window.panes.playheads)


def test_selection_plays_only_that_part(window, qtbot):
    window.session.set_selection((0.5, 0.8))
    positions = []
    window.session.playhead_moved.connect(lambda t: positions.append(t))
    window.toggle_play()
    qtbot.waitUntil(lambda: not window.session.player.playing, timeout=5000)
    heard = [p for p in positions if p == p and p is not None]
    assert heard and min(heard) >= 0.5 and max(heard) <= 0.81


def test_enter_in_the_dataset_table_shows_and_plays_the_clip(window, qtbot):
    from PySide6.QtCore import Qt

    from tests.conftest import DEMO
    from tests.ui.conftest import choose_in_browser

    target = str(DEMO / "m3_dogs_happy.flac")
    choose_in_browser(window, target)
    table = window.library.browser.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.session.player.playing, timeout=10000)
    assert window.session.analysis.clip.identity.path == target
    window.stop_play()
