"""Read the small label and transcript files of corpora whose encodings vary.

ESD alone ships transcripts in UTF-8, UTF-16 and GB2312; user CSVs saved by spreadsheets
start with a UTF-8 BOM. :func:`decode_text` tries, in order: a byte-order mark (UTF-8,
UTF-16, UTF-32), BOM-less UTF-16 (recognised by where its NUL bytes sit), strict UTF-8, GB2312, GBK
and finally Latin-1, which never fails. GBK also decodes some Latin-1 text (an accented
letter followed by an ASCII letter), so Latin-1 files are only recognised when GBK fails.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_GUESSES: tuple[str, ...] = ("utf-8", "gb2312", "gbk")
_NUL_SKEW = 3


def _bomless_utf16(data: bytes) -> str | None:
    """Return ``"utf-16-le"``/``"utf-16-be"`` when NUL bytes sit mostly on odd/even offsets.

    Other text encodings have no NUL bytes, while UTF-16 has one in every ASCII character
    (and, on the other offset, only in the few characters like U+4E00 whose low byte is 0).
    """
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    if odd_nuls > _NUL_SKEW * even_nuls:
        return "utf-16-le"
    if even_nuls > _NUL_SKEW * odd_nuls:
        return "utf-16-be"
    return None


def _sniff(data: bytes) -> str | None:
    """Return the encoding a BOM or NUL-byte pattern announces, or None."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return _bomless_utf16(data)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode the bytes of a text file whose encoding is unknown.

    Parameters
    ----------
    data : bytes
        The whole file.

    Returns
    -------
    (str, str)
        The text (without BOM) and the name of the encoding that decoded it.
    """
    sniffed = _sniff(data)
    candidates = (sniffed, *_GUESSES) if sniffed else _GUESSES
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def read_text(path: Path) -> str:
    """Read a text file of unknown encoding (see :func:`decode_text`).

    Parameters
    ----------
    path : Path
        The file to read; it is opened read-only.

    Returns
    -------
    str
        The decoded text.

    Raises
    ------
    OSError
        When the file cannot be read.
    """
    return decode_text(path.read_bytes())[0]


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """Read a CSV file with a header row into dicts keyed by the stripped header names.

    Parameters
    ----------
    path : Path
        The CSV file, in any encoding :func:`decode_text` recognises.

    Returns
    -------
    list of dict
        One dict per data row; missing cells are ``""``.

    Raises
    ------
    OSError
        When the file cannot be read.
    csv.Error
        When the CSV is malformed beyond what the csv module tolerates.
    """
    reader = csv.reader(io.StringIO(read_text(path), newline=""))
    header = [name.strip() for name in next(reader, [])]
    return [
        {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}
        for row in reader
        if any(cell.strip() for cell in row)
    ]
