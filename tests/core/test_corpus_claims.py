"""End to end on a generated RAVDESS tree: emotions that differ by construction come out in that
order, significantly, and the study's claims get the verdicts they were built to get.

Every clip is a real 48 kHz 16-bit WAV file named as RAVDESS names its audio-only speech
(``Actor_NN/03-01-EE-01-SS-RR-AA.wav``). It is scanned by the real reader (``scan_dataset``),
analysed by ``analyse_clips``, split by ``feature_view`` and tested by ``compare_emotions`` and
``check_observations``. Each emotion has its own f0 and peak amplitude; every clip varies by a
couple of per cent, and each actor's voice is shifted (the women's about an octave up), so nothing
is degenerate and pooled f0 is blurred by the speakers as in a real corpus.
"""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from servis_gui.core.corpus_groups import feature_view
from servis_gui.core.corpus_run import CorpusResult, analyse_clips
from servis_gui.core.datasets.detect import scan_dataset
from servis_gui.core.observations import CLAIMS, NOT_SUPPORTED, NOT_TESTABLE, SUPPORTED, check_observations
from servis_gui.core.params import FeatureParams
from servis_gui.core.prosody import DEFAULT_PITCH
from servis_gui.core.stats import compare_emotions
from tests.voices import harmonic_voice

FILE_SR = 48000
"""RAVDESS's own rate: the analysis resamples to ``PARAMS.sr``."""
PARAMS = FeatureParams()
SECONDS = 1.0
SILENCE_S = 0.12
"""Silence before and after the voice of every clip."""
VARIATION = 0.02
"""Relative spread (uniform, +-) of every clip's f0 and amplitude around its emotion's value."""

CODES = {"neutral": "01", "happy": "03", "sad": "04", "angry": "05", "fearful": "06", "disgust": "07"}
"""RAVDESS emotion codes (docs: /work/shared/DATASETS.md)."""

AS_CLAIMED = {"angry": (230.0, 0.8), "fearful": (250.0, 0.7), "happy": (170.0, 0.6),
              "neutral": (140.0, 0.25), "sad": (120.0, 0.15), "disgust": (150.0, 0.2)}
"""Emotion -> (f0 of a male voice in Hz, peak amplitude): as the study says, and louder where higher."""

F0_REVERSED = {"angry": (120.0, 0.8), "fearful": (140.0, 0.7), "happy": (150.0, 0.6),
               "neutral": (230.0, 0.25), "sad": (250.0, 0.15), "disgust": (170.0, 0.2)}
"""The f0 claim turned round (sad and neutral highest, fear and anger lowest); peaks as claimed."""

ACTORS = {"01": 1.0, "02": 1.9, "03": 1.06, "04": 2.0}
"""RAVDESS actor -> f0 factor of the voice: odd actors are male, even female (about an octave up)."""

STATEMENTS = ("01", "02")
REPETITIONS = ("01", "02")


def write_ravdess(root: Path, design: dict[str, tuple[float, float]], seed: int) -> dict[str, tuple[str, float, float]]:
    """Write a RAVDESS tree of synthetic voices: every actor says both statements twice in every emotion.

    Parameters
    ----------
    root : Path
        The corpus folder (``Actor_NN`` folders are made in it).
    design : dict of str to (float, float)
        Emotion -> (male f0 in Hz, peak amplitude).
    seed : int
        Seed of the per-clip variation.

    Returns
    -------
    dict of str to (str, float, float)
        File name -> (emotion written, f0 in Hz, peak amplitude), to check the reader and the analysis against.
    """
    rng = np.random.default_rng(seed)
    n = int(SECONDS * FILE_SR)
    t = np.arange(n) / FILE_SR
    voiced = (t >= SILENCE_S) & (t < SECONDS - SILENCE_S)
    written = {}
    for actor, factor in ACTORS.items():
        folder = root / f"Actor_{actor}"
        folder.mkdir(parents=True)
        for statement, repetition in itertools.product(STATEMENTS, REPETITIONS):
            for emotion, (male_f0, peak) in design.items():
                f0 = male_f0 * factor * rng.uniform(1 - VARIATION, 1 + VARIATION)
                amplitude = peak * rng.uniform(1 - VARIATION, 1 + VARIATION)
                direction = 1.0 if statement == "01" else -1.0  # statement 01 rises, 02 falls (+-3 %)
                contour = f0 * (1 + direction * 0.03 * np.cos(np.pi * t / SECONDS))
                y = harmonic_voice(contour, voiced, FILE_SR)
                name = f"03-01-{CODES[emotion]}-01-{statement}-{repetition}-{actor}.wav"
                sf.write(folder / name, amplitude * y / np.max(np.abs(y)), FILE_SR, subtype="PCM_16")
                written[name] = (emotion, f0, amplitude)
    return written


