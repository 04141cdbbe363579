"""A user's CSV manifest: ``path,emotion[,speaker,gender,text]``, with or without header.

With a header row, columns are found by name (``path``, ``emotion``, ``speaker``,
``gender``, ``sentence_id``, ``text``, ``intensity``; any other column goes to ``extra``),
which also reads SERVIS's demo corpus manifest
(``path,emotion,speaker,gender,sentence_id,text``). Without one, the columns are taken in
the order ``path, emotion, speaker, gender, text``. Relative paths are relative to the CSV.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from servis_gui.core.datasets.progress import SILENT, Monitor
from servis_gui.core.datasets.records import ClipRecord, ScanResult, normalise_gender, plural
from servis_gui.core.datasets.text_files import decode_text, read_text
from servis_gui.core.emotions import canonical

CORPUS = "Manifest"
MANIFEST_NAME = "manifest.csv"
POSITIONAL = ("path", "emotion", "speaker", "gender", "text")
FIELDS = frozenset({"path", "emotion", "speaker", "gender", "sentence_id", "text", "intensity"})
HEADER_PEEK = 64 * 1024


def _header(row: Sequence[str]) -> list[str] | None:
    """Return the lower-cased column names if ``row`` is a header (has path and emotion)."""
    names = [cell.strip().lower() for cell in row]
    return names if {"path", "emotion"} <= set(names) else None


def _is_manifest(path: Path) -> bool:
    """Tell whether a CSV file's first row names a ``path`` and an ``emotion`` column."""
    try:
        with path.open("rb") as file:
            head = decode_text(file.read(HEADER_PEEK))[0]
    except OSError:
        return False
    first = next(csv.reader(io.StringIO(head)), [])
    return _header(first) is not None


def find_manifest(root: Path) -> Path | None:
    """Find the manifest CSV directly in ``root``.

    Parameters
    ----------
    root : Path
        The dataset folder.

    Returns
    -------
    Path or None
        ``manifest.csv`` if present, else the first ``*.csv`` (by name) whose header has
        ``path`` and ``emotion`` columns, else None.
    """
    if (root / MANIFEST_NAME).is_file():
        return root / MANIFEST_NAME
    try:
        csvs = sorted(p for p in root.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
    except OSError:
        return None
    return next((path for path in csvs if _is_manifest(path)), None)


def _rows(text: str) -> Iterator[dict[str, str]]:
    """Yield each non-blank data row as ``{column: value}``."""
    reader = csv.reader(io.StringIO(text, newline=""))
    first = next(reader, [])
    columns = _header(first)
    if columns is None:
        columns = list(POSITIONAL)
        reader = iter([first, *reader])
    for row in reader:
        if any(cell.strip() for cell in row):
            yield {name: cell.strip() for name, cell in zip(columns, row)}


def _resolve(value: str, base: Path) -> Path:
    """Resolve a manifest path against the CSV's folder (``\\`` read as ``/`` on POSIX)."""
    if os.sep == "/":
        value = value.replace("\\", "/")
    return base / value


def make_record(row: dict[str, str], base: Path) -> ClipRecord:
    """Build a record from one manifest row.

    Parameters
    ----------
    row : dict
        Column name to value; ``path`` must be non-empty.
    base : Path
        Folder relative paths start from.

    Returns
    -------
    ClipRecord
        Emotion through :func:`servis_gui.core.emotions.canonical` (free text is "other"); unknown columns in ``extra``.
    """
    label = row.get("emotion", "")
    return ClipRecord(
        path=_resolve(row["path"], base),
        corpus=CORPUS,
        emotion=canonical(label, unrecognised="other"),
        raw_label=label,
        speaker=row.get("speaker", ""),
        gender=normalise_gender(row.get("gender")),
        sentence_id=row.get("sentence_id", ""),
        text=row.get("text", ""),
        intensity=row.get("intensity", ""),
        extra=tuple((k, v) for k, v in row.items() if k not in FIELDS and k and v),
    )


def _warnings(name: str, malformed: int, missing: list[Path], base: Path) -> list[str]:
    """Describe rows without a path and rows whose file does not exist."""
    notes = [f"{name}: {plural(malformed, 'row')} without a path skipped"] if malformed else []
    if missing:
        example = os.path.relpath(missing[0], base)
        count = plural(len(missing), "row")
        notes.append(f"{name}: {count} naming missing files skipped (e.g. {example})")
    return notes


def detect(root: Path, sample: Sequence[Path] | None = None) -> bool:
    """Return True when ``root`` holds a manifest CSV (see :func:`find_manifest`).

    Parameters
    ----------
    root : Path
        The dataset folder.
    sample : sequence of Path, optional
        Ignored: a manifest is recognised by its header.

    Returns
    -------
    bool
        Whether a manifest was found.
    """
    return find_manifest(root) is not None


def scan(root: Path, monitor: Monitor = SILENT) -> ScanResult:
    """Read the manifest in ``root``; rows naming missing files are skipped.

    Parameters
    ----------
    root : Path
        The dataset folder holding the manifest.
    monitor : Monitor
        Progress and cancellation.

    Returns
    -------
    ScanResult
        One record per row whose file exists, sorted by path.
    """
    path = find_manifest(root)
    if path is None:
        return ScanResult(CORPUS, (), (f"No {MANIFEST_NAME} in {root}",))
    try:
        rows = list(_rows(read_text(path)))
    except (OSError, csv.Error) as error:
        return ScanResult(CORPUS, (), (f"Could not read {path.name}: {error}",))
    records: list[ClipRecord] = []
    missing: list[Path] = []
    for done, row in enumerate(rows):
        monitor.tick(done, len(rows))
        record = make_record(row, path.parent) if row.get("path") else None
        if record is not None and record.path.is_file():
            records.append(record)
        elif record is not None:
            missing.append(record.path)
    monitor.finish(len(rows))
    malformed = sum(1 for row in rows if not row.get("path"))
    notes = _warnings(path.name, malformed, missing, path.parent)
    return ScanResult(CORPUS, tuple(sorted(records, key=lambda r: str(r.path))), tuple(notes))
