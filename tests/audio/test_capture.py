"""MicCapture through the real PortAudio path: the shared virtual microphone of scripts/test.sh."""

import time

import numpy as np
import soundfile as sf

from servis_gui.audio.capture import (
    MicCapture,
    _Ring,
    list_input_devices,
    supported_rates,
)
from tests.audio.vmic import best_correlation, chirp, play, require_vmic


def test_ring_returns_each_sample_once_and_only_the_newest_after_an_overrun():
    ring = _Ring(8)
    ring.write(np.arange(5, dtype=np.float32))
    assert ring.read_new().tolist() == [0, 1, 2, 3, 4]
    assert ring.read_new().size == 0
    ring.write(np.arange(5, 11, dtype=np.float32))  # wraps around the end
    assert ring.read_new().tolist() == [5, 6, 7, 8, 9, 10]
    ring.write(np.arange(11, 18, dtype=np.float32))
    ring.write(np.arange(18, 24, dtype=np.float32))  # unread: more than the ring holds
    assert ring.read_new().tolist() == list(range(16, 24))


def test_watchdog_reports_a_stall_and_closes_the_stream_at_once():
    class StalledStream:
        active = True
        aborted = False

        def abort(self):
            self.aborted = True

        def close(self):
            pass

    capture = MicCapture()
    capture._stream = stream = StalledStream()
    capture.last_callback = 100.0
    assert capture.watchdog_check(now=100.5) is None
    problem = capture.watchdog_check(now=102.0)
    assert "stopped sending sound for 2.0 s" in problem
    assert stream.aborted and not capture.running
    assert capture.watchdog_check(now=200.0) is None


def test_the_default_input_is_listed_first_with_its_rates():
    require_vmic()
    devices = list_input_devices()
    assert devices and devices[0].is_default
    assert 16000 in supported_rates(devices[0].index)


def test_a_played_chirp_is_recorded_into_the_take_and_the_live_ring(tmp_path):
    require_vmic()
    played = chirp()
    sf.write(tmp_path / "chirp.wav", played, 16000)
    capture = MicCapture()
    capture.start(None, 16000)
    capture.start_take(tmp_path / "take.wav")
    live = []
    # PortAudio's start() returns before PulseAudio sends the first block: play only once sound arrives,
    # or the take misses the chirp's first samples.
    deadline = time.monotonic() + 4.0
    while capture.take_frames == 0 and time.monotonic() < deadline:
        time.sleep(0.005)
    assert capture.take_frames > 0, "the microphone sent nothing within 4 s"
    player = play(tmp_path / "chirp.wav")
    deadline = time.monotonic() + 4.0
    while time.monotonic() < deadline:
        assert capture.watchdog_check() is None
        live.append(capture.read_new())
        time.sleep(0.03)
    player.wait(timeout=10)
    take = capture.stop_take()
    started = time.monotonic()
    capture.close()
    assert time.monotonic() - started < 0.5
    recorded, sr = sf.read(take.file, dtype="float32")
    assert sr == 16000 and take.duration == len(recorded) / sr > 3.5
    assert not (tmp_path / "take.wav.recording").exists()
    assert best_correlation(recorded, played) >= 0.95
    assert best_correlation(np.concatenate(live), played) >= 0.95
    assert capture.overflows == 0


def test_the_recorder_trashes_restores_and_recovers_takes_without_a_microphone(tmp_path):
    from servis_gui.core.takes.recorder import Recorder
    from servis_gui.core.takes.store import read_takes
    from servis_gui.core.takes.writer import TakeWriter

    writer = TakeWriter(tmp_path / "crashed.wav", 16000)
    writer.write(np.zeros(1600, dtype=np.float32))  # never closed: a crash
    recorder = Recorder(tmp_path, MicCapture())
    assert recorder.unfinished == [tmp_path / "crashed.wav"]
    assert recorder.check() is None and recorder.end() is None
    (kept,) = recorder.recover()
    assert recorder.unfinished == [] and kept.duration == 0.1
    assert recorder.trash(kept.file) == kept and read_takes(tmp_path) == []
    assert recorder.trash(tmp_path / "unknown.wav") is None and recorder.trashed is not None
    assert recorder.undo() == kept and recorder.undo() is None
    assert read_takes(tmp_path) == [kept]


def test_capture_modules_import_no_qt_and_no_sounddevice():
    import subprocess
    import sys

    code = ("import sys, servis_gui.audio.capture, servis_gui.core.takes.recorder, servis_gui.core.live; "
            "print(sorted({'PySide6', 'pyqtgraph', 'sounddevice'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
