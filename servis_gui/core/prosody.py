"""Pitch, intensity and voice quality of a clip, computed by Praat (through praat-parselmouth).

No Qt here. parselmouth (a 36 MB extension module) is imported inside the functions that need it,
so importing this module stays cheap and the app starts without it.

The numbers are Praat's own: ``compute_prosody`` returns Praat's pitch frames (``Sound: To Pitch
(ac)`` or ``(cc)``) with Praat's intensity (``Sound: To Intensity``) read at those frames;
``measurements`` asks Praat's query commands (``Get quantile``, ``Get jitter (local)``, ``Get
shimmer (local)``, ``Get mean`` on a Harmonicity...) through ``parselmouth.praat.call``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from servis_gui.core.errors import FeatureError

if TYPE_CHECKING:
    from servis_gui.core.clip import Clip

METHODS = ("ac", "cc")
"""Praat's pitch trackers: autocorrelation (``To Pitch (ac)``) and cross-correlation (``To Pitch (cc)``)."""

INTENSITY_WINDOW_PERIODS = 6.4
"""Praat's intensity window is 6.4 periods of the minimum pitch long: the shortest clip it accepts."""

SILENCE_PEAK = 2.0 ** -15
"""A clip whose peak is below one 16-bit step is digital silence."""

# Praat's standard arguments of the Voice report (and of its jitter and shimmer queries).
SHORTEST_PERIOD = 0.0001
LONGEST_PERIOD = 0.02
MAX_PERIOD_FACTOR = 1.3
MAX_AMPLITUDE_FACTOR = 1.6
HNR_TIME_STEP = 0.01
HNR_SILENCE_THRESHOLD = 0.1
HNR_PERIODS_PER_WINDOW = 1.0


class ClipTooShortError(FeatureError):
    """The clip is shorter than Praat's analysis window for the pitch floor."""


class SilentClipError(FeatureError):
    """The clip (or the part asked for) is digital silence."""


class NoVoiceError(FeatureError):
    """No voiced frame was found, so pitch and voice quality cannot be measured."""


@dataclass(frozen=True)
class PitchParams:
    """Settings of the pitch and intensity analysis.

    Parameters
    ----------
    floor_hz : float
        Pitch floor (Praat's "pitch floor" / "minimum pitch"). 60 Hz, below Praat's 75 Hz default,
        so that low male voices (70 Hz and below in creaky or sad speech) are tracked; it also sets
        the window lengths (3 periods for pitch, 6.4 for intensity).
    ceiling_hz : float
        Pitch ceiling; 600 Hz (Praat's default) covers raised and child voices.
    method : str
        ``"ac"`` (Praat's autocorrelation, the default) or ``"cc"`` (cross-correlation).
    time_step : float
        Seconds between frames. Give the spectral hop (``hop_length / sr``, see ``aligned_to``) so
        pitch frames fall on the spectrogram's frame spacing.
    """

    floor_hz: float = 60.0
    ceiling_hz: float = 600.0
    method: str = "ac"
    time_step: float = 0.01

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise ValueError("; ".join(problems))

    def problems(self) -> list[str]:
        """List what is inconsistent in these settings (empty when they are valid)."""
        out = []
        if not (math.isfinite(self.floor_hz) and self.floor_hz > 0):
            out.append("the pitch floor must be a positive number of Hz")
        if not (math.isfinite(self.ceiling_hz) and self.ceiling_hz > self.floor_hz):
            out.append("the pitch ceiling must be above the pitch floor")
        if self.method not in METHODS:
            out.append(f"unknown pitch method {self.method!r} (use 'ac' or 'cc')")
        if not (math.isfinite(self.time_step) and self.time_step > 0):
            out.append("the time step must be a positive number of seconds")
        return out

    def with_changes(self, **changes: object) -> "PitchParams":
        """Return a copy with some fields changed (validated)."""
        return replace(self, **changes)

    def aligned_to(self, hop_length: int, sr: int) -> "PitchParams":
        """These settings with one frame per spectral hop (``hop_length`` samples at ``sr`` Hz)."""
        return self.with_changes(time_step=hop_length / sr)

    @property
    def min_duration(self) -> float:
        """Shortest clip (s) Praat analyses with this floor (its intensity window)."""
        return INTENSITY_WINDOW_PERIODS / self.floor_hz


PITCH_PRESETS: dict[str, PitchParams] = {
    "any voice": PitchParams(),
    "male": PitchParams(floor_hz=60.0, ceiling_hz=300.0),
    "female": PitchParams(floor_hz=100.0, ceiling_hz=500.0),
    "child": PitchParams(floor_hz=150.0, ceiling_hz=800.0),
}
"""Pitch ranges by voice (Praat's manual suggests 75-300 Hz for male and 100-500 Hz for female
voices; the male floor here is 60 Hz for low voices). Combine with a time step:
``PITCH_PRESETS["female"].aligned_to(hop, sr)``."""


