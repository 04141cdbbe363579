"""Live emotion with the real virtual microphone: a voice played in moves the map's live marker every
half second, silence hides it; the features arrive within 300 ms of the block that completes a window.

Needs the shared virtual microphone (scripts/test.sh, or ``eval "$(bash scripts/virtual_mic.sh start DIR)"``).
"""

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import QSettings

from servis_gui.core.params import FeatureParams
from servis_gui.core.prosody import DEFAULT_PITCH
from servis_gui.live_emotion import LiveEmotion
from servis_gui.settings import Settings
from servis_gui.ui.emotion_map import EmotionMap
from tests.audio.vmic import play, require_vmic
from tests.core.test_live_features import harmonic_voice
from tests.ui.test_emotion_map import WAIT_MS, FakeSession, synthetic_corpus

SR = 16000  # the virtual microphone's sink runs at 16 kHz; the panel listens at its preferred 48 kHz
VOICE_S = 3.0
LATENCY_S = 0.3


@pytest.fixture
def emotion_map(qtbot, tmp_path):
    """An emotion map of a synthetic corpus (LDA, raw features), drawn."""
    view = EmotionMap(FakeSession(), Settings(QSettings(str(tmp_path / "servis.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(view)
    view.resize(1000, 650)
    view.show()
    with qtbot.waitSignal(view.map_drawn, timeout=WAIT_MS):
        view.set_result(synthetic_corpus(), None)
    yield view
    view.shutdown()


@pytest.fixture
def live(capture_panel):
    """A LiveEmotion fed with every block the Record panel gives its live view."""
    emotion = LiveEmotion(FeatureParams(), DEFAULT_PITCH)
    capture_panel.samples_pushed.connect(lambda samples: emotion.push(samples, capture_panel.capture.sr))
    yield emotion
    emotion.shutdown()


def test_place_live_draws_one_marker_with_a_short_trail_and_silence_hides_it(emotion_map):
    corpus = synthetic_corpus()
    projection = emotion_map.map.projection
    for row in corpus.values[:8]:
        emotion_map.place_live(dict(zip(corpus.names, row, strict=True)))
    plot = emotion_map.plot
    assert np.allclose(plot.live_coords, projection.place(corpus.values[2:8]))  # the last 6, oldest first
    assert len(plot.live.points()) == 1 and np.allclose(plot.live.points()[0].pos(), plot.live_coords[-1])
    assert np.allclose(np.column_stack(plot.trail.getData()), plot.live_coords)
    assert emotion_map.live_state.text().startswith("Live:") and "silence" not in emotion_map.live_state.text()
    emotion_map.place_live(None)
    assert len(plot.live.points()) == 0 and len(plot.live_coords) == 0
    assert "silence" in emotion_map.live_state.text()


def test_a_voice_in_the_microphone_moves_the_live_marker_and_silence_hides_it(qtbot, capture_panel, live,
                                                                             emotion_map, tmp_path):
    require_vmic()
    sf.write(tmp_path / "voice.wav", harmonic_voice(VOICE_S, SR), SR)
    answers, positions = [], []
    live.features_ready.connect(emotion_map.place_live)
    live.features_ready.connect(answers.append)
    live.features_ready.connect(lambda _values: positions.append(emotion_map.plot.live_coords[-1:].copy()))
    capture_panel.show()
    qtbot.waitUntil(lambda: capture_panel.capture.running and len(answers) >= 1, timeout=10000)
    assert all(a is None for a in answers)  # the microphone hears nothing yet
    start = len(answers)
    player = play(tmp_path / "voice.wav")
    qtbot.waitUntil(lambda: player.poll() is not None, timeout=15000)
    voiced = [a for a in answers[start:] if a is not None]
    moved = [p[0] for p in positions[start:] if len(p)]
    # 2 s windows of a 3 s voice, every 0.5 s: at least two of them hold enough of it
    assert len(voiced) >= 2 and all(a["voiced_fraction"] > 0 for a in voiced)
    assert len(moved) >= 2 and np.ptp(np.array(moved), axis=0).max() > 1e-6
    # then the room is silent again: None, and the marker is gone
    qtbot.waitUntil(lambda: answers[-1] is None and len(answers) > start + len(voiced) + 1, timeout=5000)
    assert len(emotion_map.plot.live.points()) == 0 and "silence" in emotion_map.live_state.text()
    latencies = np.array(live.latencies)[-len(answers):]  # one per answer, in order
    speech = latencies[[a is not None for a in answers[-len(latencies):]]]
    print(f"\nblock -> features_ready: voiced windows median {1000 * np.median(speech):.0f} ms, max "
          f"{1000 * speech.max():.0f} ms ({len(speech)}); all {len(latencies)} windows max "
          f"{1000 * latencies.max():.0f} ms; input overflows {capture_panel.capture.overflows}")
    assert np.median(speech) <= LATENCY_S
    assert capture_panel.capture.overflows == 0
