"""Sentences to read while recording, with the corpus ids so takes line up with corpus clips."""

from __future__ import annotations

from typing import NamedTuple

from servis_gui.core.datasets.cremad import SENTENCES
from servis_gui.core.datasets.ravdess import STATEMENTS


class Prompt(NamedTuple):
    """A sentence to read, with the corpus' id for it so takes line up with corpus clips."""

    sentence_id: str
    text: str


PROMPT_LISTS: dict[str, tuple[Prompt, ...]] = {
    "Demo corpus": (Prompt("kids", STATEMENTS["01"]), Prompt("dogs", STATEMENTS["02"])),
    "RAVDESS": tuple(Prompt(key, text) for key, text in STATEMENTS.items()),
    "CREMA-D": tuple(Prompt(key, text) for key, text in SENTENCES.items()),
}
