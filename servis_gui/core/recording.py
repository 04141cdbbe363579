"""Takes recorded from the microphone: a crash-safe WAV writer, their labels and their folder.

A take is ``<folder>/<name>.wav`` (PCM_16 mono). While it is written, libsndfile rewrites the
WAV header after every block (``SFC_SET_UPDATE_HEADER_AUTO``), so a take survives ``kill -9``,
and a marker ``<name>.wav.recording`` says it is unfinished. Labels live in ``manifest.csv``
next to the takes, in the columns :mod:`servis_gui.core.datasets.manifest` reads, so the
folder scans as a dataset like any other. Deleted takes go to ``<folder>/.trash/``.
"""

from __future__ import annotations

import csv
import json
import os
from contextlib import suppress
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

import numpy as np
import soundfile as sf

from servis_gui.core.datasets.cremad import SENTENCES
from servis_gui.core.datasets.manifest import MANIFEST_NAME
from servis_gui.core.datasets.ravdess import STATEMENTS
from servis_gui.core.errors import ServisError

MARKER_SUFFIX = ".recording"
TRASH = ".trash"
SFC_SET_UPDATE_HEADER_AUTO = 0x1061
COLUMNS = ("path", "emotion", "speaker", "gender", "sentence_id", "text", "notes", "created",
           "sr", "duration")
RECOVERED_NOTE = "Recovered: the app stopped while this take was being recorded."


class RecordingError(ServisError):
    """A take cannot be written, read, renamed or moved (the message is for the user)."""


@dataclass(frozen=True)
class TakeInfo:
    """One recorded take and its labels.

    Attributes
    ----------
    file : Path
        The WAV file.
    sr : int
        Its sample rate.
    duration : float
        Its length in seconds.
    created : str
        When recording started, ISO 8601 local time to the second.
    emotion : str
        Intended emotion as the speaker gave it (a canonical name or free text).
    speaker, sentence_id, text, notes : str
        Who spoke, which prompt (e.g. RAVDESS ``01``, CREMA-D ``IEO``), what was said, remarks.
    """

    file: Path
    sr: int
    duration: float
    created: str
    emotion: str = ""
    speaker: str = ""
    sentence_id: str = ""
    text: str = ""
    notes: str = ""


class Prompt(NamedTuple):
    """A sentence to read, with the corpus' id for it so takes line up with corpus clips."""

    sentence_id: str
    text: str


PROMPT_LISTS: dict[str, tuple[Prompt, ...]] = {
    "Demo corpus": (Prompt("kids", STATEMENTS["01"]), Prompt("dogs", STATEMENTS["02"])),
    "RAVDESS": tuple(Prompt(key, text) for key, text in STATEMENTS.items()),
    "CREMA-D": tuple(Prompt(key, text) for key, text in SENTENCES.items()),
}


