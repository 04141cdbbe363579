"""Read the chunk layout of a RIFF/WAVE header, to find the audio a crashed recorder left behind.

A recorder writes the WAV header first with sizes of 0 and fills them in when it stops; if it
crashes, the header says the file is empty although the samples follow it. libsndfile believes
the header, so SERVIS reads the ``fmt `` and ``data`` chunks itself to know where the samples are.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from typing import BinaryIO

PCM = 0x0001
IEEE_FLOAT = 0x0003
ALAW = 0x0006
MULAW = 0x0007
EXTENSIBLE = 0xFFFE

RAW_SUBTYPES = {
    (PCM, 8): "PCM_U8",
    (PCM, 16): "PCM_16",
    (PCM, 24): "PCM_24",
    (PCM, 32): "PCM_32",
    (IEEE_FLOAT, 32): "FLOAT",
    (IEEE_FLOAT, 64): "DOUBLE",
    (ALAW, 8): "ALAW",
    (MULAW, 8): "ULAW",
}
"""libsndfile RAW subtype of each (format tag, bits per sample) SERVIS can recover."""


class WavHeaderError(ValueError):
    """The bytes are not a RIFF/WAVE header with a ``fmt `` chunk followed by a ``data`` chunk."""


@dataclass(frozen=True)
class WavLayout:
    """Where the samples of a WAV file are and how they are encoded.

    Attributes
    ----------
    format_tag : int
        1 (PCM), 3 (IEEE float), 6 (A-law), 7 (mu-law) or any other WAVE format tag; for
        WAVE_FORMAT_EXTENSIBLE the tag of its sub-format.
    channels, samplerate, bits_per_sample, block_align : int
        As written in the ``fmt `` chunk.
    data_offset : int
        Byte offset of the first sample (just after the ``data`` chunk header).
    data_size : int
        The ``data`` chunk size written in the header (0 or 0xFFFFFFFF if never filled in).
    """

    format_tag: int
    channels: int
    samplerate: int
    bits_per_sample: int
    block_align: int
    data_offset: int
    data_size: int

    @property
    def raw_subtype(self) -> str | None:
        """The libsndfile RAW subtype to read the samples with, ``None`` if SERVIS cannot."""
        if self.channels < 1 or self.samplerate < 1:
            return None
        if self.block_align != self.channels * self.bits_per_sample // 8:
            return None
        return RAW_SUBTYPES.get((self.format_tag, self.bits_per_sample))

    def frames_in(self, file_size: int) -> int:
        """Number of whole frames between the data offset and the end of a file of ``file_size``."""
        if self.block_align < 1:
            return 0
        return max(file_size - self.data_offset, 0) // self.block_align


def read_wav_layout(file: BinaryIO) -> WavLayout:
    """Walk the chunks of a RIFF/WAVE (or RF64/BW64) header up to the ``data`` chunk.

    The sizes in the RIFF header and of the ``data`` chunk are not trusted (a crashed recorder
    leaves them at 0), so the walk stops at the ``data`` chunk header.

    Parameters
    ----------
    file : binary file object
        Open for reading, positioned at the start of the file; only read and seeked.

    Returns
    -------
    WavLayout

    Raises
    ------
    WavHeaderError
        If the file is not RIFF/WAVE or has no ``fmt `` chunk before a ``data`` chunk.
    """
    riff = file.read(12)
    if len(riff) < 12 or riff[:4] not in (b"RIFF", b"RF64", b"BW64") or riff[8:] != b"WAVE":
        raise WavHeaderError("not a RIFF/WAVE file")
    fmt: tuple[int, int, int, int, int] | None = None
    while True:
        header = file.read(8)
        if len(header) < 8:
            raise WavHeaderError("no 'data' chunk")
        chunk_id, size = header[:4], struct.unpack("<I", header[4:])[0]
        if chunk_id == b"data":
            if fmt is None:
                raise WavHeaderError("'data' chunk before any 'fmt ' chunk")
            return WavLayout(*fmt, data_offset=file.tell(), data_size=size)
        if chunk_id == b"fmt ":
            fmt = _parse_fmt(file.read(size))
            file.seek(size & 1, os.SEEK_CUR)
        else:
            file.seek(size + (size & 1), os.SEEK_CUR)


def _parse_fmt(body: bytes) -> tuple[int, int, int, int, int]:
    """(format tag, channels, sample rate, bits per sample, block align) of a ``fmt `` chunk."""
    if len(body) < 16:
        raise WavHeaderError("'fmt ' chunk cut short")
    tag, channels, samplerate, _byte_rate, block_align, bits = struct.unpack("<HHIIHH", body[:16])
    if tag == EXTENSIBLE:
        if len(body) < 26:
            raise WavHeaderError("WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk cut short")
        tag = struct.unpack("<H", body[24:26])[0]
    return tag, channels, samplerate, bits, block_align
