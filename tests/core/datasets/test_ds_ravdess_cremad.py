"""RAVDESS (seven fields, song, video skipped) and CREMA-D (levels, demographics)."""

from __future__ import annotations

from pathlib import Path

from servis_gui.core.datasets import cremad, scan_dataset


def test_ravdess_fields_speakers_and_texts(ravdess_root: Path) -> None:
    result = scan_dataset(ravdess_root)
    assert result.corpus == "RAVDESS"
    records = {r.path.stem: r for r in result.records}
    assert set(records) == {
        "03-01-01-01-01-01-01", "03-01-05-02-02-01-02",
        "03-01-08-01-01-02-24", "03-02-06-02-02-02-01",
    }
    neutral = records["03-01-01-01-01-01-01"]
    assert (neutral.emotion, neutral.speaker, neutral.gender) == ("neutral", "01", "male")
    assert (neutral.text, neutral.intensity) == ("Kids are talking by the door", "normal")
    angry = records["03-01-05-02-02-01-02"]
    assert (angry.emotion, angry.gender, angry.intensity) == ("angry", "female", "strong")
    assert angry.text == "Dogs are sitting by the door"
    assert dict(angry.extra) == {
        "modality": "03", "vocal_channel": "01", "emotion": "05", "intensity": "02",
        "statement": "02", "repetition": "01", "actor": "02", "voice": "speech",
    }
    assert records["03-01-08-01-01-02-24"].emotion == "surprised"
    song = records["03-02-06-02-02-02-01"]
    assert (song.emotion, song.extra_value("voice"), song.gender) == ("fearful", "song", "male")


def test_ravdess_video_files_are_skipped_with_a_warning(ravdess_root: Path) -> None:
    result = scan_dataset(ravdess_root)
    assert "2 files skipped: video file (RAVDESS modality 01/02)" in result.warnings
    assert not any(r.path.suffix == ".mp4" for r in result.records)


def test_cremad_labels_levels_and_texts(cremad_root: Path) -> None:
    result = scan_dataset(cremad_root)
    assert result.corpus == "CREMA-D"
    wav = {r.path.stem: r for r in result.records if r.path.suffix == ".wav"}
    first = wav["1001_DFA_ANG_XX"]
    assert (first.emotion, first.intensity) == ("angry", "unspecified")
    assert first.text == "Don't forget a jacket"
    assert (first.speaker, first.gender, first.sentence_id) == ("1001", "male", "DFA")
    assert dict(first.extra) == {
        "level": "XX", "age": "51", "race": "Caucasian", "ethnicity": "Not Hispanic",
    }
    happy = wav["1002_IEO_HAP_HI"]
    assert (happy.emotion, happy.gender, happy.intensity, happy.text) == (
        "happy", "female", "high", "It's eleven o'clock")
    sad = wav["1091_WSI_SAD_LO"]
    assert (sad.emotion, sad.intensity) == ("sad", "low")
    assert sad.text == "We'll stop in a couple of minutes"
    fear = wav["1050_ITS_FEA_MD"]  # actor missing from the table
    assert (fear.emotion, fear.gender, fear.intensity) == ("fearful", "", "medium")
    assert sum(1 for r in result.records if r.path.suffix == ".mp3") == 1


def test_cremad_without_demographics_warns(cremad_root: Path) -> None:
    (cremad_root / "VideoDemographics.csv").unlink()
    result = cremad.scan(cremad_root)
    assert result.warnings[0] == "VideoDemographics.csv not found: speaker sex unknown"
    assert {r.gender for r in result.records} == {""}
    assert {r.emotion for r in result.records} == {"angry", "happy", "sad", "fearful"}


def test_cremad_demographics_found_from_audiowav_folder(cremad_root: Path) -> None:
    result = cremad.scan(cremad_root / "AudioWAV")
    assert {r.path.stem: r.gender for r in result.records}["1002_IEO_HAP_HI"] == "female"
