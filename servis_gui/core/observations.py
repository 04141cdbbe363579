"""The original study's observations as data, checked on a loaded corpus (no Qt).

The study looked at one sentence per emotion and wrote down what it saw. ``CLAIMS`` holds those
observations; ``check_observations`` tests each one on every clip of a corpus and gives a
``Verdict``: the medians of the emotions the claim puts high and of those it puts low (each side
pooled), the one-sided Mann-Whitney p that the high side is above the low side, Cliff's delta, and
one of three answers:

- **supported**: p < ``alpha`` (0.05) and Cliff's delta at least "small" (0.147) in the claimed
  direction;
- **not supported**: anything else; the explanation says whether the difference was in the
  claimed direction but not significant, significant but negligible, absent, or the opposite;
- **not testable here**: the feature column is missing, no emotion of a side has ``min_n`` clips
  with a value, or the claim belongs elsewhere (MFCC against mel separability is the
  recogniser's question, issue 12). The explanation names what is missing.

A claim uses the emotions of each side that the corpus has with enough clips; the others are
named in the explanation. "The other emotions" means every other label present except
``unknown``. Loudness is ``intensity_db_mean`` (Praat's intensity in dB, averaged over the voiced
frames, see ``functionals.py``), not ``rms_dbfs``: the clip's RMS mixes in its pauses and its
leading and trailing silence, so it measures how a corpus was cut as much as how loudly people spoke.

Peak and loudness depend on the recording gain, which differs between speakers and sessions:
``normalise=True`` z-scores each feature within each speaker first.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

import numpy as np
from scipy import stats as sps

from servis_gui.core.emotions import UNKNOWN
from servis_gui.core.stats import (
    EFFECT_THRESHOLDS,
    MIN_N,
    cliffs_delta,
    csv_cells,
    effect_magnitude,
    emotion_order,
    format_number,
    format_p,
    p_relation,
    speaker_normalised,
    write_csv,
)

SUPPORTED = "supported"
NOT_SUPPORTED = "not supported"
NOT_TESTABLE = "not testable here"
ALPHA = 0.05
SMALL_EFFECT = EFFECT_THRESHOLDS[-1][0]
"""The least |Cliff's delta| that counts as a difference (Romano et al.'s "small", 0.147)."""


@dataclass(frozen=True)
class Claim:
    """One observation of the study.

    Attributes
    ----------
    key : str
        A short identifier (``"peak"``).
    text : str
        The observation in words.
    feature : str
        The per-clip feature column it is about (``""`` when it is not tested here).
    unit : str
        The feature's unit, for the explanation.
    high : tuple of str
        The emotions it says are higher.
    low : tuple of str
        The emotions it says are lower; empty means every other emotion present.
    elsewhere : str
        Why the claim is not tested here (``""`` if it is).
    """

    key: str
    text: str
    feature: str
    unit: str
    high: tuple[str, ...]
    low: tuple[str, ...] = ()
    elsewhere: str = ""


CLAIMS: tuple[Claim, ...] = (
    Claim("peak", "Angry, fearful and happy speech reaches a higher peak amplitude than sad, neutral and "
          "disgusted speech", "peak_dbfs", "dBFS", ("angry", "fearful", "happy"), ("sad", "neutral", "disgust")),
    Claim("f0", "Fear and anger are higher-pitched than the other emotions", "f0_semitone_p50", "st",
          ("fearful", "angry")),
    Claim("loudness", "Fear and anger are louder than the other emotions", "intensity_db_mean", "dB",
          ("angry", "fearful")),
    Claim("mfcc_vs_mel", "MFCCs separate the emotions better than mel bands", "", "", (), (),
          "Belongs to the recogniser (issue 12): separability is a classifier's accuracy, "
          "not a difference in one feature."),
)

TABLE_COLUMNS = ("Claim", "Feature", "Median (claimed high vs low)", "Cliff's δ", "p (one-sided)", "Verdict",
                 "Why")
CSV_COLUMNS = ("claim", "feature", "unit", "high", "low", "n_high", "n_low", "median_high", "median_low",
               "p_one_sided", "cliffs_delta", "effect", "verdict", "explanation")
"""The CSV layout of ``write_verdicts_csv``: one row per claim; ``high`` and ``low`` are the
emotions used, joined by ``+``; NaN is an empty cell."""


@dataclass(frozen=True)
class Verdict:
    """What a corpus says of one claim.

    Attributes
    ----------
    claim : str
        The claim's text.
    feature : str
        The feature tested (``""`` for a claim tested elsewhere).
    unit : str
        The unit of the medians (``"z"`` after speaker normalisation).
    high, low : tuple of str
        The emotions used on each side (those present with enough clips); the claim's own when
        a side could not be formed.
    n_high, n_low : int
        Clips with a value on each side.
    median_high, median_low : float
        The pooled median of each side (NaN when not testable).
    group_medians : tuple of (str, float)
        The median of every emotion used, in the corpus's order.
    p : float
        One-sided Mann-Whitney p that the high side is above the low side.
    delta : float
        Cliff's delta, high side against low side (positive: as claimed).
    verdict : str
        ``SUPPORTED``, ``NOT_SUPPORTED`` or ``NOT_TESTABLE``.
    explanation : str
        One line in words: the direction found, or what is missing.
    """

    claim: str
    feature: str
    unit: str
    high: tuple[str, ...]
    low: tuple[str, ...]
    n_high: int
    n_low: int
    median_high: float
    median_low: float
    group_medians: tuple[tuple[str, float], ...]
    p: float
    delta: float
    verdict: str
    explanation: str

    def as_row(self) -> tuple[str, str, str, str, str, str, str]:
        """The verdict as a table row of strings, in the columns ``TABLE_COLUMNS``."""
        medians = "" if self.verdict == NOT_TESTABLE else (
            f"{format_number(self.median_high)} vs {format_number(self.median_low)} {self.unit}")
        delta = "" if math.isnan(self.delta) else f"{self.delta:+.2f} ({effect_magnitude(self.delta)})"
        p = "" if math.isnan(self.p) else format_p(self.p)
        return self.claim, self.feature, medians, delta, p, self.verdict, self.explanation

    def csv_row(self) -> tuple[object, ...]:
        """The verdict as a CSV row (columns ``CSV_COLUMNS``)."""
        return csv_cells((self.claim, self.feature, self.unit, "+".join(self.high), "+".join(self.low), self.n_high,
                          self.n_low, self.median_high, self.median_low, self.p, self.delta,
                          effect_magnitude(self.delta), self.verdict, self.explanation))


def check_observations(columns: Mapping[str, np.ndarray], emotions: Sequence[str],
                       speakers: Sequence[str] | None = None, normalise: bool = False,
                       claims: Sequence[Claim] = CLAIMS, min_n: int = MIN_N, alpha: float = ALPHA) -> list[Verdict]:
    """Check the study's observations on a corpus.

    Parameters
    ----------
    columns : mapping of str to array
        Per-clip feature columns by name (float, NaN where a clip has no value), each as long
        as ``emotions``. Columns no claim uses are ignored.
    emotions : sequence of str
        Each clip's canonical emotion.
    speakers : sequence of str, optional
        Each clip's speaker; needed when ``normalise`` is true.
    normalise : bool
        Z-score every feature within each speaker before comparing (see ``speaker_normalised``).
    claims : sequence of Claim
        What to check; the study's ``CLAIMS`` by default.
    min_n : int
        Fewest clips with a value an emotion needs to be used (see ``stats.MIN_N``).
    alpha : float
        The significance level.

    Returns
    -------
    list of Verdict
        One per claim, in order.

    Raises
    ------
    ValueError
        ``normalise`` without speakers, or a column whose length is not the number of clips.
    """
    if normalise and speakers is None:
        raise ValueError("speaker normalisation needs each clip's speaker")
    labels = np.asarray(emotions, dtype=str)
    return [_check(claim, columns, labels, speakers if normalise else None, min_n, alpha) for claim in claims]


def write_verdicts_csv(verdicts: Sequence[Verdict], destination: str | os.PathLike | TextIO) -> None:
    """Write verdicts as CSV (columns ``CSV_COLUMNS``, one row per claim, full precision).

    Parameters
    ----------
    verdicts : sequence of Verdict
        What ``check_observations`` returned.
    destination : str, path-like or text file
        The CSV file to create or replace, or an open text stream.

    Raises
    ------
    ExportError
        The file cannot be written; ``str(error)`` says why in plain words.
    """
    write_csv(destination, CSV_COLUMNS, [v.csv_row() for v in verdicts])


def _check(claim: Claim, columns: Mapping[str, np.ndarray], labels: np.ndarray, speakers: Sequence[str] | None,
           min_n: int, alpha: float) -> Verdict:
    if claim.elsewhere:
        return _untestable(claim, claim.unit, claim.elsewhere)
    if claim.feature not in columns:
        return _untestable(claim, claim.unit, f"The features have no {claim.feature} column.")
    values = np.asarray(columns[claim.feature], dtype=np.float64)
    if values.shape != labels.shape:
        raise ValueError(f"column {claim.feature} has {values.size} values for {labels.size} clips")
    unit = claim.unit
    if speakers is not None:
        values, unit = speaker_normalised(values, speakers), "z"
    counts = {e: int(np.count_nonzero(np.isfinite(values[labels == e]))) for e in emotion_order(labels.tolist())}
    low_wanted = claim.low or tuple(e for e in counts if e not in claim.high and e != UNKNOWN)
    high, low = _usable(claim.high, counts, min_n), _usable(low_wanted, counts, min_n)
    if not high or not low:
        missing = [_missing_side(side, counts, min_n, claim.feature) for side, used in
                   ((claim.high, high), (low_wanted, low)) if not used]
        return _untestable(claim, unit, " ".join(missing))
    return _verdict(claim, values, labels, unit, high, low, alpha, _left_out(claim.high + low_wanted, counts, min_n))


def _verdict(claim: Claim, values: np.ndarray, labels: np.ndarray, unit: str, high: tuple[str, ...],
             low: tuple[str, ...], alpha: float, left_out: str) -> Verdict:
    """Compare the pooled sides and put the result in words."""
    by_emotion = {e: values[(labels == e) & np.isfinite(values)] for e in emotion_order(high + low)}
    a = np.concatenate([by_emotion[e] for e in high])
    b = np.concatenate([by_emotion[e] for e in low])
    p = float(sps.mannwhitneyu(a, b, alternative="greater").pvalue)
    delta = cliffs_delta(a, b)
    medians = (float(np.median(a)), float(np.median(b)))
    verdict = SUPPORTED if p < alpha and delta >= SMALL_EFFECT else NOT_SUPPORTED
    figures = (f"median {format_number(medians[0])} vs {format_number(medians[1])} {unit}, "
               f"Cliff's δ {delta:+.2f} ({effect_magnitude(delta)})")
    finding = _finding(a, b, p, delta, alpha, high, low)
    return Verdict(claim.text, claim.feature, unit, high, low, a.size, b.size, *medians,
                   tuple((e, float(np.median(v))) for e, v in by_emotion.items()), p, delta, verdict,
                   f"{finding}: {figures}.{left_out}")


def _finding(a: np.ndarray, b: np.ndarray, p: float, delta: float, alpha: float, high: tuple[str, ...],
             low: tuple[str, ...]) -> str:
    """The direction found, in words, with the one-sided p of that direction."""
    sides = f"{_names(high)} against {_names(low)}"
    if delta <= -SMALL_EFFECT:
        p_lower = float(sps.mannwhitneyu(a, b, alternative="less").pvalue)
        lower = "significantly lower" if p_lower < alpha else "lower, though not significantly,"
        return f"The opposite: {_names(high)} {lower} than {_names(low)} (p {p_relation(p_lower)})"
    if delta < SMALL_EFFECT:
        return f"A negligible difference: {sides} (p {p_relation(p)})"
    if p >= alpha:
        return f"Higher as claimed, but not significantly: {sides} (p {p_relation(p)})"
    return f"Higher as claimed: {sides} (p {p_relation(p)})"


def _usable(wanted: tuple[str, ...], counts: Mapping[str, int], min_n: int) -> tuple[str, ...]:
    """The emotions of ``wanted`` that have at least ``min_n`` values, in the corpus's order."""
    return tuple(e for e in counts if e in wanted and counts[e] >= min_n)


