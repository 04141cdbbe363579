"""The canonical emotion vocabulary, label synonyms and one colour per emotion.

Every corpus labels emotions its own way (``ang``, ``W``, ``rab``, ``05``...). Readers map
their raw labels to the canonical names here so that the whole app colours and compares
emotions the same way.
"""

from __future__ import annotations

CANONICAL: tuple[str, ...] = (
    "neutral",
    "calm",
    "happy",
    "sad",
    "angry",
    "fearful",
    "disgust",
    "surprised",
)

EXTRAS: tuple[str, ...] = ("boredom", "excited", "frustrated", "contempt", "other", "unknown")

UNKNOWN = "unknown"

# Colour-blind-aware palette (Okabe-Ito based); warm colours for high-arousal emotions.
EMOTION_COLORS: dict[str, str] = {
    "neutral": "#9e9e9e",
    "calm": "#56b4e9",
    "happy": "#f0e442",
    "sad": "#0072b2",
    "angry": "#d55e00",
    "fearful": "#cc79a7",
    "disgust": "#009e73",
    "surprised": "#e69f00",
    "boredom": "#8c7b6b",
    "excited": "#ff8c69",
    "frustrated": "#a0522d",
    "contempt": "#6b8e23",
    "other": "#c0c0c0",
    "unknown": "#ffffff",
}

_SYNONYMS: dict[str, str] = {
    # neutral
    "neutral": "neutral", "neu": "neutral", "n": "neutral", "neutrality": "neutral",
    # calm
    "calm": "calm", "cal": "calm",
    # happy
    "happy": "happy", "happiness": "happy", "hap": "happy", "joy": "happy", "gio": "happy",
    "h": "happy", "f": "happy", "freude": "happy",
    # sad
    "sad": "sad", "sadness": "sad", "tri": "sad", "t": "sad", "s": "sad", "sa": "sad",
    "trauer": "sad",
    # angry
    "angry": "angry", "anger": "angry", "ang": "angry", "a": "angry", "w": "angry",
    "rab": "angry", "wut": "angry", "mad": "angry",
    # fearful
    "fearful": "fearful", "fear": "fearful", "fea": "fearful", "pau": "fearful",
    "angst": "fearful", "scared": "fearful", "afraid": "fearful",
    # disgust
    "disgust": "disgust", "disgusted": "disgust", "dis": "disgust", "d": "disgust",
    "e": "disgust", "ekel": "disgust",
    # surprised
    "surprised": "surprised", "surprise": "surprised", "sur": "surprised", "su": "surprised",
    "sor": "surprised", "ps": "surprised", "pleasant_surprise": "surprised",
    "pleasant_surprised": "surprised", "pleasantsurprise": "surprised",
    # extras kept as they are
    "boredom": "boredom", "bored": "boredom", "l": "boredom", "langeweile": "boredom",
    "excited": "excited", "exc": "excited", "excitement": "excited",
    "frustrated": "frustrated", "fru": "frustrated", "frustration": "frustrated",
    "contempt": "contempt", "c": "contempt",
    "other": "other", "oth": "other", "o": "other",
    "unknown": "unknown", "xxx": "unknown", "x": "unknown",
}


def canonical(label: str | None, unrecognised: str = UNKNOWN) -> str:
    """Map a raw label to the canonical vocabulary.

    Parameters
    ----------
    label : str or None
        A raw emotion label as a corpus or user wrote it (case and separators are ignored).
    unrecognised : str
        What a non-empty label outside the vocabulary maps to: ``"unknown"`` for a corpus code,
        ``"other"`` for words a person typed (``"nervous"``), which the raw label keeps.

    Returns
    -------
    str
        One of ``CANONICAL + EXTRAS``; ``"unknown"`` when the label is empty.

    Notes
    -----
    Single letters are ambiguous across corpora (``F`` is happiness in EmoDB but fear in
    SAVEE): corpus readers map their own codes first and call this for full words only.
    """
    key = (label or "").strip().lower().replace("-", "_").replace(" ", "_")
    return _SYNONYMS.get(key, unrecognised) if key else UNKNOWN


def emotion_color(emotion: str) -> str:
    """Return the hex colour of a canonical emotion (white for anything unknown)."""
    return EMOTION_COLORS.get(emotion, EMOTION_COLORS[UNKNOWN])
