"""Pitch, intensity and voice quality of a clip, computed by Praat (through praat-parselmouth).

No Qt here. parselmouth (a 36 MB extension module) is imported inside the functions that need it,
so importing this module stays cheap and the app starts without it.

The numbers are Praat's own: ``compute_prosody`` returns Praat's pitch frames (``Sound: To Pitch
(ac)`` or ``(cc)``) with Praat's intensity (``Sound: To Intensity``) read at those frames;
:mod:`servis_gui.core.voice_report` asks Praat's query commands for the voice measures.
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

F0_UNITS = ("Hz", "st")
"""How f0 is shown: Hz, or semitones re 100 Hz ("st")."""

INTENSITY_WINDOW_PERIODS = 6.4
"""Praat's intensity window is 6.4 periods of the minimum pitch long: the shortest clip it accepts."""

SILENCE_PEAK = 2.0 ** -15
"""A clip whose peak is below one 16-bit step is digital silence."""



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


DEFAULT_PITCH = PitchParams()
"""60-600 Hz, Praat's autocorrelation, 10 ms frames: covers low male voices and creak."""

PITCH_PRESETS: dict[str, PitchParams] = {
    "any voice": DEFAULT_PITCH,
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
    def nbytes(self) -> int:
        """Memory held by its arrays (what a cache counts)."""
        return sum(a.nbytes for a in (self.times, self.f0_hz, self.voiced, self.intensity_db))

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


def praat_error(exc: Exception, what: str) -> FeatureError:
    """A plain error for a Praat failure, Praat's own words in its details."""
    return FeatureError(f"Praat could not compute the {what} of this clip.", details=str(exc))


def praat_sound(clip: Clip, params: PitchParams):
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


def praat_pitch(sound, params: PitchParams):
    """Praat's Pitch object of ``sound`` (``To Pitch (ac)`` or ``(cc)``)."""
    import parselmouth

    tracker = sound.to_pitch_ac if params.method == "ac" else sound.to_pitch_cc
    try:
        return tracker(time_step=params.time_step, pitch_floor=params.floor_hz, pitch_ceiling=params.ceiling_hz)
    except parselmouth.PraatError as exc:
        raise praat_error(exc, "pitch") from exc


def praat_intensity(sound, params: PitchParams):
    """Praat's Intensity object of ``sound`` (``To Intensity``, window from the pitch floor)."""
    import parselmouth

    try:
        return sound.to_intensity(minimum_pitch=params.floor_hz, time_step=params.time_step)
    except parselmouth.PraatError as exc:
        raise praat_error(exc, "intensity") from exc


def compute_prosody(clip: Clip, params: PitchParams = DEFAULT_PITCH) -> Prosody:
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
    sound = praat_sound(clip, params)
    pitch = praat_pitch(sound, params)
    intensity = praat_intensity(sound, params)
    times = np.asarray(pitch.xs(), dtype=np.float64)
    raw = np.asarray(pitch.selected_array["frequency"], dtype=np.float64)
    voiced = raw > 0
    f0 = np.where(voiced, raw, np.nan)
    intensity_db = np.interp(times, np.asarray(intensity.xs()), np.asarray(intensity.values[0]))
    for array in (times, f0, voiced, intensity_db):
        array.setflags(write=False)
    return Prosody(times=times, f0_hz=f0, voiced=voiced, intensity_db=intensity_db, params=params)
