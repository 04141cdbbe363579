"""MSP-Podcast: ``Audios/MSP-PODCAST_NNNN_NNNN.wav`` with ``Labels/labels_consensus.csv``.

Older releases spell the label file ``labels_concensus.csv``. Its header is
``FileName,EmoClass,EmoAct,EmoVal,EmoDom,SpkrID,Gender,Split_Set``. Emotion classes:
A angry, S sad, H happy, U surprise, F fear, D disgust, C contempt, N neutral, O other,
X no agreement.
"""

from __future__ import annotations

import csv
import dataclasses
import re
from pathlib import Path

from servis_gui.core.datasets.pattern_scan import BuildRecord, NamePattern
from servis_gui.core.datasets.progress import SILENT, Monitor
from servis_gui.core.datasets.records import ClipRecord, ScanResult, normalise_gender, plural
from servis_gui.core.datasets.text_files import read_csv_rows

CORPUS = "MSP-Podcast"
LABEL_FILES = ("labels_consensus.csv", "labels_concensus.csv")
EMOTIONS = {
    "A": "angry", "S": "sad", "H": "happy", "U": "surprised", "F": "fearful",
    "D": "disgust", "C": "contempt", "N": "neutral", "O": "other", "X": "unknown",
}
DIMENSIONS = (("EmoAct", "arousal"), ("EmoVal", "valence"), ("EmoDom", "dominance"))
PATTERN = re.compile(r"MSP-PODCAST_(\d{4})_(\d{4})(?:_(\d{4}))?")
Labels = dict[str, dict[str, str]]


def find_label_file(root: Path) -> Path | None:
    """Return the consensus label CSV in ``root/Labels`` or ``root``, either spelling."""
    candidates = (folder / name for folder in (root / "Labels", root) for name in LABEL_FILES)
    return next((path for path in candidates if path.is_file()), None)


def read_labels(root: Path) -> tuple[Labels, list[str]]:
    """Read the consensus labels.

    Parameters
    ----------
    root : Path
        The MSP-Podcast folder.

    Returns
    -------
    (dict, list of str)
        ``{file stem: row}`` and warnings (file missing or unreadable).
    """
    path = find_label_file(root)
    if path is None:
        return {}, ["Labels/labels_consensus.csv not found: emotions unknown"]
    try:
        rows = read_csv_rows(path)
    except (OSError, csv.Error) as error:
        return {}, [f"Could not read {path.name}: {error}"]
    return {Path(row["FileName"]).stem: row for row in rows if row.get("FileName")}, []


def _record(path: Path, row: dict[str, str]) -> ClipRecord:
    """Build the record of one clip from its label row."""
    code = row.get("EmoClass", "").strip().upper()
    speaker = row.get("SpkrID", "")
    dimensions = [(name, row.get(column, "")) for column, name in DIMENSIONS]
    dimensions.append(("split", row.get("Split_Set", "")))
    return ClipRecord(
        path=path,
        corpus=CORPUS,
        emotion=EMOTIONS.get(code, "unknown"),
        raw_label=code,
        speaker="" if speaker.lower() == "unknown" else speaker,
        gender=normalise_gender(row.get("Gender")),
        extra=tuple((name, value) for name, value in dimensions if value),
    )


def make_builder(labels: Labels) -> BuildRecord:
    """Return a record builder that looks clips up in ``labels``.

    Parameters
    ----------
    labels : dict
        ``{file stem: label row}``; clips without a row get emotion ``unknown``.

    Returns
    -------
    callable(Path, re.Match) -> ClipRecord
        The builder for :class:`NamePattern`.
    """

    def build(path: Path, match: re.Match[str]) -> ClipRecord:
        return _record(path, labels.get(path.stem, {}))

    return build


NAMES = NamePattern(CORPUS, PATTERN, make_builder({}))


detect = NAMES.detect


def scan(root: Path, monitor: Monitor = SILENT) -> ScanResult:
    """Index an MSP-Podcast tree with its consensus labels.

    Parameters
    ----------
    root : Path
        The dataset folder.
    monitor : Monitor
        Progress and cancellation.

    Returns
    -------
    ScanResult
        One record per file; clips without a label row are kept as ``unknown``.
    """
    labels, notes = read_labels(root)
    result = NAMES.with_build(make_builder(labels)).scan(root, monitor)
    unlabelled = sum(1 for record in result.records if record.path.stem not in labels)
    if labels and unlabelled:
        notes.append(f"{plural(unlabelled, 'clip')} without a consensus label (emotion unknown)")
    return dataclasses.replace(result, warnings=(*notes, *result.warnings))
