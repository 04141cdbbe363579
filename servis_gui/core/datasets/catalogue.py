"""Every clip seen in this session and the questions asked across datasets, without Qt.

What a clip is (its labels, wherever it was opened from), whether it is a demo clip or one of
the user's takes, and which acted clips say the same sentence as a take.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from servis_gui.core.datasets.filtering import emotion_rank
from servis_gui.core.datasets.records import ClipRecord
from servis_gui.core.file_access import resolve_path


class Catalogue:
    """The records of every dataset opened so far, keyed by resolved path.

    Parameters
    ----------
    demo : Path
        The demo corpus folder.
    recordings : Path or str
        The folder the user's takes are recorded into.
    """

    def __init__(self, demo: Path, recordings: Path | str) -> None:
        self.demo = Path(resolve_path(demo))
        self.recordings = Path(resolve_path(recordings))
        self._records: dict[str, ClipRecord] = {}

    def add(self, records: Iterable[ClipRecord]) -> None:
        """Remember ``records`` (a later record of the same file replaces the earlier one)."""
        self._records.update({resolve_path(r.path): r for r in records})

    def record_for(self, path: str | Path) -> ClipRecord | None:
        """The labels of ``path``, if any dataset opened so far lists it."""
        return self._records.get(resolve_path(path))

    def is_demo(self, path: str | Path) -> bool:
        """Is ``path`` a clip of the bundled (synthetic) demo corpus?"""
        return Path(resolve_path(path)).parent == self.demo

    def is_recording(self, path: str | Path) -> bool:
        """Is ``path`` one of the user's takes?"""
        return Path(resolve_path(path)).parent == self.recordings

    def acted_like(self, take: str | Path) -> list[ClipRecord]:
        """Corpus clips (not takes) that say the take's sentence, by emotion then speaker.

        Sentences match ignoring case, punctuation and spacing. Empty when the take has no text.
        """
        record = self.record_for(take)
        if record is None or not record.text:
            return []
        key = sentence_text(record.text)
        acted = (r for p, r in self._records.items()
                 if not self.is_recording(p) and r.text and sentence_text(r.text) == key)
        return sorted(acted, key=lambda r: (emotion_rank(r.emotion), r.speaker))


def sentence_text(text: str) -> str:
    """A sentence reduced for comparison: lower case, letters and digits separated by single spaces."""
    return re.sub(r"[^a-z0-9äöüß]+", " ", text.casefold()).strip()
