"""The immutable results of a dataset scan: one :class:`ClipRecord` per audio file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

Extra = tuple[tuple[str, str], ...]

_GENDERS: dict[str, str] = {
    "f": "female", "female": "female", "w": "female", "woman": "female",
    "m": "male", "male": "male", "man": "male",
}


@dataclass(frozen=True, slots=True)
class ClipRecord:
    """One labelled clip of a corpus.

    Attributes
    ----------
    path : Path
        The audio file.
    corpus : str
        Display name of the reader that produced the record (``"RAVDESS"``, ``"Folders"`` ...).
    emotion : str
        Canonical emotion name (see :mod:`servis_gui.core.emotions`).
    raw_label : str
        The label exactly as the corpus wrote it (``"ang"``, ``"W"``, ``"05"``).
    speaker, gender : str
        Speaker id as the corpus names it; gender is ``"female"``, ``"male"`` or ``""``.
    sentence_id, text : str
        Which fixed sentence was spoken, and its text, when the corpus says.
    intensity : str
        Emotional intensity when the corpus gives one (``"strong"``, ``"high"`` ...).
    extra : tuple of (str, str) pairs
        Everything else the corpus records (VAD values, split, repetition ...).
    """

    path: Path
    corpus: str
    emotion: str
    raw_label: str = ""
    speaker: str = ""
    gender: str = ""
    sentence_id: str = ""
    text: str = ""
    intensity: str = ""
    extra: Extra = ()

    def extra_value(self, key: str, default: str = "") -> str:
        """Return the ``extra`` value stored under ``key``, or ``default``."""
        return next((value for name, value in self.extra if name == key), default)

    @property
    def emotion_text(self) -> str:
        """The emotion as a table shows it: ``"other: nervous"`` keeps a person's own word."""
        if self.emotion == "other" and self.raw_label.strip().lower() not in ("", "other"):
            return f"other: {self.raw_label.strip()}"
        return self.emotion


@dataclass(frozen=True, slots=True)
class ScanResult:
    """What a scan found.

    Attributes
    ----------
    corpus : str
        Display name of the reader used (``""`` when the root could not be read).
    records : tuple of ClipRecord
        One record per audio file, sorted by path.
    warnings : tuple of str
        Messages for the user (skipped files, malformed label lines ...).
    cancelled : bool
        True when the scan was cancelled; ``records`` is then empty.
    """

    corpus: str
    records: tuple[ClipRecord, ...] = ()
    warnings: tuple[str, ...] = ()
    cancelled: bool = False


def normalise_gender(value: str | None) -> str:
    """Map a gender spelling (``F``, ``Female``, ``male`` ...) to ``"female"``/``"male"``/``""``.

    Parameters
    ----------
    value : str or None
        The gender as a corpus or user wrote it.

    Returns
    -------
    str
        ``"female"``, ``"male"`` or ``""`` when unknown.
    """
    return _GENDERS.get((value or "").strip().lower(), "")


def plural(count: int, noun: str) -> str:
    """Return ``"1 file"`` or ``"3 files"``: a count with its noun, for warnings."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def malformed_lines(name: str, count: int) -> list[str]:
    """Return the warning for ``count`` malformed lines in the label file ``name`` (none for 0)."""
    return [f"{name}: {plural(count, 'malformed line')} skipped"] if count else []
