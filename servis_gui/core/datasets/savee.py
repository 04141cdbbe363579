"""SAVEE: ``AudioData/DC/a01.wav`` (speaker folder) or flat ``DC_a01.wav``.

Four male speakers (DC, JE, JK, KL). Emotion codes: a anger, d disgust, f fear,
h happiness, n neutral, sa sadness, su surprise; the two-letter codes are tried first.
"""

from __future__ import annotations

import re
from pathlib import Path

from servis_gui.core.datasets.pattern_scan import NamePattern
from servis_gui.core.datasets.records import ClipRecord

CORPUS = "SAVEE"
EMOTIONS = {
    "sa": "sad", "su": "surprised", "a": "angry", "d": "disgust",
    "f": "fearful", "h": "happy", "n": "neutral",
}
SPEAKERS = ("DC", "JE", "JK", "KL")
PATTERN = re.compile(rf"({'|'.join(SPEAKERS)})_({'|'.join(EMOTIONS)})(\d\d)")


def flat_key(path: Path) -> str:
    """Return the flat name ``DC_a01`` for both ``DC/a01.wav`` and ``DC_a01.wav``."""
    stem = path.stem
    return stem if "_" in stem else f"{path.parent.name}_{stem}"


def _record(path: Path, match: re.Match[str]) -> ClipRecord:
    """Build the record of one SAVEE file."""
    speaker, emotion, number = match.groups()
    return ClipRecord(
        path=path,
        corpus=CORPUS,
        emotion=EMOTIONS[emotion],
        raw_label=emotion,
        speaker=speaker,
        gender="male",
        sentence_id=f"{emotion}{number}",
    )


NAMES = NamePattern(CORPUS, PATTERN, _record, key=flat_key)


detect = NAMES.detect


scan = NAMES.scan
