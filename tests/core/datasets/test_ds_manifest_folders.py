"""Manifest CSVs (demo format, headerless user CSVs) and the folder-per-label fallback."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from servis_gui.core.datasets import manifest, scan_dataset

if TYPE_CHECKING:
    from tests.core.datasets.conftest import Tree


def test_demo_manifest(demo_root: Path) -> None:
    result = scan_dataset(demo_root)
    assert result.corpus == "Manifest"
    assert result.warnings == ()
    happy, = (r for r in result.records if r.path.name == "m3_kids_happy.flac")
    assert happy.path == demo_root / "m3_kids_happy.flac"
    assert (happy.emotion, happy.speaker, happy.gender) == ("happy", "m3", "male")
    assert (happy.sentence_id, happy.text) == ("kids", "Kids are talking by the door")
    sad, = (r for r in result.records if r.path.name == "f3_dogs_sad.flac")
    assert (sad.emotion, sad.gender, sad.text) == ("sad", "female", "Dogs are sitting by the door")


def test_headerless_user_csv_with_bom_missing_files_and_empty_rows(tree: Tree) -> None:
    tree.audio("clips/a.wav", "clips/b.wav")
    tree.text("labels.csv", "\n".join([
        "clips/a.wav,anger,spk1,F,Hello there",
        "clips\\b.wav,Joy,spk2,m",
        ",sad,spk3,F,no path",
        "clips/gone.wav,sad,spk3,F,deleted",
    ]), encoding="utf-8-sig")
    assert manifest.find_manifest(tree.root) is None  # headerless: not found by detection
    (tree.root / "labels.csv").rename(tree.root / "manifest.csv")
    result = scan_dataset(tree.root)
    assert result.corpus == "Manifest"
    a, b = result.records
    assert (a.emotion, a.raw_label, a.speaker, a.gender) == ("angry", "anger", "spk1", "female")
    assert a.text == "Hello there"
    assert (b.path, b.emotion, b.gender) == (tree.root / "clips" / "b.wav", "happy", "male")
    assert result.warnings == (
        "manifest.csv: 1 row without a path skipped",
        "manifest.csv: 1 row naming missing files skipped (e.g. clips/gone.wav)",
    )


def test_any_csv_with_path_and_emotion_header_is_a_manifest(tree: Tree) -> None:
    tree.audio("x/1.wav")
    tree.text("notes.csv", "a,b\n1,2\n")
    tree.text("my_labels.csv", "Path,Emotion,Room\nx/1.wav,Surprise,kitchen\n")
    assert manifest.find_manifest(tree.root) == tree.root / "my_labels.csv"
    record, = scan_dataset(tree.root).records
    assert (record.emotion, record.extra) == ("surprised", (("room", "kitchen"),))


def test_folder_names_through_synonyms(folders_root: Path) -> None:
    result = scan_dataset(folders_root)
    assert result.corpus == "Folders"
    labels = {r.path.name: (r.emotion, r.raw_label) for r in result.records}
    assert labels == {
        "take1.wav": ("angry", "angry"), "take2.wav": ("angry", "Anger"),
        "take3.flac": ("angry", "rab"), "take4.wav": ("happy", "happy"),
        "take5.wav": ("unknown", "misc"), "loose.wav": ("unknown", ""),
    }
    assert result.warnings == ()


def test_unrecognised_layout_falls_back_to_folders_with_a_warning(tree: Tree) -> None:
    tree.audio("recordings/one.wav", "recordings/two.wav")
    result = scan_dataset(tree.root)
    assert result.corpus == "Folders"
    assert {r.emotion for r in result.records} == {"unknown"}
    assert result.warnings == ("No known corpus layout recognised: labels taken from folder names",)
