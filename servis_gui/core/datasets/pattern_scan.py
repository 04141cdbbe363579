"""The shared "walk the audio files and match each name against a pattern" reader.

Corpora that encode their labels in file names (RAVDESS, CREMA-D, TESS, EmoDB, SAVEE, ESD,
MSP-Podcast, EMOVO, ShEMO) each describe their naming with a :class:`NamePattern`: a
compiled pattern, the part of the path it sees (the stem by default) and a pure function
that turns a match into a :class:`ClipRecord`. Detection and scanning are then the same
for all of them.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from servis_gui.core.datasets.progress import SILENT, Monitor
from servis_gui.core.datasets.records import ClipRecord, ScanResult, plural
from servis_gui.core.datasets.walk import sample_audio, walk_audio

BuildRecord = Callable[[Path, "re.Match[str]"], "ClipRecord | str"]
"""Turns a path and its match into a record, or into the reason (str) to skip the file."""

PathKey = Callable[[Path], str]

DETECT_SHARE = 0.8
"""Share of the sampled audio files that must match for a corpus to be recognised."""


def stem_key(path: Path) -> str:
    """Return the file name without its extension (the default pattern key)."""
    return path.stem


def _unmatched_warning(root: Path, corpus: str, unmatched: list[Path]) -> list[str]:
    """Say how many audio files did not follow the naming, with one example."""
    if not unmatched:
        return []
    example = unmatched[0].relative_to(root).as_posix()
    count = plural(len(unmatched), "audio file")
    return [f"{count} not named like {corpus} skipped (e.g. {example})"]


@dataclass(frozen=True)
class NamePattern:
    """How one corpus names its files.

    Attributes
    ----------
    corpus : str
        Display name, for records and warnings.
    pattern : re.Pattern
        Must ``fullmatch`` the key of a conforming file.
    build : callable(Path, re.Match) -> ClipRecord or str
        Pure: makes the record, or returns the reason a matching file is skipped.
    key : callable(Path) -> str
        The part of the path the pattern sees (the stem by default).
    """

    corpus: str
    pattern: re.Pattern[str]
    build: BuildRecord
    key: PathKey = stem_key

    def parse(self, path: Path) -> ClipRecord | str | None:
        """Return the record of ``path``, a reason to skip it, or None when its name differs."""
        match = self.pattern.fullmatch(self.key(path))
        return self.build(path, match) if match else None

    def with_build(self, build: BuildRecord) -> NamePattern:
        """Return a copy that builds records with ``build`` (e.g. closing over a label table)."""
        return dataclasses.replace(self, build=build)

    def detect(self, root: Path, sample: Sequence[Path] | None = None) -> bool:
        """Tell whether most audio files under ``root`` follow this naming.

        Parameters
        ----------
        root : Path
            The dataset folder.
        sample : sequence of Path, optional
            Audio files to judge by; sampled from ``root`` when omitted.

        Returns
        -------
        bool
            True when at least :data:`DETECT_SHARE` of the sampled files match.
        """
        paths = sample_audio(root) if sample is None else sample
        hits = sum(1 for path in paths if self.pattern.fullmatch(self.key(path)))
        return bool(paths) and hits >= DETECT_SHARE * len(paths)

    def scan(self, root: Path, monitor: Monitor = SILENT) -> ScanResult:
        """Index every audio file under ``root`` whose name matches.

        Parameters
        ----------
        root : Path
            The dataset folder.
        monitor : Monitor
            Progress and cancellation.

        Returns
        -------
        ScanResult
            The records sorted by path, and warnings about skipped files.
        """
        walk = walk_audio(root, monitor)
        records: list[ClipRecord] = []
        unmatched: list[Path] = []
        skipped: Counter[str] = Counter()
        total = len(walk.paths)
        for done, path in enumerate(walk.paths):
            monitor.tick(done, total)
            outcome = self.parse(path)
            if outcome is None:
                unmatched.append(path)
            elif isinstance(outcome, str):
                skipped[outcome] += 1
            else:
                records.append(outcome)
        monitor.finish(total)
        warnings = walk.warnings() + _unmatched_warning(root, self.corpus, unmatched)
        warnings += [f"{plural(n, 'file')} skipped: {reason}" for reason, n in skipped.items()]
        return ScanResult(self.corpus, tuple(records), tuple(warnings))
