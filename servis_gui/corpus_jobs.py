"""Corpus analysis in the background: one lane runs :func:`~servis_gui.core.corpus_run.analyse_clips`
(cache first, then worker processes) and reports progress, a time estimate, the result or the error;
a second lane computes the statistics of the feature shown (20-30 ms of scipy per redraw).

The GUI thread only receives a few progress posts per second, so it is never blocked by the run.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal

from servis_gui.core.corpus_cache import CorpusCache
from servis_gui.core.corpus_groups import FeatureView
from servis_gui.core.corpus_run import CorpusResult, analyse_clips
from servis_gui.core.datasets.records import ClipRecord
from servis_gui.core.observations import check_observations
from servis_gui.core.params import FeatureParams
from servis_gui.core.prosody import PitchParams
from servis_gui.core.stats import compare_emotions
from servis_gui.jobs import FAILED, RESULT, JobContext, Lane

CHANNEL, STATS = "corpus", "stats"
PROGRESS = "progress"
PROGRESS_EVERY_S = 0.1
"""At most this often a progress post reaches the GUI thread."""
DEFAULT_JOBS = 2


class CorpusWorker(QObject):
    """Analyses a corpus on its own lane; a newer request or :meth:`cancel` stops the running one.

    Parameters
    ----------
    cache : CorpusCache or None
        Where features are kept between runs; None opens the user's cache folder on first use.
    jobs : int
        Worker processes.

    Signals
    -------
    progress(int, int, float) : ``(done, total, seconds left)``; NaN seconds while unknown
    finished(CorpusResult) : the run ended (``result.cancelled`` when stopped early)
    failed(ServisError) : the run could not be made (the cache folder cannot be written ...)
    statistics_ready(EmotionComparison, list) : the statistics and verdicts asked for last
    """

    progress = Signal(int, int, float)
    finished = Signal(object)
    failed = Signal(object)
    statistics_ready = Signal(object, object)

    def __init__(self, cache: CorpusCache | None = None, jobs: int = DEFAULT_JOBS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cache, self._jobs = cache, jobs
        self.lane = Lane("CorpusWorker", parent=self)
        self.lane.posted.connect(self._on_posted)
        self.stats_lane = Lane("CorpusStats", parent=self)
        self.stats_lane.posted.connect(self._on_stats_posted)
        self.running = False

    def analyse(self, records: Sequence[ClipRecord], params: FeatureParams, pitch: PitchParams) -> None:
        """Compute (or read from the cache) the features of ``records``."""
        records = tuple(records)
        self.running = True
        self.lane.submit(CHANNEL, lambda context: self._run(context, records, params, pitch))

    def compare(self, view: FeatureView, claim_columns: dict, normalise: bool) -> None:
        """Test the emotions of ``view`` and the study's claims on ``claim_columns`` (same clips);
        the answer comes as ``statistics_ready`` (an older request still running is dropped)."""
        def work(_context: JobContext) -> tuple:
            comparison = compare_emotions(view.values, view.emotions, view.order, feature=view.name)
            return comparison, check_observations(claim_columns, view.emotions, view.speakers, normalise=normalise)

        self.stats_lane.submit(STATS, work)

    def cancel(self) -> None:
        """Stop the running analysis; what it computed is kept (and cached)."""
        self.lane.cancel(CHANNEL)

    def shutdown(self) -> None:
        self.lane.shutdown()
        self.stats_lane.shutdown()
        if self._cache is not None:
            self._cache.close()

    def _run(self, context: JobContext, records: tuple[ClipRecord, ...], params: FeatureParams,
             pitch: PitchParams) -> CorpusResult:
        if self._cache is None:
            self._cache = CorpusCache()
        clock = _Eta(len(records))

        def report(done: int, total: int, _path: object) -> None:
            if clock.due(done, total):
                context.post(PROGRESS, done, total, clock.seconds_left(done))

        return analyse_clips(records, params, pitch, jobs=self._jobs, cache=self._cache, progress=report,
                             cancelled=context.cancelled)

    def _on_posted(self, channel: str, token: int, kind: str, payload: tuple) -> None:
        if channel != CHANNEL or not self.lane.is_current(channel, token):
            return
        if kind == PROGRESS:
            self.progress.emit(*payload)
        elif kind == RESULT:
            self.running = False
            self.finished.emit(payload[0])
        elif kind == FAILED:
            self.running = False
            self.failed.emit(payload[0])


    def _on_stats_posted(self, channel: str, token: int, kind: str, payload: tuple) -> None:
        if kind == RESULT and self.stats_lane.is_current(channel, token):
            self.statistics_ready.emit(*payload[0])
        elif kind == FAILED:
            self.failed.emit(payload[0])


class _Eta:
    """Throttles progress posts and estimates the time left from the clips done so far."""

    def __init__(self, total: int) -> None:
        self.total, self.start, self.last = total, time.monotonic(), -math.inf

    def due(self, done: int, total: int) -> bool:
        now = time.monotonic()
        if done < total and now - self.last < PROGRESS_EVERY_S:
            return False
        self.last = now
        return True

    def seconds_left(self, done: int) -> float:
        elapsed = time.monotonic() - self.start
        if done == 0 or elapsed < 0.5:
            return math.nan
        return elapsed / done * (self.total - done)
