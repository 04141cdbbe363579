"""RAVDESS: ``Actor_NN/MM-VV-EE-II-SS-RR-AA.wav``, seven two-digit fields.

Fields: modality (01 audio-video, 02 video-only, 03 audio-only), vocal channel (01 speech,
02 song), emotion, intensity (01 normal, 02 strong), statement, repetition, actor (01-24;
odd actors are male). Only audio-only files are indexed.
"""

from __future__ import annotations

import re
from pathlib import Path

from servis_gui.core.datasets.pattern_scan import NamePattern
from servis_gui.core.datasets.records import ClipRecord

CORPUS = "RAVDESS"
FIELDS = ("modality", "vocal_channel", "emotion", "intensity", "statement", "repetition", "actor")
PATTERN = re.compile(
    r"(0[1-3])-(0[12])-(0[1-8])-(0[12])-(0[12])-(0[12])-(0[1-9]|1[0-9]|2[0-4])"
)
EMOTIONS = {
    "01": "neutral", "02": "calm", "03": "happy", "04": "sad",
    "05": "angry", "06": "fearful", "07": "disgust", "08": "surprised",
}
INTENSITIES = {"01": "normal", "02": "strong"}
CHANNELS = {"01": "speech", "02": "song"}
STATEMENTS = {"01": "Kids are talking by the door", "02": "Dogs are sitting by the door"}
VIDEO_SKIP = "video file (RAVDESS modality 01/02)"


def _record(path: Path, match: re.Match[str]) -> ClipRecord | str:
    """Build the record of one RAVDESS file, or skip a video file."""
    codes = match.groups()
    modality, channel, emotion, intensity, statement, _, actor = codes
    if modality != "03":
        return VIDEO_SKIP
    return ClipRecord(
        path=path,
        corpus=CORPUS,
        emotion=EMOTIONS[emotion],
        raw_label=emotion,
        speaker=actor,
        gender="male" if int(actor) % 2 else "female",
        sentence_id=statement,
        text=STATEMENTS[statement],
        intensity=INTENSITIES[intensity],
        extra=(*zip(FIELDS, codes), ("voice", CHANNELS[channel])),
    )


NAMES = NamePattern(CORPUS, PATTERN, _record)


detect = NAMES.detect


scan = NAMES.scan
