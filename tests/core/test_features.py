"""Our numpy pipeline against librosa (the reference), and the frame grid."""


import librosa
import numpy as np
import pytest

from servis_gui.core.clip import Clip, FileIdentity
from servis_gui.core.db_reference import DbReference
from servis_gui.core.features import compute_features, full_scale_power
from servis_gui.core.params import FeatureParams

CASES = [
    (16000, 2048, 512, 128, None),
    (22050, 1024, 256, 64, 8000.0),
    (48000, 4096, 1024, 40, 12000.0),
    (8000, 512, 160, 32, None),
    (44100, 2048, 441, 96, 11025.0),
]


def _speechlike(sr: int, seconds: float = 1.3, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(int(sr * seconds)) / sr
    tone = 0.3 * np.sin(2 * np.pi * (180 + 60 * t) * t) * np.exp(-t)
    return (tone + 0.02 * rng.standard_normal(len(t))).astype(np.float32)


def _clip(y: np.ndarray, sr: int) -> Clip:
    return Clip(y, sr, FileIdentity("synthetic.wav", 0, 0), sr, 1)


@pytest.mark.parametrize(("sr", "n_fft", "hop", "n_mels", "fmax"), CASES)
def test_mel_db_and_mfcc_equal_librosa(sr, n_fft, hop, n_mels, fmax):
    y = _speechlike(sr)
    params = FeatureParams(sr=sr, n_fft=n_fft, hop_length=hop, n_mels=n_mels, fmax=fmax, n_mfcc=20)
    ours = compute_features(_clip(y, sr), params)
    kw = dict(sr=sr, n_fft=n_fft, hop_length=hop, n_mels=n_mels, fmax=fmax)
    ref_db = librosa.power_to_db(librosa.feature.melspectrogram(y=y, **kw), ref=np.max)
    ref_mfcc = librosa.feature.mfcc(y=y, n_mfcc=20, **kw)
    assert ours.mel_db.shape == ref_db.shape
    assert np.abs(ours.mel_db - ref_db).max() < 1e-3
    assert np.abs(ours.mfcc - ref_mfcc).max() < 1e-3
    assert np.allclose(ours.mel_hz, librosa.mel_frequencies(n_mels=n_mels + 2, fmax=fmax or sr / 2)[1:-1])


def test_rms_equals_librosa():
    y = _speechlike(16000)
    ours = compute_features(_clip(y, 16000), FeatureParams())
    ref = librosa.feature.rms(y=y, frame_length=2048, hop_length=512)[0]
    assert np.abs(ours.rms - ref).max() < 1e-5


@pytest.mark.parametrize(("sr", "hop"), [(16000, 512), (22050, 256), (8000, 100)])
def test_frame_k_is_centred_at_k_hop_over_sr(sr, hop):
    y = np.zeros(sr, dtype=np.float32)
    y[sr // 2] = 1.0  # a click at 0.5 s
    feats = compute_features(_clip(y, sr), FeatureParams(sr=sr, n_fft=1024, hop_length=hop))
    assert feats.times[5] == pytest.approx(5 * hop / sr)
    assert len(feats.times) == 1 + len(y) // hop == feats.mel_db.shape[1] == feats.mfcc.shape[1]
    loudest = feats.times[np.argmax(feats.mel_db.max(axis=0))]  # Hann peaks mid-frame
    assert abs(loudest - 0.5) <= hop / sr


def test_full_scale_reference_keeps_loudness_differences():
    y = _speechlike(16000)
    loud = compute_features(_clip(y, 16000), FeatureParams(db_ref=DbReference.FULL_SCALE))
    quiet = compute_features(_clip(y * 0.1, 16000), FeatureParams(db_ref=DbReference.FULL_SCALE))
    assert loud.mel_db.max() - quiet.mel_db.max() == pytest.approx(20.0, abs=0.01)
    assert loud.peak_db - quiet.peak_db == pytest.approx(20.0, abs=0.01)
    per_clip = [compute_features(_clip(s, 16000), FeatureParams(db_ref=DbReference.CLIP_MAX)) for s in (y, y * 0.1)]
    assert per_clip[0].mel_db.max() == pytest.approx(0.0, abs=1e-4)
    assert per_clip[1].mel_db.max() == pytest.approx(0.0, abs=1e-4)


def test_full_scale_sine_bin_is_zero_db():
    n_fft = 2048
    sr = 16000
    freq = 64 * sr / n_fft  # exactly on a bin
    t = np.arange(sr) / sr
    y = np.sin(2 * np.pi * freq * t).astype(np.float32)
    from servis_gui.core.features import stft_power

    power, _ = stft_power(y, n_fft, 512)
    assert 10 * np.log10(power[10, 64] / full_scale_power(n_fft)) == pytest.approx(0.0, abs=0.01)


def test_outputs_are_float32_c_contiguous():
    feats = compute_features(_clip(_speechlike(16000), 16000), FeatureParams())
    for arr in (feats.mel_db, feats.mfcc):
        assert arr.dtype == np.float32 and arr.flags.c_contiguous


def test_clip_shorter_than_one_frame():
    feats = compute_features(_clip(_speechlike(16000, seconds=0.01), 16000), FeatureParams())
    assert feats.mel_db.shape == (128, 1)
    assert np.isfinite(feats.mel_db).all()


@pytest.mark.parametrize(("sr", "n_fft", "n_mels"), [(16000, 2048, 128), (8000, 256, 128), (22050, 512, 40)])
def test_mel_filterbank_equals_librosa_including_empty_bands(sr, n_fft, n_mels):
    import warnings

    from servis_gui.core.mel import mel_filterbank

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # librosa warns about the empty bands of (8000, 256, 128)
        ref = librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=0.0, fmax=sr / 2)
    assert np.allclose(mel_filterbank(sr, n_fft, n_mels, 0.0, sr / 2), ref, rtol=1e-5, atol=1e-8)


def test_numpy_and_scipy_fft_paths_agree():
    from servis_gui.core.features import fft_backend, set_fft_backend

    clip = _clip(_speechlike(16000), 16000)
    before = fft_backend()
    try:
        set_fft_backend("scipy")
        with_scipy = compute_features(clip, FeatureParams())
        set_fft_backend("numpy")
        assert fft_backend() == "numpy"
        with_numpy = compute_features(clip, FeatureParams())
    finally:
        set_fft_backend(before)
    assert np.abs(with_scipy.mel_db - with_numpy.mel_db).max() < 1e-3
    assert np.abs(with_scipy.mfcc - with_numpy.mfcc).max() < 1e-3
