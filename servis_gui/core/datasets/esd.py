"""ESD: ``<spk>/<Emotion>/[train|evaluation|test/]<spk>_<NNNNNN>.wav``.

Speakers 0001-0010 speak Mandarin, 0011-0020 English. Texts come from ``<spk>/<spk>.txt``
(id, text, emotion; tab-separated) whose encoding varies between speakers (UTF-8, UTF-16,
GB2312, Latin-1). The emotion is taken from the folder name.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from pathlib import Path

from servis_gui.core.datasets.pattern_scan import NamePattern
from servis_gui.core.datasets.progress import SILENT, Monitor
from servis_gui.core.datasets.records import ClipRecord, ScanResult, malformed_lines
from servis_gui.core.datasets.text_files import read_text

CORPUS = "ESD"
EMOTIONS = {
    "Angry": "angry", "Happy": "happy", "Neutral": "neutral", "Sad": "sad", "Surprise": "surprised",
}
TRANSCRIPT_LABELS = frozenset({*EMOTIONS, "中立", "生气", "快乐", "伤心", "惊喜"})
SPLITS = frozenset({"train", "evaluation", "test"})
UTTERANCE = re.compile(r"(00[01]\d|0020)_(\d{6})")
PATTERN = re.compile(rf"({'|'.join(EMOTIONS)})/{UTTERANCE.pattern}")


def _emotion_dir(path: Path) -> Path:
    """Return the emotion folder of a clip, above an optional split folder."""
    parent = path.parent
    return parent.parent if parent.name.lower() in SPLITS else parent


def emotion_key(path: Path) -> str:
    """Return ``"<Emotion folder>/<stem>"``, what :data:`PATTERN` matches."""
    return f"{_emotion_dir(path).name}/{path.stem}"


def _split_line(line: str) -> list[str]:
    """Split a transcript line into its fields: at tabs, else into id, text and known label."""
    if "\t" in line:
        return [field.strip() for field in line.split("\t") if field.strip()]
    head, _, rest = line.strip().partition(" ")
    body, _, last = rest.strip().rpartition(" ")
    return [head, body, last] if body and last in TRANSCRIPT_LABELS else [head, rest.strip()]


def _transcript_entry(line: str) -> tuple[str, str] | None:
    """Return (utterance id, text) of a non-blank transcript line; None when it has no id."""
    fields = _split_line(line)
    if not UTTERANCE.fullmatch(fields[0]):
        return None
    return fields[0], fields[1] if len(fields) > 1 else ""


def read_transcript(path: Path) -> tuple[dict[str, str], list[str]]:
    """Read one speaker's transcript file, whatever its encoding.

    Parameters
    ----------
    path : Path
        ``<spk>/<spk>.txt``.

    Returns
    -------
    (dict, list of str)
        ``{utterance id: text}`` and warnings (missing file, malformed lines).
    """
    name = f"{path.parent.name}/{path.name}"
    try:
        lines = read_text(path).splitlines()
    except OSError:
        return {}, [f"{name} missing or unreadable: no texts for speaker {path.parent.name}"]
    parsed = [_transcript_entry(line) for line in lines if line.strip()]
    texts = dict(item for item in parsed if item is not None)
    return texts, malformed_lines(name, parsed.count(None))


def _record(path: Path, match: re.Match[str]) -> ClipRecord:
    """Build the record of one ESD file (its text is added later from the transcript)."""
    emotion, speaker, number = match.groups()
    split = path.parent.name.lower() if path.parent.name.lower() in SPLITS else ""
    language = "Mandarin" if int(speaker) <= 10 else "English"
    return ClipRecord(
        path=path,
        corpus=CORPUS,
        emotion=EMOTIONS[emotion],
        raw_label=emotion,
        speaker=speaker,
        sentence_id=number,
        extra=(("language", language), *((("split", split),) if split else ())),
    )


NAMES = NamePattern(CORPUS, PATTERN, _record, key=emotion_key)


def add_texts(records: Sequence[ClipRecord]) -> tuple[list[ClipRecord], list[str]]:
    """Fill each record's text from its speaker's transcript, reading each transcript once.

    Parameters
    ----------
    records : sequence of ClipRecord
        ESD records, whose speaker folder is above the emotion folder.

    Returns
    -------
    (list of ClipRecord, list of str)
        The records with texts, and warnings about missing or malformed transcripts.
    """
    transcripts: dict[Path, dict[str, str]] = {}
    warnings: list[str] = []
    filled = []
    for record in records:
        speaker_dir = _emotion_dir(record.path).parent
        if speaker_dir not in transcripts:
            transcript = speaker_dir / f"{speaker_dir.name}.txt"
            transcripts[speaker_dir], notes = read_transcript(transcript)
            warnings += notes
        text = transcripts[speaker_dir].get(record.path.stem, "")
        filled.append(dataclasses.replace(record, text=text) if text else record)
    return filled, warnings


detect = NAMES.detect


def scan(root: Path, monitor: Monitor = SILENT) -> ScanResult:
    """Index an ESD tree with each speaker's transcript.

    Parameters
    ----------
    root : Path
        The dataset folder (all speakers, or one speaker's folder).
    monitor : Monitor
        Progress and cancellation.

    Returns
    -------
    ScanResult
        One record per file; ``extra`` holds the language and the split when present.
    """
    result = NAMES.scan(root, monitor)
    records, notes = add_texts(result.records)
    return ScanResult(CORPUS, tuple(records), (*notes, *result.warnings))
