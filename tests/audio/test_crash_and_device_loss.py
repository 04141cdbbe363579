"""Takes survive SIGKILL, a vanished sound server, a removed sink and a stalled (suspended) source.

Each recording runs in a child process (tests/audio/capture_child.py); the ones that break a server
start a private PulseAudio for themselves so that the shared virtual microphone is left alone.
"""

import os
import signal
import time
import wave

import pytest
import soundfile as sf

from servis_gui.core.takes.store import find_unfinished, recover
from servis_gui.core.takes.writer import marker_path
from tests.audio.vmic import Child, pactl, private_pulse, require_vmic, stop_pulse

SR = 16000
LOST_AT_MOST_S = 0.1
SAVED_WITHIN_S = 3.0


def test_a_take_killed_mid_recording_keeps_all_but_the_last_tenth_of_a_second(tmp_path):
    require_vmic()
    child = Child("capture", tmp_path)
    try:
        path = child.read_until("started")["started"]
        started = time.monotonic()
        while time.monotonic() - started < 2.0:
            captured = child.read_until("frames")["frames"]
        os.kill(child.process.pid, signal.SIGKILL)
    finally:
        child.close()
    data, sr = sf.read(path, dtype="float32")
    with wave.open(path) as wav:
        assert (wav.getframerate(), wav.getsampwidth(), wav.getnchannels()) == (SR, 2, 1)
        assert wav.getnframes() == len(data)
    assert sr == SR and captured > 1.5 * SR
    assert len(data) >= captured - LOST_AT_MOST_S * SR
    assert find_unfinished(tmp_path) == [tmp_path / "take.wav"]
    take = recover(tmp_path / "take.wav")
    assert take.duration == pytest.approx(len(data) / SR)
    assert not marker_path(take.file).exists() and find_unfinished(tmp_path) == []


def _record_then(tmp_path, breaker, expected: str) -> dict:
    """Record in a child on a private server, break the server with ``breaker(env)``, check the result."""
    with private_pulse(tmp_path / "pulse") as env:
        child = Child("capture", tmp_path, env)
        try:
            child.read_until("started")
            while child.read_until("frames")["frames"] < SR:
                pass
            broken = time.monotonic()
            breaker(env)
            result = child.read_until("problem", timeout=10)
            assert time.monotonic() - broken < SAVED_WITHIN_S
            assert child.process.wait(timeout=5) == 0
        finally:
            child.close()
    assert expected in result["problem"]
    data, sr = sf.read(result["file"], dtype="float32")
    assert sr == SR and len(data) >= SR and result["duration"] == pytest.approx(len(data) / SR)
    assert find_unfinished(tmp_path) == []
    return result


def test_a_stopped_sound_server_ends_the_take_at_once_and_keeps_it(tmp_path):
    _record_then(tmp_path, lambda env: stop_pulse(tmp_path / "pulse", env), "disappeared")


def test_a_removed_sink_ends_the_take_and_keeps_it(tmp_path):
    def unload_sinks(env):
        for line in pactl(env, "list", "short", "modules").splitlines():
            if "module-null-sink" in line:
                pactl(env, "unload-module", line.split()[0])

    _record_then(tmp_path, unload_sinks, "disappeared")


def test_a_suspended_source_is_caught_by_the_watchdog_and_the_take_kept(tmp_path):
    def suspend(env):
        pactl(env, "suspend-source", "vmic", "1")
        pactl(env, "suspend-sink", "vmic_sink", "1")

    _record_then(tmp_path, suspend, "stopped sending sound")
