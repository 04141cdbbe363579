"""The crash-safe take writer: a valid WAV after every block, sanitised samples, free names."""

import wave

import numpy as np
import pytest
import soundfile as sf

from servis_gui.core.takes.store import find_unfinished
from servis_gui.core.takes.writer import RecordingError, TakeWriter, new_take_path

SR = 16000


def test_an_open_take_is_a_valid_wav_for_every_reader_after_each_block(tmp_path):
    writer = TakeWriter(tmp_path / "t.wav", SR)
    assert find_unfinished(tmp_path) == [tmp_path / "t.wav"]
    for blocks in range(1, 4):
        writer.write(np.full(160, 0.5, dtype=np.float32))
        with wave.open(str(tmp_path / "t.wav")) as wav:
            assert (wav.getnframes(), wav.getsampwidth(), wav.getframerate()) == (160 * blocks, 2, SR)
        assert sf.info(str(tmp_path / "t.wav")).frames == 160 * blocks
    take = writer.close()
    assert take.duration == pytest.approx(480 / SR) and take.sr == SR and take.created
    assert find_unfinished(tmp_path) == []


def test_nan_and_inf_are_sanitised_not_written_as_full_scale_clicks(tmp_path):
    writer = TakeWriter(tmp_path / "t.wav", SR)
    writer.write(np.array([np.nan, np.inf, -np.inf, 2.0, -0.5], dtype=np.float32))
    writer.close()
    data, _ = sf.read(tmp_path / "t.wav", dtype="float32")
    np.testing.assert_allclose(data, [0.0, 1.0, -1.0, 1.0, -0.5], atol=1 / 32768)


def test_a_take_that_cannot_be_created_says_why(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(RecordingError, match="Cannot create the take"):
        TakeWriter(tmp_path / "file" / "t.wav", SR)


def test_new_take_names_never_collide(tmp_path):
    first = new_take_path(tmp_path)
    first.write_bytes(b"")
    second = new_take_path(tmp_path)
    assert second != first and second.name.startswith("take-") and second.suffix == ".wav"
