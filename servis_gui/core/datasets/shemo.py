"""ShEMO (Persian): ``male/`` and ``female/`` folders, stems like ``F01A01``.

Stem: speaker (gender letter + two digits), emotion letter, utterance number. Emotion
letters: A anger, H happiness, N neutral, S sadness, W surprise, F fear.
"""

from __future__ import annotations

import re
from pathlib import Path

from servis_gui.core.datasets.pattern_scan import NamePattern
from servis_gui.core.datasets.records import ClipRecord, normalise_gender

CORPUS = "ShEMO"
EMOTIONS = {
    "A": "angry", "H": "happy", "N": "neutral", "S": "sad", "W": "surprised", "F": "fearful",
}
PATTERN = re.compile(rf"([FM]\d\d)([{''.join(EMOTIONS)}])(\d\d)")


def _record(path: Path, match: re.Match[str]) -> ClipRecord:
    """Build the record of one ShEMO file."""
    speaker, emotion, number = match.groups()
    return ClipRecord(
        path=path,
        corpus=CORPUS,
        emotion=EMOTIONS[emotion],
        raw_label=emotion,
        speaker=speaker,
        gender=normalise_gender(speaker[0]),
        extra=(("utterance", number),),
    )


NAMES = NamePattern(CORPUS, PATTERN, _record)


detect = NAMES.detect


scan = NAMES.scan
