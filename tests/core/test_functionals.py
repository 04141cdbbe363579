"""The per-clip feature vector (servis_gui.core.functionals) against synthetic voices with known answers."""

import math
from pathlib import Path

import numpy as np
import parselmouth
import pytest
from parselmouth.praat import call

from servis_gui.core.clip import Clip, FileIdentity
from servis_gui.core.db_reference import DbReference
from servis_gui.core.errors import FeatureError
from servis_gui.core.features import compute_features
from servis_gui.core.functionals import (
    clip_functionals, definitions, feature_specs,
)
from servis_gui.core.params import FeatureParams
from servis_gui.core.prosody import DEFAULT_PITCH
from servis_gui.core.spectral_shape import spectral_shape
from servis_gui.core.voice_report import measurements
from tests.voices import harmonic_voice

SR = 16000
PARAMS = FeatureParams()
FEATURES_MD = Path(__file__).resolve().parents[2] / "docs" / "FEATURES.md"
F0_NAMES = [s.name for s in feature_specs(PARAMS.n_mels) if s.name.startswith("f0_")]


def _clip(y: np.ndarray) -> Clip:
    return Clip(np.ascontiguousarray(y, dtype=np.float32), SR, FileIdentity("synthetic.wav", 0, 0), SR, 1)


def _t(seconds: float) -> np.ndarray:
    return np.arange(int(seconds * SR)) / SR


def _between(t: np.ndarray, start: float, end: float) -> np.ndarray:
    return (t >= start) & (t < end)


def _functionals(y: np.ndarray, params: FeatureParams = PARAMS) -> dict[str, float]:
    return clip_functionals(_clip(y), params, DEFAULT_PITCH)


@pytest.fixture(scope="module")
def glides() -> dict[str, float]:
    """A 1 s rise 100 -> 200 Hz (12 st/s), 0.4 s apart from a 0.5 s fall 200 -> 100 Hz (-24 st/s)."""
    t = _t(2.4)
    rise, fall = _between(t, 0.2, 1.2), _between(t, 1.6, 2.1)
    st = np.where(rise, 12.0 * (t - 0.2), np.where(fall, 12.0 - 24.0 * (t - 1.6), 0.0))
    return _functionals(harmonic_voice(100.0 * 2.0 ** (st / 12.0), rise | fall, SR))


@pytest.fixture(scope="module")
def rise() -> dict[str, float]:
    """The rise alone: semitones spread evenly over 0-12 st re 100 Hz."""
    t = _t(1.4)
    on = _between(t, 0.2, 1.2)
    return _functionals(harmonic_voice(100.0 * 2.0 ** np.clip(t - 0.2, 0.0, 1.0), on, SR))


def test_keys_are_the_spec_names_in_order(rise):
    names = [s.name for s in feature_specs(PARAMS.n_mels)]
    assert list(rise) == names
    assert len(set(names)) == len(names)
    assert names[-1] == f"mel{PARAMS.n_mels:03d}_mean" and names[-PARAMS.n_mels] == "mel001_mean"
    assert {"f0_semitone_mean", "f0_semitone_p50", "f0_hz_p50", "intensity_db_mean", "jitter_local",
            "mfcc1_mean", "peak_dbfs", "rms_dbfs", "duration_s"} <= set(names)
    assert all(isinstance(v, float) for v in rise.values())


def test_specs_are_documented_and_grouped():
    specs = feature_specs(40)
    assert [s.name for s in specs][-40:] == [f"mel{k:03d}_mean" for k in range(1, 41)]
    assert {s.group for s in specs} == {"prosody", "voice quality", "spectral", "cepstral", "level", "mel bands"}
    assert all(s.name.isidentifier() and s.name == s.name.lower() for s in specs)
    assert all(s.definition.endswith(".") and s.source for s in specs)
    table = definitions(specs)
    assert list(table) == [s.name for s in specs]
    assert table["f0_semitone_p50"] == {"unit": "st", "group": "prosody", "definition": specs[3].definition,
                                        "source": specs[3].source}


