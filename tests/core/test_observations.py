"""Checking the study's observations on synthetic corpora whose emotions differ (or not) by construction."""

import csv
import math

import numpy as np
import pytest

from servis_gui.core.emotions import CANONICAL
from servis_gui.core.observations import (
    CLAIMS,
    CSV_COLUMNS,
    NOT_SUPPORTED,
    NOT_TESTABLE,
    SUPPORTED,
    TABLE_COLUMNS,
    check_observations,
    write_verdicts_csv,
)

PEAK, F0, LOUDNESS, MFCC = range(4)
HIGH_PEAK = ("angry", "fearful", "happy")
HIGH_F0_AND_LOUDNESS = ("angry", "fearful")


def as_claimed(emotions: np.ndarray, sign: float = 1.0) -> dict[str, np.ndarray]:
    """Feature columns where the claimed emotions are higher by construction (``sign=-1``: lower), SD 1."""
    rng = np.random.default_rng(0)
    peak = sign * 6.0 * np.isin(emotions, HIGH_PEAK)
    high = sign * np.isin(emotions, HIGH_F0_AND_LOUDNESS)
    noise = rng.normal(0.0, 1.0, (3, emotions.size))
    return {"peak_dbfs": -12.0 + peak + noise[0],
            "f0_semitone_p50": 35.0 + 4.0 * high + noise[1],
            "intensity_db_mean": 65.0 + 5.0 * high + noise[2],
            "jitter_local": rng.uniform(0, 0.02, emotions.size)}


def labels(emotions=CANONICAL, n: int = 20) -> np.ndarray:
    return np.repeat(list(emotions), n)


def test_the_claims_are_the_studys():
    assert [(c.feature, c.high, c.low) for c in CLAIMS] == [
        ("peak_dbfs", HIGH_PEAK, ("sad", "neutral", "disgust")),
        ("f0_semitone_p50", ("fearful", "angry"), ()),
        ("intensity_db_mean", HIGH_F0_AND_LOUDNESS, ()),
        ("", (), ())]
    assert "issue 12" in CLAIMS[MFCC].elsewhere


def test_a_corpus_built_as_claimed_supports_every_testable_claim():
    emotions = labels()
    verdicts = check_observations(as_claimed(emotions), emotions)
    assert [v.verdict for v in verdicts] == [SUPPORTED, SUPPORTED, SUPPORTED, NOT_TESTABLE]
    peak = verdicts[PEAK]
    assert peak.high == ("happy", "angry", "fearful") and peak.low == ("neutral", "sad", "disgust")
    assert (peak.n_high, peak.n_low) == (60, 60)
    assert peak.median_high > peak.median_low + 4 and peak.delta > 0.9 and peak.p < 1e-10
    assert [e for e, _ in peak.group_medians] == ["neutral", "happy", "sad", "angry", "fearful", "disgust"]
    f0 = verdicts[F0]
    assert f0.low == ("neutral", "calm", "happy", "sad", "disgust", "surprised") and f0.n_low == 120
    assert f0.explanation.startswith("Higher as claimed") and f0.unit == "st"
    assert "issue 12" in verdicts[MFCC].explanation


def test_shuffled_labels_support_nothing():
    emotions = labels()
    columns = as_claimed(emotions)
    shuffled = np.random.default_rng(1).permutation(emotions)
    verdicts = check_observations(columns, shuffled)
    assert [v.verdict for v in verdicts[:3]] == [NOT_SUPPORTED] * 3
    assert all(abs(v.delta) < 0.33 for v in verdicts[:3])


def test_reversed_differences_are_not_supported_and_the_opposite_is_said():
    emotions = labels()
    verdicts = check_observations(as_claimed(emotions, sign=-1.0), emotions)
    for v in verdicts[:3]:
        assert v.verdict == NOT_SUPPORTED and v.delta < -0.9 and v.p > 0.99
        assert v.explanation.startswith("The opposite:") and "significantly lower than" in v.explanation


@pytest.mark.parametrize("n, shift, verdict, says", [
    (6, 0.0, NOT_SUPPORTED, "A negligible difference"),                    # delta 0
    (6, 1.0, NOT_SUPPORTED, "Higher as claimed, but not significantly"),   # delta +0.31, p = 0.058
    (600, 30.0, NOT_SUPPORTED, "A negligible difference"),                 # delta +0.10, p < 0.001
    (6, 2.0, SUPPORTED, "Higher as claimed:"),                             # delta +0.56, p = 0.002
])
def test_significance_and_effect_size_both_decide(n, shift, verdict, says):
    emotions = labels(("neutral", "happy", "sad", "angry", "fearful", "disgust"), n)
    values = np.tile(np.arange(float(n)), 6) + shift * np.isin(emotions, HIGH_PEAK)
    (peak,) = check_observations({"peak_dbfs": values}, emotions, claims=CLAIMS[:1])
    assert peak.verdict == verdict and peak.explanation.startswith(says)