def analyse(root: Path, written: dict[str, tuple[str, float, float]]) -> CorpusResult:
    """Scan ``root`` with the RAVDESS reader, check its labels against ``written``, analyse in-process."""
    scan = scan_dataset(root)
    assert scan.corpus == "RAVDESS"
    assert sorted(r.path.name for r in scan.records) == sorted(written)
    for record in scan.records:
        assert record.emotion == written[record.path.name][0]
        assert record.gender == ("male" if int(record.speaker) % 2 else "female")
    result = analyse_clips(scan.records, PARAMS, DEFAULT_PITCH, jobs=1)
    assert result.failures == () and len(result.records) == len(written)
    return result


@pytest.fixture(scope="module")
def claimed(tmp_path_factory) -> tuple[CorpusResult, dict[str, tuple[str, float, float]]]:
    root = tmp_path_factory.mktemp("ravdess_claimed")
    written = write_ravdess(root, AS_CLAIMED, seed=1)
    return analyse(root, written), written


@pytest.fixture(scope="module")
def reversed_f0(tmp_path_factory) -> CorpusResult:
    root = tmp_path_factory.mktemp("ravdess_reversed")
    return analyse(root, write_ravdess(root, F0_REVERSED, seed=2))


def column(result: CorpusResult, name: str) -> np.ndarray:
    return result.values[:, result.names.index(name)]


def medians(result: CorpusResult, name: str, normalise: bool = False) -> dict[str, float]:
    """Emotion -> median of the feature ``name`` over every speaker's clips."""
    return {emotion: float(np.median(values)) for emotion, values, _ in
            feature_view(result, name, normalise=normalise).groups()}


def ranked(design: dict[str, tuple[float, float]], which: int) -> list[str]:
    """The emotions from lowest to highest constructed f0 (``which`` 0) or amplitude (1)."""
    return sorted(design, key=lambda emotion: design[emotion][which])


def verdicts(result: CorpusResult, normalise: bool = False) -> dict[str, object]:
    """Claim key -> Verdict, on every clip of ``result``."""
    columns = {name: column(result, name) for name in ("peak_dbfs", "f0_semitone_p50", "intensity_db_mean")}
    found = check_observations(columns, [r.emotion for r in result.records], [r.speaker for r in result.records],
                               normalise=normalise)
    return {claim.key: verdict for claim, verdict in zip(CLAIMS, found, strict=True)}


def test_every_clip_is_measured_as_it_was_made(claimed):
    result, written = claimed
    f0 = column(result, "f0_hz_p50")
    peak = column(result, "peak_dbfs")
    made = np.array([written[r.path.name][1:] for r in result.records])
    assert np.allclose(f0, made[:, 0], rtol=0.035), "Praat's median f0 is the constructed one (contour +-3 %)"
    assert np.allclose(peak, 20 * np.log10(made[:, 1]), atol=0.05)
    assert np.all(column(result, "voiced_fraction") > 0.6)


def test_per_emotion_medians_come_out_in_the_constructed_order(claimed):
    result, _ = claimed
    for name, which in (("f0_semitone_p50", 0), ("peak_dbfs", 1), ("intensity_db_mean", 1)):
        found = medians(result, name)
        assert sorted(found, key=found.get) == ranked(AS_CLAIMED, which), name


@pytest.mark.parametrize("name", ["f0_semitone_p50", "peak_dbfs"])
def test_the_statistics_flag_the_clear_differences(claimed, name):
    result, _ = claimed
    view = feature_view(result, name)
    comparison = compare_emotions(view.values, view.emotions, view.order, feature=name)
    assert comparison.tested == view.order and len(view.order) == 6
    assert comparison.kruskal_p < 0.001
    pairs = {frozenset((p.a, p.b)): p for p in comparison.pairs}
    assert len(pairs) == 15
    for a, b in (("angry", "sad"), ("fearful", "sad")):
        pair = pairs[frozenset((a, b))]
        assert pair.p <= pair.p_holm < 0.05, (a, b)
        assert pair.magnitude == "large"


