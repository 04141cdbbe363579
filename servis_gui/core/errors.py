"""Errors whose message is written for the user, not the developer."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from servis_gui.core.wav_header import WavLayout


class ServisError(Exception):
    """Base class: ``str(error)`` is a complete sentence fit for the status bar or a dialog.

    Attributes
    ----------
    details : str
        What a developer needs and the user may want to see behind a "Details" button (full
        path, the library's own words); ``""`` if there is nothing more to say. Write it to the log.
    """

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.details = details


class AudioLoadError(ServisError):
    """An audio file cannot be opened as a clip (missing, damaged, unsupported, empty...)."""


class UnfinishedWavError(AudioLoadError):
    """A WAV file whose header was never completed (its recorder crashed) but that holds audio.

    ``load_clip(path, sr, recover_unfinished=True)`` opens it anyway.

    Attributes
    ----------
    path : str
        The resolved path of the file.
    layout : WavLayout
        Where its samples start and how they are encoded.
    frames : int
        Whole frames it really holds after the header.
    """

    def __init__(self, message: str, details: str, path: str, layout: WavLayout,
                 frames: int) -> None:
        super().__init__(message, details)
        self.path = path
        self.layout = layout
        self.frames = frames

    @property
    def seconds(self) -> float:
        """Length of the audio the file really holds."""
        return self.frames / self.layout.samplerate


class FeatureError(ServisError):
    """Features cannot be computed with the requested parameters."""
