r"""IEMOCAP: ``SessionN/sentences/wav/<dialog>/<utterance>.wav`` labelled by EmoEvaluation files.

Labels: ``SessionN/dialog/EmoEvaluation/<dialog>.txt`` (top-level files only; the
``Categorical/``, ``Attribute/`` and ``Self-evaluation/`` sub-folders are ignored), one turn
line per utterance followed by annotator lines (``C-E1:``, ``A-F1:`` ...)::

    [6.2901 - 8.2357]\tSes01F_impro01_F000\tneu\t[2.5000, 2.5000, 2.5000]

Transcripts: ``SessionN/dialog/transcriptions/<dialog>.txt``, lines like
``Ses01F_impro01_F000 [006.2901-008.2357]: Excuse me.``
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from servis_gui.core.datasets.progress import SILENT, Monitor
from servis_gui.core.datasets.records import (
    ClipRecord, ScanResult, malformed_lines, normalise_gender, plural,
)
from servis_gui.core.datasets.text_files import read_text
from servis_gui.core.datasets.walk import walk_audio

CORPUS = "IEMOCAP"
EMOTIONS = {
    "neu": "neutral", "hap": "happy", "ang": "angry", "sad": "sad", "exc": "excited",
    "fru": "frustrated", "fea": "fearful", "sur": "surprised", "dis": "disgust",
    "oth": "other", "xxx": "unknown",
}
SESSION = re.compile(r"Session\d+")
_NUMBER = r"\s*(-?\d+(?:\.\d*)?)\s*"
TURN = re.compile(
    rf"\[{_NUMBER}-{_NUMBER}\]\s+(\S+)\s+(\S+)\s+\[{_NUMBER},{_NUMBER},{_NUMBER}\]\s*"
)
ANNOTATOR = re.compile(r"[A-Z]+-[A-Z]+\d*:.*")
TRANSCRIPT = re.compile(r"(\S+) \[[^\]]*\]:\s?(.*)")


@dataclass(frozen=True, slots=True)
class Turn:
    """One utterance's consensus label and its time span and VAD scores (as written)."""

    label: str
    start: str
    end: str
    valence: str
    arousal: str
    dominance: str


def parse_evaluation(text: str) -> tuple[dict[str, Turn], int]:
    """Parse one EmoEvaluation file.

    Parameters
    ----------
    text : str
        The file's contents.

    Returns
    -------
    (dict, int)
        ``{utterance id: Turn}`` and the number of malformed lines. Blank lines, the
        ``%`` header and annotator lines are not malformed.
    """
    turns: dict[str, Turn] = {}
    malformed = 0
    for line in text.splitlines():
        if not line.strip() or line.startswith("%") or ANNOTATOR.fullmatch(line):
            continue
        match = TURN.fullmatch(line)
        if match is None:
            malformed += 1
            continue
        start, end, utterance, label, valence, arousal, dominance = match.groups()
        turns[utterance] = Turn(label, start, end, valence, arousal, dominance)
    return turns, malformed


def parse_transcript(text: str) -> dict[str, str]:
    """Parse one transcription file into ``{utterance id: text}`` (other lines are ignored)."""
    matches = (TRANSCRIPT.fullmatch(line.strip()) for line in text.splitlines())
    return {m.group(1): m.group(2).strip() for m in matches if m}


def _top_level_txt(folder: Path) -> list[Path]:
    """Return the visible ``.txt`` files directly inside ``folder`` (no sub-folders), sorted."""
    if not folder.is_dir():
        return []
    with os.scandir(folder) as entries:
        names = [e.name for e in entries if e.name.endswith(".txt") and e.is_file()]
    return [folder / name for name in sorted(names) if not name.startswith(".")]


def session_dirs(root: Path) -> list[Path]:
    """Return ``root`` if it is a session folder, else its ``SessionN`` sub-folders."""
    if (root / "dialog" / "EmoEvaluation").is_dir():
        return [root]
    if not root.is_dir():
        return []
    found = (p for p in root.iterdir() if SESSION.fullmatch(p.name))
    return sorted(p for p in found if (p / "dialog" / "EmoEvaluation").is_dir())


