"""Detection order, progress and cancellation, read-only scans, no Qt in the import graph."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from servis_gui.core.datasets import READERS, detect_corpus, scan_dataset

if TYPE_CHECKING:
    from tests.core.datasets.conftest import Tree

EXPECTED = {
    "iemocap_root": "IEMOCAP", "ravdess_root": "RAVDESS", "cremad_root": "CREMA-D",
    "tess_root": "TESS", "savee_nested_root": "SAVEE", "savee_flat_root": "SAVEE",
    "emodb_root": "EmoDB", "esd_root": "ESD", "msp_root": "MSP-Podcast",
    "msp_old_root": "MSP-Podcast", "emovo_root": "EMOVO", "shemo_root": "ShEMO",
    "demo_root": "Manifest", "folders_root": "Folders",
}


def test_reader_order_is_fixed() -> None:
    assert [r.name for r in READERS] == [
        "IEMOCAP", "RAVDESS", "CREMA-D", "TESS", "EmoDB", "SAVEE", "ESD", "MSP-Podcast",
        "EMOVO", "ShEMO", "Manifest", "Folders",
    ]


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_each_corpus_is_detected_as_itself(fixture: str, request: pytest.FixtureRequest) -> None:
    root = request.getfixturevalue(fixture)
    reader = detect_corpus(root)
    assert reader is not None and reader.name == EXPECTED[fixture]
    assert scan_dataset(root).corpus == EXPECTED[fixture]


@pytest.mark.parametrize("fixture", sorted(set(EXPECTED) - {"folders_root"}))
def test_only_its_own_pattern_reader_claims_a_corpus(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    root = request.getfixturevalue(fixture)
    claims = [r.name for r in READERS[:10] if r.detect(root, None)]
    assert claims == ([EXPECTED[fixture]] if EXPECTED[fixture] != "Manifest" else [])


def test_ravdess_in_emotion_named_folders_is_still_ravdess(tree: Tree) -> None:
    tree.audio("angry/03-01-05-01-01-01-01.wav", "sad/03-01-04-01-01-01-02.wav")
    assert scan_dataset(tree.root).corpus == "RAVDESS"


def test_iemocap_wins_over_a_manifest(iemocap_root: Path) -> None:
    (iemocap_root / "manifest.csv").write_text("path,emotion\nx.wav,sad\n")
    assert scan_dataset(iemocap_root).corpus == "IEMOCAP"


def test_manifest_wins_over_folder_names(tree: Tree) -> None:
    tree.audio("angry/a.wav")
    tree.text("manifest.csv", "path,emotion\nangry/a.wav,sad\n")
    result = scan_dataset(tree.root)
    assert (result.corpus, result.records[0].emotion) == ("Manifest", "sad")


def test_a_few_foreign_files_do_not_break_detection(ravdess_root: Path, tree: Tree) -> None:
    tree.audio("notes/readme_voice.wav")
    result = scan_dataset(ravdess_root)
    assert result.corpus == "RAVDESS"
    expected = "1 audio file not named like RAVDESS skipped (e.g. notes/readme_voice.wav)"
    assert expected in result.warnings


def test_missing_or_empty_folder(tmp_path: Path) -> None:
    assert scan_dataset(tmp_path / "nope").warnings == (f"{tmp_path / 'nope'} is not a folder",)
    empty = scan_dataset(tmp_path)
    assert (empty.records, empty.warnings) == ((), (f"No audio files found in {tmp_path}",))


def test_progress_ends_with_total(iemocap_root: Path) -> None:
    calls: list[tuple[int, int]] = []
    result = scan_dataset(iemocap_root, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (len(result.records), len(result.records)) == (7, 7)
    assert all(done <= total or total == 0 for done, total in calls)


def test_cancel_stops_the_scan(cremad_root: Path) -> None:
    polls = []

    def cancelled() -> bool:
        polls.append(1)
        return len(polls) > 2

    result = scan_dataset(cremad_root, cancelled=cancelled)
    assert (result.corpus, result.records, result.cancelled) == ("CREMA-D", (), True)
    assert not scan_dataset(cremad_root, cancelled=lambda: False).cancelled


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            stat = os.stat(os.path.join(folder, name))
            out[os.path.join(folder, name)] = (stat.st_mtime_ns, stat.st_size)
    return out


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_scanning_never_modifies_the_tree(fixture: str, request: pytest.FixtureRequest) -> None:
    root = request.getfixturevalue(fixture)
    parent = root.parent
    before = _snapshot(parent)
    assert scan_dataset(root).records
    assert _snapshot(parent) == before


def test_core_datasets_import_no_qt_or_audio_io() -> None:
    code = (
        "import sys, servis_gui.core.datasets, servis_gui.core.datasets.probe;"
        "bad = [m for m in ('PySide6', 'pyqtgraph', 'sounddevice', 'librosa') if m in sys.modules];"
        "print(bad); sys.exit(bool(bad))"
    )
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_symlinked_folders_are_not_followed(folders_root: Path) -> None:
    (folders_root / "angry" / "loop").symlink_to(folders_root, target_is_directory=True)
    assert len(scan_dataset(folders_root).records) == 6


def test_unreadable_folder_becomes_a_warning(
    folders_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if str(path).endswith("misc"):
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = scan_dataset(folders_root)
    assert f"Could not read folder {folders_root / 'misc'}" in result.warnings
    assert len(result.records) == 5


def test_corpus_name_names_a_layout_only_corpus_by_its_folder():
    from servis_gui.core.datasets.detect import corpus_name
    from servis_gui.core.datasets.records import ClipRecord

    demo = [ClipRecord(Path(f"/data/demo/{speaker}/a.wav"), "Manifest", "angry", speaker=speaker)
            for speaker in ("f3", "m3")]
    ravdess = [ClipRecord(Path("/data/ravdess/Actor_01/x.wav"), "RAVDESS", "sad", speaker="01")]
    assert corpus_name(demo) == "“demo” (Manifest)"
    assert corpus_name(ravdess) == "RAVDESS"
    assert corpus_name(demo + ravdess) == "RAVDESS + “demo” (Manifest)"
    assert corpus_name([ClipRecord(Path("/x/y.wav"), "", "sad")]) == "the corpus"
