"""WAV files left by a crashed recorder: header sizes never filled in, samples after the header.

The files are written byte by byte the way such a recorder leaves them.
"""

import io
import struct

import numpy as np
import pytest
import soundfile as sf

import servis_gui.core.clip as clip_module
from servis_gui.core.clip import load_clip
from servis_gui.core.errors import AudioLoadError, UnfinishedWavError
from servis_gui.core.wav_header import WavHeaderError, WavLayout, read_wav_layout

KSDATAFORMAT_TAIL = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"


def _fmt_chunk(tag, channels, sr, bits, extensible=False):
    align = channels * bits // 8
    written_tag = 0xFFFE if extensible else tag
    body = struct.pack("<HHIIHH", written_tag, channels, sr, sr * align, align, bits)
    if extensible:
        body += struct.pack("<HHIH", 22, bits, 0, tag) + KSDATAFORMAT_TAIL
    return b"fmt " + struct.pack("<I", len(body)) + body


def _crashed_wav(path, payload, tag=1, channels=1, sr=16000, bits=16, *, riff_size=0,
                 data_size=0, extensible=False, top=b"RIFF", before_fmt=b""):
    """A WAV header with the sizes a crashed recorder leaves, then ``payload``."""
    header = (top + struct.pack("<I", riff_size) + b"WAVE" + before_fmt
              + _fmt_chunk(tag, channels, sr, bits, extensible)
              + b"data" + struct.pack("<I", data_size))
    path.write_bytes(header + payload)
    return len(header)


def _pcm16_mono(seconds=3.2, sr=16000):
    ints = (np.arange(int(seconds * sr)) * 37 % 60000 - 30000).astype("<i2")
    return ints.tobytes(), ints.astype(np.float64) / 32768


def _pcm24_stereo(frames=4000):
    ints = (np.arange(frames * 2) * 1237 % 16000000 - 8000000).astype(np.int64)
    payload = b"".join(int(v).to_bytes(3, "little", signed=True) for v in ints)
    return payload, (ints.reshape(-1, 2) / 2**23).mean(axis=1)


def _float32_mono(frames=4000):
    values = np.sin(np.arange(frames) / 7.0).astype("<f4") * 0.8
    return values.tobytes(), values.astype(np.float64)


def test_libsndfile_alone_sees_an_empty_file(tmp_path):
    path = tmp_path / "crash.wav"
    payload, _ = _pcm16_mono()
    _crashed_wav(path, payload)
    assert sf.info(str(path)).frames == 0


def test_unfinished_wav_says_so_with_the_length_it_really_holds(tmp_path):
    path = tmp_path / "x.wav"
    payload, _ = _pcm16_mono(seconds=3.2)
    offset = _crashed_wav(path, payload)
    with pytest.raises(UnfinishedWavError) as err:
        load_clip(path)
    assert str(err.value) == ("x.wav was not finished by the program that recorded it: its header "
                              "says it is empty, but it holds 3.2 s of audio.")
    assert err.value.frames == 51200 and err.value.seconds == pytest.approx(3.2)
    assert err.value.layout.data_offset == offset == 44
    assert err.value.layout.raw_subtype == "PCM_16"
    assert err.value.path == str(path) and str(path) in err.value.details


@pytest.mark.parametrize(
    ("make", "tag", "channels", "bits", "extensible"),
    [
        (_pcm16_mono, 1, 1, 16, False),
        (_pcm24_stereo, 1, 2, 24, False),
        (_pcm24_stereo, 1, 2, 24, True),
        (_float32_mono, 3, 1, 32, False),
        (_float32_mono, 3, 1, 32, True),
    ],
    ids=["pcm16-mono", "pcm24-stereo", "pcm24-stereo-extensible", "float32", "float32-extensible"],
)
def test_recovered_samples_equal_what_was_written(tmp_path, make, tag, channels, bits, extensible):
    path = tmp_path / "take.wav"
    payload, expected = make()
    _crashed_wav(path, payload, tag, channels, 16000, bits, extensible=extensible)
    clip = load_clip(path, recover_unfinished=True)
    assert clip.channels == channels and clip.native_sr == clip.sr == 16000
    np.testing.assert_allclose(clip.samples, expected, rtol=0, atol=1e-7)
    assert any("recording was not finished" in note for note in clip.notes)


