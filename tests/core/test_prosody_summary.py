"""The comparison's pitch and intensity figures and its shared f0 scale (no display, no Praat)."""

import numpy as np
import pytest

from servis_gui.core.prosody import DEFAULT_PITCH, Prosody
from servis_gui.core.prosody_summary import MIN_SCALE_ST, energy_mean_db, shared_f0_scale, summarise_prosody


def prosody(f0_hz: np.ndarray, intensity_db: np.ndarray | None = None) -> Prosody:
    f0 = np.asarray(f0_hz, dtype=np.float64)
    times = 0.01 * np.arange(len(f0))
    level = np.full(len(f0), 60.0) if intensity_db is None else np.asarray(intensity_db, dtype=np.float64)
    return Prosody(times=times, f0_hz=f0, voiced=np.isfinite(f0), intensity_db=level, params=DEFAULT_PITCH)


def st(hz):
    return 12.0 * np.log2(np.asarray(hz) / 100.0)


def test_summary_equals_numpy_on_the_voiced_frames():
    rng = np.random.default_rng(3)
    f0 = 180.0 * 2.0 ** (rng.normal(0, 0.25, 300))
    f0[rng.random(300) < 0.4] = np.nan  # unvoiced frames: left out, never counted as 0
    level = rng.uniform(40, 75, 300)
    s = summarise_prosody(prosody(f0, level))
    voiced = f0[np.isfinite(f0)]
    assert s.f0_median_hz == pytest.approx(np.median(voiced))
    assert s.f0_median_st == pytest.approx(np.median(st(voiced)))
    assert s.f0_range_st == pytest.approx(np.percentile(st(voiced), 95) - np.percentile(st(voiced), 5))
    assert s.intensity_mean_db == pytest.approx(10 * np.log10(np.mean(10 ** (level / 10))))
    row = s.as_row()
    assert row["median f0"] == f"{np.median(voiced):.0f} Hz ({np.median(st(voiced)):.1f} st)"
    assert row["intensity"].endswith(" dB")


def test_an_octave_is_twelve_semitones_and_a_constant_voice_has_no_range():
    s = summarise_prosody(prosody(np.array([200.0] * 50 + [np.nan] * 10)))
    assert (s.f0_median_hz, s.f0_median_st, s.f0_range_st) == pytest.approx((200.0, 12.0, 0.0))


def test_no_voiced_frame_has_no_summary():
    assert summarise_prosody(prosody(np.full(40, np.nan))) is None


def test_energy_mean_is_dominated_by_loud_frames_and_survives_praat_silence():
    assert energy_mean_db(np.array([70.0, 70.0])) == pytest.approx(70.0)
    assert energy_mean_db(np.array([70.0, -300.0])) == pytest.approx(70.0 - 10 * np.log10(2))
    assert np.isfinite(energy_mean_db(np.array([400.0, 390.0])))


def test_shared_scale_spans_every_clip_and_ignores_rare_octave_jumps():
    low_voice = np.r_[np.full(200, 120.0), [60.0], np.full(20, np.nan)]  # one octave-down error
    high_voice = np.r_[np.full(200, 300.0), [600.0]]
    lo, hi = shared_f0_scale([low_voice, high_voice])
    assert lo < 120.0 and hi > 300.0
    assert lo > 60.0 and hi < 600.0
    span = st(hi) - st(lo)
    assert span == pytest.approx(1.2 * (st(300.0) - st(120.0)), rel=1e-6)  # 10 % margin each side


def test_shared_scale_of_a_monotone_group_is_at_least_a_few_semitones():
    lo, hi = shared_f0_scale([np.full(50, 150.0), np.full(50, 151.0)])
    assert st(hi) - st(lo) == pytest.approx(MIN_SCALE_ST)
    assert lo < 150.0 < 151.0 < hi


def test_shared_scale_without_voice_is_none():
    assert shared_f0_scale([np.full(10, np.nan), np.zeros(5)]) is None
    assert shared_f0_scale([]) is None
