"""Playback through the real PortAudio path: into the virtual PulseAudio sink, or a clear refusal."""

import os
import subprocess
import sys
import time

import numpy as np
import pytest

HAVE_PULSE = bool(os.environ.get("PULSE_SERVER"))
needs_pulse = pytest.mark.skipif(
    not HAVE_PULSE and not os.environ.get("CI"),
    reason="needs the virtual PulseAudio of scripts/test.sh (PULSE_SERVER unset)",
)


def _tone(sr=16000, seconds=1.0, freq=440.0):
    t = np.arange(int(sr * seconds)) / sr
    return (0.4 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


@needs_pulse
def test_player_plays_into_the_sink_and_reports_position():
    from servis_gui.audio.playback import Player

    recorder = subprocess.Popen(
        ["parecord", "--raw", "--format=s16le", "--rate=16000", "--channels=1", "-d", "vmic_sink.monitor"],
        stdout=subprocess.PIPE,
    )
    time.sleep(0.3)
    player = Player()
    player.play(_tone(seconds=1.0), 16000)
    positions = []
    deadline = time.monotonic() + 5
    while player.playing and time.monotonic() < deadline:
        positions.append(player.position)
        time.sleep(0.05)
    time.sleep(0.3)
    recorder.terminate()
    raw = recorder.communicate()[0]
    player.stop()
    heard = np.frombuffer(raw, dtype=np.int16).astype(np.float32) / 32768
    assert positions == sorted(positions) and positions[-1] > 0.5
    assert np.abs(heard).max() > 0.3  # the 0.4-amplitude tone reached the sink


@needs_pulse
def test_player_plays_only_the_selection():
    from servis_gui.audio.playback import Player

    player = Player()
    start = time.monotonic()
    player.play(_tone(seconds=3.0), 16000, start=1.0, end=1.5)
    while player.playing and time.monotonic() - start < 5:
        assert 1.0 <= player.position <= 1.5
        time.sleep(0.02)
    assert time.monotonic() - start < 1.5  # half a second of sound, not three
    assert player.position == pytest.approx(1.5, abs=0.1)
    player.stop()


def _play_in_child(env_changes: dict) -> str:
    code = (
        "import numpy as np\n"
        "from servis_gui.audio.playback import Player, AudioUnavailable\n"
        "try:\n"
        "    Player().play(np.zeros(1600, dtype=np.float32), 16000)\n"
        "    print('PLAYED')\n"
        "except AudioUnavailable as exc:\n"
        "    print('MESSAGE:', exc)\n"
    )
    env = dict(os.environ, **env_changes)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_without_an_audio_server_play_gives_a_message(tmp_path):
    out = _play_in_child({"PULSE_SERVER": f"unix:{tmp_path}/no-such-socket"})
    assert "MESSAGE: Cannot play: no usable output device" in out


def test_broken_alsa_that_would_abort_portaudio_gives_a_message(tmp_path):
    (tmp_path / "empty.conf").write_text("")
    out = _play_in_child({"ALSA_CONFIG_PATH": str(tmp_path / "empty.conf")})
    assert "MESSAGE: Sound is unavailable: the audio system crashed" in out
    assert "libasound2-data" in out