def test_a_corpus_without_sad_neutral_or_disgust_cannot_test_the_peak_claim():
    emotions = labels(("angry", "fearful", "happy", "calm", "surprised"))
    verdicts = check_observations(as_claimed(emotions), emotions)
    assert verdicts[PEAK].verdict == NOT_TESTABLE
    assert verdicts[PEAK].explanation == "No sad, neutral or disgust clips in this corpus."
    assert math.isnan(verdicts[PEAK].p) and verdicts[PEAK].as_row()[2:5] == ("", "", "")
    assert [v.verdict for v in verdicts[1:3]] == [SUPPORTED, SUPPORTED]
    assert verdicts[F0].low == ("calm", "happy", "surprised")


def test_a_corpus_of_only_the_high_emotions_has_no_others():
    emotions = labels(HIGH_F0_AND_LOUDNESS)
    verdicts = check_observations(as_claimed(emotions), emotions)
    assert verdicts[F0].verdict == NOT_TESTABLE and verdicts[F0].explanation == "No other emotion in this corpus."


def test_a_missing_column_is_named():
    emotions = labels()
    columns = as_claimed(emotions)
    del columns["intensity_db_mean"]
    verdicts = check_observations(columns, emotions)
    assert verdicts[LOUDNESS].verdict == NOT_TESTABLE
    assert verdicts[LOUDNESS].explanation == "The features have no intensity_db_mean column."
    assert verdicts[PEAK].verdict == SUPPORTED


def test_emotions_with_too_few_clips_are_left_out_by_name():
    emotions = np.concatenate([labels(("angry", "fearful", "neutral", "sad")), ["happy"] * 3, ["disgust"] * 2])
    columns = as_claimed(emotions)
    columns["peak_dbfs"][emotions == "disgust"] = np.nan
    peak = check_observations(columns, emotions)[PEAK]
    assert peak.verdict == SUPPORTED and peak.high == ("angry", "fearful") and peak.low == ("neutral", "sad")
    assert peak.explanation.endswith("Left out (fewer than 4 clips with a value: happy (3), disgust (0)).")


def test_too_few_clips_on_a_side_is_not_testable_and_counts_them():
    emotions = np.concatenate([labels(("angry", "fearful", "happy")), ["sad"] * 3, ["neutral"] * 3])
    verdicts = check_observations(as_claimed(emotions), emotions)
    assert verdicts[PEAK].verdict == NOT_TESTABLE
    assert verdicts[PEAK].explanation == ("Too few sad, neutral or disgust clips with a peak_dbfs value "
                                          "(need 4 of one emotion; have sad 3, neutral 3, disgust 0).")
    assert verdicts[F0].verdict == SUPPORTED and verdicts[F0].low == ("happy",)
    assert verdicts[F0].explanation.endswith("Left out (fewer than 4 clips with a value: neutral (3), sad (3)).")


def test_unknown_labels_are_not_among_the_other_emotions():
    emotions = np.concatenate([labels(("angry", "fearful", "sad")), ["unknown"] * 30])
    f0 = check_observations(as_claimed(emotions), emotions)[F0]
    assert f0.low == ("sad",) and f0.n_low == 20


def test_speaker_normalisation_reveals_an_effect_hidden_by_speaker_levels():
    rng = np.random.default_rng(2)
    emotions = np.tile(np.repeat(CANONICAL, 4), 10)
    speakers = np.repeat([f"s{i}" for i in range(10)], 4 * len(CANONICAL))
    offset = np.repeat(np.linspace(0.0, 10.0, 10), 4 * len(CANONICAL))
    loud = np.isin(emotions, HIGH_F0_AND_LOUDNESS)
    columns = {"intensity_db_mean": 60.0 + offset + 2.0 * loud + rng.normal(0.0, 0.5, emotions.size)}
    claims = [CLAIMS[LOUDNESS]]
    (pooled,) = check_observations(columns, emotions, claims=claims)
    (normalised,) = check_observations(columns, emotions, speakers, normalise=True, claims=claims)
    assert normalised.verdict == SUPPORTED and normalised.unit == "z" and normalised.delta > 0.9
    assert pooled.unit == "dB" and pooled.delta < 0.5


def test_programming_errors_raise():
    emotions = labels()
    with pytest.raises(ValueError, match="speaker"):
        check_observations(as_claimed(emotions), emotions, normalise=True)
    with pytest.raises(ValueError, match="peak_dbfs"):
        check_observations({"peak_dbfs": np.zeros(3)}, emotions)


def test_verdicts_as_table_rows_and_csv(tmp_path):
    emotions = labels()
    verdicts = check_observations(as_claimed(emotions), emotions)
    rows = [v.as_row() for v in verdicts]
    assert all(len(row) == len(TABLE_COLUMNS) and all(isinstance(c, str) for c in row) for row in rows)
    assert rows[PEAK][2].endswith(" dBFS") and rows[PEAK][3].endswith("(large)") and rows[PEAK][4] == "< 0.001"

    path = tmp_path / "observations.csv"
    write_verdicts_csv(verdicts, path)
    with open(path, newline="", encoding="utf-8") as file:
        read = list(csv.DictReader(file))
    assert tuple(read[0]) == CSV_COLUMNS and len(read) == 4
    assert read[PEAK]["high"] == "happy+angry+fearful" and float(read[PEAK]["cliffs_delta"]) == verdicts[PEAK].delta
    assert read[MFCC]["verdict"] == NOT_TESTABLE and read[MFCC]["p_one_sided"] == ""
