"""Pitch, intensity and voice measures (servis_gui.core.prosody) against known signals and Praat itself."""

import re
import subprocess
import sys

import numpy as np
import parselmouth
import pytest
from parselmouth.praat import call

from servis_gui.core.clip import Clip, FileIdentity
from servis_gui.core.errors import FeatureError, ServisError
from servis_gui.core.features import compute_features
from servis_gui.core.params import FeatureParams
from servis_gui.core.prosody import (
    PITCH_PRESETS,
    ClipTooShortError,
    NoVoiceError,
    PitchParams,
    SilentClipError,
    compute_prosody,
    semitones,
)
from servis_gui.core.voice_report import Measurements, measurements
from tests.voices import harmonic_voice

SR = 16000
HOP = 160
PARAMS = PitchParams().aligned_to(HOP, SR)  # 10 ms frames

# Bounds on the synthetic voices. Praat tracks clean harmonic signals essentially without error
# (0 % measured here for every case); a single octave error on one voiced stretch would cost well
# over 10 % of the frames, so 2 % (5 % with noise added) fails on any systematic error while leaving
# room for a frame at the edge of a glide. Voicing decisions are scored away from the on/offsets
# (a 3-period window at 60 Hz straddles them for 50 ms), with 5 % slack (8 % with noise).
GPE_BOUND = 0.02
GPE_BOUND_NOISY = 0.05
VDE_BOUND = 0.05
VDE_BOUND_NOISY = 0.08
EDGE_S = 0.05


def _clip(y: np.ndarray, sr: int = SR) -> Clip:
    return Clip(np.ascontiguousarray(y, dtype=np.float32), sr, FileIdentity("synthetic.wav", 0, 0), sr, 1)


def _voice(f0: np.ndarray, voiced: np.ndarray, noise: float = 0.0, seed: int = 0) -> np.ndarray:
    return harmonic_voice(f0, voiced, SR, noise, seed)


def _t(seconds: float) -> np.ndarray:
    return np.arange(int(seconds * SR)) / SR


def _case(name: str):
    """(signal, true f0 at a time, true voicing at a time) for one synthetic voice."""
    t = _t(2.0)
    on = np.ones_like(t, dtype=bool)
    if name == "steady 120 Hz":
        f0 = np.full_like(t, 120.0)
    elif name == "glide 100-250 Hz":
        f0 = 100.0 * (2.5 ** (t / t[-1]))
    elif name == "vibrato 200 Hz":
        f0 = 200.0 * 2 ** (1.0 / 12 * np.sin(2 * np.pi * 5.5 * t))  # +-1 semitone at 5.5 Hz
    elif name == "low 70 Hz":
        f0 = np.full_like(t, 70.0)
    elif name in ("alternating with silence", "alternating with noise"):
        f0 = 150.0 + 30.0 * np.sin(2 * np.pi * 0.7 * t)
        on = (t % 0.5) < 0.3  # 300 ms voiced, 200 ms not
    elif name == "noisy 150 Hz":
        f0 = np.full_like(t, 150.0)
    else:
        raise ValueError(name)
    noise = {"alternating with noise": 0.01, "noisy 150 Hz": 0.02}.get(name, 0.0)
    y = _voice(f0, on, noise=noise)
    return y, (lambda x: np.interp(x, t, f0)), (lambda x: np.interp(x, t, on.astype(float)) > 0.5), noise > 0


CASES = ["steady 120 Hz", "glide 100-250 Hz", "vibrato 200 Hz", "low 70 Hz", "alternating with silence",
         "alternating with noise", "noisy 150 Hz"]


