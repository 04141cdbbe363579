"""What 0 dB means in a mel spectrogram view: one vocabulary, and every label for it, in one place.

A per-clip reference (librosa's ``ref=np.max``) makes every clip's loudest cell 0 dB and so
hides loudness differences between clips; views always say which reference is in use.
"""

from __future__ import annotations

from enum import StrEnum


class DbReference(StrEnum):
    """The reference of a mel dB image.

    ``CLIP_MAX`` and ``FULL_SCALE`` are what a clip is analysed with (``FeatureParams.db_ref``);
    a comparison grid also offers ``GROUP_MAX``.
    """

    CLIP_MAX = "clip_max"
    FULL_SCALE = "full_scale"
    GROUP_MAX = "group_max"

    @classmethod
    def _missing_(cls, value: object) -> DbReference | None:
        return cls.CLIP_MAX if value == "max" else None  # the spelling of settings saved before

    @property
    def unit(self) -> str:
        """For an axis or a read-out: ``"dB re clip max"``."""
        return _TEXTS[self][0]

    @property
    def short(self) -> str:
        """For a choice in a combo box."""
        return _TEXTS[self][1]

    @property
    def description(self) -> str:
        """A full sentence fragment for headers and tooltips, saying what it does to loudness."""
        return _TEXTS[self][2]


CLIP_REFERENCES = (DbReference.CLIP_MAX, DbReference.FULL_SCALE)
"""The references a clip is analysed with (the panes)."""
GROUP_REFERENCES = (DbReference.GROUP_MAX, DbReference.FULL_SCALE, DbReference.CLIP_MAX)
"""The references a comparison grid offers (first: its default)."""

_TEXTS = {
    DbReference.CLIP_MAX: ("dB re clip max", "clip max (per clip)",
                           "dB re clip max (per-clip, hides loudness differences)"),
    DbReference.FULL_SCALE: ("dB re full scale", "full scale (fixed)",
                             "dB re full scale (fixed, loudness comparable)"),
    DbReference.GROUP_MAX: ("dB re loudest clip", "loudest clip",
                            "dB re the loudest clip of the group (loudness comparable)"),
}