def default_recordings_dir() -> Path:
    """The "My recordings" folder in the user's data directory (not created here)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("SERVIS", "SERVIS")) / "My recordings"


def sanitise(block: np.ndarray) -> np.ndarray:
    """Return ``block`` as finite float32 in [-1, 1]: NaN becomes 0, +-inf becomes +-1.

    PCM_16 would store NaN as -32768, a full-scale click.
    """
    clean = np.nan_to_num(np.asarray(block, dtype=np.float32), nan=0.0, posinf=1.0, neginf=-1.0)
    return np.clip(clean, -1.0, 1.0)


def marker_path(take: Path) -> Path:
    """The ``.recording`` marker of a take: present only while the take is unfinished."""
    return take.with_name(take.name + MARKER_SUFFIX)


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


class TakeWriter:
    """Writes one take to disk block by block, readable by any WAV reader at every moment.

    Parameters
    ----------
    path : Path
        The WAV file to create (its folder is created when missing).
    sr : int
        Sample rate of the blocks.

    Raises
    ------
    RecordingError
        When the file cannot be created.
    """

    def __init__(self, path: Path, sr: int) -> None:
        self.path, self.sr, self.frames = Path(path), sr, 0
        self.created = _now()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            marker_path(self.path).write_text(json.dumps({"sr": sr, "created": self.created}))
            self._file = sf.SoundFile(self.path, "w", samplerate=sr, channels=1, format="WAV",
                                      subtype="PCM_16")
        except (OSError, RuntimeError) as exc:
            with suppress(OSError):
                marker_path(self.path).unlink(missing_ok=True)
            raise RecordingError(f"Cannot create the take {self.path}: {exc}") from exc
        sf._snd.sf_command(self._file._file, SFC_SET_UPDATE_HEADER_AUTO, sf._ffi.NULL, 1)

    def write(self, block: np.ndarray) -> None:
        """Append mono samples (sanitised, so NaN or inf never reach the file)."""
        clean = sanitise(block)
        self._file.write(clean)
        self.frames += len(clean)

    def close(self) -> TakeInfo:
        """Finish the take (removes the marker) and describe it."""
        self._file.close()
        marker_path(self.path).unlink(missing_ok=True)
        return TakeInfo(self.path, self.sr, self.frames / self.sr, self.created)


def new_take_path(folder: Path, when: datetime | None = None) -> Path:
    """A free file name ``take-YYYYMMDD-HHMMSS[-N].wav`` in ``folder``."""
    stem = f"take-{(when or datetime.now()).strftime('%Y%m%d-%H%M%S')}"
    return _free_path(Path(folder) / f"{stem}.wav")


def _free_path(path: Path) -> Path:
    """``path``, or ``<stem>-2<suffix>``, ``-3`` ... whichever does not exist yet."""
    candidate, n = path, 1
    while candidate.exists() or marker_path(candidate).exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


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
    """Add a take to the manifest, or replace its row (same file name) with new labels."""
    takes = read_takes(folder)
    names = [t.file.name for t in takes]
    if info.file.name in names:
        takes[names.index(info.file.name)] = info
    else:
        takes.append(info)
    write_takes(folder, takes)


def find_take(folder: Path, file: Path | str) -> TakeInfo | None:
    """The manifest entry of ``file`` in ``folder``, or None when it is not listed."""
    return next((t for t in read_takes(folder) if t.file == Path(file)), None)


def _drop_take(folder: Path, file: Path) -> None:
    write_takes(folder, [t for t in read_takes(folder) if t.file.name != file.name])


def _move(source: Path, target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
    except OSError as exc:
        raise RecordingError(f"Cannot move {source.name} to {target}: {exc}") from exc


def rename_take(folder: Path, info: TakeInfo, new_stem: str) -> TakeInfo:
    """Rename a take's file to ``<new_stem>.wav`` and update the manifest.

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

    Returns
    -------
    Path
        The file in the trash, for :func:`restore_take` (undo).
    """
    trashed = _free_path(Path(folder) / TRASH / info.file.name)
    _move(info.file, trashed)
    trashed.with_name(trashed.name + ".json").write_text(json.dumps(_to_row(info)))
    _drop_take(folder, info.file)
    return trashed


def restore_take(folder: Path, trashed: Path) -> TakeInfo:
    """Undo :func:`delete_take`: move the file back (under a free name) with its labels."""
    sidecar = trashed.with_name(trashed.name + ".json")
    try:
        row = json.loads(sidecar.read_text())
    except (OSError, ValueError) as exc:
        raise RecordingError(f"The labels of {trashed.name} are lost: {exc}") from exc
    info = _from_row(row, Path(folder))
    info = replace(info, file=_free_path(info.file))
    _move(trashed, info.file)
    sidecar.unlink(missing_ok=True)
    save_take(folder, info)
    return info


# -- takes left unfinished by a crash -----------------------------------------------------------

def find_unfinished(folder: Path) -> list[Path]:
    """Takes whose recording never finished (the app or the machine died): their WAV files."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    takes = (m.with_name(m.name.removesuffix(MARKER_SUFFIX)) for m in folder.glob("*" + MARKER_SUFFIX))
    return sorted(take for take in takes if take.is_file())


def recover(path: Path) -> TakeInfo:
    """Keep an unfinished take: list it in its folder's manifest and remove its marker.

    Everything written before the crash is kept (the header was updated after every block).

    Raises
    ------
    RecordingError
        When the file holds no readable audio (then delete it with :func:`delete_take`).
    """
    info = _unfinished_info(Path(path))
    if not info.sr:
        raise RecordingError(f"{info.file.name} holds no readable audio.")
    save_take(info.file.parent, info)
    marker_path(info.file).unlink(missing_ok=True)
    return info


def discard_unfinished(path: Path) -> Path:
    """Move an unfinished take (unreadable or unwanted) to the trash; returns where it went."""
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