def test_unsigned_8_bit_is_recovered(tmp_path):
    path = tmp_path / "u8.wav"
    payload = bytes(range(256))
    _crashed_wav(path, payload, 1, 1, 8000, 8)
    clip = load_clip(path, recover_unfinished=True)
    np.testing.assert_allclose(clip.samples, (np.arange(256) - 128) / 128, atol=1e-7)


@pytest.mark.parametrize("subtype", ["ALAW", "ULAW"])
def test_telephone_encodings_are_recovered(tmp_path, subtype):
    intact = tmp_path / "intact.wav"
    sf.write(intact, np.sin(np.arange(800) / 5.0) * 0.5, 8000, subtype=subtype)
    expected, _ = sf.read(intact, dtype="float32")
    raw = bytearray(intact.read_bytes())
    raw[4:8] = bytes(4)
    data = raw.find(b"data")
    raw[data + 4:data + 8] = bytes(4)
    crashed = tmp_path / "crashed.wav"
    crashed.write_bytes(bytes(raw))
    np.testing.assert_array_equal(load_clip(crashed, recover_unfinished=True).samples, expected)


@pytest.mark.parametrize(
    ("top", "riff_size", "data_size", "libsndfile_reads_it"),
    [
        (b"RIFF", 0, 0, False),
        (b"RIFF", 44 - 8 + 102400, 0, False),
        (b"RIFF", 0, 0xFFFFFFFF, True),
        (b"RIFF", 0xFFFFFFFF, 0xFFFFFFFF, True),
        (b"RIFF", 0, 102400, True),
        (b"RF64", 0xFFFFFFFF, 0xFFFFFFFF, False),
    ],
    ids=["all-zero", "data-zero", "riff-zero-data-ffff", "all-ffff", "riff-zero", "rf64-ds64-zero"],
)
def test_every_header_shape_a_crash_leaves_gives_the_samples(tmp_path, top, riff_size, data_size,
                                                             libsndfile_reads_it):
    path = tmp_path / "shape.wav"
    payload, expected = _pcm16_mono(seconds=3.2)
    ds64 = b"ds64" + struct.pack("<IQQQI", 28, 0, 0, 0, 0) if top == b"RF64" else b""
    _crashed_wav(path, payload, riff_size=riff_size, data_size=data_size, top=top, before_fmt=ds64)
    if not libsndfile_reads_it:
        with pytest.raises(UnfinishedWavError, match="holds 3.2 s of audio"):
            load_clip(path)
    clip = load_clip(path, recover_unfinished=not libsndfile_reads_it)
    np.testing.assert_allclose(clip.samples, expected, atol=1e-7)


def test_a_partial_last_frame_is_left_out(tmp_path):
    path = tmp_path / "cut.wav"
    payload, _ = _pcm24_stereo(frames=1000)
    _crashed_wav(path, payload + b"\x01\x02\x03\x04", 1, 2, 16000, 24)
    with pytest.raises(UnfinishedWavError) as err:
        load_clip(path)
    assert err.value.frames == 1000
    assert len(load_clip(path, recover_unfinished=True).samples) == 1000


def test_recovery_never_writes_to_the_file(tmp_path):
    path = tmp_path / "keep.wav"
    payload, _ = _pcm16_mono()
    _crashed_wav(path, payload)
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    load_clip(path, sr=8000, recover_unfinished=True)
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime


def test_recovered_clip_is_resampled_like_any_other(tmp_path):
    path = tmp_path / "hi.wav"
    payload, _ = _float32_mono(frames=48000)
    _crashed_wav(path, payload, 3, 1, 48000, 32)
    clip = load_clip(path, sr=16000, recover_unfinished=True)
    assert clip.sr == 16000 and clip.native_sr == 48000 and len(clip.samples) == 16000
    assert any("resampled" in note for note in clip.notes)


