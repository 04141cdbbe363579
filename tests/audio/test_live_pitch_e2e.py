"""The Record panel's live f0 with the real virtual microphone: a glide played in is drawn rising, in range.

Needs the shared virtual microphone (scripts/test.sh, or ``eval "$(bash scripts/virtual_mic.sh start DIR)"``).
"""


import numpy as np
import pytest
import soundfile as sf

from servis_gui.core.prosody import DEFAULT_PITCH
from servis_gui.ui.plot_helpers import mel_row
from tests.audio.vmic import play, require_vmic

SR = 16000  # the virtual microphone's sink runs at 16 kHz; the panel listens at its preferred 48 kHz
LOW_HZ, HIGH_HZ, GLIDE_S = 120.0, 240.0, 2.0


def _glide() -> np.ndarray:
    """Silence, a harmonic 120 -> 240 Hz glide (one octave in 2 s), silence."""
    t = np.arange(int(GLIDE_S * SR)) / SR
    f0 = LOW_HZ * (HIGH_HZ / LOW_HZ) ** (t / GLIDE_S)
    phase = 2 * np.pi * np.cumsum(f0) / SR
    voice = 0.3 * sum(np.sin(k * phase) / k for k in range(1, 16))
    pause = np.zeros(SR // 4)
    return np.concatenate([pause, voice, pause]).astype(np.float32)


@pytest.fixture
def panel(capture_panel):
    return capture_panel


def test_a_glide_played_into_the_microphone_is_drawn_rising_over_the_mel(qtbot, panel, tmp_path):
    require_vmic()
    sf.write(tmp_path / "glide.wav", _glide(), SR)
    panel.show()
    qtbot.waitUntil(lambda: panel.capture.running and panel.view.frames_drawn > 3, timeout=5000)
    view, readouts = panel.view, set()
    view.f0.sigPlotChanged.connect(lambda *_: readouts.add(view.readout.toPlainText()))
    drawn_before = view.frames_drawn
    player = play(tmp_path / "glide.wav")
    qtbot.waitUntil(lambda: player.poll() is not None, timeout=10000)
    qtbot.wait(300)
    updates_per_s = (view.frames_drawn - drawn_before) / (GLIDE_S + 0.8)
    times, f0 = view.pitch.times, view.pitch.f0_hz
    voiced = np.isfinite(f0)
    # Praat tracks a clean glide frame by frame: about 2 s of 10 ms frames, all between the ends of
    # the glide (5 % slack for the resampling in the sound server and the panel), and rising at one
    # octave in 2 s (the slope of log2 f0 against time, within 10 %).
    assert 0.9 * GLIDE_S / 0.01 < voiced.sum() < 1.1 * GLIDE_S / 0.01
    assert np.all((f0[voiced] > 0.95 * LOW_HZ) & (f0[voiced] < 1.05 * HIGH_HZ))
    slope = np.polyfit(times[voiced], np.log2(f0[voiced]), 1)[0]
    assert slope == pytest.approx(1.0 / GLIDE_S, rel=0.1)
    # the curve on screen is that trace, at the mel image's height of each f0, with gaps elsewhere
    x, y = view.f0.getData()
    assert np.allclose(x, times)
    assert np.array_equal(np.isfinite(y), voiced)
    assert np.allclose(y[voiced], mel_row(f0[voiced], view.rolling.mel_hz))
    assert any(text.startswith("f0 1") and "Hz" in text for text in readouts)  # 120-199 Hz shown
    assert any(text.startswith("f0 2") for text in readouts)  # 200-240 Hz shown
    assert panel.capture.overflows == 0 and updates_per_s >= 30


def test_new_pitch_settings_restart_the_live_f0_with_them(qtbot, panel):
    require_vmic()
    panel.show()
    qtbot.waitUntil(lambda: panel.capture.running and panel.view.frames_drawn > 3, timeout=5000)
    cc = DEFAULT_PITCH.with_changes(method="cc", floor_hz=100.0)
    panel.set_pitch_params(cc)
    assert panel.view.pitch.params == cc and panel.view.pitch.frames == 0
    qtbot.waitUntil(lambda: panel.view.pitch.frames > 10, timeout=3000)