def _away_from_edges(times: np.ndarray, truth_voiced) -> np.ndarray:
    keep = np.ones(len(times), dtype=bool)
    for dt in (-EDGE_S, EDGE_S):
        keep &= truth_voiced(times + dt) == truth_voiced(times)
    return keep


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("method", ["ac", "cc"])
def test_pitch_of_synthetic_voices(name, method):
    y, true_f0, true_voiced, noisy = _case(name)
    prosody = compute_prosody(_clip(y), PARAMS.with_changes(method=method))
    keep = _away_from_edges(prosody.times, true_voiced)
    truth = true_voiced(prosody.times)
    both = keep & truth & prosody.voiced
    assert both.sum() > 50
    error = np.abs(prosody.f0_hz[both] - true_f0(prosody.times[both])) / true_f0(prosody.times[both])
    gpe = np.mean(error > 0.2)
    vde = np.mean(prosody.voiced[keep] != truth[keep])
    assert gpe <= (GPE_BOUND_NOISY if noisy else GPE_BOUND), f"gross pitch errors {gpe:.1%}"
    assert vde <= (VDE_BOUND_NOISY if noisy else VDE_BOUND), f"voicing errors {vde:.1%}"
    # Fine accuracy where it is right: median error well under a quarter semitone.
    assert np.median(error) < 0.01
    # Unvoiced frames are gaps, not zeros.
    assert np.all(np.isnan(prosody.f0_hz[~prosody.voiced]))
    assert not np.any(prosody.f0_hz == 0)
    assert np.all(np.isfinite(prosody.f0_hz[prosody.voiced]))
    assert np.all(np.isfinite(prosody.intensity_db))


def test_unvoiced_stretches_are_gaps():
    y, _, true_voiced, _ = _case("alternating with silence")
    prosody = compute_prosody(_clip(y), PARAMS)
    keep = _away_from_edges(prosody.times, true_voiced)
    silent = keep & ~true_voiced(prosody.times)
    assert silent.sum() > 40
    assert np.all(np.isnan(prosody.f0_hz[silent])) and not prosody.voiced[silent].any()
    # The intensity drops in the silences (by far more than 20 dB) and is finite there.
    loud = keep & true_voiced(prosody.times)
    assert np.median(prosody.intensity_db[loud]) - np.median(prosody.intensity_db[silent]) > 20


def test_floor_60_tracks_a_70_hz_voice_that_praats_default_75_misses():
    y, _, _, _ = _case("low 70 Hz")
    ours = compute_prosody(_clip(y), PARAMS)
    default_floor = compute_prosody(_clip(y), PARAMS.with_changes(floor_hz=75.0))
    with np.errstate(invalid="ignore"):
        assert np.mean(np.abs(ours.f0_hz - 70) < 3.5) > 0.9  # of all frames
        assert np.mean(np.abs(default_floor.f0_hz - 70) < 3.5) < 0.5


@pytest.mark.parametrize("method", ["ac", "cc"])
def test_f0_and_intensity_equal_praat_called_directly(method):
    y, _, _, _ = _case("alternating with noise")
    params = PITCH_PRESETS["female"].with_changes(method=method, time_step=0.016)
    prosody = compute_prosody(_clip(y), params)
    sound = parselmouth.Sound(y.astype(np.float32).astype(np.float64), sampling_frequency=SR)
    if method == "ac":
        pitch = sound.to_pitch_ac(time_step=0.016, pitch_floor=100.0, pitch_ceiling=500.0)
    else:
        pitch = sound.to_pitch_cc(time_step=0.016, pitch_floor=100.0, pitch_ceiling=500.0)
    np.testing.assert_array_equal(prosody.times, pitch.xs())
    np.testing.assert_array_equal(np.nan_to_num(prosody.f0_hz, nan=0.0), pitch.selected_array["frequency"])
    intensity = sound.to_intensity(minimum_pitch=100.0, time_step=0.016)
    first, last = intensity.xs()[0], intensity.xs()[-1]
    inside = (prosody.times >= first) & (prosody.times <= last)
    expected = [call(intensity, "Get value at time", t, "linear") for t in prosody.times[inside]]
    np.testing.assert_allclose(prosody.intensity_db[inside], expected, rtol=0, atol=1e-9)
    # Frames beyond Praat's intensity frames take the nearest one's value.
    np.testing.assert_array_equal(prosody.intensity_db[prosody.times < first], intensity.values[0, 0])
    np.testing.assert_array_equal(prosody.intensity_db[prosody.times > last], intensity.values[0, -1])
    assert prosody.params == params


@pytest.mark.parametrize("hop", [160, 256, 512])
def test_frames_fall_on_the_spectral_grid(hop):
    y, _, _, _ = _case("glide 100-250 Hz")
    clip = _clip(y)
    features = compute_features(clip, FeatureParams(sr=SR, n_fft=max(512, hop), hop_length=hop))
    prosody = compute_prosody(clip, PitchParams().aligned_to(hop, SR))
    hop_s = hop / SR
    np.testing.assert_allclose(np.diff(prosody.times), hop_s, rtol=0, atol=1e-9)
    nearest = np.abs(prosody.times[:, None] - features.times[None, :]).min(axis=1)
    assert np.all(nearest <= hop_s / 2 + 1e-9)
    assert prosody.times[0] >= 0 and prosody.times[-1] <= clip.duration
    assert len(prosody.times) <= len(features.times)


