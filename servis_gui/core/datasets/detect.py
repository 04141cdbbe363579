"""Recognise which corpus a folder holds and scan it with the matching reader.

Readers are tried in a fixed order that avoids false matches: IEMOCAP (folder structure)
first, then the strict file-name patterns (RAVDESS, CREMA-D, TESS, EmoDB, SAVEE, ESD,
MSP-Podcast, EMOVO, ShEMO), then a manifest CSV at the root, then folder-per-label.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

from servis_gui.core.datasets import (
    cremad, emodb, emovo, esd, folders, iemocap, manifest, msp_podcast, ravdess, savee, shemo,
    tess,
)
from servis_gui.core.datasets.progress import (
    CancelCallback, Monitor, ProgressCallback, ScanCancelled,
)
from servis_gui.core.datasets.records import ClipRecord, ScanResult
from servis_gui.core.datasets.walk import sample_audio

UNRECOGNISED = "No known corpus layout recognised: labels taken from folder names"
GENERIC_READERS = frozenset({manifest.CORPUS, folders.CORPUS})
"""Readers that know a layout, not a corpus: their clips are named by their folder."""


class Reader(NamedTuple):
    """A corpus reader: its display name, its detector and its scanner."""

    name: str
    detect: Callable[[Path, Sequence[Path] | None], bool]
    scan: Callable[[Path, Monitor], ScanResult]


def _reader(module: ModuleType) -> Reader:
    """Wrap a reader module's ``CORPUS``, ``detect`` and ``scan``."""
    return Reader(module.CORPUS, module.detect, module.scan)


READERS: tuple[Reader, ...] = tuple(
    _reader(module)
    for module in (
        iemocap, ravdess, cremad, tess, emodb, savee, esd, msp_podcast, emovo, shemo,
        manifest, folders,
    )
)
FOLDERS = READERS[-1]


def detect_corpus(root: Path) -> Reader | None:
    """Return the first reader (in :data:`READERS` order) that recognises ``root``.

    Parameters
    ----------
    root : Path
        The dataset folder.

    Returns
    -------
    Reader or None
        The matching reader, or None when nothing matched.
    """
    sample = sample_audio(root)
    return next((reader for reader in READERS if reader.detect(root, sample)), None)


def scan_dataset(
    root: Path | str,
    progress: ProgressCallback | None = None,
    cancelled: CancelCallback | None = None,
) -> ScanResult:
    """Detect the corpus in ``root`` and index it. Nothing is ever written to ``root``.

    Parameters
    ----------
    root : Path or str
        The dataset folder.
    progress : callable(done, total), optional
        Called in the thread that runs the scan, at most every 50 ms and once at the end
        with ``(total, total)``; ``total`` is 0 while the folders are still being listed.
    cancelled : callable() -> bool, optional
        Polled for every folder and file; returning True stops the scan.

    Returns
    -------
    ScanResult
        The records and warnings; ``cancelled=True`` and no records if the scan was stopped.
        Without a recognised layout, folder names are used as labels (with a warning).
        Unreadable folders become warnings; this function does not raise for them.
    """
    root = Path(root)
    if not root.is_dir():
        return ScanResult("", (), (f"{root} is not a folder",))
    reader = detect_corpus(root)
    chosen = reader or FOLDERS
    try:
        result = chosen.scan(root, Monitor(progress, cancelled))
    except ScanCancelled:
        return ScanResult(chosen.name, cancelled=True)
    except OSError as error:
        return ScanResult(chosen.name, (), (f"Could not read {root}: {error}",))
    if not result.records:
        notes: tuple[str, ...] = (f"No audio files found in {root}",)
    else:
        notes = () if reader else (UNRECOGNISED,)
    return ScanResult(result.corpus, result.records, notes + result.warnings)


def corpus_name(records: Sequence[ClipRecord]) -> str:
    """What ``records`` are, in a few words: ``"RAVDESS"``, ``"“demo” (Manifest)"``, or "the corpus".

    Corpora known only by a layout (:data:`GENERIC_READERS`) are named by the folder holding their clips;
    several corpora are joined with "+".
    """
    names = set()
    for reader in {r.corpus for r in records if r.corpus}:
        if reader in GENERIC_READERS:
            folder = Path(os.path.commonpath([r.path.parent for r in records if r.corpus == reader]))
            names.add(f"“{folder.name}” ({reader})")
        else:
            names.add(reader)
    return " + ".join(sorted(names)) or "the corpus"
