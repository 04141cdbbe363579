"""load_clip on good and bad files: every bad file gives its own clear message."""

import struct

import numpy as np
import pytest
import soundfile as sf

from servis_gui.core.clip import load_clip
from servis_gui.core.errors import AudioLoadError


def _tone(sr=16000, seconds=0.5, amp=0.5):
    t = np.arange(int(sr * seconds)) / sr
    return (amp * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


def test_loads_mono_float32_read_only(tmp_path):
    path = tmp_path / "a.wav"
    sf.write(path, _tone(), 16000, subtype="PCM_16")
    clip = load_clip(path, sr=None)
    assert clip.sr == 16000 and clip.samples.dtype == np.float32
    assert clip.duration == pytest.approx(0.5)
    assert not clip.samples.flags.writeable
    assert clip.notes == ()


def test_resamples_with_soxr(tmp_path):
    path = tmp_path / "a.flac"
    sf.write(path, _tone(sr=48000), 48000)
    clip = load_clip(path, sr=16000)
    assert clip.sr == 16000 and clip.native_sr == 48000
    assert len(clip.samples) == 8000
    assert any("resampled" in n for n in clip.notes)
    assert np.abs(clip.samples).max() == pytest.approx(0.5, abs=0.02)


def test_six_channels_are_mixed_down_with_a_note(tmp_path):
    path = tmp_path / "six.wav"
    data = np.stack([_tone(amp=0.1 * (i + 1)) for i in range(6)], axis=1)
    sf.write(path, data, 16000)
    clip = load_clip(path)
    assert clip.channels == 6 and clip.samples.ndim == 1
    assert "6 channels mixed down to mono" in clip.notes[0]
    assert np.allclose(clip.samples, data.mean(axis=1), atol=1e-4)


def test_truncated_data_loads_what_is_there(tmp_path):
    path = tmp_path / "cut.wav"
    sf.write(path, _tone(), 16000, subtype="PCM_16")
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])
    clip = load_clip(path)
    assert 0 < clip.duration < 0.5


def _write_bad(tmp_path, kind):
    path = tmp_path / f"{kind}.wav"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "text":
        path.write_text("this is not audio\n" * 20)
    elif kind == "header_cut":
        sf.write(path, _tone(), 16000, subtype="PCM_16")
        path.write_bytes(path.read_bytes()[:30])
    elif kind == "nan":
        data = _tone()
        data[100:200] = np.nan
        sf.write(path, data, 16000, subtype="FLOAT")
    elif kind == "zero_frames":
        sf.write(path, np.zeros(0, dtype=np.float32), 16000)
    elif kind == "m4a":
        path = tmp_path / "clip.m4a"
        path.write_bytes(b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42isom" + bytes(500))
    elif kind == "mp3_in_wav":
        fmt = struct.pack("<HHIIHH", 0x55, 1, 16000, 4000, 1, 0)
        path.write_bytes(b"RIFF" + bytes(4) + b"WAVEfmt " + struct.pack("<I", 16) + fmt
                         + b"data" + struct.pack("<I", 4000) + bytes(4000))
    elif kind in ("flac_cut", "flac_header_cut"):
        path = tmp_path / f"{kind}.flac"
        sf.write(path, _tone(), 16000)
        raw = path.read_bytes()
        path.write_bytes(raw[: len(raw) // 2] if kind == "flac_cut" else raw[:20])
    elif kind == "binary":
        path.write_bytes(bytes(range(256)) * 8)
    elif kind == "missing":
        path = tmp_path / "nowhere.wav"
    return path


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("empty", r"empty \(0 bytes\)"),
        ("text", r"contains text, not sound"),
        ("header_cut", r"damaged WAV file: its header is cut short"),
        ("nan", r"100 NaN or infinite samples"),
        ("zero_frames", r"holds no audio \(0 samples\)"),
        ("m4a", r"^clip\.m4a is an M4A/AAC \(MP4\) file, a format SERVIS cannot read: "
                r"convert it to WAV or FLAC first\.$"),
        ("mp3_in_wav", r"is a WAV file, but its audio is stored in an encoding SERVIS cannot read"),
        ("flac_cut", r"^flac_cut\.flac is damaged: its audio data is cut off or corrupt\.$"),
        ("flac_header_cut", r"^flac_header_cut\.flac is damaged or in a form SERVIS cannot read"),
        ("binary", r"not in an audio format SERVIS can read \(WAV, FLAC"),
        ("missing", r"Cannot open nowhere.wav"),
    ],
)
def test_bad_files_give_a_clear_message_naming_the_file(tmp_path, kind, message):
    path = _write_bad(tmp_path, kind)
    before = path.read_bytes() if path.exists() else None
    with pytest.raises(AudioLoadError, match=message) as err:
        load_clip(path)
    assert path.name in str(err.value) and str(tmp_path) not in str(err.value)
    assert path.name in err.value.details
    assert (path.read_bytes() if path.exists() else None) == before


@pytest.mark.parametrize(
    ("seconds", "limit", "says"),
    [
        (2.0, 1.0, "it lasts 2.0 s, and SERVIS opens files of at most 1.0 s"),
        (90.0, 60.0, "it lasts 1 min 30 s, and SERVIS opens files of at most 1 min"),
        (7500.0, 3600.0, "it lasts 2 h 5 min, and SERVIS opens files of at most 1 h"),
    ],
)
def test_too_long_file_is_refused_before_decoding(tmp_path, monkeypatch, seconds, limit, says):
    import servis_gui.core.clip as clip_module

    path = tmp_path / "long.wav"
    with sf.SoundFile(path, "w", samplerate=1000, channels=1, subtype="PCM_U8") as file:
        file.write(np.zeros(int(seconds * 1000), dtype=np.float32))
    monkeypatch.setattr(clip_module, "MAX_DURATION_S", limit)
    with pytest.raises(AudioLoadError, match="^long.wav is too long to open: ") as err:
        load_clip(path)
    assert says in str(err.value) and "Cut it into shorter clips first." in str(err.value)