def _voice_report(sound, pitch, points, params, t0, t1) -> dict[str, float]:
    text = call([sound, pitch, points], "Voice report", t0, t1, params.floor_hz, params.ceiling_hz,
                1.3, 1.6, 0.03, 0.45)

    def grab(label: str) -> float:
        return float(re.search(re.escape(label) + r":\s*([-0-9.E]+)", text).group(1))

    return {"median": grab("Median pitch"), "mean": grab("Mean pitch"), "jitter": grab("Jitter (local)") / 100,
            "shimmer": grab("Shimmer (local)") / 100, "hnr": grab("Mean harmonics-to-noise ratio")}


@pytest.mark.parametrize(("name", "start", "end", "method"), [
    ("vibrato 200 Hz", None, None, "ac"),
    ("alternating with noise", None, None, "ac"),
    ("alternating with noise", 0.4, 1.3, "cc"),
    ("noisy 150 Hz", 0.25, 1.75, "ac"),
])
def test_measurements_equal_praats_voice_report(name, start, end, method):
    y, _, _, _ = _case(name)
    params = PARAMS.with_changes(method=method)
    m = measurements(_clip(y), params, start=start, end=end)
    t0, t1 = (start or 0.0), (end or len(y) / SR)
    sound = parselmouth.Sound(y.astype(np.float32).astype(np.float64), sampling_frequency=SR)
    pitch = (sound.to_pitch_ac if method == "ac" else sound.to_pitch_cc)(
        time_step=params.time_step, pitch_floor=params.floor_hz, pitch_ceiling=params.ceiling_hz)
    points = call(sound, "To PointProcess (periodic, cc)", params.floor_hz, params.ceiling_hz)
    report = _voice_report(sound, pitch, points, params, t0, t1)
    # The Voice report prints 3 decimals (Hz, dB) and 3 decimals of a percentage.
    assert m.f0_median_hz == pytest.approx(report["median"], abs=6e-4)
    assert m.f0_mean_hz == pytest.approx(report["mean"], abs=6e-4)
    assert m.jitter_local == pytest.approx(report["jitter"], abs=6e-6)
    assert m.shimmer_local == pytest.approx(report["shimmer"], abs=6e-6)
    # Over a range Praat weighs the edge frames its own way: a few thousandths of a dB apart.
    assert m.hnr_voiced_db == pytest.approx(report["hnr"], abs=6e-4 if start is None else 0.02)
    # And exactly Praat's full-precision queries.
    assert m.jitter_local == call(points, "Get jitter (local)", t0, t1, 0.0001, 0.02, 1.3)
    assert m.shimmer_local == call([sound, points], "Get shimmer (local)", t0, t1, 0.0001, 0.02, 1.3, 1.6)
    harmonicity = sound.to_harmonicity_cc(time_step=0.01, minimum_pitch=params.floor_hz, silence_threshold=0.1,
                                          periods_per_window=1.0)
    assert m.hnr_db == call(harmonicity, "Get mean", t0, t1)
    assert m.f0_p5_hz == call(pitch, "Get quantile", t0, t1, 0.05, "Hertz")
    assert m.f0_p95_st == call(pitch, "Get quantile", t0, t1, 0.95, "semitones re 100 Hz")
    assert m.f0_sd_st == call(pitch, "Get standard deviation", t0, t1, "semitones")
    intensity = sound.to_intensity(minimum_pitch=params.floor_hz, time_step=params.time_step)
    assert m.intensity_mean_db == call(intensity, "Get mean", t0, t1, "energy")
    assert m.intensity_range_db == pytest.approx(
        call(intensity, "Get quantile", t0, t1, 0.95) - call(intensity, "Get quantile", t0, t1, 0.05))
    assert m.duration == pytest.approx(t1 - t0)
    # Praat interpolates the quantile between frames in semitones, not in Hz.
    assert m.f0_median_st == pytest.approx(semitones(m.f0_median_hz), abs=0.01)