def _missing_side(side: tuple[str, ...], counts: Mapping[str, int], min_n: int, feature: str) -> str:
    """Why a side has no usable emotion: each of its emotions absent or with too few values."""
    if not side:
        return "No other emotion in this corpus."
    if not any(e in counts for e in side):
        return f"No {_names(side, 'or')} clips in this corpus."
    present = ", ".join(f"{e} {counts.get(e, 0)}" for e in side)
    return (f"Too few {_names(side, 'or')} clips with a {feature} value (need {min_n} of one emotion; "
            f"have {present}).")


def _left_out(wanted: tuple[str, ...], counts: Mapping[str, int], min_n: int) -> str:
    """A sentence naming the claimed emotions the test could not use, or ``""``."""
    absent = [e for e in wanted if e not in counts]
    small = [f"{e} ({counts[e]})" for e in wanted if e in counts and counts[e] < min_n]
    parts = ([f"not in this corpus: {', '.join(absent)}"] if absent else []) + (
        [f"fewer than {min_n} clips with a value: {', '.join(small)}"] if small else [])
    return f" Left out ({'; '.join(parts)})." if parts else ""


def _untestable(claim: Claim, unit: str, why: str) -> Verdict:
    return Verdict(claim.text, claim.feature, unit, claim.high, claim.low, 0, 0, math.nan, math.nan, (), math.nan,
                   math.nan, NOT_TESTABLE, why)


def _names(emotions: Sequence[str], conjunction: str = "and") -> str:
    """``("angry", "fearful", "happy")`` as ``"angry, fearful and happy"``."""
    *rest, last = emotions
    return f"{', '.join(rest)} {conjunction} {last}" if rest else last
