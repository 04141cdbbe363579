"""EMOVO (Italian): ``<spk>/<emo>-<spk>-<sent>.wav``, e.g. ``f1/dis-f1-b1.wav``.

Emotions: dis disgust, gio joy, neu neutral, pau fear, rab anger, sor surprise,
tri sadness. Speakers f1-f3 are female, m1-m3 male; 14 sentences (b1 ... n5).
"""

from __future__ import annotations

import re
from pathlib import Path

from servis_gui.core.datasets.pattern_scan import NamePattern
from servis_gui.core.datasets.records import ClipRecord, normalise_gender

CORPUS = "EMOVO"
EMOTIONS = {
    "dis": "disgust", "gio": "happy", "neu": "neutral", "pau": "fearful",
    "rab": "angry", "sor": "surprised", "tri": "sad",
}
PATTERN = re.compile(rf"({'|'.join(EMOTIONS)})-([fm][1-3])-([a-z]\d)")


def _record(path: Path, match: re.Match[str]) -> ClipRecord:
    """Build the record of one EMOVO file."""
    emotion, speaker, sentence = match.groups()
    return ClipRecord(
        path=path,
        corpus=CORPUS,
        emotion=EMOTIONS[emotion],
        raw_label=emotion,
        speaker=speaker,
        gender=normalise_gender(speaker[0]),
        sentence_id=sentence,
    )


NAMES = NamePattern(CORPUS, PATTERN, _record)


detect = NAMES.detect


scan = NAMES.scan