def _read_labels(root: Path, session: Path) -> tuple[dict[str, Turn], list[str]]:
    """Read every top-level EmoEvaluation file of a session."""
    turns: dict[str, Turn] = {}
    warnings: list[str] = []
    for path in _top_level_txt(session / "dialog" / "EmoEvaluation"):
        name = path.relative_to(root).as_posix()
        try:
            found, malformed = parse_evaluation(read_text(path))
        except OSError as error:
            warnings.append(f"Could not read {name}: {error.strerror}")
            continue
        turns.update(found)
        warnings += malformed_lines(name, malformed)
    return turns, warnings


def _read_transcripts(session: Path) -> dict[str, str]:
    """Read every transcription file of a session (unreadable ones give no texts)."""
    texts: dict[str, str] = {}
    for path in _top_level_txt(session / "dialog" / "transcriptions"):
        try:
            texts.update(parse_transcript(read_text(path)))
        except OSError:
            continue
    return texts


def make_record(path: Path, turn: Turn | None, text: str) -> ClipRecord:
    """Build the record of one utterance file.

    Parameters
    ----------
    path : Path
        ``.../<dialog>/<utterance>.wav``; the utterance id is the stem.
    turn : Turn or None
        Its EmoEvaluation label, None when it has none (emotion ``unknown``).
    text : str
        Its transcript, ``""`` when unknown.

    Returns
    -------
    ClipRecord
        Speaker is the session plus the gender letter (``Ses01F``).
    """
    dialog, _, last = path.stem.rpartition("_")
    session = path.stem[:5]
    letter = last[:1].upper()
    kind = "impro" if "impro" in dialog else "script" if "script" in dialog else ""
    extra = [("session", session), ("dialog", dialog), ("kind", kind)]
    if turn is not None:
        extra += [("start", turn.start), ("end", turn.end), ("valence", turn.valence),
                  ("arousal", turn.arousal), ("dominance", turn.dominance)]
    label = turn.label if turn else ""
    return ClipRecord(
        path=path,
        corpus=CORPUS,
        emotion=EMOTIONS.get(label, "unknown"),
        raw_label=label,
        speaker=f"{session}{letter}" if letter in ("F", "M") else "",
        gender=normalise_gender(letter),
        text=text,
        extra=tuple((key, value) for key, value in extra if value),
    )


def detect(root: Path, sample: Sequence[Path] | None = None) -> bool:
    """Return True when ``root`` is an IEMOCAP release or one of its session folders.

    Parameters
    ----------
    root : Path
        The dataset folder.
    sample : sequence of Path, optional
        Ignored: IEMOCAP is recognised by its folder structure.

    Returns
    -------
    bool
        Whether a ``SessionN/dialog/EmoEvaluation`` folder exists.
    """
    return bool(session_dirs(root))


def _walk_sessions(
    root: Path, sessions: list[Path], monitor: Monitor
) -> tuple[list[Path], list[str]]:
    """List the utterance files of every session."""
    paths: list[Path] = []
    warnings: list[str] = []
    for session in sessions:
        wav = session / "sentences" / "wav"
        if not wav.is_dir():
            name = session.relative_to(root).as_posix()
            warnings.append(f"{name}: no sentences/wav folder")
            continue
        walk = walk_audio(wav, monitor)
        paths += walk.paths
        warnings += walk.warnings()
    return paths, warnings


def scan(root: Path, monitor: Monitor = SILENT) -> ScanResult:
    """Index an IEMOCAP release (or a single session folder).

    Parameters
    ----------
    root : Path
        The release folder holding ``Session1`` ... ``Session5``, or one session.
    monitor : Monitor
        Progress and cancellation.

    Returns
    -------
    ScanResult
        One record per utterance file; ``extra`` holds session, dialog, impro/script,
        start/end times and valence/arousal/dominance.
    """
    sessions = session_dirs(root)
    turns: dict[str, Turn] = {}
    texts: dict[str, str] = {}
    warnings: list[str] = []
    for session in sessions:
        found, notes = _read_labels(root, session)
        turns.update(found)
        texts.update(_read_transcripts(session))
        warnings += notes
    paths, notes = _walk_sessions(root, sessions, monitor)
    warnings += notes
    records = []
    for done, path in enumerate(paths):
        monitor.tick(done, len(paths))
        records.append(make_record(path, turns.get(path.stem), texts.get(path.stem, "")))
    monitor.finish(len(paths))
    unlabelled = sum(1 for record in records if not record.raw_label)
    if unlabelled:
        count = plural(unlabelled, "utterance")
        warnings.append(f"{count} without an EmoEvaluation label (emotion unknown)")
    return ScanResult(CORPUS, tuple(records), tuple(warnings))
