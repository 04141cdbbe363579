"""Voice measures of a stretch of a clip, as Praat's Voice report gives them (no Qt).

Praat's query commands (``Get quantile``, ``Get jitter (local)``, ``Get shimmer (local)``, ``Get
mean`` on a Harmonicity...) are asked through ``parselmouth.praat.call`` on the Sound, Pitch and
Intensity that :mod:`servis_gui.core.prosody` makes, with the report's standard arguments.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from servis_gui.core.prosody import (
    DEFAULT_PITCH, NoVoiceError, PitchParams, praat_error, praat_intensity, praat_pitch, praat_sound,
)

if TYPE_CHECKING:
    from servis_gui.core.clip import Clip

# Praat's standard arguments of the Voice report (and of its jitter and shimmer queries).
SHORTEST_PERIOD = 0.0001
LONGEST_PERIOD = 0.02
MAX_PERIOD_FACTOR = 1.3
MAX_AMPLITUDE_FACTOR = 1.6
HNR_TIME_STEP = 0.01
HNR_SILENCE_THRESHOLD = 0.1
HNR_PERIODS_PER_WINDOW = 1.0


@dataclass(frozen=True)
class Measurements:
    """Voice measures of a stretch of a clip, Praat's numbers.

    Values Praat reports as undefined (jitter or shimmer with too few periods, say) are ``None``;
    nothing is NaN. Jitter and shimmer are fractions (0.01 = 1 %).
    """

    start: float
    end: float
    duration: float
    f0_median_hz: float
    f0_mean_hz: float
    f0_p5_hz: float
    f0_p95_hz: float
    f0_median_st: float
    f0_mean_st: float
    f0_p5_st: float
    f0_p95_st: float
    f0_sd_st: float | None
    intensity_mean_db: float
    intensity_range_db: float
    voiced_fraction: float
    voiced_segments_per_s: float
    jitter_local: float | None
    shimmer_local: float | None
    hnr_db: float | None
    hnr_voiced_db: float | None
    params: PitchParams

    def as_rows(self) -> list[tuple[str, float | None, str]]:
        """``(label, value, unit)`` for a table; ``None`` where Praat gives no value."""

        def pct(x: float | None) -> float | None:
            return None if x is None else 100.0 * x

        return [
            ("Duration", self.duration, "s"),
            ("F0 median", self.f0_median_hz, "Hz"),
            ("F0 mean", self.f0_mean_hz, "Hz"),
            ("F0 5th percentile", self.f0_p5_hz, "Hz"),
            ("F0 95th percentile", self.f0_p95_hz, "Hz"),
            ("F0 median", self.f0_median_st, "st re 100 Hz"),
            ("F0 mean", self.f0_mean_st, "st re 100 Hz"),
            ("F0 5th percentile", self.f0_p5_st, "st re 100 Hz"),
            ("F0 95th percentile", self.f0_p95_st, "st re 100 Hz"),
            ("F0 standard deviation", self.f0_sd_st, "st"),
            ("Intensity mean (energy)", self.intensity_mean_db, "dB"),
            ("Intensity range (5th to 95th percentile)", self.intensity_range_db, "dB"),
            ("Voiced fraction", pct(self.voiced_fraction), "%"),
            ("Voiced segments per second", self.voiced_segments_per_s, "1/s"),
            ("Jitter (local)", pct(self.jitter_local), "%"),
            ("Shimmer (local)", pct(self.shimmer_local), "%"),
            ("HNR (Harmonicity cc, mean)", self.hnr_db, "dB"),
            ("HNR of the voiced parts (Voice report)", self.hnr_voiced_db, "dB"),
        ]


def _defined(value: float) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _voiced_runs(voiced: np.ndarray) -> int:
    v = voiced.astype(np.int8)
    return int(v[0]) + int(np.count_nonzero(np.diff(v) == 1)) if len(v) else 0


def measurements(clip: Clip, params: PitchParams = DEFAULT_PITCH, start: float | None = None,
                 end: float | None = None) -> Measurements:
    """Pitch statistics, intensity, jitter, shimmer and HNR between ``start`` and ``end`` (s).

    The whole clip is analysed (so frames are those of ``compute_prosody``) and Praat's queries
    are asked over the time range, as Praat's Voice report does, with its standard arguments
    (periods 0.1-20 ms, period factor 1.3, amplitude factor 1.6). Jitter and shimmer use
    ``To PointProcess (periodic, cc)``; ``hnr_db`` is the mean of ``To Harmonicity (cc)`` (time step
    0.01 s, silence threshold 0.1, 1 period per window); ``hnr_voiced_db`` is the Voice report's
    "harmonics-to-noise ratio of the voiced parts" (the mean over voiced pitch frames of
    ``10 log10(r / (1 - r))``, ``r`` Praat's pitch strength; equal to the report's over the whole
    clip, within 0.02 dB over a range, where Praat weighs the edge frames its own way).

    Raises
    ------
    ValueError
        ``start``/``end`` outside the clip or in the wrong order.
    ClipTooShortError, SilentClipError, FeatureError
        As ``compute_prosody``.
    NoVoiceError
        No voiced frame lies between ``start`` and ``end``.
    """
    import parselmouth
    from parselmouth.praat import call

    duration = len(clip.samples) / clip.sr
    t0 = 0.0 if start is None else float(start)
    t1 = duration if end is None else float(end)
    if not (0.0 <= t0 < t1 <= duration + 1e-9):
        raise ValueError(f"the time range {t0:g}-{t1:g} s is not within the clip (0-{duration:g} s)")
    sound = praat_sound(clip, params)
    pitch = praat_pitch(sound, params)
    intensity = praat_intensity(sound, params)

    times = np.asarray(pitch.xs())
    inside = (times >= t0) & (times <= t1)
    voiced = np.asarray(pitch.selected_array["frequency"])[inside] > 0
    if not voiced.any():
        raise NoVoiceError(
            f"No voiced speech was found between {t0:.2f} s and {t1:.2f} s, so pitch and voice quality "
            "cannot be measured.")
    # As Praat's mean pitch strength in harmonics-to-noise dB (clamped at +-150 dB as Praat does), each
    # voiced frame weighted by the part of its cell inside the range. Over the whole clip this is the
    # Voice report's number; over a range Praat integrates slightly differently at the edges (within 0.02 dB).
    strength = np.asarray(pitch.selected_array["strength"], dtype=np.float64)
    cell_in = np.minimum(times + pitch.dt / 2, t1) - np.maximum(times - pitch.dt / 2, t0)
    weight = np.clip(cell_in, 0.0, None)[inside][voiced]
    r = strength[inside][voiced]
    with np.errstate(divide="ignore", invalid="ignore"):
        frame_hnr = np.where(r <= 1e-15, -150.0,
                             np.where(r > 1.0 - 1e-15, 150.0, 10.0 * np.log10(r / (1.0 - r))))
    hnr_voiced = float(np.sum(weight * frame_hnr) / np.sum(weight)) if np.sum(weight) > 0 else math.nan

    try:
        def pitch_query(command: str, *args: object) -> float:
            return float(call(pitch, command, t0, t1, *args))

        hz = {q: pitch_query("Get quantile", q, "Hertz") for q in (0.05, 0.5, 0.95)}
        st = {q: pitch_query("Get quantile", q, "semitones re 100 Hz") for q in (0.05, 0.5, 0.95)}
        mean_hz = pitch_query("Get mean", "Hertz")
        mean_st = pitch_query("Get mean", "semitones re 100 Hz")
        sd_st = pitch_query("Get standard deviation", "semitones")
        intensity_mean = float(call(intensity, "Get mean", t0, t1, "energy"))
        intensity_range = (float(call(intensity, "Get quantile", t0, t1, 0.95))
                           - float(call(intensity, "Get quantile", t0, t1, 0.05)))
        points = call(sound, "To PointProcess (periodic, cc)", params.floor_hz, params.ceiling_hz)
        jitter = call(points, "Get jitter (local)", t0, t1, SHORTEST_PERIOD, LONGEST_PERIOD, MAX_PERIOD_FACTOR)
        shimmer = call([sound, points], "Get shimmer (local)", t0, t1, SHORTEST_PERIOD, LONGEST_PERIOD,
                       MAX_PERIOD_FACTOR, MAX_AMPLITUDE_FACTOR)
        harmonicity = sound.to_harmonicity_cc(time_step=HNR_TIME_STEP, minimum_pitch=params.floor_hz,
                                              silence_threshold=HNR_SILENCE_THRESHOLD,
                                              periods_per_window=HNR_PERIODS_PER_WINDOW)
        hnr = call(harmonicity, "Get mean", t0, t1)
    except parselmouth.PraatError as exc:
        raise praat_error(exc, "voice measures") from exc

    required = [*hz.values(), *st.values(), mean_hz, mean_st, intensity_mean, intensity_range]
    if not all(math.isfinite(x) for x in required):
        raise NoVoiceError(
            f"Praat found too little voiced speech between {t0:.2f} s and {t1:.2f} s to measure its pitch.")
    span = t1 - t0
    return Measurements(
        start=t0, end=t1, duration=span,
        f0_median_hz=hz[0.5], f0_mean_hz=mean_hz, f0_p5_hz=hz[0.05], f0_p95_hz=hz[0.95],
        f0_median_st=st[0.5], f0_mean_st=mean_st, f0_p5_st=st[0.05], f0_p95_st=st[0.95],
        f0_sd_st=_defined(sd_st),
        intensity_mean_db=intensity_mean, intensity_range_db=intensity_range,
        voiced_fraction=float(np.mean(voiced)),
        voiced_segments_per_s=_voiced_runs(voiced) / span,
        jitter_local=_defined(jitter), shimmer_local=_defined(shimmer),
        hnr_db=_defined(hnr), hnr_voiced_db=_defined(hnr_voiced),
        params=params,
    )
