"""The capture panel end to end: a chirp played into the virtual microphone becomes a labelled take in
"My recordings"; interrupted takes are offered on the next start; no server and lost servers are explained.
"""

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import Qt

from servis_gui.core.datasets import scan_dataset
from servis_gui.core.params import FeatureParams
from servis_gui.core.takes.store import RECOVERED_NOTE, save_take
from servis_gui.core.takes.writer import TakeWriter
from tests.audio.vmic import (
    REPO,
    Child,
    best_correlation,
    chirp,
    play,
    private_pulse,
    require_vmic,
    start_pulse,
    stop_pulse,
)

SR = 16000


@pytest.fixture
def panel(capture_panel):
    return capture_panel


def _listen_at(qtbot, panel, sr: int) -> None:
    panel.show()
    qtbot.waitUntil(lambda: panel.capture.running, timeout=5000)
    panel.rate.setCurrentIndex(panel.rate.findData(sr))
    panel.rate.activated.emit(panel.rate.currentIndex())
    qtbot.waitUntil(lambda: panel.capture.sr == sr and panel.view.frames_drawn > 3, timeout=5000)


def test_a_played_chirp_is_recorded_labelled_and_listed_in_my_recordings(qtbot, panel, tmp_path):
    require_vmic()
    played = chirp(SR, seconds=2.0)
    sf.write(tmp_path / "chirp.wav", played, SR)
    _listen_at(qtbot, panel, SR)
    panel.prompt.setCurrentIndex(panel.prompt.findText("RAVDESS 01", Qt.MatchFlag.MatchStartsWith))
    qtbot.keyClick(panel, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert panel.capture.recording and panel.record_action.text() == "Stop recording"
    play(tmp_path / "chirp.wav").wait(timeout=10)
    qtbot.wait(400)
    panel.grab().save(str(tmp_path / "recording.png"))
    qtbot.keyClick(panel, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert not panel.capture.recording and panel.form.isVisible()
    panel.form.emotion.setCurrentText("angry")
    panel.form.speaker.setText("tester")
    panel.form.notes.setText("chirp, not speech")
    with qtbot.waitSignal(panel.take_saved) as saved:
        panel.form.save.click()
    recorded, sr = sf.read(saved.args[0], dtype="float32")
    assert sr == SR and best_correlation(recorded, played) >= 0.95
    (record,) = scan_dataset(panel.folder).records
    assert (record.path, record.emotion, record.speaker) == (panel.folder / saved.args[0], "angry", "tester")
    assert (record.sentence_id, record.text) == ("01", "Kids are talking by the door")
    assert record.extra_value("notes") == "chirp, not speech"
    assert panel.capture.overflows == 0 and panel.meter.peak.value() < 0


def test_browser_actions_delete_to_trash_undo_relabel_and_rename(qtbot, panel):
    writer = TakeWriter(panel.folder / "a.wav", SR)
    writer.write(np.zeros(SR, dtype=np.float32))
    save_take(panel.folder, replace(writer.close(), emotion="sad"))
    with qtbot.waitSignal(panel.recordings_changed):
        panel.delete_take(str(panel.folder / "a.wav"))
    assert scan_dataset(panel.folder).records == () and panel.undo.isVisibleTo(panel)
    panel.undo.click()
    assert [r.emotion for r in scan_dataset(panel.folder).records] == ["sad"]
    panel.edit_take(str(panel.folder / "a.wav"))
    assert panel.form.isVisibleTo(panel) and panel.form.emotion.currentText() == "sad"
    panel.rename_take(str(panel.folder / "a.wav"), "sad-01")
    assert [r.path.name for r in scan_dataset(panel.folder).records] == ["sad-01.wav"]
    panel.rename_take(str(panel.folder / "sad-01.wav"), "../elsewhere")
    assert "not a usable file name" in panel.status.text()


def test_a_take_killed_mid_recording_is_offered_on_the_next_start(qtbot, tmp_path):
    require_vmic()
    from servis_gui.ui.capture_panel import CapturePanel

    folder = tmp_path / "My recordings"
    child = Child("capture", folder)
    try:
        child.read_until("started")
        while child.read_until("frames")["frames"] < SR:
            pass
        os.kill(child.process.pid, signal.SIGKILL)
    finally:
        child.close()
    panel = CapturePanel(folder, FeatureParams())
    qtbot.addWidget(panel)
    assert panel.recover_button.isVisibleTo(panel) and "take.wav" in panel.status.text()
    with qtbot.waitSignal(panel.recordings_changed):
        panel.recover_button.click()
    assert panel.form.isVisibleTo(panel) and not panel.recover_button.isVisibleTo(panel)
    (record,) = scan_dataset(folder).records
    assert record.extra_value("notes") == RECOVERED_NOTE and sf.info(str(record.path)).frames >= SR


def test_the_panel_does_not_import_sounddevice_or_parselmouth_until_shown():
    code = ("import sys; from PySide6.QtWidgets import QApplication; app = QApplication([]); "
            "from servis_gui.ui.capture_panel import CapturePanel; "
            "from servis_gui.core.params import FeatureParams; "
            "p = CapturePanel('/nonexistent/My recordings', FeatureParams()); "
            "print('sounddevice' in sys.modules, 'parselmouth' in sys.modules)")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         cwd=REPO, timeout=60, check=False)
    assert out.stdout.strip() == "False False", out.stderr


def test_without_a_sound_server_the_panel_explains_and_the_app_works(tmp_path):
    with private_pulse(tmp_path / "pulse") as env:
        stop_pulse(tmp_path / "pulse", env)
        child = Child("nodevice", tmp_path, env)
        try:
            state = child.read_until("clip_drawn", timeout=60)
        finally:
            child.close()
    assert "No microphone found" in state["status"]
    assert not state["record_enabled"] and state["refresh_enabled"]


def test_a_server_lost_mid_take_keeps_the_take_says_so_and_refresh_reconnects(tmp_path):
    with private_pulse(tmp_path / "pulse") as env:
        child = Child("panel", tmp_path, env)
        try:
            assert child.read_until("started")["started"]
            while child.read_until("frames")["frames"] < 48000:
                pass
            lost = time.monotonic()
            stop_pulse(tmp_path / "pulse", env)
            result = child.read_until("problem", timeout=10)
            assert time.monotonic() - lost < 3.0
            start_pulse(tmp_path / "pulse")
            child.send("refresh")
            refreshed = child.read_until("refreshed", timeout=10)
        finally:
            child.close()
    assert "disappeared" in result["problem"] and "was kept" in result["problem"]
    assert result["form"] and not result["record_enabled"]
    (take,) = result["takes"]
    assert take["duration"] >= 1.0 and sf.info(take["file"]).duration == pytest.approx(take["duration"])
    assert refreshed["refreshed"] and refreshed["record_enabled"] and "Listening" in refreshed["status"]
