"""The dataset dock inside the main window: arrow keys, same sentence, acted vs natural."""

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import QSettings, Qt

from servis_gui.core.takes import store as rec
from servis_gui.settings import Settings
from tests.conftest import DEMO
from tests.ui.conftest import choose_in_browser


def test_down_arrow_shows_the_next_clip_in_the_panes(window, qtbot):
    table = window.library.browser.table
    choose_in_browser(window, str(DEMO / "f3_dogs_angry.flac"))
    qtbot.waitUntil(lambda: window.session.analysis.clip.name == "f3_dogs_angry.flac", timeout=10000)
    row = table.currentIndex().row()
    expected = table.model().index(row + 1, 0)
    next_path = str(window.library.browser.model.record_at(
        window.library.browser.proxy.mapToSource(expected).row()).path)
    table.setFocus()
    with qtbot.waitSignal(window.clip_drawn, timeout=10000) as drawn:
        qtbot.keyClick(table, Qt.Key.Key_Down)
    assert drawn.args[0] == next_path != str(DEMO / "f3_dogs_angry.flac")
    assert "f3_dogs_angry" not in window.header.text()


def test_ctrl_e_compares_the_same_sentence_in_every_emotion(window, qtbot):
    choose_in_browser(window, str(DEMO / "m3_kids_sad.flac"))
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(window.compare.grid.clips) == 8, timeout=20000)
    names = {c.analysis.clip.name for c in window.compare.grid.clips}
    assert names == {f"m3_kids_{e}.flac" for e in
                     ("neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised")}
    assert [c.emotion for c in window.compare.grid.clips][:3] == ["neutral", "calm", "happy"]
    assert window.tabs.currentWidget() is window.compare


@pytest.fixture
def recordings_window(qtbot, tmp_path):
    """A main window whose "My recordings" holds one take of a demo sentence."""
    from servis_gui.ui.main_window import MainWindow

    folder = tmp_path / "My recordings"
    folder.mkdir()
    take = folder / "take-1.wav"
    t = np.arange(16000 * 2) / 16000
    sf.write(take, (0.2 * np.sin(2 * np.pi * 150 * t)).astype(np.float32), 16000, subtype="PCM_16")
    rec.save_take(folder, rec.TakeInfo(file=take, sr=16000, duration=2.0, created="2026-11-23T20:00:00",
                                       emotion="angry", speaker="me", sentence_id="kids",
                                       text="Kids are talking by the door.", notes=""))
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    settings.set_recordings_dir(str(folder))
    win = MainWindow(settings)
    win.show()
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.clip_drawn, timeout=30000):
        win.finish_setup()
    yield win, take
    win.close()


def test_my_recordings_is_a_dataset_and_a_take_compares_with_acted_clips(recordings_window, qtbot):
    win, take = recordings_window
    with qtbot.waitSignal(win.library.browser.dataset_opened, timeout=20000):
        win.library.open_recordings()
    assert win.dataset_dock.windowTitle() == "Dataset: My recordings"
    record = win.library.catalogue.record_for(str(take))
    assert record is not None and record.emotion == "angry" and record.speaker == "me"
    win.library.compare_with_acted(str(take))
    qtbot.waitUntil(lambda: len(win.compare.grid.clips) == 12, timeout=20000)
    clips = win.compare.grid.clips
    assert clips[0].analysis.clip.name == "take-1.wav"
    assert all("kids" in c.analysis.clip.name for c in clips[1:])  # the same sentence, acted


def test_record_dock_starts_hidden_and_ctrl_r_shows_it(recordings_window):
    win, _take = recordings_window
    assert not win.record_dock.isVisible()
    assert win.capture.record_action.shortcut().toString() == "Ctrl+R"
    assert win.capture.record_action in win.menus["record"].actions()
