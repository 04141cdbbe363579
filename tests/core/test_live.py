"""Live analysis: the level meter and the rolling mel, equal to the panes' features of the whole signal."""

import numpy as np
import pytest

from servis_gui.core.clip import Clip, FileIdentity
from servis_gui.core.db_reference import DbReference
from servis_gui.core.errors import FeatureError
from servis_gui.core.features import compute_features
from servis_gui.core.live import DB_FLOOR, RollingMel, level_meter, shift_in
from servis_gui.core.params import FeatureParams

SR = 16000


def _sine(freq=1000.0, seconds=1.0, amplitude=1.0, sr=SR):
    return (amplitude * np.sin(2 * np.pi * freq * np.arange(int(sr * seconds)) / sr)).astype(np.float32)


def test_a_full_scale_sine_peaks_at_0_dbfs_with_rms_3_db_below():
    peak, rms = level_meter(_sine())
    assert peak == pytest.approx(0.0, abs=0.01) and rms == pytest.approx(-3.01, abs=0.01)


def test_silence_and_empty_blocks_sit_at_the_floor():
    assert level_meter(np.zeros(100, dtype=np.float32)) == (DB_FLOOR, DB_FLOOR)
    assert level_meter(np.zeros(0, dtype=np.float32)) == (DB_FLOOR, DB_FLOOR)


def test_shift_in_scrolls_left_along_the_last_axis():
    history = np.arange(5.0)
    shift_in(history, np.array([10.0, 11.0]))
    assert history.tolist() == [2, 3, 4, 10, 11]
    shift_in(history, np.arange(20.0, 27.0))
    assert history.tolist() == [22, 23, 24, 25, 26]
    image = np.zeros((2, 3))
    shift_in(image, np.ones((2, 1)))
    assert image.tolist() == [[0, 0, 1], [0, 0, 1]]


@pytest.mark.parametrize("n_fft,hop", [(2048, 512), (512, 160), (400, 128)])
def test_rolling_mel_in_random_chunks_equals_the_whole_signal_analysis(n_fft, hop):
    params = FeatureParams(sr=SR, n_fft=n_fft, hop_length=hop, n_mels=40, db_ref=DbReference.FULL_SCALE)
    rng = np.random.default_rng(0)
    signal = (0.1 * rng.standard_normal(SR) + _sine(440.0, amplitude=0.3)).astype(np.float32)
    rolling, start = RollingMel(params, SR, n_columns=1000), 0
    while start < len(signal):
        size = int(rng.integers(1, 1500))
        rolling.push(signal[start : start + size])
        start += size
    expected_frames = (len(signal) - n_fft // 2) // hop + 1
    assert rolling.frames == expected_frames
    clip = Clip(signal, SR, FileIdentity("x", 0, 0), SR, 1)
    whole = compute_features(clip, params).mel_db[:, :expected_frames]
    np.testing.assert_allclose(rolling.image[:, -expected_frames:], whole, atol=1e-3)
    assert np.all(rolling.image[:, :-expected_frames] == rolling.levels[0])


def test_rolling_mel_resamples_to_the_analysis_rate():
    params = FeatureParams(sr=SR, n_mels=64)
    rolling = RollingMel(params, 48000, n_columns=20)
    for block in np.array_split(_sine(1000.0, seconds=1.0, amplitude=0.5, sr=48000), 50):
        rolling.push(block)
    loudest = rolling.mel_hz[int(np.argmax(rolling.image[:, -1]))]
    assert rolling.sr == SR and loudest == pytest.approx(1000.0, rel=0.1)
    assert rolling.frame_seconds == pytest.approx(512 / SR)


def test_rolling_mel_refuses_a_range_above_nyquist():
    with pytest.raises(FeatureError):
        RollingMel(FeatureParams(sr=None, fmin=9000.0), 16000, 10)
