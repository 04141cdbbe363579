"""Errors whose message is written for the user, not the developer."""

from __future__ import annotations


class ServisError(Exception):
    """Base class: ``str(error)`` is a complete sentence fit for the status bar or a dialog."""


class AudioLoadError(ServisError):
    """An audio file cannot be opened as a clip (missing, damaged, unsupported, empty...)."""


class FeatureError(ServisError):
    """Features cannot be computed with the requested parameters."""
