"""EmoDB (Berlin): ``wav/03a01Fa.wav``: speaker, text code, emotion letter, version letter.

German emotion letters: W anger (Wut), L boredom (Langeweile), E disgust (Ekel), A fear
(Angst), F happiness (Freude), T sadness (Trauer), N neutral.
"""

from __future__ import annotations

import re
from pathlib import Path

from servis_gui.core.datasets.pattern_scan import NamePattern
from servis_gui.core.datasets.records import ClipRecord

CORPUS = "EmoDB"
EMOTIONS = {
    "W": "angry", "L": "boredom", "E": "disgust", "A": "fearful",
    "F": "happy", "T": "sad", "N": "neutral",
}
GENDERS = {
    "03": "male", "10": "male", "11": "male", "12": "male", "15": "male",
    "08": "female", "09": "female", "13": "female", "14": "female", "16": "female",
}
SENTENCES = {
    "a01": "Der Lappen liegt auf dem Eisschrank.",
    "a02": "Das will sie am Mittwoch abgeben.",
    "a04": "Heute abend könnte ich es ihm sagen.",
    "a05": "Das schwarze Stück Papier befindet sich da oben neben dem Holzstück.",
    "a07": "In sieben Stunden wird es soweit sein.",
    "b01": "Was sind denn das für Tüten, die da unter dem Tisch stehen?",
    "b02": "Sie haben es gerade hochgetragen und jetzt gehen sie wieder runter.",
    "b03": "An den Wochenenden bin ich jetzt immer nach Hause gefahren und habe Agnes besucht.",
    "b09": "Ich will das eben wegbringen und dann mit Karl was trinken gehen.",
    "b10": "Die wird auf dem Platz sein, wo wir sie immer hinlegen.",
}
PATTERN = re.compile(
    rf"({'|'.join(GENDERS)})({'|'.join(SENTENCES)})([{''.join(EMOTIONS)}])([a-z])"
)


def _record(path: Path, match: re.Match[str]) -> ClipRecord:
    """Build the record of one EmoDB file."""
    speaker, sentence, emotion, version = match.groups()
    return ClipRecord(
        path=path,
        corpus=CORPUS,
        emotion=EMOTIONS[emotion],
        raw_label=emotion,
        speaker=speaker,
        gender=GENDERS[speaker],
        sentence_id=sentence,
        text=SENTENCES[sentence],
        extra=(("version", version),),
    )


NAMES = NamePattern(CORPUS, PATTERN, _record)


detect = NAMES.detect


scan = NAMES.scan
