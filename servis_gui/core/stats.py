"""Per-emotion statistics of one per-clip feature: the tests beside the Corpus view's plot (no Qt).

The input is plain arrays: a feature's value per clip (float, NaN where the clip has none, such
as f0 of a clip with no voiced frame), each clip's canonical emotion and, for normalisation, its
speaker. The GUI and the command line call the same functions.

- ``speaker_normalised``: z-score within each speaker, because speakers differ more than emotions.
- ``compare_emotions``: n and median per emotion, Kruskal-Wallis across the emotions, and for every
  pair Mann-Whitney U (two-sided), its p, the Holm-corrected p and Cliff's delta with its magnitude.
- ``cliffs_delta``, ``effect_magnitude``, ``holm``: the pieces, usable alone.
- ``EmotionComparison.group_rows``/``pair_rows``/``kruskal_text`` give the table as strings;
  ``write_comparison_csv`` writes it for a report.

Rank statistics throughout: features such as jitter or f0 are skewed, and a rank test needs no
assumption of normal, equal-variance groups. The tests are scipy's (``scipy.stats.kruskal`` and
``mannwhitneyu``, method ``"auto"``: exact for small groups without ties, else the normal
approximation with tie correction).
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TextIO

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats as sps

from servis_gui.core.emotions import CANONICAL, EXTRAS
from servis_gui.core.prosody_export import cannot_save

MIN_N = 4
"""Fewest clips with a value an emotion needs to enter the tests.

Four is the smallest group a pair can be significant with: two groups of three can never reach
p < 0.05 with Mann-Whitney (its smallest two-sided p is 0.1), four against four can (0.029).
Acted corpora often have four takes of a sentence per emotion (the demo corpus has four clips
per emotion). With fewer than five per group scipy's Kruskal-Wallis p (a chi-square
approximation) is rough; the note says so when a tested group is that small.
"""

ROUGH_BELOW = 5
"""Groups smaller than this make the Kruskal-Wallis p (a chi-square approximation) rough."""

EFFECT_THRESHOLDS: tuple[tuple[float, str], ...] = ((0.474, "large"), (0.33, "medium"), (0.147, "small"))
"""|Cliff's delta| at or above which an effect gets its label (Romano et al. 2006); below: "negligible"."""

MISSING = "—"
"""How a number that does not exist (a median of no value, an untested p) is shown in the table."""

GROUP_COLUMNS = ("Emotion", "n", "Median")
PAIR_COLUMNS = ("Pair", "U", "p", "p (Holm)", "Cliff's δ", "Effect")
CSV_COLUMNS = ("feature", "row", "emotion_a", "emotion_b", "n_a", "n_b", "median_a", "median_b",
               "statistic", "p", "p_holm", "cliffs_delta", "effect", "note")
"""The CSV layout of ``write_comparison_csv``: one ``group`` row per emotion (``emotion_a``,
``n_a``, ``median_a``), one ``kruskal`` row (the tested emotions joined by ``+``, their total n,
H as ``statistic``, ``p``, the comparison's note) and one ``pair`` row per pair tested (U as
``statistic``)."""


@dataclass(frozen=True)
class GroupSummary:
    """One emotion's clips: how many have a value, and their median (NaN when none has)."""

    emotion: str
    n: int
    median: float


@dataclass(frozen=True)
class PairComparison:
    """Two emotions compared: Mann-Whitney U of ``a`` (ties count one half), its two-sided p,
    the Holm-corrected p over all pairs tested, and Cliff's delta (positive: ``a`` above ``b``)."""

    a: str
    b: str
    n_a: int
    n_b: int
    u: float
    p: float
    p_holm: float
    delta: float

    @property
    def magnitude(self) -> str:
        """Cliff's delta in words: negligible, small, medium or large."""
        return effect_magnitude(self.delta)


