"""ESD (transcripts in several encodings, split folders) and MSP-Podcast (label CSVs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from servis_gui.core.datasets import scan_dataset


def test_esd_emotions_from_folders_and_texts_in_any_encoding(esd_root: Path) -> None:
    result = scan_dataset(esd_root)
    assert result.corpus == "ESD"
    records = {r.path.stem: r for r in result.records}
    assert len(records) == 7
    mandarin = records["0001_000001"]
    assert (mandarin.emotion, mandarin.speaker) == ("neutral", "0001")
    assert mandarin.text == "打远一看，它们的确很是美丽，"
    assert mandarin.extra_value("language") == "Mandarin"
    assert records["0001_000351"].text == "他只是一个孩子。"
    assert records["0001_000351"].emotion == "angry"
    english = records["0011_000351"]
    assert (english.emotion, english.text) == ("angry", "The nine the eggs, I keep.")
    assert english.extra_value("split") == "evaluation"
    assert english.extra_value("language") == "English"
    assert records["0011_000001"].text == "Author of the danger trail, Philip Steels, etc."
    assert (records["0011_000701"].emotion, records["0011_000701"].text) == ("happy", "")
    latin1 = records["0012_001401"]
    assert (latin1.emotion, latin1.text) == ("surprised", "The café is closed.")
    assert (records["0020_001051"].emotion, records["0020_001051"].sentence_id) == ("sad", "001051")


def test_esd_transcript_problems_are_warned(esd_root: Path) -> None:
    warnings = scan_dataset(esd_root).warnings
    assert "0011/0011.txt: 1 malformed line skipped" in warnings
    assert "0020/0020.txt missing or unreadable: no texts for speaker 0020" in warnings


@pytest.mark.parametrize("fixture", ["msp_root", "msp_old_root"])
def test_msp_podcast_both_label_file_spellings(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    result = scan_dataset(request.getfixturevalue(fixture))
    assert result.corpus == "MSP-Podcast"
    records = {r.path.stem: r for r in result.records}
    first = records["MSP-PODCAST_0001_0008"]
    assert (first.emotion, first.raw_label) == ("neutral", "N")
    assert (first.speaker, first.gender) == ("127", "female")
    assert dict(first.extra) == {
        "arousal": "4.2", "valence": "4.0", "dominance": "4.4", "split": "Train",
    }
    no_agreement = records["MSP-PODCAST_0001_0019"]
    assert (no_agreement.emotion, no_agreement.speaker, no_agreement.gender) == ("unknown", "", "")
    assert (records["MSP-PODCAST_0002_0033"].emotion, records["MSP-PODCAST_0002_0033"].gender) == (
        "contempt", "male")
    assert records["MSP-PODCAST_0003_0001"].emotion == "unknown"
    assert result.warnings == ("1 clip without a consensus label (emotion unknown)",)


def test_msp_podcast_without_labels_warns(msp_root: Path) -> None:
    (msp_root / "Labels" / "labels_consensus.csv").unlink()
    result = scan_dataset(msp_root)
    assert result.warnings == ("Labels/labels_consensus.csv not found: emotions unknown",)
    assert {r.emotion for r in result.records} == {"unknown"}


def test_esd_single_speaker_folder(esd_root: Path) -> None:
    result = scan_dataset(esd_root / "0011")
    assert result.corpus == "ESD"
    texts = {r.path.stem: r.text for r in result.records}
    assert texts["0011_000001"] == "Author of the danger trail, Philip Steels, etc."
