"""The Qt-free catalogue: labels of any clip seen, demo and take folders, acted clips for a take."""

from pathlib import Path

from servis_gui.core.datasets.catalogue import Catalogue, sentence_text
from servis_gui.core.datasets.records import ClipRecord


def _record(path: Path, emotion: str, speaker: str, text: str, corpus: str = "RAVDESS") -> ClipRecord:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    return ClipRecord(path=path, corpus=corpus, emotion=emotion, speaker=speaker, text=text)


def test_a_take_finds_the_acted_clips_of_its_sentence_by_emotion_then_speaker(tmp_path):
    takes, corpus = tmp_path / "My recordings", tmp_path / "corpus"
    catalogue = Catalogue(tmp_path / "demo", takes)
    take = _record(takes / "take-1.wav", "angry", "me", "Kids are talking by the door.", "Manifest")
    other_take = _record(takes / "take-2.wav", "sad", "me", "kids are TALKING by the door", "Manifest")
    acted = [_record(corpus / f"{s}_{e}.wav", e, s, "Kids are talking by the door")
             for s, e in (("02", "sad"), ("01", "sad"), ("01", "angry"))]
    unrelated = _record(corpus / "dogs.wav", "angry", "01", "Dogs are sitting by the door")
    catalogue.add([take, other_take, *acted, unrelated])
    found = catalogue.acted_like(take.path)
    assert [(r.emotion, r.speaker) for r in found] == [("sad", "01"), ("sad", "02"), ("angry", "01")]
    assert catalogue.is_recording(take.path) and not catalogue.is_recording(acted[0].path)


def test_records_are_found_by_any_spelling_of_their_path(tmp_path):
    catalogue = Catalogue(tmp_path / "demo", tmp_path / "takes")
    record = _record(tmp_path / "demo" / "a.flac", "happy", "f3", "")
    catalogue.add([record])
    (tmp_path / "link").symlink_to(tmp_path / "demo")
    assert catalogue.record_for(tmp_path / "link" / "a.flac") is record
    assert catalogue.is_demo(str(tmp_path / "link" / "a.flac"))
    assert catalogue.acted_like(record.path) == []  # no text: nothing to match


def test_sentence_text_ignores_case_punctuation_and_spacing():
    assert sentence_text("  Kids, are talking by the DOOR! ") == "kids are talking by the door"
    assert sentence_text("Über-große Tür") == "über grosse tür"  # casefold: ß is ss