@dataclass(frozen=True)
class EmotionComparison:
    """The statistics of one feature across the emotions of a corpus.

    Attributes
    ----------
    feature : str
        What was compared (a column name; ``""`` if the caller gave none).
    groups : tuple of GroupSummary
        Every emotion present, in the corpus's order, tested or not.
    tested : tuple of str
        The emotions with at least ``min_n`` values: those in Kruskal-Wallis and in the pairs.
    kruskal_h, kruskal_p : float
        Kruskal-Wallis H and p across ``tested``; NaN when fewer than two emotions could be tested
        or every value is equal.
    pairs : tuple of PairComparison
        Every pair of ``tested``, in group order.
    min_n : int
        The smallest group size tested.
    note : str
        Plain sentences on what could not be tested and why; ``""`` when everything was.
    """

    feature: str
    groups: tuple[GroupSummary, ...]
    tested: tuple[str, ...]
    kruskal_h: float
    kruskal_p: float
    pairs: tuple[PairComparison, ...]
    min_n: int
    note: str

    def group_rows(self) -> list[tuple[str, str, str]]:
        """The groups as table rows of strings, in the columns ``GROUP_COLUMNS``."""
        return [(g.emotion, str(g.n), format_number(g.median)) for g in self.groups]

    def pair_rows(self) -> list[tuple[str, str, str, str, str, str]]:
        """The pairs as table rows of strings, in the columns ``PAIR_COLUMNS``."""
        return [(f"{p.a} vs {p.b}", format_number(p.u), format_p(p.p), format_p(p.p_holm), f"{p.delta:+.2f}",
                 p.magnitude) for p in self.pairs]

    def kruskal_text(self) -> str:
        """Kruskal-Wallis in one line: ``"Kruskal-Wallis H = 41.2, p < 0.001 (5 emotions, n = 340)"``."""
        if math.isnan(self.kruskal_p):
            return "Kruskal-Wallis: not tested"
        n = sum(g.n for g in self.groups if g.emotion in self.tested)
        return (f"Kruskal-Wallis H = {self.kruskal_h:.3g}, p {p_relation(self.kruskal_p)} "
                f"({len(self.tested)} emotions, n = {n})")

    def csv_rows(self) -> list[tuple[object, ...]]:
        """The rows of ``write_comparison_csv`` (columns ``CSV_COLUMNS``; NaN becomes an empty cell)."""
        medians = {g.emotion: g.median for g in self.groups}
        rows: list[tuple[object, ...]] = [(self.feature, "group", g.emotion, "", g.n, "", g.median, "", "", "", "",
                                           "", "", "") for g in self.groups]
        n_tested = sum(g.n for g in self.groups if g.emotion in self.tested)
        rows.append((self.feature, "kruskal", "+".join(self.tested), "", n_tested, "", "", "", self.kruskal_h,
                     self.kruskal_p, "", "", "", self.note))
        rows += [(self.feature, "pair", p.a, p.b, p.n_a, p.n_b, medians[p.a], medians[p.b], p.u, p.p, p.p_holm,
                  p.delta, p.magnitude, "") for p in self.pairs]
        return [csv_cells(row) for row in rows]


def speaker_normalised(values: ArrayLike, speakers: Sequence[str]) -> np.ndarray:
    """Z-score a feature within each speaker: (value - speaker's mean) / speaker's SD.

    Parameters
    ----------
    values : array_like of float
        The feature per clip; NaN where a clip has none (it stays NaN and is left out of its
        speaker's mean and SD).
    speakers : sequence of str
        Each clip's speaker, as long as ``values``.

    Returns
    -------
    numpy.ndarray
        float64, one z-score per clip. The SD is the population one (``ddof=0``, as
        scikit-learn's ``StandardScaler``).

    Notes
    -----
    A speaker with fewer than two values, or whose values are all equal (to rounding), gets NaN
    for every clip: there is no spread to measure a clip against. Giving them 0 instead would put
    fake "average" clips at the centre of every emotion and pull the medians towards 0.
    """
    x = np.asarray(values, dtype=np.float64)
    labels = np.asarray(speakers, dtype=str)
    if labels.shape != x.shape:
        raise ValueError(f"{x.size} values but {labels.size} speakers")
    _, index = np.unique(labels, return_inverse=True)
    has = np.isfinite(x)
    count = np.bincount(index[has], minlength=index.max(initial=-1) + 1)
    mean = np.bincount(index[has], weights=x[has], minlength=count.size) / np.maximum(count, 1)
    deviation = np.where(has, x - mean[index], 0.0)
    sd = np.sqrt(np.bincount(index, weights=deviation**2, minlength=count.size) / np.maximum(count, 1))
    usable = (count >= 2) & (sd > 1e-9 * np.maximum(np.abs(mean), 1.0))
    ok = has & usable[index]
    z = np.full(x.shape, np.nan)
    z[ok] = deviation[ok] / sd[index[ok]]
    return z