@dataclass(frozen=True)
class Prosody:
    """Pitch and intensity contours of one clip on Praat's pitch frames.

    Attributes
    ----------
    times : np.ndarray
        Frame centres in seconds (Praat's pitch frames: spaced ``params.time_step``, the first one
        half a window from the start).
    f0_hz : np.ndarray
        Fundamental frequency in Hz; NaN where the frame is unvoiced (a gap, never 0).
    voiced : np.ndarray
        bool, True where Praat found a pitch.
    intensity_db : np.ndarray
        Praat's intensity (dB re 2e-5, sample value 1.0 taken as 1 Pa) at ``times``, linearly
        interpolated between Praat's intensity frames; the few frames beyond the first or last
        intensity frame take its value. Finite (digital silence is -300 dB, Praat's floor).
    params : PitchParams
        The settings used.
    """

    times: np.ndarray
    f0_hz: np.ndarray
    voiced: np.ndarray
    intensity_db: np.ndarray
    params: PitchParams

    @property
    def f0_semitones(self) -> np.ndarray:
        """F0 in semitones re 100 Hz (NaN where unvoiced)."""
        return semitones(self.f0_hz)


def semitones(f0_hz: np.ndarray | float, ref_hz: float = 100.0) -> np.ndarray | float:
    """Frequency in semitones above ``ref_hz`` (``12 * log2(f0 / ref)``); NaN stays NaN.

    Zero or negative frequencies (unvoiced frames written as 0) become NaN, never -inf.
    """
    f0 = np.asarray(f0_hz, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(f0 > 0, 12.0 * np.log2(f0 / ref_hz), np.nan)
    return float(out) if out.ndim == 0 else out


def _praat_error(exc: Exception, what: str) -> FeatureError:
    return FeatureError(f"Praat could not compute the {what} of this clip.", details=str(exc))


def _sound(clip: Clip, params: PitchParams):
    """The clip as a Praat Sound, after the checks that give plain errors."""
    import parselmouth

    if not isinstance(params, PitchParams):
        raise TypeError(f"params must be PitchParams, not {type(params).__name__}")
    duration = len(clip.samples) / clip.sr
    if duration < params.min_duration:
        raise ClipTooShortError(
            f"This clip is {duration:.3f} s long; with a pitch floor of {params.floor_hz:g} Hz, pitch and "
            f"intensity need at least {params.min_duration:.3f} s. Choose a longer clip or raise the pitch floor.")
    samples = np.asarray(clip.samples, dtype=np.float64)
    if not np.all(np.isfinite(samples)):
        raise FeatureError("This clip holds samples that are not numbers, so its pitch cannot be computed.")
    if np.max(np.abs(samples)) < SILENCE_PEAK:
        raise SilentClipError("This clip is silent: it has no pitch or intensity to show.")
    return parselmouth.Sound(samples, sampling_frequency=float(clip.sr))


def _pitch(sound, params: PitchParams):
    import parselmouth

    tracker = sound.to_pitch_ac if params.method == "ac" else sound.to_pitch_cc
    try:
        return tracker(time_step=params.time_step, pitch_floor=params.floor_hz, pitch_ceiling=params.ceiling_hz)
    except parselmouth.PraatError as exc:
        raise _praat_error(exc, "pitch") from exc


def _intensity(sound, params: PitchParams):
    import parselmouth

    try:
        return sound.to_intensity(minimum_pitch=params.floor_hz, time_step=params.time_step)
    except parselmouth.PraatError as exc:
        raise _praat_error(exc, "intensity") from exc


def compute_prosody(clip: Clip, params: PitchParams = PitchParams()) -> Prosody:
    """Pitch (Praat ``To Pitch (ac)``/``(cc)``) and intensity (``To Intensity``) of a clip.

    Parameters
    ----------
    clip : Clip
        Mono float32 samples at ``clip.sr``.
    params : PitchParams
        Floor, ceiling, method and time step.

    Returns
    -------
    Prosody
        On Praat's pitch frames.

    Raises
    ------
    ClipTooShortError
        The clip is shorter than ``params.min_duration``.
    SilentClipError
        The clip is digital silence.
    FeatureError
        Praat refused (its own words in ``details``).
    """
    sound = _sound(clip, params)
    pitch = _pitch(sound, params)
    intensity = _intensity(sound, params)
    times = np.asarray(pitch.xs(), dtype=np.float64)
    raw = np.asarray(pitch.selected_array["frequency"], dtype=np.float64)
    voiced = raw > 0
    f0 = np.where(voiced, raw, np.nan)
    intensity_db = np.interp(times, np.asarray(intensity.xs()), np.asarray(intensity.values[0]))
    for array in (times, f0, voiced, intensity_db):
        array.setflags(write=False)
    return Prosody(times=times, f0_hz=f0, voiced=voiced, intensity_db=intensity_db, params=params)


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


def measurements(clip: Clip, params: PitchParams = PitchParams(), start: float | None = None,
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
    sound = _sound(clip, params)
    pitch = _pitch(sound, params)
    intensity = _intensity(sound, params)

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
        raise _praat_error(exc, "voice measures") from exc

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
