"""Per-emotion statistics: known answers, scipy's tests reproduced, synthetic corpora, degenerate groups."""

import csv
import io
import math

import numpy as np
import pytest
from scipy import stats as sps

from servis_gui.core.emotions import CANONICAL
from servis_gui.core.prosody_export import ExportError
from servis_gui.core.stats import (
    CSV_COLUMNS,
    GROUP_COLUMNS,
    MIN_N,
    PAIR_COLUMNS,
    cliffs_delta,
    compare_emotions,
    effect_magnitude,
    emotion_order,
    holm,
    speaker_normalised,
    write_comparison_csv,
)


def brute_force_delta(a, b) -> float:
    """Cliff's definition, every pair: (#(a > b) - #(a < b)) / (n m)."""
    return float(np.sign(np.subtract.outer(np.asarray(a, float), np.asarray(b, float))).mean())


def pairs_by_name(comparison):
    return {(p.a, p.b): p for p in comparison.pairs}


def corpus(shifts: dict[str, float], n: int = 40, sd: float = 1.0, seed: int = 0):
    """``n`` clips per emotion, normal with the emotion's shift."""
    rng = np.random.default_rng(seed)
    emotions = np.repeat(list(shifts), n)
    values = rng.normal(0.0, sd, emotions.size) + np.array([shifts[e] for e in emotions])
    return values, emotions


# Cliff's delta ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b, expected", [
    ([1, 2, 3], [1, 2, 3], 0.0),
    ([4, 5], [1, 2, 3], 1.0),
    ([1, 2, 3], [4, 5], -1.0),
    ([1, 2, 3], [2], 0.0),             # 3 > 2, 1 < 2, 2 = 2
    ([1, 2, 3, 4], [2, 2], 0.25),      # 4 pairs above, 2 below, 2 tied, of 8
    ([10, 20], [15], 0.0),
    ([3, 3, 3], [1, 3, 5, 7], -0.25),  # 3 > 1 (3 pairs), 3 < 5 and 7 (6): (3 - 6) / 12
])
def test_cliffs_delta_by_hand(a, b, expected):
    assert cliffs_delta(a, b) == pytest.approx(expected, abs=1e-15)


@pytest.mark.parametrize("seed", range(5))
def test_cliffs_delta_equals_the_all_pairs_definition_with_ties(seed):
    rng = np.random.default_rng(seed)
    a = np.round(rng.normal(0.3, 1.0, rng.integers(1, 300)), 1)  # rounded: many ties
    b = np.round(rng.normal(0.0, 1.0, rng.integers(1, 300)), 1)
    assert cliffs_delta(a, b) == pytest.approx(brute_force_delta(a, b), abs=1e-12)
    assert cliffs_delta(b, a) == pytest.approx(-cliffs_delta(a, b), abs=1e-12)


def test_cliffs_delta_equals_2u_over_nm_minus_1():
    rng = np.random.default_rng(7)
    a, b = np.round(rng.normal(0, 1, 123), 1), np.round(rng.normal(0.5, 1, 77), 1)
    u = sps.mannwhitneyu(a, b).statistic
    assert cliffs_delta(a, b) == pytest.approx(2 * u / (a.size * b.size) - 1, abs=1e-12)


def test_cliffs_delta_leaves_nan_out_and_is_nan_for_an_empty_sample():
    assert cliffs_delta([1, np.nan, 3], [2, np.nan]) == 0.0
    assert math.isnan(cliffs_delta([], [1, 2]))
    assert math.isnan(cliffs_delta([np.nan], [1, 2]))


@pytest.mark.parametrize("delta, label", [(0.0, "negligible"), (0.146, "negligible"), (-0.147, "small"),
                                          (0.329, "small"), (0.33, "medium"), (-0.473, "medium"),
                                          (0.474, "large"), (-1.0, "large"), (math.nan, "")])
def test_effect_magnitude_uses_romanos_thresholds(delta, label):
    assert effect_magnitude(delta) == label


# Holm ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("p, expected", [
    ([0.01, 0.04, 0.03, 0.005], [0.03, 0.06, 0.06, 0.02]),
    ([0.01, 0.02, 0.03, 0.04, 0.05], [0.05, 0.08, 0.09, 0.09, 0.09]),  # R: p.adjust(..., "holm")
    ([0.4, 0.5, 0.6], [1.0, 1.0, 1.0]),                               # capped at 1
    ([0.02, 0.02, 0.5], [0.06, 0.06, 0.5]),                           # ties
    ([0.03], [0.03]),
])
def test_holm_textbook_answers(p, expected):
    np.testing.assert_allclose(holm(p), expected, rtol=1e-12)


def test_holm_equals_its_definition_on_random_p_values():
    rng = np.random.default_rng(3)
    p = np.round(rng.uniform(0, 0.2, 40), 3)
    m = p.size
    ranked = np.sort(p)
    by_rank = [max(min(1.0, (m - j) * ranked[j]) for j in range(k + 1)) for k in range(m)]
    expected = np.empty(m)
    expected[np.argsort(p, kind="stable")] = by_rank
    np.testing.assert_allclose(holm(p), expected, rtol=1e-12)
    assert holm([]).size == 0


