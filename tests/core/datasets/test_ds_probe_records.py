"""probe() on good and bad files; ClipRecord and ScanResult are frozen and hashable."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest
import soundfile as sf

from servis_gui.core.datasets import ClipRecord, ScanResult
from servis_gui.core.datasets.probe import AudioInfo, probe
from servis_gui.core.datasets.records import normalise_gender

if TYPE_CHECKING:
    from tests.core.datasets.conftest import Tree


def test_probe_reads_the_header(tmp_path: Path) -> None:
    path = tmp_path / "stereo.flac"
    sf.write(path, np.zeros((22_050, 2), dtype=np.float32), 44_100)
    info = probe(path)
    assert info == AudioInfo(0.5, 44_100, 2)
    assert info.duration_s == pytest.approx(0.5)


def _zero_frame_wav() -> bytes:
    buffer = io.BytesIO()
    sf.write(buffer, np.zeros(0, dtype=np.float32), 16_000, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.wav", b"", "empty.wav is empty (0 bytes)"),
        ("text.wav", b"this is not audio at all" * 10, "text.wav is not a readable audio file"),
        ("silent.wav", _zero_frame_wav(), "silent.wav holds no audio samples"),
    ],
)
def test_probe_returns_a_message_for_bad_files(
    tree: Tree, name: str, data: bytes, message: str
) -> None:
    result = probe(tree.raw(name, data))
    assert isinstance(result, str) and result.startswith(message)


def test_probe_missing_file(tmp_path: Path) -> None:
    assert probe(tmp_path / "gone.wav") == "gone.wav not found"


def test_records_are_frozen_and_hashable(tmp_path: Path) -> None:
    record = ClipRecord(tmp_path / "a.wav", "TESS", "sad", extra=(("age", "26"),))
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.emotion = "happy"  # type: ignore[misc]
    assert len({record, dataclasses.replace(record)}) == 1
    assert record.extra_value("age") == "26" and record.extra_value("nope", "-") == "-"
    result = ScanResult("TESS", (record,), ("a warning",))
    assert hash(result) == hash(ScanResult("TESS", (record,), ("a warning",)))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("F", "female"), ("Female", "female"), (" male ", "male"), ("M", "male"),
        ("Unknown", ""), (None, ""),
    ],
)
def test_normalise_gender(raw: str | None, expected: str) -> None:
    assert normalise_gender(raw) == expected