def cliffs_delta(a: ArrayLike, b: ArrayLike) -> float:
    """Cliff's delta: P(a > b) - P(a < b) over all pairs, exact, in O((n + m) log m).

    Parameters
    ----------
    a, b : array_like of float
        Two samples; NaN values are left out.

    Returns
    -------
    float
        In [-1, 1]; positive when ``a`` tends to be above ``b``; NaN if either sample is empty.
        It equals ``2 U / (n m) - 1`` with U Mann-Whitney's statistic of ``a``.
    """
    x, y = _finite(a), np.sort(_finite(b))
    if x.size == 0 or y.size == 0:
        return math.nan
    below_x = int(np.searchsorted(y, x, side="left").sum())  # pairs with b < a
    above_x = int((y.size - np.searchsorted(y, x, side="right")).sum())  # pairs with b > a
    return (below_x - above_x) / (x.size * y.size)


def effect_magnitude(delta: float) -> str:
    """Cliff's delta in words (Romano et al. 2006): negligible, small, medium or large ("" for NaN)."""
    if math.isnan(delta):
        return ""
    return next((label for threshold, label in EFFECT_THRESHOLDS if abs(delta) >= threshold), "negligible")


def holm(p_values: ArrayLike) -> np.ndarray:
    """Holm's step-down correction of p-values for multiple tests (as statsmodels' ``method="holm"``).

    Parameters
    ----------
    p_values : array_like of float
        The raw p-values of the m tests (finite).

    Returns
    -------
    numpy.ndarray
        The adjusted p-values, in the input's order: the k-th smallest becomes
        ``max over j <= k of min(1, (m - j + 1) p_(j))``.
    """
    p = np.asarray(p_values, dtype=np.float64)
    order = np.argsort(p, kind="stable")
    stepped = np.maximum.accumulate(p[order] * np.arange(p.size, 0, -1))
    adjusted = np.empty_like(p)
    adjusted[order] = np.minimum(stepped, 1.0)
    return adjusted


def emotion_order(emotions: Iterable[str], order: Sequence[str] | None = None) -> tuple[str, ...]:
    """The emotions present, in ``order`` (else the canonical order of ``emotions.py``); any label
    not in that order follows, alphabetically."""
    present = set(emotions)
    preferred = tuple(order) if order is not None else CANONICAL + EXTRAS
    first = [e for e in dict.fromkeys(preferred) if e in present]
    return (*first, *sorted(present - set(first)))


def compare_emotions(values: ArrayLike, emotions: Sequence[str], order: Sequence[str] | None = None,
                     min_n: int = MIN_N, feature: str = "") -> EmotionComparison:
    """Compare a feature across emotions: medians, Kruskal-Wallis, pairwise Mann-Whitney and Cliff's delta.

    Parameters
    ----------
    values : array_like of float
        The feature per clip; NaN where a clip has none (left out, and said in the note).
    emotions : sequence of str
        Each clip's emotion, as long as ``values``.
    order : sequence of str, optional
        The corpus's emotion order; the canonical order when not given.
    min_n : int
        Fewest values an emotion needs to be tested (see ``MIN_N`` for why 5).
    feature : str
        The feature's name, carried into the table and the CSV.

    Returns
    -------
    EmotionComparison
        Never raises for small, empty or constant groups: what cannot be tested is said in ``note``.
    """
    x = np.asarray(values, dtype=np.float64)
    labels = np.asarray(emotions, dtype=str)
    if labels.shape != x.shape:
        raise ValueError(f"{x.size} values but {labels.size} emotions")
    samples = {e: _finite(x[labels == e]) for e in emotion_order(labels.tolist(), order)}
    groups = tuple(GroupSummary(e, s.size, float(np.median(s)) if s.size else math.nan) for e, s in samples.items())
    tested = tuple(e for e, s in samples.items() if s.size >= min_n)
    h, p = _kruskal([samples[e] for e in tested])
    pairs = _pairs({e: samples[e] for e in tested})
    note = _note(groups, tested, min_n, int(np.count_nonzero(~np.isfinite(x))), math.isnan(p) and len(tested) > 1)
    return EmotionComparison(feature, groups, tested, h, p, pairs, min_n, note)