def doc_row(spec) -> str:
    """The row of docs/FEATURES.md's table for ``spec`` (the doc is generated with this)."""
    return f"| `{spec.name}` | {spec.unit or '-'} | {spec.group} | {spec.definition} | {spec.source} |"


def test_features_doc_lists_every_feature():
    text = FEATURES_MD.read_text(encoding="utf-8")
    specs = feature_specs(PARAMS.n_mels)
    missing = [s.name for s in specs if s.group != "mel bands" and doc_row(s) not in text.splitlines()]
    assert not missing
    assert doc_row(specs[-PARAMS.n_mels]) in text.splitlines()  # mel001_mean stands for all bands
    assert f"`mel{PARAMS.n_mels:03d}_mean`" in text
    assert "## Where SERVIS differs from eGeMAPS" in text


def test_f0_mean_and_percentiles_of_a_glide(rise):
    # Semitones uniform over 0-12: mean and median 6, 20th 2.4, 80th 9.6 percentile.
    assert rise["f0_semitone_mean"] == pytest.approx(6.0, abs=0.15)
    assert rise["f0_semitone_p50"] == pytest.approx(6.0, abs=0.15)
    assert rise["f0_semitone_p20"] == pytest.approx(2.4, abs=0.15)
    assert rise["f0_semitone_p80"] == pytest.approx(9.6, abs=0.15)
    assert rise["f0_semitone_range_20_80"] == pytest.approx(7.2, abs=0.2)
    assert rise["f0_semitone_sd"] == pytest.approx(12.0 / math.sqrt(12.0), abs=0.15)
    assert rise["f0_hz_p50"] == pytest.approx(100.0 * math.sqrt(2.0), rel=0.01)
    assert rise["f0_hz_mean"] == pytest.approx(100.0 / math.log(2.0), rel=0.01)


def test_rising_and_falling_slopes(glides):
    assert glides["f0_semitone_rising_slope_mean"] == pytest.approx(12.0, rel=0.05)
    assert glides["f0_semitone_falling_slope_mean"] == pytest.approx(-24.0, rel=0.05)


def test_voiced_fraction_and_segments():
    # 0.2 s silence, three 0.4 s voiced runs 0.3 s apart, 0.2 s silence.
    t = _t(2.2)
    on = _between(t, 0.2, 0.6) | _between(t, 0.9, 1.3) | _between(t, 1.6, 2.0)
    v = _functionals(harmonic_voice(np.full(len(t), 150.0), on, SR))
    assert v["voiced_fraction"] == pytest.approx(1.2 / 2.2, abs=0.04)
    assert v["voiced_segments_per_s"] == pytest.approx(3 / 2.2)
    assert v["voiced_segment_mean_s"] == pytest.approx(0.4, abs=0.03)
    assert v["unvoiced_segment_mean_s"] == pytest.approx(0.3, abs=0.03)
    assert v["f0_semitone_p50"] == pytest.approx(12.0 * math.log2(1.5), abs=0.05)
    assert v["f0_semitone_sd"] < 0.1
    assert v["duration_s"] == pytest.approx(2.2)


def test_level_of_a_sine():
    t = _t(1.0)
    v = _functionals(0.5 * np.sin(2 * np.pi * 1000.0 * t))
    assert v["peak_dbfs"] == pytest.approx(20 * math.log10(0.5), abs=0.01)
    assert v["rms_dbfs"] == pytest.approx(20 * math.log10(0.5 / math.sqrt(2)), abs=0.01)


def test_intensity_follows_the_level():
    t = _t(1.2)
    on = _between(t, 0.1, 1.1)
    y = harmonic_voice(np.full(len(t), 180.0), on, SR)
    loud, quiet = _functionals(y), _functionals(0.1 * y)
    assert loud["intensity_db_mean"] - quiet["intensity_db_mean"] == pytest.approx(20.0, abs=0.1)
    assert loud["intensity_db_range_20_80"] < 1.0
    assert loud["rms_dbfs"] - quiet["rms_dbfs"] == pytest.approx(20.0, abs=0.01)


