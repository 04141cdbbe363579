"""Voice measurements and prosody tracks as text and CSV files (no Qt).

Two CSV layouts, both UTF-8 with a header row and no comment lines, so any CSV reader takes them:

- **Measurements** (``write_measurements_csv``): the columns ``measure, value, unit``. The first
  rows say what was measured (``file``, ``start``, ``end``, ``pitch floor``, ``pitch ceiling``,
  ``pitch method``, ``pitch time step``); one row per ``Measurements.as_rows()`` entry follows, with
  its label and unit ("F0 median" appears in Hz and in "st re 100 Hz": the unit tells them apart).
- **Tracks** (``write_tracks_csv``): the columns ``time_s, f0_hz, f0_semitones, voiced,
  intensity_db``, one row per pitch frame; f0 is empty where the frame is unvoiced, ``voiced`` is
  1 or 0.

Numbers are written at full precision (Python's shortest repr that reads back to the same float);
a value Praat does not give is an empty cell. The text for the clipboard (``measurements_text``)
is tab-separated, rounded as the Measurements table shows it.
"""

from __future__ import annotations

import csv
import errno
import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from servis_gui.core.errors import ServisError
from servis_gui.core.file_access import display_name
from servis_gui.core.prosody import PitchParams, Prosody
from servis_gui.core.voice_report import Measurements

MEASUREMENT_COLUMNS = ("measure", "value", "unit")
TRACK_COLUMNS = ("time_s", "f0_hz", "f0_semitones", "voiced", "intensity_db")
MISSING = "—"
"""How a value Praat does not give is shown in the table."""

DECIMALS = {"s": 3, "Hz": 1, "st re 100 Hz": 2, "st": 2, "dB": 1, "%": 2, "1/s": 2}
"""Decimals shown per unit: finer than the measures' own precision, coarser than noise."""

METHOD_NAMES = {"ac": "autocorrelation", "cc": "cross-correlation"}

WRITE_REASONS = {
    errno.EACCES: "you do not have permission to write in that folder",
    errno.EPERM: "you do not have permission to write in that folder",
    errno.EROFS: "that folder is on a read-only disk",
    errno.ENOSPC: "the disk is full",
    errno.ENOENT: "its folder does not exist",
    errno.EISDIR: "a folder already has that name",
    errno.ENAMETOOLONG: "its name or path is too long for the system",
}
"""What an ``OSError``'s errno means for a file being saved."""


class ExportError(ServisError):
    """A file could not be written (``str(error)`` says why in plain words)."""


def format_value(value: float | None, unit: str, missing: str = MISSING) -> str:
    """A measure as the table shows it: rounded by its unit, ``missing`` when Praat gives none.

    Parameters
    ----------
    value : float or None
        The measure.
    unit : str
        Its unit, as in ``Measurements.as_rows()`` (unknown units get 3 significant digits).
    missing : str
        The text for ``None``.

    Returns
    -------
    str
    """
    if value is None:
        return missing
    decimals = DECIMALS.get(unit)
    return f"{value:.3g}" if decimals is None else f"{value:.{decimals}f}"


def pitch_summary(params: PitchParams) -> str:
    """The pitch settings in a few words: ``"60–600 Hz, autocorrelation, 10 ms steps"``."""
    method = METHOD_NAMES.get(params.method, params.method)
    return f"{params.floor_hz:g}–{params.ceiling_hz:g} Hz, {method}, {1000 * params.time_step:.3g} ms steps"


def context_rows(m: Measurements, clip_path: str | os.PathLike) -> list[tuple[str, object, str]]:
    """What was measured, as ``(measure, value, unit)`` rows: file, range and pitch settings."""
    p = m.params
    return [("file", os.fsdecode(clip_path), ""), ("start", m.start, "s"), ("end", m.end, "s"),
            ("pitch floor", p.floor_hz, "Hz"), ("pitch ceiling", p.ceiling_hz, "Hz"),
            ("pitch method", p.method, ""), ("pitch time step", p.time_step, "s")]


def measurements_text(m: Measurements, clip_path: str | os.PathLike) -> str:
    """Tab-separated text of the measurements, for the clipboard.

    The first line names the file, the time range and the pitch settings; the second is the
    column header (``Measure, Value, Unit``); one line per measure follows, rounded as the table
    shows it, with an empty value where Praat gives none.

    Parameters
    ----------
    m : Measurements
        What to write.
    clip_path : str or path-like
        The clip they were measured on.

    Returns
    -------
    str
        Lines ending in ``"\\n"``.
    """
    header = (f"{os.fsdecode(clip_path)}\t{m.start:.3f}–{m.end:.3f} s\t"
              f"pitch {pitch_summary(m.params)}")
    lines = [header, "Measure\tValue\tUnit"]
    lines += [f"{label}\t{format_value(value, unit, missing='')}\t{unit}" for label, value, unit in m.as_rows()]
    return "\n".join(lines) + "\n"


def write_measurements_csv(m: Measurements, clip_path: str | os.PathLike, destination: str | os.PathLike) -> None:
    """Write the measurements as CSV (``measure, value, unit``; see the module's description).

    Parameters
    ----------
    m : Measurements
        What to write.
    clip_path : str or path-like
        The clip they were measured on (the ``file`` row).
    destination : str or path-like
        The CSV file to create or replace.

    Raises
    ------
    ExportError
        The file cannot be written (permission, read-only disk, full disk...).
    """
    _write_csv(destination, MEASUREMENT_COLUMNS, [*context_rows(m, clip_path), *m.as_rows()])


def write_tracks_csv(prosody: Prosody, destination: str | os.PathLike) -> None:
    """Write a clip's f0 and intensity frames as CSV (``time_s, f0_hz, f0_semitones, voiced, intensity_db``).

    Parameters
    ----------
    prosody : Prosody
        The clip's contours; unvoiced frames get empty f0 cells.
    destination : str or path-like
        The CSV file to create or replace.

    Raises
    ------
    ExportError
        The file cannot be written.
    """
    voiced = prosody.voiced.tolist()
    f0 = _blank_where_unvoiced(prosody.f0_hz, voiced)
    semitones = _blank_where_unvoiced(prosody.f0_semitones, voiced)
    rows = zip(prosody.times.tolist(), f0, semitones, (int(v) for v in voiced), prosody.intensity_db.tolist())
    _write_csv(destination, TRACK_COLUMNS, rows)


def suggested_name(clip_path: str | os.PathLike, what: str, span: tuple[float, float] | None = None) -> str:
    """A file name for an export of ``clip_path``: ``"stem_what.csv"``, or ``"stem_0.52-1.30s_what.csv"``
    for a time range."""
    stem = Path(os.fsdecode(clip_path)).stem or "clip"
    middle = "" if span is None else f"_{span[0]:.2f}-{span[1]:.2f}s"
    return f"{stem}{middle}_{what}.csv"


def cannot_save(destination: str | os.PathLike, exc: OSError) -> ExportError:
    """The plain error for a file the operating system refuses to write, its words in the details."""
    reason = WRITE_REASONS.get(exc.errno, (exc.strerror or str(exc)).lower())
    return ExportError(f"Could not save {display_name(destination)}: {reason}.",
                       f"{os.fsdecode(destination)}\n{exc}")


def _blank_where_unvoiced(values: np.ndarray, voiced: list[bool]) -> list[float | None]:
    return [float(x) if v else None for x, v in zip(values.tolist(), voiced)]


def _write_csv(destination: str | os.PathLike, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    try:
        with open(destination, "w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(columns)
            writer.writerows(rows)
    except OSError as exc:
        raise cannot_save(destination, exc) from exc
