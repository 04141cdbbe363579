"""The recordings folder: its manifest, renaming, the trash with undo, and crash recovery.

Labels live in ``manifest.csv`` next to the takes, in the columns
:mod:`servis_gui.core.datasets.manifest` reads, so the folder scans as a dataset like any other.
Deleted takes go to ``<folder>/.trash/``; takes a crash left unfinished keep their
``.recording`` marker until they are recovered or discarded.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import asdict, fields, replace
from pathlib import Path

import soundfile as sf

from servis_gui.core.datasets.manifest import MANIFEST_NAME
from servis_gui.core.takes.writer import (
    MARKER_SUFFIX,
    RecordingError,
    TakeInfo,
    free_path,
    marker_path,
)

TRASH = ".trash"
COLUMNS = ("path", "emotion", "speaker", "gender", "sentence_id", "text", "notes", "created",
           "sr", "duration")
RECOVERED_NOTE = "Recovered: the app stopped while this take was being recorded."


def default_recordings_dir() -> Path:
    """The "My recordings" folder in the user's data directory (not created here).

    Returns
    -------
    Path
        ``<user data dir>/SERVIS/My recordings``.
    """
    from platformdirs import user_data_dir

    return Path(user_data_dir("SERVIS", "SERVIS")) / "My recordings"


# -- the manifest ------------------------------------------------------------------------------

def _to_row(info: TakeInfo) -> dict[str, str]:
    row = {k: str(v) for k, v in asdict(info).items() if k != "file"}
    return {**row, "path": info.file.name, "gender": "", "duration": f"{info.duration:.3f}"}


def _from_row(row: dict[str, str], folder: Path) -> TakeInfo:
    names = {f.name for f in fields(TakeInfo)} - {"file", "sr", "duration"}
    text = {k: row.get(k) or "" for k in names}
    return TakeInfo(folder / row["path"], _number(row.get("sr"), int), _number(row.get("duration"), float),
                    **text)


def _number(value: str | None, kind: type) -> int | float:
    try:
        return kind(float(value or 0))
    except ValueError:
        return kind(0)


def read_takes(folder: Path) -> list[TakeInfo]:
    """The takes listed in ``folder``'s manifest, in manifest order (empty when there is none).

    Parameters
    ----------
    folder : Path
        The recordings folder.

    Returns
    -------
    list of TakeInfo
        One per manifest row with a path.

    Raises
    ------
    RecordingError
        When the manifest exists but cannot be read.
    """
    path = Path(folder) / MANIFEST_NAME
    try:
        with path.open(newline="", encoding="utf-8") as file:
            return [_from_row(row, path.parent) for row in csv.DictReader(file) if row.get("path")]
    except FileNotFoundError:
        return []
    except (OSError, csv.Error, UnicodeDecodeError) as exc:
        raise RecordingError(f"Cannot read {path}: {exc}") from exc


def write_takes(folder: Path, takes: list[TakeInfo]) -> None:
    """Replace ``folder``'s manifest with ``takes`` (atomically: a crash leaves old or new).

    Parameters
    ----------
    folder : Path
        The recordings folder (created when missing).
    takes : list of TakeInfo
        The rows to write, in order.

    Raises
    ------
    RecordingError
        When the folder is not writable.
    """
    path = Path(folder) / MANIFEST_NAME
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("w", newline="", encoding="utf-8") as file:
            writer = csv.DictWriter(file, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(_to_row(info) for info in takes)
        os.replace(tmp, path)
    except OSError as exc:
        raise RecordingError(f"Cannot write {path}: {exc}") from exc


def save_take(folder: Path, info: TakeInfo) -> None:
    """Add a take to the manifest, or replace its row (same file name) with new labels.

    Parameters
    ----------
    folder : Path
        The recordings folder.
    info : TakeInfo
        The take and its labels.
    """
    takes = read_takes(folder)
    names = [t.file.name for t in takes]
    if info.file.name in names:
        takes[names.index(info.file.name)] = info
    else:
        takes.append(info)
    write_takes(folder, takes)


def find_take(folder: Path, file: Path | str) -> TakeInfo | None:
    """The manifest entry of ``file`` in ``folder``, or None when it is not listed.

    Parameters
    ----------
    folder : Path
        The recordings folder.
    file : Path or str
        The take's WAV file.

    Returns
    -------
    TakeInfo or None
        Its labels as listed.
    """
    return next((t for t in read_takes(folder) if t.file == Path(file)), None)


def _drop_take(folder: Path, file: Path) -> None:
    write_takes(folder, [t for t in read_takes(folder) if t.file.name != file.name])


def _move(source: Path, target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
    except OSError as exc:
        raise RecordingError(f"Cannot move {source.name} to {target}: {exc}") from exc


# -- renaming, the trash and undo ---------------------------------------------------------------

def rename_take(folder: Path, info: TakeInfo, new_stem: str) -> TakeInfo:
    """Rename a take's file to ``<new_stem>.wav`` and update the manifest.

    Parameters
    ----------
    folder : Path
        The recordings folder.
    info : TakeInfo
        The take to rename.
    new_stem : str
        The new file name, with or without ``.wav``.

    Returns
    -------
    TakeInfo
        The take under its new name.

    Raises
    ------
    RecordingError
        For an empty or path-like name, or when a file of that name exists.
    """
    stem = new_stem.strip().removesuffix(".wav")
    if not stem or stem.startswith(".") or any(c in stem for c in "/\\"):
        raise RecordingError(f"{new_stem!r} is not a usable file name.")
    target = info.file.with_name(f"{stem}.wav")
    if target.exists():
        raise RecordingError(f"A file named {target.name} already exists.")
    _move(info.file, target)
    renamed = replace(info, file=target)
    takes = [renamed if t.file.name == info.file.name else t for t in read_takes(folder)]
    write_takes(folder, takes)
    return renamed


def delete_take(folder: Path, info: TakeInfo) -> Path:
    """Move a take to ``<folder>/.trash/`` with its labels, and drop it from the manifest.

    Parameters
    ----------
    folder : Path
        The recordings folder.
    info : TakeInfo
        The take to delete.

    Returns
    -------
    Path
        The file in the trash, for :func:`restore_take` (undo).
    """
    trashed = free_path(Path(folder) / TRASH / info.file.name)
    _move(info.file, trashed)
    trashed.with_name(trashed.name + ".json").write_text(json.dumps(_to_row(info)))
    _drop_take(folder, info.file)
    return trashed


def restore_take(folder: Path, trashed: Path) -> TakeInfo:
    """Undo :func:`delete_take`: move the file back (under a free name) with its labels.

    Parameters
    ----------
    folder : Path
        The recordings folder.
    trashed : Path
        The file in the trash, as :func:`delete_take` returned it.

    Returns
    -------
    TakeInfo
        The take, listed again.

    Raises
    ------
    RecordingError
        When the labels kept next to the trashed file are lost, or the file cannot be moved.
    """
    sidecar = trashed.with_name(trashed.name + ".json")
    try:
        row = json.loads(sidecar.read_text())
    except (OSError, ValueError) as exc:
        raise RecordingError(f"The labels of {trashed.name} are lost: {exc}") from exc
    info = _from_row(row, Path(folder))
    info = replace(info, file=free_path(info.file))
    _move(trashed, info.file)
    sidecar.unlink(missing_ok=True)
    save_take(folder, info)
    return info


# -- takes left unfinished by a crash -----------------------------------------------------------

def find_unfinished(folder: Path) -> list[Path]:
    """Takes whose recording never finished (the app or the machine died).

    Parameters
    ----------
    folder : Path
        The recordings folder (it may not exist).

    Returns
    -------
    list of Path
        Their WAV files, sorted.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    takes = (m.with_name(m.name.removesuffix(MARKER_SUFFIX)) for m in folder.glob("*" + MARKER_SUFFIX))
    return sorted(take for take in takes if take.is_file())


