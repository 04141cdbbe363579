"""Takes on disk: the crash-safe writer, the manifest "My recordings" is scanned from, trash, recovery."""

import csv
import wave

import numpy as np
import pytest
import soundfile as sf

from servis_gui.core import recording as rec
from servis_gui.core.datasets import scan_dataset
from servis_gui.core.datasets.ravdess import STATEMENTS
from tests.conftest import DEMO

SR = 16000


def _take(folder, name="take.wav", seconds=0.5, **labels) -> rec.TakeInfo:
    writer = rec.TakeWriter(folder / name, SR)
    writer.write(np.full(int(SR * seconds), 0.25, dtype=np.float32))
    take = rec.replace(writer.close(), **labels)
    rec.save_take(folder, take)
    return take


def test_an_open_take_is_a_valid_wav_for_every_reader_after_each_block(tmp_path):
    writer = rec.TakeWriter(tmp_path / "t.wav", SR)
    assert rec.find_unfinished(tmp_path) == [tmp_path / "t.wav"]
    for blocks in range(1, 4):
        writer.write(np.full(160, 0.5, dtype=np.float32))
        with wave.open(str(tmp_path / "t.wav")) as wav:
            assert (wav.getnframes(), wav.getsampwidth(), wav.getframerate()) == (160 * blocks, 2, SR)
        assert sf.info(str(tmp_path / "t.wav")).frames == 160 * blocks
    take = writer.close()
    assert take.duration == pytest.approx(480 / SR) and take.sr == SR and take.created
    assert rec.find_unfinished(tmp_path) == []


def test_nan_and_inf_are_sanitised_not_written_as_full_scale_clicks(tmp_path):
    writer = rec.TakeWriter(tmp_path / "t.wav", SR)
    writer.write(np.array([np.nan, np.inf, -np.inf, 2.0, -0.5], dtype=np.float32))
    writer.close()
    data, _ = sf.read(tmp_path / "t.wav", dtype="float32")
    np.testing.assert_allclose(data, [0.0, 1.0, -1.0, 1.0, -0.5], atol=1 / 32768)


def test_a_take_that_cannot_be_created_says_why(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(rec.RecordingError, match="Cannot create the take"):
        rec.TakeWriter(tmp_path / "file" / "t.wav", SR)


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
    rec.save_take(tmp_path, rec.replace(first, emotion="sad", notes="redone"))
    assert [(t.file.name, t.emotion, t.notes) for t in rec.read_takes(tmp_path)] == [
        ("a.wav", "sad", "redone"), ("b.wav", "", "")]
    assert rec.find_take(tmp_path, second.file) == second
    assert rec.find_take(tmp_path, tmp_path / "nope.wav") is None


def test_rename_moves_the_file_and_its_row_and_refuses_bad_names(tmp_path):
    take = _take(tmp_path, "a.wav", emotion="angry")
    _take(tmp_path, "b.wav")
    renamed = rec.rename_take(tmp_path, take, "angry-01")
    assert renamed.file == tmp_path / "angry-01.wav" and renamed.file.is_file()
    assert [t.file.name for t in rec.read_takes(tmp_path)] == ["angry-01.wav", "b.wav"]
    for bad in ("", "../x", ".hidden", "b"):
        with pytest.raises(rec.RecordingError):
            rec.rename_take(tmp_path, renamed, bad)


def test_delete_moves_to_the_trash_and_undo_brings_the_labels_back(tmp_path):
    take = _take(tmp_path, "a.wav", emotion="fearful", speaker="cy")
    trashed = rec.delete_take(tmp_path, take)
    assert trashed.parent == tmp_path / rec.TRASH and not take.file.exists()
    assert rec.read_takes(tmp_path) == [] and scan_dataset(tmp_path).records == ()
    restored = rec.restore_take(tmp_path, trashed)
    assert restored == take and not trashed.exists()
    assert [r.emotion for r in scan_dataset(tmp_path).records] == ["fearful"]


def test_an_unfinished_take_is_recovered_with_what_was_written(tmp_path):
    writer = rec.TakeWriter(tmp_path / "crash.wav", SR)
    writer.write(np.zeros(SR, dtype=np.float32))  # the app dies here: never closed
    assert rec.find_unfinished(tmp_path) == [tmp_path / "crash.wav"]
    take = rec.recover(tmp_path / "crash.wav")
    assert take.duration == pytest.approx(1.0) and take.notes == rec.RECOVERED_NOTE
    assert take.created == writer.created
    assert rec.find_unfinished(tmp_path) == [] and rec.read_takes(tmp_path) == [take]


def test_an_unreadable_unfinished_take_is_refused_and_can_be_discarded(tmp_path):
    (tmp_path / "bad.wav").write_bytes(b"RIFF")
    rec.marker_path(tmp_path / "bad.wav").write_text("{}")
    with pytest.raises(rec.RecordingError, match="no readable audio"):
        rec.recover(tmp_path / "bad.wav")
    trashed = rec.discard_unfinished(tmp_path / "bad.wav")
    assert trashed.is_file() and rec.find_unfinished(tmp_path) == []


def test_new_take_names_never_collide(tmp_path):
    first = rec.new_take_path(tmp_path)
    first.write_bytes(b"")
    second = rec.new_take_path(tmp_path)
    assert second != first and second.name.startswith("take-") and second.suffix == ".wav"


def test_prompt_lists_line_up_with_the_corpora():
    assert [len(rec.PROMPT_LISTS[name]) for name in ("Demo corpus", "RAVDESS", "CREMA-D")] == [2, 2, 12]
    with (DEMO / "manifest.csv").open() as file:
        demo = {(row["sentence_id"], row["text"]) for row in csv.DictReader(file)}
    assert set(rec.PROMPT_LISTS["Demo corpus"]) == demo
    assert rec.Prompt("IEO", "It's eleven o'clock") in rec.PROMPT_LISTS["CREMA-D"]


def test_the_default_folder_is_my_recordings_in_the_user_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert rec.default_recordings_dir() == tmp_path / "SERVIS" / "My recordings"
