"""CREMA-D: ``AudioWAV/NNNN_SSS_EEE_LL.wav`` (also ``AudioMP3/``), e.g. ``1001_DFA_ANG_XX.wav``.

Actor 1001-1091, sentence code, emotion code, level (LO, MD, HI, XX = unspecified). The
actors' sex, age, race and ethnicity come from ``VideoDemographics.csv`` when present.
"""

from __future__ import annotations

import csv
import dataclasses
import re
from pathlib import Path

from servis_gui.core.datasets.pattern_scan import BuildRecord, NamePattern
from servis_gui.core.datasets.progress import SILENT, Monitor
from servis_gui.core.datasets.records import ClipRecord, ScanResult, normalise_gender
from servis_gui.core.datasets.text_files import read_csv_rows

CORPUS = "CREMA-D"
DEMOGRAPHICS = "VideoDemographics.csv"
DEMOGRAPHIC_FIELDS = ("Age", "Race", "Ethnicity")
SENTENCES = {
    "IEO": "It's eleven o'clock",
    "TIE": "That is exactly what happened",
    "IOM": "I'm on my way to the meeting",
    "IWW": "I wonder what this is about",
    "TAI": "The airplane is almost full",
    "MTI": "Maybe tomorrow it will be cold",
    "IWL": "I would like a new alarm clock",
    "ITH": "I think I have a doctor's appointment",
    "DFA": "Don't forget a jacket",
    "ITS": "I think I've seen this before",
    "TSI": "The surface is slick",
    "WSI": "We'll stop in a couple of minutes",
}
EMOTIONS = {
    "ANG": "angry", "DIS": "disgust", "FEA": "fearful",
    "HAP": "happy", "NEU": "neutral", "SAD": "sad",
}
LEVELS = {"LO": "low", "MD": "medium", "HI": "high", "XX": "unspecified"}
PATTERN = re.compile(
    rf"(10\d\d)_({'|'.join(SENTENCES)})_({'|'.join(EMOTIONS)})_({'|'.join(LEVELS)})"
)
Demographics = dict[str, dict[str, str]]


def _demographics_file(root: Path) -> Path | None:
    """Find ``VideoDemographics.csv`` in ``root`` (or next to an ``Audio*`` root)."""
    folders = [root, root.parent] if root.name.startswith("Audio") else [root]
    return next((f / DEMOGRAPHICS for f in folders if (f / DEMOGRAPHICS).is_file()), None)


def read_demographics(root: Path) -> tuple[Demographics, list[str]]:
    """Read the actors' demographics table.

    Parameters
    ----------
    root : Path
        The CREMA-D folder.

    Returns
    -------
    (dict, list of str)
        ``{actor id: row}`` (empty when the file is absent or unreadable) and warnings.
    """
    path = _demographics_file(root)
    if path is None:
        return {}, [f"{DEMOGRAPHICS} not found: speaker sex unknown"]
    try:
        rows = read_csv_rows(path)
    except (OSError, csv.Error) as error:
        return {}, [f"Could not read {DEMOGRAPHICS}: {error}"]
    table = {row["ActorID"]: row for row in rows if row.get("ActorID")}
    return table, [] if table else [f"{DEMOGRAPHICS} has no ActorID rows"]


def make_builder(demographics: Demographics) -> BuildRecord:
    """Return a record builder that looks actors up in ``demographics``.

    Parameters
    ----------
    demographics : dict
        ``{actor id: VideoDemographics row}``; may be empty.

    Returns
    -------
    callable(Path, re.Match) -> ClipRecord
        The builder for :class:`NamePattern`.
    """

    def build(path: Path, match: re.Match[str]) -> ClipRecord:
        actor, sentence, emotion, level = match.groups()
        person = demographics.get(actor, {})
        facts = [(name.lower(), person.get(name, "")) for name in DEMOGRAPHIC_FIELDS]
        return ClipRecord(
            path=path,
            corpus=CORPUS,
            emotion=EMOTIONS[emotion],
            raw_label=emotion,
            speaker=actor,
            gender=normalise_gender(person.get("Sex")),
            sentence_id=sentence,
            text=SENTENCES[sentence],
            intensity=LEVELS[level],
            extra=(("level", level), *((name, value) for name, value in facts if value)),
        )

    return build


NAMES = NamePattern(CORPUS, PATTERN, make_builder({}))


detect = NAMES.detect


def scan(root: Path, monitor: Monitor = SILENT) -> ScanResult:
    """Index a CREMA-D tree (WAV and MP3 copies alike).

    Parameters
    ----------
    root : Path
        The dataset folder.
    monitor : Monitor
        Progress and cancellation.

    Returns
    -------
    ScanResult
        One record per file; ``extra`` holds the level code and the actor's age, race, ethnicity.
    """
    demographics, notes = read_demographics(root)
    result = NAMES.with_build(make_builder(demographics)).scan(root, monitor)
    return dataclasses.replace(result, warnings=(*notes, *result.warnings))