def write_comparison_csv(comparison: EmotionComparison, destination: str | os.PathLike | TextIO) -> None:
    """Write a comparison as CSV (columns ``CSV_COLUMNS``, full precision, NaN as an empty cell).

    Parameters
    ----------
    comparison : EmotionComparison
        What to write.
    destination : str, path-like or text file
        The CSV file to create or replace, or an open text stream (such as ``sys.stdout``).

    Raises
    ------
    ExportError
        The file cannot be written (permission, read-only disk, full disk...).
    """
    write_csv(destination, CSV_COLUMNS, comparison.csv_rows())


def write_csv(destination: str | os.PathLike | TextIO, columns: Sequence[str],
              rows: Iterable[Sequence[object]]) -> None:
    """Write a header row and rows as UTF-8 CSV to a path or an open text stream.

    Raises
    ------
    ExportError
        The file cannot be written; ``str(error)`` says why in plain words.
    """
    if hasattr(destination, "write"):
        _write_rows(destination, columns, rows)
        return
    try:
        with open(destination, "w", newline="", encoding="utf-8") as file:
            _write_rows(file, columns, rows)
    except OSError as exc:
        raise cannot_save(destination, exc) from exc


def csv_cells(row: Iterable[object]) -> tuple[object, ...]:
    """A CSV row with every NaN as an empty cell (other values are written at full precision)."""
    return tuple("" if isinstance(v, float) and math.isnan(v) else v for v in row)


def format_number(value: float) -> str:
    """A statistic or a median for the table: 4 significant digits, ``MISSING`` for NaN."""
    return MISSING if math.isnan(value) else f"{value:.4g}"


def format_p(p: float) -> str:
    """A p-value for the table: ``"< 0.001"``, else 3 decimals; ``MISSING`` for NaN."""
    return MISSING if math.isnan(p) else p_relation(p).removeprefix("= ")


def p_relation(p: float) -> str:
    """A p-value after "p": ``"< 0.001"`` or ``"= 0.042"``."""
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


def _write_rows(file: TextIO, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    writer = csv.writer(file)
    writer.writerow(columns)
    writer.writerows(rows)


def _finite(values: ArrayLike) -> np.ndarray:
    x = np.asarray(values, dtype=np.float64).ravel()
    return x[np.isfinite(x)]


def _kruskal(samples: list[np.ndarray]) -> tuple[float, float]:
    """Kruskal-Wallis H and p, NaN when there are fewer than two groups or all values are equal."""
    if len(samples) < 2 or np.ptp(np.concatenate(samples)) == 0:
        return math.nan, math.nan
    result = sps.kruskal(*samples)
    return float(result.statistic), float(result.pvalue)


def _pairs(samples: dict[str, np.ndarray]) -> tuple[PairComparison, ...]:
    """Mann-Whitney and Cliff's delta for every pair, with Holm over all of them."""
    names = list(combinations(samples, 2))
    tests = [sps.mannwhitneyu(samples[a], samples[b], alternative="two-sided") for a, b in names]
    adjusted = holm([t.pvalue for t in tests])
    return tuple(PairComparison(a, b, samples[a].size, samples[b].size, float(t.statistic), float(t.pvalue),
                                float(q), cliffs_delta(samples[a], samples[b]))
                 for (a, b), t, q in zip(names, tests, adjusted))


def _note(groups: tuple[GroupSummary, ...], tested: tuple[str, ...], min_n: int, n_missing: int,
          all_equal: bool) -> str:
    """Plain sentences on what was left out of the tests and why."""
    sentences = []
    small = [f"{g.emotion} ({g.n})" for g in groups if g.emotion not in tested]
    if small:
        sentences.append(f"Too few clips with a value to test (fewer than {min_n}): {', '.join(small)}.")
    if len(tested) < 2:
        sentences.append(f"Nothing to compare: fewer than two emotions have {min_n} clips with a value.")
    if all_equal:
        sentences.append("Every value is the same: Kruskal-Wallis cannot rank them.")
    rough = [g.emotion for g in groups if g.emotion in tested and g.n < ROUGH_BELOW]
    if rough and len(tested) >= 2 and not all_equal:
        sentences.append(f"Fewer than {ROUGH_BELOW} clips for {', '.join(rough)}: the Kruskal-Wallis p is rough.")
    if n_missing:
        sentences.append(f"{n_missing} clip{'s' if n_missing > 1 else ''} without a value left out.")
    return " ".join(sentences)