def test_recovery_refuses_a_too_long_recording(tmp_path, monkeypatch):
    path = tmp_path / "long.wav"
    payload, _ = _pcm16_mono(seconds=2.0)
    _crashed_wav(path, payload)
    monkeypatch.setattr(clip_module, "MAX_DURATION_S", 1.0)
    with pytest.raises(AudioLoadError) as err:
        load_clip(path, recover_unfinished=True)
    assert "lasts 2.0 s, and SERVIS opens files of at most 1.0 s." in str(err.value)


def test_recovering_a_finished_file_loads_it_normally(tmp_path):
    path = tmp_path / "fine.wav"
    payload, expected = _pcm16_mono(seconds=0.5)
    _crashed_wav(path, payload, riff_size=36 + len(payload), data_size=len(payload))
    clip = load_clip(path, recover_unfinished=True)
    np.testing.assert_allclose(clip.samples, expected, atol=1e-7)
    assert clip.notes == ()


def test_header_with_nothing_after_it_holds_no_audio(tmp_path):
    path = tmp_path / "stub.wav"
    _crashed_wav(path, b"\x01", data_size=32000)
    with pytest.raises(AudioLoadError, match=r"^stub.wav holds no audio \(0 samples\)\.$") as err:
        load_clip(path, recover_unfinished=True)
    assert not isinstance(err.value, UnfinishedWavError)


def test_unfinished_compressed_wav_cannot_be_recovered(tmp_path):
    path = tmp_path / "adpcm.wav"
    sf.write(path, np.sin(np.arange(8000) / 5.0) * 0.5, 8000, subtype="IMA_ADPCM")
    raw = bytearray(path.read_bytes())
    data = raw.find(b"data")
    raw[data + 4:data + 8] = bytes(4)
    path.write_bytes(bytes(raw))
    with pytest.raises(AudioLoadError, match="not finished .* cannot recover") as err:
        load_clip(path, recover_unfinished=True)
    assert not isinstance(err.value, UnfinishedWavError)
    assert "0x0011" in err.value.details


def test_layout_walks_past_other_chunks_and_odd_padding():
    odd = b"LIST" + struct.pack("<I", 5) + b"abcde" + b"\x00"
    buffer = io.BytesIO()
    body = struct.pack("<HHIIHH", 1, 2, 44100, 44100 * 4, 4, 16) + b"x"
    fmt = b"fmt " + struct.pack("<I", len(body)) + body + b"\x00"
    buffer.write(b"RIFF" + bytes(4) + b"WAVE" + odd + fmt + b"data" + bytes(4) + bytes(40))
    buffer.seek(0)
    layout = read_wav_layout(buffer)
    assert layout.data_offset == 12 + len(odd) + len(fmt) + 8
    assert (layout.channels, layout.samplerate, layout.bits_per_sample) == (2, 44100, 16)
    assert layout.frames_in(layout.data_offset + 41) == 10


@pytest.mark.parametrize(
    "raw",
    [
        b"RIFX\x00\x00\x00\x00WAVE",
        b"RIFF\x00\x00\x00\x00WAVE" + b"data" + bytes(4),
        b"RIFF\x00\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00",
        b"RIFF\x00\x00\x00\x00WAVE" + _fmt_chunk(1, 1, 8000, 16),
    ],
    ids=["not-riff", "data-before-fmt", "fmt-cut", "no-data-chunk"],
)
def test_broken_headers_are_refused(raw):
    with pytest.raises(WavHeaderError):
        read_wav_layout(io.BytesIO(raw))


@pytest.mark.parametrize(
    ("fields", "subtype"),
    [
        ((1, 2, 16000, 24, 6), "PCM_24"),
        ((1, 2, 16000, 24, 8), None),
        ((1, 0, 16000, 16, 0), None),
        ((3, 1, 0, 32, 4), None),
        ((3, 1, 16000, 16, 2), None),
    ],
    ids=["pcm24", "align-mismatch", "no-channels", "no-rate", "float16"],
)
def test_only_consistent_known_encodings_are_recovered(fields, subtype):
    layout = WavLayout(*fields, data_offset=44, data_size=0)
    assert layout.raw_subtype == subtype
