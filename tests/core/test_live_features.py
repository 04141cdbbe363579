"""The live feature vector (servis_gui.core.live_features) against the corpus's own analysis of the same audio."""

import math

import numpy as np
import pytest
import soundfile as sf

from servis_gui.core.clip import load_clip
from servis_gui.core.functionals import clip_functionals, feature_specs
from servis_gui.core.live_features import LiveFeatures, live_clip, rms_dbfs
from servis_gui.core.params import FeatureParams
from servis_gui.core.prosody import DEFAULT_PITCH

INPUT_SR = 48000  # the capture panel's preferred rate; the corpus is analysed at 16 kHz
CHUNK = int(0.025 * INPUT_SR)  # what the capture panel's 25 ms timer hands over
PARAMS = FeatureParams()


def harmonic_voice(seconds: float, sr: int = INPUT_SR) -> np.ndarray:
    """A harmonic voice whose f0 wanders between 130 and 190 Hz, with syllable-like loudness."""
    t = np.arange(int(seconds * sr)) / sr
    f0 = 160.0 + 30.0 * np.sin(2 * np.pi * 0.7 * t)
    phase = 2 * np.pi * np.cumsum(f0) / sr
    envelope = 0.6 + 0.4 * np.sin(2 * np.pi * 3.0 * t)
    harmonics = sum(np.where(k * f0 < 4000, np.sin(k * phase) / k, 0.0) for k in range(1, 30))
    return (0.15 * envelope * harmonics).astype(np.float32)


def _pushed(signal: np.ndarray, live: LiveFeatures) -> list[tuple[int, np.ndarray]]:
    """Push ``signal`` in 25 ms chunks; each snapshot taken when due, with the samples received by then."""
    taken = []
    for start in range(0, len(signal), CHUNK):
        live.push(signal[start : start + CHUNK])
        if live.due():
            taken.append((live.received, live.snapshot()))
    return taken


def test_a_voice_gives_the_corpus_features_of_the_last_two_seconds_every_half_second(tmp_path):
    signal = harmonic_voice(3.0)
    live = LiveFeatures(PARAMS, DEFAULT_PITCH, INPUT_SR)
    taken = _pushed(signal, live)
    assert [received / INPUT_SR for received, _ in taken] == pytest.approx([2.0, 2.5, 3.0])
    names = [spec.name for spec in feature_specs(PARAMS.n_mels)]
    for received, window in taken:
        assert np.array_equal(window, signal[received - 2 * INPUT_SR : received])
        # the corpus's road: a file at the stream's rate, loaded at the analysis rate, analysed
        path = tmp_path / f"last_2s_{received}.wav"
        sf.write(path, signal[received - 2 * INPUT_SR : received], INPUT_SR, subtype="FLOAT")
        expected = clip_functionals(load_clip(path, sr=PARAMS.sr), PARAMS, DEFAULT_PITCH)
        got = live.features(window)
        assert list(got) == names
        assert got["voiced_fraction"] > 0.9 and got["duration_s"] == pytest.approx(2.0)
        for name in names:
            assert got[name] == pytest.approx(expected[name], abs=1e-6, rel=1e-6, nan_ok=True), name


def test_the_live_clip_is_what_load_clip_makes_of_the_same_samples(tmp_path):
    samples = harmonic_voice(0.5)
    sf.write(tmp_path / "x.wav", samples, INPUT_SR, subtype="FLOAT")
    loaded, live = load_clip(tmp_path / "x.wav", sr=16000), live_clip(samples, INPUT_SR, 16000)
    assert live.sr == 16000 and not live.samples.flags.writeable
    assert np.array_equal(live.samples, loaded.samples)
    assert live_clip(samples, INPUT_SR, None).sr == INPUT_SR


@pytest.mark.parametrize("silence", [
    np.zeros(int(2.5 * INPUT_SR), np.float32),  # digital silence
    (1e-4 * np.random.default_rng(0).standard_normal(int(2.5 * INPUT_SR))).astype(np.float32),  # room noise
])
def test_silence_gives_none_not_a_guess(silence):
    live = LiveFeatures(PARAMS, DEFAULT_PITCH, INPUT_SR)
    taken = _pushed(silence, live)
    assert len(taken) == 2
    assert all(live.features(window) is None for _, window in taken)


def test_loud_noise_without_a_voiced_frame_is_silence_too():
    noise = (0.3 * np.random.default_rng(1).standard_normal(2 * INPUT_SR)).astype(np.float32)
    live = LiveFeatures(PARAMS, DEFAULT_PITCH, INPUT_SR)
    live.push(noise)
    assert live.due() and rms_dbfs(noise) > -20
    assert live.features() is None
    assert not live.due()  # features() took the snapshot


def test_nothing_is_due_before_a_full_window_nor_twice_within_half_a_second():
    live = LiveFeatures(PARAMS, DEFAULT_PITCH, INPUT_SR)
    live.push(np.zeros(INPUT_SR, np.float32))
    assert not live.due()
    live.push(np.zeros(INPUT_SR, np.float32))
    assert live.due()
    live.snapshot()
    live.push(np.zeros(INPUT_SR // 4, np.float32))
    assert not live.due()
    live.push(np.ones(5 * INPUT_SR, np.float32))  # a block longer than the window keeps its end
    assert live.due() and np.all(live.snapshot() == 1.0)
    assert rms_dbfs(np.zeros(3)) == -math.inf
