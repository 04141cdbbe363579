"""The recordings folder: the manifest "My recordings" is scanned from, renaming, trash, recovery."""

import csv
from dataclasses import replace

import numpy as np
import pytest

from servis_gui.core.datasets import scan_dataset
from servis_gui.core.datasets.ravdess import STATEMENTS
from servis_gui.core.takes.store import (
    RECOVERED_NOTE,
    TRASH,
    default_recordings_dir,
    delete_take,
    discard_unfinished,
    find_take,
    find_unfinished,
    read_takes,
    recover,
    rename_take,
    restore_take,
    save_take,
)
from servis_gui.core.takes.writer import RecordingError, TakeInfo, TakeWriter, marker_path

SR = 16000


def _take(folder, name="take.wav", seconds=0.5, **labels) -> TakeInfo:
    writer = TakeWriter(folder / name, SR)
    writer.write(np.full(int(SR * seconds), 0.25, dtype=np.float32))
    take = replace(writer.close(), **labels)
    save_take(folder, take)
    return take


def test_takes_scan_as_a_dataset_with_their_labels(tmp_path):
    _take(tmp_path, "a.wav", emotion="happy", speaker="ana", sentence_id="01", text=STATEMENTS["01"],
          notes="first try, a bit loud")
    _take(tmp_path, "b.wav", emotion="nervous", speaker="ben")
    result = scan_dataset(tmp_path)
    assert result.corpus == "Manifest" and not result.warnings
    a, b = result.records
    assert (a.emotion, a.speaker, a.sentence_id, a.text) == ("happy", "ana", "01", STATEMENTS["01"])
    assert a.extra_value("notes") == "first try, a bit loud" and a.extra_value("sr") == str(SR)
    assert (b.emotion, b.raw_label, b.emotion_text) == ("other", "nervous", "other: nervous")
    assert a.emotion_text == "happy"
    with (tmp_path / "manifest.csv").open() as file:
        assert next(csv.reader(file))[:6] == ["path", "emotion", "speaker", "gender", "sentence_id", "text"]


def test_relabelling_replaces_the_row_and_keeps_the_order(tmp_path):
    first, second = _take(tmp_path, "a.wav"), _take(tmp_path, "b.wav")
    save_take(tmp_path, replace(first, emotion="sad", notes="redone"))
    assert [(t.file.name, t.emotion, t.notes) for t in read_takes(tmp_path)] == [
        ("a.wav", "sad", "redone"), ("b.wav", "", "")]
    assert find_take(tmp_path, second.file) == second
    assert find_take(tmp_path, tmp_path / "nope.wav") is None


def test_rename_moves_the_file_and_its_row_and_refuses_bad_names(tmp_path):
    take = _take(tmp_path, "a.wav", emotion="angry")
    _take(tmp_path, "b.wav")
    renamed = rename_take(tmp_path, take, "angry-01")
    assert renamed.file == tmp_path / "angry-01.wav" and renamed.file.is_file()
    assert [t.file.name for t in read_takes(tmp_path)] == ["angry-01.wav", "b.wav"]
    for bad in ("", "../x", ".hidden", "b"):
        with pytest.raises(RecordingError):
            rename_take(tmp_path, renamed, bad)


def test_delete_moves_to_the_trash_and_undo_brings_the_labels_back(tmp_path):
    take = _take(tmp_path, "a.wav", emotion="fearful", speaker="cy")
    trashed = delete_take(tmp_path, take)
    assert trashed.parent == tmp_path / TRASH and not take.file.exists()
    assert read_takes(tmp_path) == [] and scan_dataset(tmp_path).records == ()
    restored = restore_take(tmp_path, trashed)
    assert restored == take and not trashed.exists()
    assert [r.emotion for r in scan_dataset(tmp_path).records] == ["fearful"]


def test_an_unfinished_take_is_recovered_with_what_was_written(tmp_path):
    writer = TakeWriter(tmp_path / "crash.wav", SR)
    writer.write(np.zeros(SR, dtype=np.float32))  # the app dies here: never closed
    assert find_unfinished(tmp_path) == [tmp_path / "crash.wav"]
    take = recover(tmp_path / "crash.wav")
    assert take.duration == pytest.approx(1.0) and take.notes == RECOVERED_NOTE
    assert take.created == writer.created
    assert find_unfinished(tmp_path) == [] and read_takes(tmp_path) == [take]


def test_an_unreadable_unfinished_take_is_refused_and_can_be_discarded(tmp_path):
    (tmp_path / "bad.wav").write_bytes(b"RIFF")
    marker_path(tmp_path / "bad.wav").write_text("{}")
    with pytest.raises(RecordingError, match="no readable audio"):
        recover(tmp_path / "bad.wav")
    trashed = discard_unfinished(tmp_path / "bad.wav")
    assert trashed.is_file() and find_unfinished(tmp_path) == []


def test_the_default_folder_is_my_recordings_in_the_user_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_recordings_dir() == tmp_path / "SERVIS" / "My recordings"