# compare_emotions ---------------------------------------------------------------------------------------

def test_kruskal_and_mann_whitney_are_scipys():
    values, emotions = corpus({"sad": 0.0, "neutral": 0.3, "angry": 1.0, "fearful": 0.8}, n=30)
    values[::7] = np.nan
    result = compare_emotions(values, emotions)
    groups = {e: values[(emotions == e) & np.isfinite(values)] for e in ("neutral", "sad", "angry", "fearful")}
    h, p = sps.kruskal(*groups.values())
    assert (result.kruskal_h, result.kruskal_p) == (pytest.approx(h, rel=1e-12), pytest.approx(p, rel=1e-12))
    for pair in result.pairs:
        expected = sps.mannwhitneyu(groups[pair.a], groups[pair.b], alternative="two-sided")
        assert pair.u == expected.statistic and pair.p == pytest.approx(expected.pvalue, rel=1e-12)
        assert pair.delta == pytest.approx(brute_force_delta(groups[pair.a], groups[pair.b]), abs=1e-12)
    np.testing.assert_allclose([p.p_holm for p in result.pairs], holm([p.p for p in result.pairs]))
    assert [g.n for g in result.groups] == [groups[e].size for e in result.tested]
    assert "clips without a value left out" in result.note


def test_emotions_that_differ_by_construction_come_out_in_order_and_significant():
    shifts = {"neutral": 0.0, "sad": 0.0, "happy": 2.0, "fearful": 4.0, "angry": 6.0}
    values, emotions = corpus(shifts, n=40)
    result = compare_emotions(values, emotions, feature="rms_dbfs")
    medians = {g.emotion: g.median for g in result.groups}
    assert medians["angry"] > medians["fearful"] > medians["happy"] > max(medians["neutral"], medians["sad"])
    assert result.kruskal_p < 1e-10 and result.note == ""
    pairs = pairs_by_name(result)
    for (a, b), pair in pairs.items():
        different = shifts[a] != shifts[b]
        assert (pair.p_holm < 0.05) == different, (a, b, pair)
        if different:
            assert pair.magnitude == "large" and np.sign(pair.delta) == np.sign(shifts[a] - shifts[b])
    assert len(result.pairs) == 10


def test_groups_follow_the_canonical_order_or_the_corpus_order():
    emotions = ["angry", "boredom", "sad", "neutral", "zzz-label"] * 6
    values = np.arange(len(emotions), dtype=float)
    assert [g.emotion for g in compare_emotions(values, emotions).groups] == \
        ["neutral", "sad", "angry", "boredom", "zzz-label"]
    ordered = compare_emotions(values, emotions, order=("angry", "sad", "neutral", "boredom"))
    assert [g.emotion for g in ordered.groups] == ["angry", "sad", "neutral", "boredom", "zzz-label"]
    assert emotion_order([]) == ()
    assert emotion_order(reversed(CANONICAL)) == CANONICAL


def test_small_groups_are_named_in_a_note_not_tested_and_raise_nothing():
    values, emotions = corpus({"neutral": 0.0, "angry": 3.0}, n=20)
    values = np.concatenate([values, [1.0, 2.0, 3.0], [np.nan, np.nan]])
    emotions = np.concatenate([emotions, ["sad"] * 3, ["fearful"] * 2])
    result = compare_emotions(values, emotions)
    assert result.tested == ("neutral", "angry")
    assert [(g.emotion, g.n) for g in result.groups] == [("neutral", 20), ("sad", 3), ("angry", 20), ("fearful", 0)]
    assert math.isnan(result.groups[-1].median)
    assert f"fewer than {MIN_N}" in result.note and "sad (3)" in result.note and "fearful (0)" in result.note
    assert [(p.a, p.b) for p in result.pairs] == [("neutral", "angry")]


@pytest.mark.parametrize("values, emotions, says", [
    ([], [], "Nothing to compare"),
    ([1.0] * 10, ["sad"] * 10, "Nothing to compare"),
    ([1.0, 2.0, 3.0, 4.0], ["sad", "sad", "angry", "angry"], "Too few"),
    ([np.nan] * 12, ["sad"] * 6 + ["angry"] * 6, "12 clips without a value"),
    ([2.5] * 12, ["sad"] * 6 + ["angry"] * 6, "Every value is the same"),
])
def test_degenerate_corpora_give_a_note_and_nan_not_an_exception(values, emotions, says):
    result = compare_emotions(values, emotions)
    assert says in result.note
    assert math.isnan(result.kruskal_h) and math.isnan(result.kruskal_p)
    assert result.kruskal_text() == "Kruskal-Wallis: not tested"
    assert all(len(row) == len(GROUP_COLUMNS) for row in result.group_rows())


def test_constant_groups_that_differ_are_tested():
    result = compare_emotions([1.0] * 6 + [2.0] * 6, ["sad"] * 6 + ["angry"] * 6)
    (pair,) = result.pairs
    assert pair.delta == -1.0 and pair.p < 0.01 and result.kruskal_p < 0.01


