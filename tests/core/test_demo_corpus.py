"""Checks on the committed synthetic demo corpus in ``resources/demo``."""

from __future__ import annotations

import csv
import itertools
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

DEMO_DIR = Path(__file__).resolve().parents[2] / "servis_gui" / "resources" / "demo"
HEADER = ["path", "emotion", "speaker", "gender", "sentence_id", "text"]
EMOTIONS = ("neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised")
SPEAKERS = ("m3", "f3")
SENTENCES = ("kids", "dogs")


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    """Manifest rows, after checking the header."""
    with (DEMO_DIR / "manifest.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == HEADER
        return list(reader)


@pytest.fixture(scope="module")
def clips(rows: list[dict[str, str]]) -> dict[str, np.ndarray]:
    """Decoded float samples per manifest path."""
    return {row["path"]: sf.read(DEMO_DIR / row["path"], dtype="float64")[0] for row in rows}


def rms(audio: np.ndarray) -> float:
    """Root-mean-square level of ``audio`` (linear, full scale = 1)."""
    return float(np.sqrt(np.mean(audio**2)))


def test_manifest_has_32_rows(rows: list[dict[str, str]]) -> None:
    assert len(rows) == 32


def test_every_file_exists_and_decodes_as_16k_mono(rows: list[dict[str, str]]) -> None:
    for row in rows:
        path = DEMO_DIR / row["path"]
        assert path.is_file(), row["path"]
        audio, rate = sf.read(path, dtype="float64")
        assert (rate, audio.ndim) == (16_000, 1), row["path"]


def test_every_emotion_speaker_sentence_once(rows: list[dict[str, str]]) -> None:
    counts = Counter((r["emotion"], r["speaker"], r["sentence_id"]) for r in rows)
    assert counts == Counter(itertools.product(EMOTIONS, SPEAKERS, SENTENCES))


def test_paths_follow_naming_scheme(rows: list[dict[str, str]]) -> None:
    for row in rows:
        assert row["path"] == f"{row['speaker']}_{row['sentence_id']}_{row['emotion']}.flac"


def test_aroused_emotions_are_louder_than_low_ones(
    rows: list[dict[str, str]], clips: dict[str, np.ndarray]
) -> None:
    def mean_rms(emotions: set[str]) -> float:
        return float(np.mean([rms(clips[r["path"]]) for r in rows if r["emotion"] in emotions]))

    assert mean_rms({"angry", "happy", "fearful"}) > mean_rms({"sad", "calm"})


def test_angry_loudest_and_sad_quietest(
    rows: list[dict[str, str]], clips: dict[str, np.ndarray]
) -> None:
    levels = {
        emotion: np.mean([rms(clips[r["path"]]) for r in rows if r["emotion"] == emotion])
        for emotion in EMOTIONS
    }
    assert max(levels, key=levels.get) == "angry"
    assert min(levels, key=levels.get) == "sad"


def test_no_clip_is_silent_or_clipped(clips: dict[str, np.ndarray]) -> None:
    for path, audio in clips.items():
        peak = np.max(np.abs(audio))
        assert peak > 0.01, f"{path} is (near) digital silence"
        assert peak < 32767 / 32768, f"{path} reaches full scale"


def test_durations_in_range(clips: dict[str, np.ndarray]) -> None:
    for path, audio in clips.items():
        assert 1.6 <= audio.shape[0] / 16_000 <= 3.5, path
