"""SERVIS: Speech Emotion Recognition VISualiser."""

__version__ = "0.1.0"
