"""What a new user meets at the first start: files given on the command line, files that fail,
a crashed recorder's WAV, Ctrl+R without a microphone, the zoom keys (offscreen; the real-window
walk is tests/e2e/first_try)."""

import struct

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.conftest import DEMO


def _start(qtbot, settings, paths):
    """A main window started as ``servis PATH…`` would be, its set-up finished."""
    import pyqtgraph as pg

    from servis_gui.ui.main_window import MainWindow

    pg.setConfigOptions(imageAxisOrder="row-major")
    win = MainWindow(settings, [str(p) for p in paths])
    qtbot.addWidget(win)
    win.show()
    win.finish_setup()
    return win


def _crashed_wav(path, seconds=1.5, sr=16000):
    """A 16-bit WAV as a crashed recorder leaves it: every size field still 0, samples after it."""
    samples = (0.4 * np.sin(2 * np.pi * 220 * np.arange(int(seconds * sr)) / sr) * 32767).astype("<i2")
    fmt = struct.pack("<HHIIHH", 1, 1, sr, sr * 2, 2, 16)
    path.write_bytes(b"RIFF" + struct.pack("<I", 0) + b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
                     + b"data" + struct.pack("<I", 0) + samples.tobytes())
    return samples


@pytest.fixture
def broken(tmp_path):
    path = tmp_path / "broken.wav"
    path.write_text("this is not audio\n" * 20)
    return path


def test_a_file_that_cannot_be_opened_at_start_is_named_in_the_header(qtbot, settings, broken):
    win = _start(qtbot, settings, [broken])
    qtbot.waitUntil(lambda: win.messages.isVisible(), timeout=10000)
    win.activateWindow()
    qtbot.wait(300)  # nothing opens a clip by itself (a focused table without a current row would)
    assert win.session.analysis is None
    assert "Loading" not in win.header.text() and "broken.wav" in win.header.text()
    assert "broken.wav" in win.messages.text() and str(broken.parent) not in win.messages.text()
    assert win.pane_area.currentWidget() is not win.panes  # no empty axes pretending to be a clip
    assert not win.panes.isVisible()
    win.close()


def test_a_missing_folder_named_like_a_wav_fails_with_a_message_not_an_exit(qtbot, settings, tmp_path):
    folder = tmp_path / "take.wav"
    folder.mkdir()
    win = _start(qtbot, settings, [folder])
    qtbot.waitUntil(lambda: win.messages.isVisible(), timeout=10000)
    assert "take.wav" in win.header.text() and "folder" in win.messages.text()
    win.close()


def test_several_files_at_start_open_side_by_side_and_go_to_recent_files(qtbot, settings, broken):
    good = [DEMO / "m3_kids_angry.flac", DEMO / "m3_kids_sad.flac"]
    win = _start(qtbot, settings, [*good, broken])
    qtbot.waitUntil(lambda: len(win.compare.grid.clips) == 2, timeout=20000)
    assert [c.analysis.clip.name for c in win.compare.grid.clips] == [p.name for p in good]
    assert win.tabs.currentWidget() is win.compare
    assert win.messages.isVisible() and "broken.wav" in win.messages.text()
    qtbot.waitUntil(lambda: win.session.analysis is not None, timeout=10000)
    assert win.session.analysis.clip.name == good[0].name
    recent = settings.recent_files()
    assert {str(p) for p in good} <= set(recent)
    assert [a.text() for a in win.menus["recent_files"].actions()][:3] == recent[:3]
    win.close()


def test_an_unfinished_wav_offers_to_open_its_audio_anyway(qtbot, settings, tmp_path):
    path = tmp_path / "crashed take.wav"
    samples = _crashed_wav(path)
    before = path.read_bytes()
    win = _start(qtbot, settings, [path])
    qtbot.waitUntil(lambda: win.messages.isVisible(), timeout=10000)
    assert "not finished" in win.messages.text() and "1.5 s" in win.messages.text()
    action = win.messages.action_button
    assert action.isVisible()
    with qtbot.waitSignal(win.clip_drawn, timeout=10000):
        action.click()
    clip = win.session.analysis.clip
    assert clip.name == path.name and len(clip.samples) == len(samples)
    assert np.allclose(clip.samples, samples / 32768.0, atol=1e-4)
    assert not win.messages.isVisible() and win.pane_area.currentWidget() is win.panes
    assert path.read_bytes() == before  # never written


def test_ctrl_r_without_a_microphone_opens_the_panel_and_says_why_once(window, qtbot, monkeypatch):
    monkeypatch.setenv("PULSE_SERVER", "unix:/nonexistent/servis-no-server")
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.record_dock.isVisible(), timeout=10000)
    panel = window.capture
    if panel.capture.running:
        pytest.skip("this machine has a working microphone outside the virtual PulseAudio")
    status = panel.status.text()
    assert status and panel.status.isVisible() and not panel.capture.recording
    visible_texts = [label.text() for label in window.findChildren(type(panel.status)) if label.isVisible()]
    visible_texts.append(window.statusBar().currentMessage())
    assert sum(status in text for text in visible_texts) == 1
    assert not panel.view.isVisible()  # no live axes before there is a stream


def test_record_action_is_enabled_before_the_panel_was_ever_shown(window):
    action = window.capture.record_action
    assert not window.record_dock.isVisible()
    assert action.isEnabled() and action in window.actions()


@pytest.mark.parametrize("keys", ["Ctrl+=", "Ctrl++", "Ctrl+Shift+="])
def test_both_zoom_in_keys_zoom_and_ctrl_0_fits(window, qtbot, keys):
    from PySide6.QtGui import QKeySequence

    duration = window.session.analysis.clip.duration
    combo = QKeySequence(keys)[0]
    QTest.keyClick(window.windowHandle(), combo.key(), combo.keyboardModifiers())
    t0, t1 = window.panes.wave.viewRange()[0]
    assert t1 - t0 < duration * 0.8
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    t0, t1 = window.panes.wave.viewRange()[0]
    assert (t0, t1) == pytest.approx((0.0, duration), abs=1e-3)


def test_the_dataset_table_has_the_focus_at_start(window):
    """Up/Down browse at once, and Ctrl+E is not taken by a text box (Ctrl+E from the search box
    itself is walked under a real X server in tests/e2e/first_try)."""
    assert window.focusWidget() is window.library.browser.table
