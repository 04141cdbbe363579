"""The take workflow in one folder: record, list, trash and undo, recover.

Qt-free and sounddevice-free: the capture device comes in as a :class:`TakeSource` (the UI
passes a :class:`~servis_gui.audio.capture.MicCapture`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Protocol

from servis_gui.core.takes import store
from servis_gui.core.takes.prompts import Prompt
from servis_gui.core.takes.writer import TakeInfo, new_take_path


class TakeSource(Protocol):
    """What :class:`Recorder` needs of a capture device."""

    def start_take(self, path: Path) -> None:
        """Start writing what the device hears to ``path`` (a new WAV file)."""

    def stop_take(self) -> TakeInfo | None:
        """Finish the take and describe it; None when no take ran."""

    def watchdog_check(self) -> str | None:
        """A message for the user when the device died or stalled, else None."""


class Recorder:
    """The take workflow in one folder, without Qt: record, list, label, trash and undo, recover.

    A take is listed in the folder's manifest (unlabelled) as soon as it stops, so it appears
    in the browser at once; labelling rewrites its row.

    Parameters
    ----------
    folder : Path
        The recordings folder.
    capture : TakeSource
        The device that records takes (a microphone).

    Attributes
    ----------
    unfinished : list of Path
        Takes a crash left unfinished in ``folder`` (see :meth:`recover`).
    trashed : Path or None
        The take deleted last, which :meth:`undo` restores.
    """

    def __init__(self, folder: Path, capture: TakeSource) -> None:
        self.capture = capture
        self.folder = Path(folder)
        self.unfinished = store.find_unfinished(self.folder)
        self.trashed: Path | None = None

    def begin(self) -> Path:
        """Start a new take in the folder; returns its file."""
        path = new_take_path(self.folder)
        self.capture.start_take(path)
        return path

    def end(self, prompt: Prompt | None = None) -> TakeInfo | None:
        """Stop the take (None if none ran) and list it, with the prompt that was shown."""
        take = self.capture.stop_take()
        if take is not None:
            take = replace(take, sentence_id=prompt.sentence_id, text=prompt.text) if prompt else take
            store.save_take(take.file.parent, take)
        return take

    def check(self) -> tuple[str, TakeInfo | None] | None:
        """Run the capture's watchdog; on trouble end the take. Returns (message, kept take)."""
        problem = self.capture.watchdog_check()
        return None if problem is None else (problem, self.end())

    def trash(self, path: Path | str) -> TakeInfo | None:
        """Move a listed take to the trash (None when ``path`` is not listed)."""
        take = store.find_take(self.folder, path)
        if take is not None:
            self.trashed = store.delete_take(self.folder, take)
        return take

    def undo(self) -> TakeInfo | None:
        """Restore the take trashed last (None when there is none)."""
        trashed, self.trashed = self.trashed, None
        return store.restore_take(self.folder, trashed) if trashed else None

    def recover(self) -> list[TakeInfo]:
        """Keep every unfinished take (listed, unlabelled)."""
        kept = []
        while self.unfinished:
            kept.append(store.recover(self.unfinished[0]))
            self.unfinished.pop(0)
        return kept

    def discard_unfinished(self) -> None:
        """Move every unfinished take to the trash (the last one can be restored with undo)."""
        while self.unfinished:
            self.trashed = store.discard_unfinished(self.unfinished[0])
            self.unfinished.pop(0)
