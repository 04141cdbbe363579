"""Fallback reader: the label of a clip is the name of its folder (``angry/clip1.wav``).

Folder names go through :func:`servis_gui.core.emotions.canonical`, so ``anger``, ``ang``,
``W`` and ``rab`` all become ``angry``. The nearest folder (from the clip's parent up to the
dataset root) whose name is an emotion gives the label; otherwise the clip is ``unknown``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from servis_gui.core.datasets.progress import SILENT, Monitor
from servis_gui.core.datasets.records import ClipRecord, ScanResult
from servis_gui.core.datasets.walk import sample_audio, walk_audio
from servis_gui.core.emotions import UNKNOWN, canonical

CORPUS = "Folders"
DETECT_SHARE = 0.5
"""Share of the sampled files that must sit under an emotion-named folder."""


@lru_cache(maxsize=1024)
def _emotion_of(name: str) -> str:
    """Canonical emotion of a folder name (cached: a corpus has few distinct folders)."""
    return canonical(name)


def folder_label(path: Path, root: Path) -> tuple[str, str]:
    """Find the label a clip's folders give it.

    Parameters
    ----------
    path : Path
        The audio file, somewhere under ``root``.
    root : Path
        The dataset folder; its own name counts too.

    Returns
    -------
    (str, str)
        The raw folder name and its canonical emotion; when no folder is an emotion, the
        parent's name (``""`` for files directly in ``root``) and ``"unknown"``.
    """
    folders = (*reversed(path.parent.relative_to(root).parts), root.name)
    for name in folders:
        emotion = _emotion_of(name)
        if emotion != UNKNOWN:
            return name, emotion
    return (folders[0] if len(folders) > 1 else ""), UNKNOWN


def detect(root: Path, sample: Sequence[Path] | None = None) -> bool:
    """Return True when most sampled audio files sit under an emotion-named folder.

    Parameters
    ----------
    root : Path
        The dataset folder.
    sample : sequence of Path, optional
        Pre-sampled audio files.

    Returns
    -------
    bool
        Whether folder names label the clips.
    """
    paths = sample_audio(root) if sample is None else sample
    labelled = sum(1 for path in paths if folder_label(path, root)[1] != UNKNOWN)
    return bool(paths) and labelled >= DETECT_SHARE * len(paths)


def scan(root: Path, monitor: Monitor = SILENT) -> ScanResult:
    """Index every audio file under ``root``, labelled by folder name.

    Parameters
    ----------
    root : Path
        The dataset folder.
    monitor : Monitor
        Progress and cancellation.

    Returns
    -------
    ScanResult
        One record per audio file (``unknown`` when no folder names an emotion).
    """
    walk = walk_audio(root, monitor)
    records = []
    total = len(walk.paths)
    for done, path in enumerate(walk.paths):
        monitor.tick(done, total)
        raw, emotion = folder_label(path, root)
        records.append(ClipRecord(path=path, corpus=CORPUS, emotion=emotion, raw_label=raw))
    monitor.finish(total)
    return ScanResult(CORPUS, tuple(records), tuple(walk.warnings()))
