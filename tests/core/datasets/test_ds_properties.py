"""Property tests: the parsers never raise on arbitrary names and always map to the vocabulary."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servis_gui.core.datasets import (
    ClipRecord, cremad, emodb, emovo, esd, msp_podcast, ravdess, savee, scan_dataset, shemo, tess,
)
from servis_gui.core.datasets.folders import folder_label
from servis_gui.core.datasets.iemocap import make_record, parse_evaluation, parse_transcript
from servis_gui.core.datasets.text_files import decode_text
from servis_gui.core.emotions import CANONICAL, EXTRAS

VOCABULARY = set(CANONICAL + EXTRAS)
NAME_READERS = {
    "ravdess": ravdess.NAMES, "cremad": cremad.NAMES, "tess": tess.NAMES, "emodb": emodb.NAMES,
    "savee": savee.NAMES, "esd": esd.NAMES, "msp_podcast": msp_podcast.NAMES, "emovo": emovo.NAMES,
    "shemo": shemo.NAMES,
}
path_char = st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",))
segment = st.text(path_char, max_size=40)
extension = st.sampled_from([".wav", ".WAV", ".flac", ".mp3", ".txt", "", ".opus"])


def _check(outcome: ClipRecord | str | None) -> None:
    if isinstance(outcome, ClipRecord):
        assert outcome.emotion in VOCABULARY
        assert outcome.gender in {"", "female", "male"}
        hash(outcome)


@pytest.mark.parametrize("reader", sorted(NAME_READERS))
@given(folder=segment, name=segment, ext=extension)
def test_arbitrary_names_never_raise(reader: str, folder: str, name: str, ext: str) -> None:
    _check(NAME_READERS[reader].parse(Path("root", folder or "x", name + ext)))


@pytest.mark.parametrize("reader", sorted(NAME_READERS))
@given(data=st.data())
def test_every_name_the_pattern_accepts_gives_a_record(reader: str, data: st.DataObject) -> None:
    names = NAME_READERS[reader]
    key = data.draw(st.from_regex(names.pattern, fullmatch=True))
    outcome = names.parse(Path("root", "0011", f"{key}.wav"))  # ESD keys add an emotion folder
    assert outcome is not None
    _check(outcome)


codes = st.sampled_from([f"{n:02d}" for n in range(1, 3)])


@given(
    channel=codes, emotion=st.sampled_from([f"{n:02d}" for n in range(1, 9)]), intensity=codes,
    statement=codes, repetition=codes, actor=st.integers(1, 24),
)
def test_ravdess_names_round_trip(
    channel: str, emotion: str, intensity: str, statement: str, repetition: str, actor: int,
) -> None:
    stem = f"03-{channel}-{emotion}-{intensity}-{statement}-{repetition}-{actor:02d}"
    record = ravdess.NAMES.parse(Path(f"Actor_{actor:02d}", f"{stem}.wav"))
    assert isinstance(record, ClipRecord)
    assert record.extra[:7] == tuple(zip(ravdess.FIELDS, stem.split("-")))
    assert record.emotion == ravdess.EMOTIONS[emotion]
    assert record.gender == ("male" if actor % 2 else "female")
    assert record.extra_value("voice") == ("speech" if channel == "01" else "song")


@given(st.text())
def test_iemocap_label_and_transcript_parsers_never_raise(text: str) -> None:
    turns, malformed = parse_evaluation(text)
    assert 0 <= malformed <= len(text.splitlines())
    assert all(turn.label for turn in turns.values())
    assert isinstance(parse_transcript(text), dict)


@given(segment.filter(lambda s: s not in ("", ".", "..")))
def test_iemocap_records_from_any_stem(stem: str) -> None:
    _check(make_record(Path("Ses01F_impro01", f"{stem}.wav"), None, ""))


@given(st.lists(segment.filter(lambda s: s not in ("", ".", "..")), max_size=4))
def test_folder_labels_are_in_the_vocabulary(folders: list[str]) -> None:
    root = Path("/data/corpus")
    raw, emotion = folder_label(root.joinpath(*folders, "clip.wav"), root)
    assert emotion in VOCABULARY
    assert raw in (*folders, "corpus", "")


@given(st.binary(max_size=200))
def test_decode_text_never_raises(data: bytes) -> None:
    text, encoding = decode_text(data)
    assert isinstance(text, str) and encoding


@given(st.text().filter(lambda s: "\x00" not in s and not s.startswith("\ufeff")))
def test_utf8_text_round_trips(text: str) -> None:
    assert decode_text(text.encode("utf-8"))[0] == text


file_name = st.text(path_char, min_size=1, max_size=30).map(lambda s: s + ".wav")


@settings(max_examples=40, deadline=None)
@given(names=st.lists(file_name, max_size=6, unique=True), csv_text=st.text(max_size=200))
def test_scanning_arbitrary_trees_never_raises(names: list[str], csv_text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name in names:
            try:
                (root / name).write_bytes(b"")
            except OSError:  # name too long for the file system
                continue
        manifest = "path,emotion\n" + csv_text
        (root / "manifest.csv").write_text(manifest, encoding="utf-8", errors="replace")
        result = scan_dataset(root)
        for record in result.records:
            _check(record)