def test_measurements_of_a_known_voice():
    y, _, _, _ = _case("alternating with silence")  # 4 voiced bursts of 300 ms in 2 s, f0 120-180 Hz
    m = measurements(_clip(y), PARAMS)
    assert 120 <= m.f0_p5_hz < m.f0_median_hz < m.f0_p95_hz <= 181
    assert m.voiced_fraction == pytest.approx(0.6, abs=0.06)
    assert m.voiced_segments_per_s == pytest.approx(4 / 2.0)
    assert m.hnr_db > 15 and m.jitter_local < 0.02
    rows = m.as_rows()
    assert all(isinstance(label, str) and isinstance(unit, str) for label, _, unit in rows)
    assert ("Duration", 2.0, "s") in rows
    values = [v for _, v, _ in rows]
    assert all(v is None or np.isfinite(v) for v in values)
    assert dict((label, v) for label, v, unit in rows if unit == "%")["Jitter (local)"] == 100 * m.jitter_local
    assert isinstance(m, Measurements)


def test_semitones():
    assert semitones(200.0) == pytest.approx(12.0)
    assert semitones(100.0) == 0.0
    np.testing.assert_allclose(semitones(np.array([50.0, np.nan, 0.0]), ref_hz=100.0), [-12.0, np.nan, np.nan])
    assert semitones(440.0, ref_hz=27.5) == pytest.approx(48.0)


def test_too_short_a_clip_is_a_plain_error():
    y = _voice(np.full(int(0.08 * SR), 150.0), np.ones(int(0.08 * SR), dtype=bool))
    with pytest.raises(ClipTooShortError, match=r"0\.080 s long.*at least 0\.107 s") as err:
        compute_prosody(_clip(y), PARAMS)
    assert isinstance(err.value, FeatureError)
    with pytest.raises(ClipTooShortError):
        measurements(_clip(y), PARAMS)
    # A higher floor needs a shorter window: the same clip is then analysed.
    assert compute_prosody(_clip(y), PARAMS.with_changes(floor_hz=100.0)).voiced.any()


@pytest.mark.parametrize("y", [np.zeros(SR), np.full(SR, 1e-6)], ids=["zeros", "below one 16-bit step"])
def test_silence_is_a_plain_error(y):
    with pytest.raises(SilentClipError, match="silent"):
        compute_prosody(_clip(y), PARAMS)
    with pytest.raises(SilentClipError):
        measurements(_clip(y), PARAMS)


def test_noise_has_no_pitch_and_no_measurements():
    y = 0.05 * np.random.default_rng(1).standard_normal(SR)
    prosody = compute_prosody(_clip(y), PARAMS)
    assert np.isnan(prosody.f0_hz).mean() > 0.9
    with pytest.raises(NoVoiceError, match="No voiced speech") as err:
        measurements(_clip(y), PARAMS.with_changes(floor_hz=100))
    assert isinstance(err.value, ServisError) and str(err.value).endswith(".")


def test_a_silent_stretch_of_a_voiced_clip_has_no_measurements():
    y, _, _, _ = _case("alternating with silence")
    with pytest.raises(NoVoiceError):
        measurements(_clip(y), PARAMS, start=0.35, end=0.45)
    with pytest.raises(ValueError):
        measurements(_clip(y), PARAMS, start=1.0, end=0.5)


def test_params_are_validated():
    with pytest.raises(ValueError, match="ceiling"):
        PitchParams(floor_hz=300, ceiling_hz=200)
    with pytest.raises(ValueError, match="method"):
        PitchParams(method="pyin")
    with pytest.raises(ValueError, match="time step"):
        PitchParams(time_step=0)
    assert PitchParams().floor_hz == 60 and PitchParams().ceiling_hz == 600 and PitchParams().method == "ac"
    assert set(PITCH_PRESETS) >= {"male", "female", "child"}
    assert PitchParams().aligned_to(512, 16000).time_step == 0.032


@pytest.mark.parametrize("module", ["servis_gui.core.prosody", "servis_gui.core.voice_report"])
def test_importing_prosody_loads_no_parselmouth_and_no_qt(module):
    code = f"import sys, {module}; print(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = {name.split(".")[0] for name in out.stdout.split()}
    assert not loaded & {"parselmouth", "PySide6", "pyqtgraph", "sounddevice", "librosa"}
