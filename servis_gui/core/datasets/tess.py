"""TESS: ``OAF_back_angry.wav``, ``YAF_food_ps.wav``: speaker, target word, emotion.

The label is taken from the file name, never the folder: TESS folder names disagree
(``OAF_Pleasant_surprise``, ``YAF_pleasant_surprised``). One real file is misnamed
``OA_bite_neutral.wav``; ``OA`` is read as ``OAF``. Both speakers are female.
"""

from __future__ import annotations

import re
from pathlib import Path

from servis_gui.core.datasets.pattern_scan import NamePattern
from servis_gui.core.datasets.records import ClipRecord

CORPUS = "TESS"
EMOTIONS = {
    "angry": "angry", "disgust": "disgust", "fear": "fearful", "happy": "happy",
    "neutral": "neutral", "ps": "surprised", "sad": "sad",
}
SPEAKERS = {"OAF": "OAF", "OA": "OAF", "YAF": "YAF"}
AGES = {"OAF": "64", "YAF": "26"}
PATTERN = re.compile(rf"(OAF|YAF|OA)_([a-z]+)_({'|'.join(EMOTIONS)})", re.IGNORECASE)


def _record(path: Path, match: re.Match[str]) -> ClipRecord:
    """Build the record of one TESS file."""
    speaker_code, word, emotion = match.groups()
    speaker = SPEAKERS[speaker_code.upper()]
    word = word.lower()
    return ClipRecord(
        path=path,
        corpus=CORPUS,
        emotion=EMOTIONS[emotion.lower()],
        raw_label=emotion,
        speaker=speaker,
        gender="female",
        sentence_id=word,
        text=f"Say the word {word}",
        extra=(("age", AGES[speaker]),),
    )


NAMES = NamePattern(CORPUS, PATTERN, _record)


detect = NAMES.detect


scan = NAMES.scan