def test_every_constructed_peak_differs_significantly_from_every_other(claimed):
    result, _ = claimed
    view = feature_view(result, "peak_dbfs")
    comparison = compare_emotions(view.values, view.emotions, view.order)
    assert all(p.p_holm < 0.05 and abs(p.delta) == 1.0 for p in comparison.pairs)


def test_the_three_claims_are_supported_where_they_were_built_in(claimed):
    result, _ = claimed
    for normalise in (False, True):
        found = verdicts(result, normalise)
        assert {key: v.verdict for key, v in found.items()} == {
            "peak": SUPPORTED, "f0": SUPPORTED, "loudness": SUPPORTED, "mfcc_vs_mel": NOT_TESTABLE}, normalise
        assert set(found["peak"].high) == {"angry", "fearful", "happy"}
        assert set(found["peak"].low) == {"sad", "neutral", "disgust"}
        assert found["f0"].explanation.startswith("Higher as claimed")


def test_f0_the_other_way_round_is_not_supported_and_the_opposite_is_said(reversed_f0):
    found = verdicts(reversed_f0)
    assert found["f0"].verdict == NOT_SUPPORTED
    assert found["f0"].delta < -0.474
    explanation = found["f0"].explanation
    assert explanation.startswith("The opposite: ") and " significantly lower than " in explanation
    assert explanation.index("fearful") < explanation.index(" lower ") and "angry" in explanation.split(" lower ")[0]
    assert found["peak"].verdict == SUPPORTED
    f0 = medians(reversed_f0, "f0_semitone_p50")
    assert sorted(f0, key=f0.get) == ranked(F0_REVERSED, 0)


def test_the_peak_claim_is_not_testable_without_sad_neutral_or_disgust(claimed):
    result, _ = claimed
    keep = np.array([r.emotion in ("angry", "fearful", "happy") for r in result.records])
    only_high = dataclasses.replace(result, records=tuple(r for r, k in zip(result.records, keep) if k),
                                    values=result.values[keep])
    found = verdicts(only_high)
    assert found["peak"].verdict == NOT_TESTABLE
    assert found["peak"].explanation == "No sad, neutral or disgust clips in this corpus."
    assert found["f0"].verdict == SUPPORTED, "happy is still there to be lower than fear and anger"


def test_speaker_normalisation_ranks_f0_despite_an_octave_between_the_voices(claimed):
    result, _ = claimed
    raw_view = feature_view(result, "f0_semitone_p50")
    z_view = feature_view(result, "f0_semitone_p50", normalise=True)
    raw = compare_emotions(raw_view.values, raw_view.emotions, raw_view.order)
    z = compare_emotions(z_view.values, z_view.emotions, z_view.order)
    speakers = np.array(raw_view.speakers)
    gap = np.median(raw_view.values[speakers == "02"]) - np.median(raw_view.values[speakers == "01"])
    assert gap > 10.0, "the voices are almost an octave (12 st) apart: as far as sad is from fear"
    z_medians = medians(result, "f0_semitone_p50", normalise=True)
    assert sorted(z_medians, key=z_medians.get) == ranked(AS_CLAIMED, 0)
    assert z.kruskal_p < 1e-6 and z.kruskal_h > raw.kruskal_h + 10
    assert all(p.p_holm < 0.05 and abs(p.delta) == 1.0 for p in z.pairs), "within a speaker no emotions overlap"
    neutral_disgust = next(p for p in raw.pairs if {p.a, p.b} == {"neutral", "disgust"})
    assert neutral_disgust.p_holm > 0.05, "pooled, 140 Hz against 150 Hz is lost between the voices"


def test_two_workers_give_the_same_numbers(claimed):
    result, _ = claimed
    subset = result.records[::8]
    workers = analyse_clips(subset, PARAMS, DEFAULT_PITCH, jobs=2)
    assert workers.records == subset
    assert workers.values.tobytes() == result.values[::8].tobytes()
