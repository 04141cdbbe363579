"""Filtering a dataset's records: one pass gives the rows shown and the per-emotion counts.

Also the sentence helpers behind "same sentence, other emotions". No Qt.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import repeat

from servis_gui.core.datasets.records import ClipRecord
from servis_gui.core.emotions import CANONICAL, EXTRAS

EMOTION_ORDER = {name: i for i, name in enumerate(CANONICAL + EXTRAS)}


def sentence_key(record: ClipRecord) -> str:
    """Return what identifies the spoken sentence: its id, else its text (``""`` when unknown)."""
    return record.sentence_id or record.text


def same_sentence(record: ClipRecord, anchor: ClipRecord, across_speakers: bool) -> bool:
    """Is ``record`` the same sentence as ``anchor`` (same corpus; same speaker unless across)?"""
    return (record.corpus == anchor.corpus and sentence_key(record) == sentence_key(anchor)
            and (across_speakers or record.speaker == anchor.speaker))


def sentence_label(record: ClipRecord) -> str:
    """The sentence combo's label: ``id: text`` (shortened), or whichever of the two is known."""
    label = f"{record.sentence_id}: {record.text}" if record.sentence_id and record.text else sentence_key(record)
    return label if len(label) <= 60 else label[:59] + "…"


def emotion_rank(emotion: str) -> tuple[int, str]:
    """Sort key: the canonical emotions in their order, then the others by name."""
    return EMOTION_ORDER.get(emotion, len(EMOTION_ORDER)), emotion


@dataclass(frozen=True)
class ClipFilter:
    """What the browser shows: ``""`` (or ``None`` for emotions) means no restriction.

    The search text is matched, case-insensitively, inside the clip's text and file name.
    """

    emotions: frozenset[str] | None = None
    speaker: str = ""
    gender: str = ""
    sentence: str = ""
    search: str = ""


@dataclass
class FilterOutcome:
    """One evaluation of a :class:`ClipFilter` over the records.

    Attributes
    ----------
    accepted : list of bool
        By record index: does the clip pass every criterion.
    visible : Counter
        Per emotion, the clips shown.
    facets : Counter
        Per emotion, the clips that pass every criterion but the emotion one (what ticking
        that emotion's box would show).
    """

    accepted: list[bool] = field(default_factory=list)
    visible: Counter[str] = field(default_factory=Counter)
    facets: Counter[str] = field(default_factory=Counter)


def evaluate(criteria: ClipFilter, records: Sequence[ClipRecord],
             haystacks: Sequence[str] | None = None) -> FilterOutcome:
    """Apply ``criteria`` to every record in one pass.

    Parameters
    ----------
    criteria : ClipFilter
        The filter.
    records : sequence of ClipRecord
        The clips.
    haystacks : sequence of str, optional
        Per record, the case-folded text searched (:meth:`ClipTableModel.haystacks`); needed
        only when ``criteria.search`` is not blank.

    Returns
    -------
    FilterOutcome
        The row mask and the per-emotion counts.
    """
    if criteria == ClipFilter():
        counts = Counter(record.emotion for record in records)
        return FilterOutcome([True] * len(records), counts, counts.copy())
    outcome = FilterOutcome()
    needle = criteria.search.strip().casefold()
    for record, haystack in zip(records, haystacks if needle else repeat("")):
        passes = ((not criteria.speaker or record.speaker == criteria.speaker)
                  and (not criteria.gender or record.gender == criteria.gender)
                  and (not criteria.sentence or sentence_key(record) == criteria.sentence)
                  and needle in haystack)
        shown = passes and (criteria.emotions is None or record.emotion in criteria.emotions)
        outcome.accepted.append(shown)
        outcome.facets[record.emotion] += passes
        outcome.visible[record.emotion] += shown
    return outcome