def recover(path: Path) -> TakeInfo:
    """Keep an unfinished take: list it in its folder's manifest and remove its marker.

    Everything written before the crash is kept (the header was updated after every block).

    Parameters
    ----------
    path : Path
        The unfinished take's WAV file.

    Returns
    -------
    TakeInfo
        The take as listed, unlabelled, with :data:`RECOVERED_NOTE`.

    Raises
    ------
    RecordingError
        When the file holds no readable audio (then delete it with :func:`discard_unfinished`).
    """
    info = _unfinished_info(Path(path))
    if not info.sr:
        raise RecordingError(f"{info.file.name} holds no readable audio.")
    save_take(info.file.parent, info)
    marker_path(info.file).unlink(missing_ok=True)
    return info


def discard_unfinished(path: Path) -> Path:
    """Move an unfinished take (unreadable or unwanted) to the trash.

    Parameters
    ----------
    path : Path
        The unfinished take's WAV file.

    Returns
    -------
    Path
        Where it went, for :func:`restore_take`.
    """
    info = _unfinished_info(Path(path))
    trashed = delete_take(info.file.parent, info)
    marker_path(info.file).unlink(missing_ok=True)
    return trashed


def _unfinished_info(path: Path) -> TakeInfo:
    """Describe an unfinished take from its file and marker (``sr`` 0 when it is unreadable)."""
    try:
        marker = json.loads(marker_path(path).read_text())
    except (OSError, ValueError):
        marker = {}
    try:
        meta = sf.info(str(path))
        sr, duration = meta.samplerate, meta.frames / meta.samplerate
    except (OSError, RuntimeError):
        sr, duration = 0, 0.0
    return TakeInfo(path, sr, duration, str(marker.get("created", "")), notes=RECOVERED_NOTE)