def test_mfcc_means_are_servis_mfcc(rise):
    t = _t(1.4)
    y = harmonic_voice(100.0 * 2.0 ** np.clip(t - 0.2, 0.0, 1.0), _between(t, 0.2, 1.2), SR)
    mfcc = compute_features(_clip(y), PARAMS).mfcc.astype(np.float64)
    got_means = [rise[f"mfcc{k}_mean"] for k in range(1, 14)]
    got_sds = [rise[f"mfcc{k}_sd"] for k in range(1, 14)]
    np.testing.assert_allclose(got_means, mfcc[1:14].mean(axis=1), atol=1e-4)
    np.testing.assert_allclose(got_sds, mfcc[1:14].std(axis=1), atol=1e-4)


def test_mel_band_means_are_in_fixed_db_so_loud_clips_are_louder():
    noise = np.random.default_rng(3).standard_normal(SR)
    per_clip_max = PARAMS.with_changes(db_ref=DbReference.CLIP_MAX)
    loud, quiet = _functionals(0.1 * noise, per_clip_max), _functionals(0.01 * noise, per_clip_max)
    bands = [f"mel{k:03d}_mean" for k in range(1, PARAMS.n_mels + 1)]
    diff = np.array([loud[b] - quiet[b] for b in bands])
    np.testing.assert_allclose(diff, 20.0, atol=0.01)
    assert max(loud[b] for b in bands) < 0.0


def test_unvoiced_noise_gives_nan_pitch_not_an_error():
    v = _functionals(0.1 * np.random.default_rng(4).standard_normal(SR))
    assert all(math.isnan(v[name]) for name in F0_NAMES)
    assert math.isnan(v["jitter_local"]) and math.isnan(v["shimmer_local"])
    assert math.isnan(v["alpha_ratio_db"]) and math.isnan(v["intensity_db_mean"])
    assert v["voiced_fraction"] == 0.0 and v["voiced_segments_per_s"] == 0.0
    assert math.isfinite(v["spectral_centroid_hz_mean"]) and math.isfinite(v["rms_dbfs"])


@pytest.mark.parametrize("seconds", [0.0, 0.05])
def test_a_clip_too_short_for_the_pitch_floor_is_an_error(seconds):
    with pytest.raises(FeatureError):
        _functionals(0.1 * np.sin(2 * np.pi * 200.0 * _t(seconds)))


def test_alpha_ratio_and_hammarberg_of_known_harmonics():
    # f0 on an STFT bin (25 bins at 7.8125 Hz); harmonics 1/k up to 4 kHz: k 1-5 below 1 kHz, 6-20 above.
    f0 = 25 * SR / PARAMS.n_fft
    y = harmonic_voice(np.full(SR, f0), np.ones(SR, dtype=bool), SR)
    v = _functionals(y)
    k = np.arange(1, 21)
    power = 1.0 / k ** 2
    assert v["alpha_ratio_db"] == pytest.approx(10 * math.log10(power[5:].sum() / power[:5].sum()), abs=0.1)
    assert v["hammarberg_index_db"] == pytest.approx(10 * math.log10(power[0] / power[10]), abs=0.1)


def test_spectral_shape_of_constructed_spectra():
    freqs = np.linspace(0.0, SR / 2, 1025)
    tilt = 10.0 ** (-0.01 * freqs / 10.0)  # -0.01 dB/Hz everywhere
    flat = np.ones_like(freqs)
    power = np.stack([tilt, tilt, flat, flat])
    voiced = np.array([True, True, False, False])
    active = np.array([False, False, True, True])
    v = spectral_shape(power, SR, voiced, active)
    assert v["spectral_slope_0_500"] == pytest.approx(-0.01)
    assert v["spectral_slope_500_1500"] == pytest.approx(-0.01)
    assert v["spectral_centroid_hz_mean"] == pytest.approx(SR / 4)
    assert v["spectral_flux_mean"] == 0.0
    changing = spectral_shape(power, SR, voiced, np.ones(4, dtype=bool))["spectral_flux_mean"]
    assert changing > 0.0


