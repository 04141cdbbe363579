"""IEMOCAP: EmoEvaluation labels, annotator lines, sub-folders, transcripts, speakers."""

from __future__ import annotations

from pathlib import Path

from servis_gui.core.datasets import iemocap, scan_dataset
from servis_gui.core.datasets.iemocap import parse_evaluation, parse_transcript


def _by_stem(root: Path) -> dict:
    result = scan_dataset(root)
    assert result.corpus == "IEMOCAP"
    return {record.path.stem: record for record in result.records}


def test_turn_labels_and_vad_are_read(iemocap_root: Path) -> None:
    records = _by_stem(iemocap_root)
    f000 = records["Ses01F_impro01_F000"]
    assert (f000.emotion, f000.raw_label) == ("neutral", "neu")
    assert (f000.speaker, f000.gender) == ("Ses01F", "female")
    assert f000.text == "Excuse me."
    assert f000.extra_value("valence") == "2.5000"
    assert f000.extra_value("start") == "6.2901"
    assert f000.extra_value("kind") == "impro"
    assert f000.extra_value("session") == "Ses01"
    m000 = records["Ses01F_impro01_M000"]
    assert (m000.emotion, m000.speaker, m000.gender) == ("frustrated", "Ses01M", "male")
    assert m000.text == "Do you have your forms?"
    assert (m000.extra_value("arousal"), m000.extra_value("dominance")) == ("3.5000", "3.5000")


def test_xxx_is_unknown_and_script_dialogs_are_read(iemocap_root: Path) -> None:
    records = _by_stem(iemocap_root)
    assert (records["Ses01F_impro01_F001"].emotion, records["Ses01F_impro01_F001"].raw_label) == (
        "unknown", "xxx")
    m003 = records["Ses01M_script01_1_M003"]
    assert (m003.emotion, m003.gender, m003.extra_value("kind")) == ("excited", "male", "script")
    assert m003.extra_value("dialog") == "Ses01M_script01_1"
    f010 = records["Ses01M_script01_1_F010"]
    assert (f010.emotion, f010.speaker, f010.gender) == ("sad", "Ses01F", "female")
    assert records["Ses02M_impro03_M007"].emotion == "angry"


def test_sub_folders_of_emoevaluation_are_ignored(iemocap_root: Path) -> None:
    # Categorical/, Attribute/ and Self-evaluation/ hold an "ang" turn line for F002.
    result = scan_dataset(iemocap_root)
    f002 = next(r for r in result.records if r.path.stem == "Ses01F_impro01_F002")
    assert f002.emotion == "unknown"
    sub_folders = ("Categorical", "Attribute", "Self-")
    assert not any(sub in w for w in result.warnings for sub in sub_folders)


def test_only_utterances_are_indexed(iemocap_root: Path) -> None:
    stems = set(_by_stem(iemocap_root))
    assert stems == {
        "Ses01F_impro01_F000", "Ses01F_impro01_M000", "Ses01F_impro01_F001",
        "Ses01F_impro01_F002", "Ses01M_script01_1_M003", "Ses01M_script01_1_F010",
        "Ses02M_impro03_M007",
    }  # not dialog/wav/Ses01F_impro01.wav, not the ._ resource fork


def test_malformed_line_is_counted_and_its_utterance_unknown(iemocap_root: Path) -> None:
    result = scan_dataset(iemocap_root)
    expected = "Session1/dialog/EmoEvaluation/Ses01F_impro01.txt: 1 malformed line skipped"
    assert expected in result.warnings
    assert "1 utterance without an EmoEvaluation label (emotion unknown)" in result.warnings
    f002 = next(r for r in result.records if r.path.stem == "Ses01F_impro01_F002")
    assert (f002.emotion, f002.raw_label, f002.gender) == ("unknown", "", "female")
    assert not any("Ses01M_script01_1.txt" in w for w in result.warnings)


def test_annotator_lines_are_not_malformed() -> None:
    text = "C-E1:\tAnger;\t()\nA-F1:\tval 3; act 2; dom  1;\t()\nC-F2:\tNeutral;\t()\n"
    assert parse_evaluation(text) == ({}, 0)


def test_every_non_turn_line_counts_as_malformed() -> None:
    text = (
        "[1.0 - 2.0]\tSes01F_impro01_F000\tneu\t[2.0, 3.0, 4.0]\n"
        "not a line\n"
        "[1.0 - 2.0]\tbroken\n"
    )
    turns, malformed = parse_evaluation(text)
    assert malformed == 2
    assert turns["Ses01F_impro01_F000"].dominance == "4.0"


def test_transcript_lines_without_an_id_are_ignored() -> None:
    text = "M: [LAUGHTER]\nSes01F_impro01_F000 [006.2901-008.2357]: Excuse me.\n"
    assert parse_transcript(text) == {"Ses01F_impro01_F000": "Excuse me."}


def test_a_single_session_folder_is_accepted(iemocap_root: Path) -> None:
    session = iemocap_root / "Session2"
    assert iemocap.detect(session)
    result = iemocap.scan(session)
    assert [r.path.stem for r in result.records] == ["Ses02M_impro03_M007"]