def test_mismatched_lengths_are_a_programming_error():
    with pytest.raises(ValueError):
        compare_emotions([1.0, 2.0], ["sad"])
    with pytest.raises(ValueError):
        speaker_normalised([1.0, 2.0], ["a"])


# Speaker normalisation ----------------------------------------------------------------------------------

def test_speaker_normalised_is_a_z_score_within_each_speaker():
    values = np.array([1.0, 2.0, 3.0, np.nan, 10.0, 30.0])
    z = speaker_normalised(values, ["a", "a", "a", "a", "b", "b"])
    np.testing.assert_allclose(z[:3], (values[:3] - 2.0) / np.std(values[:3]))
    np.testing.assert_allclose(z[4:], [-1.0, 1.0])
    assert math.isnan(z[3])


@pytest.mark.parametrize("values, speakers", [([5.0], ["solo"]), ([0.1, 0.1, 0.1], ["c", "c", "c"]),
                                              ([7.0, np.nan], ["d", "d"])])
def test_a_speaker_without_spread_gets_nan(values, speakers):
    assert np.isnan(speaker_normalised(values, speakers)).all()


def test_speaker_normalised_removes_any_per_speaker_offset_and_gain():
    rng = np.random.default_rng(11)
    values = rng.normal(size=60)
    speakers = np.repeat(["a", "b", "c"], 20)
    shifted = values * np.repeat([1.0, 3.0, 0.5], 20) + np.repeat([-40.0, 0.0, 25.0], 20)
    np.testing.assert_allclose(speaker_normalised(shifted, speakers), speaker_normalised(values, speakers),
                               atol=1e-12)


def test_normalisation_makes_a_2_db_emotion_effect_clear_under_10_db_speaker_differences():
    rng = np.random.default_rng(5)
    speakers = np.repeat([f"s{i}" for i in range(10)], 4 * len(CANONICAL))
    emotions = np.tile(np.repeat(CANONICAL, 4), 10)
    offset = np.repeat(np.linspace(0.0, 10.0, 10), 4 * len(CANONICAL))
    loud = np.isin(emotions, ["angry", "fearful"])
    values = -30.0 + offset + 2.0 * loud + rng.normal(0.0, 0.5, emotions.size)

    pooled = pairs_by_name(compare_emotions(values, emotions))[("sad", "angry")]
    normalised = pairs_by_name(compare_emotions(speaker_normalised(values, speakers), emotions))[("sad", "angry")]
    assert abs(pooled.delta) < 0.5 and pooled.p_holm > 0.01
    assert normalised.delta < -0.9 and normalised.p_holm < 1e-6


# Presentation -------------------------------------------------------------------------------------------

def test_table_rows_are_strings_in_the_documented_columns():
    values, emotions = corpus({"sad": 0.0, "angry": 3.0}, n=12)
    result = compare_emotions(values, emotions, feature="peak_dbfs")
    assert [row[0] for row in result.group_rows()] == ["sad", "angry"]
    (row,) = result.pair_rows()
    assert len(row) == len(PAIR_COLUMNS) and all(isinstance(cell, str) for cell in row)
    assert row[0] == "sad vs angry" and row[2] == "< 0.001" and row[4].startswith("-") and row[5] == "large"
    assert result.kruskal_text().startswith("Kruskal-Wallis H = ") and "(2 emotions, n = 24)" in result.kruskal_text()


def test_comparison_csv_reads_back_at_full_precision(tmp_path):
    values, emotions = corpus({"neutral": 0.0, "sad": 0.5, "angry": 2.0}, n=10)
    result = compare_emotions(np.append(values, [1.0]), np.append(emotions, "calm"), feature="f0_semitone_p50")
    path = tmp_path / "stats.csv"
    write_comparison_csv(result, path)
    with open(path, newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["row"] for r in rows] == ["group"] * 4 + ["kruskal"] + ["pair"] * 3
    assert rows[1] == {**rows[1], "emotion_a": "calm", "n_a": "1", "median_a": "1.0"}
    assert float(rows[4]["p"]) == result.kruskal_p and rows[4]["emotion_a"] == "neutral+sad+angry"
    assert "calm (1)" in rows[4]["note"]
    assert [float(r["cliffs_delta"]) for r in rows[5:]] == [p.delta for p in result.pairs]
    assert {r["feature"] for r in rows} == {"f0_semitone_p50"}

    stream = io.StringIO()
    write_comparison_csv(result, stream)
    assert stream.getvalue().replace("\r\n", "\n") == path.read_text(encoding="utf-8").replace("\r\n", "\n")


def test_an_unwritable_csv_says_why(tmp_path):
    values, emotions = corpus({"sad": 0.0, "angry": 1.0}, n=6)
    with pytest.raises(ExportError, match="folder does not exist"):
        write_comparison_csv(compare_emotions(values, emotions), tmp_path / "missing" / "stats.csv")