def _jittery_voice(jitter: float, seconds: float = 1.5, seed: int = 5) -> np.ndarray:
    """150 Hz whose period changes at random by ``jitter`` (relative SD) every period."""
    rng = np.random.default_rng(seed)
    periods = (1.0 + jitter * rng.standard_normal(int(seconds * 200))) / 150.0
    edges = np.cumsum(periods)
    f0 = 1.0 / periods[np.minimum(np.searchsorted(edges, _t(seconds)), len(periods) - 1)]
    return harmonic_voice(f0, np.ones(len(f0), dtype=bool), SR, noise=0.002, seed=seed)


def test_jitter_shimmer_and_hnr_are_praats():
    y = _jittery_voice(0.02)
    v = _functionals(y)
    sound = parselmouth.Sound(y.astype(np.float32).astype(np.float64), sampling_frequency=SR)
    pitch = sound.to_pitch_ac(time_step=0.01, pitch_floor=DEFAULT_PITCH.floor_hz,
                              pitch_ceiling=DEFAULT_PITCH.ceiling_hz)
    points = call([sound, pitch], "To PointProcess (cc)")
    assert v["jitter_local"] == call(points, "Get jitter (local)", 0, 0, 0.0001, 0.02, 1.3)
    assert v["shimmer_local"] == call([sound, points], "Get shimmer (local)", 0, 0, 0.0001, 0.02, 1.3, 1.6)
    r = np.array([call(pitch, "Get value in frame", k, "Hertz") > 0 and pitch.get_frame(k).selected.strength
                  for k in range(1, pitch.n_frames + 1)], dtype=object)
    r = np.array([x for x in r if x is not False], dtype=np.float64)
    assert v["hnr_db"] == pytest.approx(float(np.mean(10 * np.log10(r / (1 - r)))), abs=1e-9)
    # The voice report (its own PointProcess) says nearly the same jitter and shimmer. Its HNR is
    # Harmonicity (cc), another definition: on this jittery voice it is ~4.6 dB higher, as jitter
    # lowers the 3-period autocorrelation peak more (known answers: the noise tests below).
    report = measurements(_clip(y), DEFAULT_PITCH)
    assert v["jitter_local"] == pytest.approx(report.jitter_local, rel=0.1)
    assert v["shimmer_local"] == pytest.approx(report.shimmer_local, rel=0.1)


@pytest.mark.parametrize("snr_db", [5.0, 15.0])
def test_hnr_follows_the_noise_added_to_a_voice(snr_db):
    """A harmonic voice plus white noise at a known power ratio: the HNR tracks that ratio (the
    autocorrelation of a periodic signal plus noise peaks at r = P / (P + N); the band-limited
    pitch analysis and the voice's decaying harmonics leave a few dB of bias, the same at both SNRs)."""
    t = _t(2.0)
    voice = harmonic_voice(np.full_like(t, 150.0), np.ones(len(t), dtype=bool), SR)
    noise = np.random.default_rng(3).standard_normal(len(t)) * np.sqrt(np.mean(voice**2) / 10 ** (snr_db / 10))
    hnr = _functionals(voice + noise)["hnr_db"]
    assert abs(hnr - snr_db) < 4.0


def test_more_noise_means_a_lower_hnr():
    t = _t(2.0)
    voice = harmonic_voice(np.full_like(t, 150.0), np.ones(len(t), dtype=bool), SR)
    noise = np.random.default_rng(4).standard_normal(len(t)) * np.sqrt(np.mean(voice**2))
    hnrs = [_functionals(voice + k * noise)["hnr_db"] for k in (0.1, 0.3, 1.0)]
    assert hnrs[0] > hnrs[1] > hnrs[2]


def test_jitter_grows_with_the_added_jitter():
    steady, jittery = _functionals(_jittery_voice(0.0)), _functionals(_jittery_voice(0.02))
    assert steady["jitter_local"] < 0.005 < 0.01 < jittery["jitter_local"]
    assert jittery["hnr_db"] < steady["hnr_db"]
