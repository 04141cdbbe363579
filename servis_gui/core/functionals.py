"""The feature vector of one clip for corpus statistics: named, documented functionals (no Qt).

In the spirit of eGeMAPS v02 (Eyben et al. 2016), from Praat's pitch, intensity and voice
measures (through parselmouth, imported lazily) and SERVIS's own STFT, mel and MFCC. Every
column is described by a :class:`FeatureSpec`; ``docs/FEATURES.md`` lists them and says where
the definitions differ from eGeMAPS.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from servis_gui.core.clip import Clip, load_clip
from servis_gui.core.contour_stats import contour_stats, mean_or_nan, segments
from servis_gui.core.db_reference import DbReference
from servis_gui.core.features import FeatureSet, features_from_power, stft_power
from servis_gui.core.params import FeatureParams
from servis_gui.core.prosody import PitchParams, praat_error, praat_intensity, praat_pitch, praat_sound, semitones
from servis_gui.core.spectral_shape import active_frames, spectral_shape
from servis_gui.core.voice_report import (
    LONGEST_PERIOD, MAX_AMPLITUDE_FACTOR, MAX_PERIOD_FACTOR,
    SHORTEST_PERIOD,
)

FRAME_STEP = 0.01
"""Seconds between Praat pitch and intensity frames (eGeMAPS's 10 ms)."""

HNR_MAX_R = 1.0 - 1e-10
"""Autocorrelation peaks are capped here (100 dB), as a perfectly periodic frame has r = 1."""

N_MFCC = 13
"""MFCC 1-13 (librosa's rows 1-13: row 0, the log energy, is left out, as eGeMAPS does)."""

PRAAT = "Praat (parselmouth)"
PRAAT_STATS = "Praat (parselmouth) contour, statistics in numpy"
STFT = "SERVIS STFT (numpy)"
SAMPLES = "SERVIS (numpy, samples)"


@dataclass(frozen=True)
class FeatureSpec:
    """One column of the feature vector.

    Attributes
    ----------
    name : str
        snake_case column name, e.g. ``"f0_semitone_p50"``.
    unit : str
        ``"st"``, ``"Hz"``, ``"dB"``, ``"dBFS"``, ``"s"``, ``"1/s"``, ``""``...
    group : str
        ``"prosody"``, ``"voice quality"``, ``"spectral"``, ``"cepstral"``, ``"level"`` or ``"mel bands"``.
    definition : str
        One sentence: what it is and how it is computed.
    source : str
        Which library computes it.
    """

    name: str
    unit: str
    group: str
    definition: str
    source: str


def _contour_specs(prefix: str, unit: str, track: str) -> tuple[FeatureSpec, ...]:
    over = f"{track}, over voiced 10 ms frames"
    slope = (f"of {track}: the contour is smoothed over 3 frames within each voiced run and cut at its "
             "turning points; each {0} part's slope is its change over its duration, averaged over the "
             "clip's {0} parts")
    rows = [
        ("mean", unit, f"Arithmetic mean of {over}."),
        ("sd", unit, f"Standard deviation (n-1) of {over}."),
        ("p20", unit, f"20th percentile (linear interpolation) of {over}."),
        ("p50", unit, f"Median of {over}."),
        ("p80", unit, f"80th percentile of {over}."),
        ("range_20_80", unit, f"80th minus 20th percentile of {over}."),
        ("rising_slope_mean", f"{unit}/s", "Mean slope of the rising parts " + slope.format("rising") + "."),
        ("falling_slope_mean", f"{unit}/s",
         "Mean slope (negative) of the falling parts " + slope.format("falling") + "."),
    ]
    return tuple(FeatureSpec(f"{prefix}_{suffix}", u, "prosody", d, PRAAT_STATS) for suffix, u, d in rows)


_F0_ST = "f0 in semitones re 100 Hz (Praat To Pitch)"
_INTENSITY = "Praat's intensity (To Intensity, dB re 2e-5 with sample value 1 as 1 Pa)"

PROSODY_SPECS = (
    *_contour_specs("f0_semitone", "st", _F0_ST),
    FeatureSpec("f0_hz_mean", "Hz", "prosody", "Arithmetic mean of f0 in Hz over voiced 10 ms frames.", PRAAT_STATS),
    FeatureSpec("f0_hz_p50", "Hz", "prosody", "Median of f0 in Hz over voiced 10 ms frames.", PRAAT_STATS),
    *_contour_specs("intensity_db", "dB", _INTENSITY),
    FeatureSpec("voiced_fraction", "", "prosody",
                "Fraction (0-1) of Praat's 10 ms pitch frames that are voiced.", PRAAT_STATS),
    FeatureSpec("voiced_segments_per_s", "1/s", "prosody",
                "Number of runs of consecutive voiced frames divided by the clip's duration.", PRAAT_STATS),
    FeatureSpec("voiced_segment_mean_s", "s", "prosody",
                "Mean length of the runs of consecutive voiced frames.", PRAAT_STATS),
    FeatureSpec("unvoiced_segment_mean_s", "s", "prosody",
                "Mean length of the unvoiced runs between two voiced runs (leading and trailing "
                "unvoiced stretches are left out; NaN with fewer than two voiced runs).", PRAAT_STATS),
)

VOICE_QUALITY_SPECS = (
    FeatureSpec("jitter_local", "", "voice quality",
                "Praat Get jitter (local) as a fraction (0.01 = 1 %) on To PointProcess (cc) from the clip's "
                "pitch, periods 0.1-20 ms, period factor 1.3.", PRAAT),
    FeatureSpec("shimmer_local", "", "voice quality",
                "Praat Get shimmer (local) as a fraction on the same PointProcess, period factor 1.3, "
                "amplitude factor 1.6.", PRAAT),
    FeatureSpec("hnr_db", "dB", "voice quality",
                "Mean over voiced frames of 10 log10(r / (1 - r)), r the normalised autocorrelation peak of "
                "Praat's pitch analysis at the frame's f0 (Praat's Harmonicity (ac) definition, as eGeMAPS's "
                "HNRdBACF).", PRAAT),
)

_VOICED_STFT = "per voiced STFT frame (nearest Praat pitch frame voiced), averaged"
SPECTRAL_SPECS = (
    FeatureSpec("alpha_ratio_db", "dB", "spectral",
                f"10 log10 of the power in 1-5 kHz over the power in 50-1000 Hz, {_VOICED_STFT}.", STFT),
    FeatureSpec("hammarberg_index_db", "dB", "spectral",
                f"10 log10 of the strongest bin's power in 0-2 kHz over that in 2-5 kHz, {_VOICED_STFT}.", STFT),
    FeatureSpec("spectral_slope_0_500", "dB/Hz", "spectral",
                f"Least-squares slope of the power spectrum in dB against frequency over 0-500 Hz, {_VOICED_STFT}.",
                STFT),
    FeatureSpec("spectral_slope_500_1500", "dB/Hz", "spectral",
                f"Least-squares slope of the power spectrum in dB over 500-1500 Hz, {_VOICED_STFT}.", STFT),
    FeatureSpec("spectral_flux_mean", "", "spectral",
                "Sum over bins of the squared difference of consecutive magnitude spectra, each normalised "
                "to unit sum, averaged over pairs of active frames (within 50 dB of the loudest frame).", STFT),
    FeatureSpec("spectral_centroid_hz_mean", "Hz", "spectral",
                "Power-weighted mean frequency of each active STFT frame, averaged.", STFT),
)

CEPSTRAL_SPECS = (
    *(FeatureSpec(f"mfcc{k}_mean", "", "cepstral",
                  f"Mean over STFT frames of MFCC {k} (librosa's row {k}; row 0, the energy, is not used).", STFT)
      for k in range(1, N_MFCC + 1)),
    *(FeatureSpec(f"mfcc{k}_sd", "", "cepstral",
                  f"Standard deviation (population) over STFT frames of MFCC {k}.", STFT)
      for k in range(1, N_MFCC + 1)),
)

LEVEL_SPECS = (
    FeatureSpec("peak_dbfs", "dBFS", "level", "20 log10 of the largest absolute sample (1.0 = 0 dBFS).", SAMPLES),
    FeatureSpec("rms_dbfs", "dBFS", "level",
                "10 log10 of the mean squared sample over the whole clip (a full-scale sine is -3.01 dBFS).",
                SAMPLES),
    FeatureSpec("duration_s", "s", "level", "Length of the clip at its analysis rate.", SAMPLES),
)


def _mel_specs(n_mels: int) -> tuple[FeatureSpec, ...]:
    return tuple(
        FeatureSpec(f"mel{k:03d}_mean", "dBFS", "mel bands",
                    f"Mean over STFT frames of mel band {k} of {n_mels} (Slaney, as the panes) in dB re full scale "
                    "(the panes' fixed 0 dB, an STFT bin of a full-scale sine, not the clip's maximum), floored "
                    "top_db below the clip's loudest cell.", STFT)
        for k in range(1, n_mels + 1))


@lru_cache(maxsize=8)
def feature_specs(n_mels: int) -> tuple[FeatureSpec, ...]:
    """All features in column order for an analysis with ``n_mels`` mel bands (the mel bands last).

    Parameters
    ----------
    n_mels : int
        Number of mel bands (``FeatureParams.n_mels``).

    Returns
    -------
    tuple of FeatureSpec
    """
    return (*PROSODY_SPECS, *VOICE_QUALITY_SPECS, *SPECTRAL_SPECS, *CEPSTRAL_SPECS, *LEVEL_SPECS,
            *_mel_specs(n_mels))


def definitions(specs) -> dict:
    """``{name: {"unit", "group", "definition", "source"}}``, ready for ``json.dump`` (a CSV's sidecar).

    Parameters
    ----------
    specs : iterable of FeatureSpec
    """
    return {s.name: {"unit": s.unit, "group": s.group, "definition": s.definition, "source": s.source}
            for s in specs}


def clip_functionals(clip: Clip, params: FeatureParams, pitch: PitchParams) -> dict[str, float]:
    """The feature vector of one clip.

    Parameters
    ----------
    clip : Clip
        Mono samples at ``clip.sr``.
    params : FeatureParams
        STFT, mel and MFCC parameters (its ``db_ref`` is not used: mel bands are in dB re full scale).
    pitch : PitchParams
        Pitch floor, ceiling and method; the time step is set to 10 ms.

    Returns
    -------
    dict
        ``{name: value}`` with the names of ``feature_specs(params.n_mels)`` in that order; NaN where
        a feature is undefined (no voiced frame, too few periods for jitter...).

    Raises
    ------
    FeatureError
        The clip cannot be analysed at all: shorter than Praat's window for the pitch floor,
        digital silence, or parameters that do not fit its sample rate.
    """
    pitch = pitch.with_changes(time_step=FRAME_STEP)
    sound = praat_sound(clip, pitch)
    praat_track = praat_pitch(sound, pitch)
    times, f0_hz, intensity_db = _contours(sound, praat_track, pitch)
    voiced = np.isfinite(f0_hz)
    values = {
        **_prosody(f0_hz, intensity_db, voiced, len(clip.samples) / clip.sr),
        **_voice_quality(sound, praat_track, bool(voiced.any())),
        **_stft_functionals(clip, params, times, voiced),
        **_level(clip),
    }
    return {spec.name: values[spec.name] for spec in feature_specs(params.n_mels)}


def file_functionals(path: str, params: FeatureParams, pitch: PitchParams) -> dict[str, float]:
    """:func:`clip_functionals` of the file at ``path``, loaded at ``params.sr`` as the corpus run loads it.

    Raises
    ------
    ServisError
        The file cannot be loaded or analysed (the plain reason).
    """
    return clip_functionals(load_clip(path, sr=params.sr), params, pitch)


def _contours(sound, praat_track, pitch: PitchParams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pitch frame times, f0 (NaN unvoiced) and Praat's intensity read at those times."""
    times = np.asarray(praat_track.xs(), dtype=np.float64)
    raw = np.asarray(praat_track.selected_array["frequency"], dtype=np.float64)
    intensity = praat_intensity(sound, pitch)
    intensity_db = np.interp(times, np.asarray(intensity.xs()), np.asarray(intensity.values[0]))
    return times, np.where(raw > 0, raw, np.nan), intensity_db


def _prosody(f0_hz: np.ndarray, intensity_db: np.ndarray, voiced: np.ndarray, duration: float) -> dict[str, float]:
    hz = f0_hz[voiced]
    return {
        **contour_stats("f0_semitone", semitones(f0_hz), voiced, FRAME_STEP),
        "f0_hz_mean": mean_or_nan(hz),
        "f0_hz_p50": float(np.median(hz)) if len(hz) else math.nan,
        **contour_stats("intensity_db", intensity_db, voiced, FRAME_STEP),
        **segments(voiced, duration, FRAME_STEP),
    }


def _voice_quality(sound, praat_track, any_voiced: bool) -> dict[str, float]:
    """Jitter and shimmer (local) on one PointProcess from the clip's Pitch, and the mean HNR."""
    import parselmouth
    from parselmouth.praat import call

    jitter = shimmer = math.nan
    try:
        if any_voiced:
            points = call([sound, praat_track], "To PointProcess (cc)")
            jitter = call(points, "Get jitter (local)", 0.0, 0.0, SHORTEST_PERIOD, LONGEST_PERIOD, MAX_PERIOD_FACTOR)
            shimmer = call([sound, points], "Get shimmer (local)", 0.0, 0.0, SHORTEST_PERIOD, LONGEST_PERIOD,
                           MAX_PERIOD_FACTOR, MAX_AMPLITUDE_FACTOR)
    except parselmouth.PraatError as exc:
        raise praat_error(exc, "voice measures") from exc
    return {"jitter_local": float(jitter), "shimmer_local": float(shimmer), "hnr_db": pitch_hnr(praat_track)}


def pitch_hnr(praat_track) -> float:
    """Mean harmonics-to-noise ratio (dB) of the voiced frames of a Praat Pitch.

    Praat's pitch analysis finds, per frame, the normalised autocorrelation peak ``r`` at the f0 it
    chooses; Praat's Harmonicity (ac) and eGeMAPS's HNRdBACF turn it into ``10 log10(r / (1 - r))``.
    Reading it from the pitch track costs nothing beyond the pitch itself (Praat's separate
    ``To Harmonicity (cc)`` took 25 ms of a 3 s clip's 40 ms; on the demo clips the two means differ
    by 1.5 dB on average, about as much as Praat's own ac and cc harmonicities do).

    Parameters
    ----------
    praat_track : parselmouth.Pitch

    Returns
    -------
    float
        NaN without a voiced frame.
    """
    frames = praat_track.selected_array
    r = np.clip(np.asarray(frames["strength"], dtype=np.float64)[frames["frequency"] > 0], 1e-10, HNR_MAX_R)
    return float(np.mean(10.0 * np.log10(r / (1.0 - r)))) if len(r) else math.nan


def _stft_functionals(clip: Clip, params: FeatureParams, pitch_times: np.ndarray,
                      voiced: np.ndarray) -> dict[str, float]:
    """Spectral shape, MFCC and mel-band means from one STFT."""
    params = params.with_changes(db_ref=DbReference.FULL_SCALE, n_mfcc=min(params.n_mels, N_MFCC + 1))
    power, rms = stft_power(clip.samples, params.n_fft, params.hop_length)
    features = features_from_power(power, rms, clip.sr, params)
    frame_voiced = _voiced_at(features.times, pitch_times, voiced)
    return {
        **spectral_shape(power, clip.sr, frame_voiced, active_frames(power)),
        **_cepstral(features),
        **{f"mel{k:03d}_mean": float(m) for k, m in enumerate(features.mel_db.mean(axis=1, dtype=np.float64), 1)},
    }


def _voiced_at(times: np.ndarray, pitch_times: np.ndarray, voiced: np.ndarray) -> np.ndarray:
    """Whether the pitch frame nearest each of ``times`` is voiced (False beyond the pitch frames)."""
    if not len(pitch_times):
        return np.zeros(len(times), dtype=bool)
    index = np.rint((times - pitch_times[0]) / FRAME_STEP).astype(np.int64)
    inside = (index >= 0) & (index < len(pitch_times))
    return inside & voiced[np.clip(index, 0, len(pitch_times) - 1)]


def _cepstral(features: FeatureSet) -> dict[str, float]:
    rows = features.mfcc[1:N_MFCC + 1].astype(np.float64)
    means = np.full(N_MFCC, math.nan)
    sds = np.full(N_MFCC, math.nan)
    means[:len(rows)] = rows.mean(axis=1)
    sds[:len(rows)] = rows.std(axis=1)
    return {**{f"mfcc{k}_mean": float(means[k - 1]) for k in range(1, N_MFCC + 1)},
            **{f"mfcc{k}_sd": float(sds[k - 1]) for k in range(1, N_MFCC + 1)}}


def _level(clip: Clip) -> dict[str, float]:
    samples = np.asarray(clip.samples, dtype=np.float64)
    return {
        "peak_dbfs": 20.0 * math.log10(float(np.max(np.abs(samples)))),
        "rms_dbfs": 10.0 * math.log10(float(np.mean(samples * samples))),
        "duration_s": len(samples) / clip.sr,
    }
