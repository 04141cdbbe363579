"""Per-clip features of a whole corpus: cache first, then worker processes, results streamed back.

Each clip is independent. A worker receives a path and the frozen settings, loads that one clip,
computes its functionals and returns only the feature vector: audio never crosses a process
boundary, and at most a few clips are in flight at a time. Results are written to the
:class:`~servis_gui.core.corpus_cache.CorpusCache` in batches as they arrive, so a cancelled or
interrupted run keeps what it computed.

Workers are started with the "forkserver" method ("spawn" where it does not exist), never "fork":
the GUI process has Qt threads, and a forked copy of them can deadlock.
"""

from __future__ import annotations

import csv
import json
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np

from servis_gui.core.clip import FileIdentity, load_clip
from servis_gui.core.corpus_cache import (
    FEATURES_VERSION, CachedClip, CorpusCache, columns_digest, settings_digest,
)
from servis_gui.core.datasets.records import ClipRecord
from servis_gui.core.errors import ServisError
from servis_gui.core.features import fft_backend, set_fft_backend
from servis_gui.core.file_access import display_name
from servis_gui.core.functionals import FeatureSpec, clip_functionals, definitions, feature_specs
from servis_gui.core.params import FeatureParams
from servis_gui.core.prosody import PitchParams
from servis_gui.core.prosody_export import cannot_save

ProgressCallback = Callable[[int, int, Path], None]
CancelCallback = Callable[[], bool]

LABEL_COLUMNS = ("path", "emotion", "speaker", "gender", "sentence")
"""The first columns of the features CSV; the feature names follow."""

LABEL_DEFINITIONS = {
    "path": "the audio file",
    "emotion": "canonical emotion label read from the corpus (neutral, angry, ...)",
    "speaker": "speaker id as the corpus names it",
    "gender": "female, male, or empty when the corpus does not say",
    "sentence": "id of the fixed sentence spoken, when the corpus has one",
}

IN_FLIGHT_PER_WORKER = 2
"""Clips handed to each worker ahead of time: enough to keep it busy, few to cancel."""

STORE_EVERY = 32
"""Computed clips written to the cache in one transaction."""

STORE_INTERVAL_S = 2.0
"""Longest time computed clips wait before they are written to the cache."""

WORKER_NICENESS = 10
"""How much lower the workers' scheduling priority is than the caller's (Unix niceness)."""

POLL_S = 0.1
"""How often ``cancelled()`` is polled while the workers are busy."""

_PRELOAD = ["servis_gui.core.corpus_run", "scipy.fft", "parselmouth"]
"""Imported once by the forkserver, so every worker starts with them loaded (and shares their pages)."""


@dataclass(frozen=True)
class CorpusResult:
    """The features of the clips of a corpus.

    Attributes
    ----------
    names : tuple of str
        Feature names: the columns of ``values``.
    records : tuple of ClipRecord
        The clips analysed, in input order: the rows of ``values``.
    values : np.ndarray
        float64, shape ``(len(records), len(names))``; NaN where a feature is undefined.
    failures : tuple of (Path, str)
        Clips that could not be analysed, in input order, with the plain reason.
    cached, computed : int
        How many clips (analysed or failed) came from the cache, and how many were computed now.
    cancelled : bool
        True when the run was stopped early: the clips not reached are in neither list.
    """

    names: tuple[str, ...]
    records: tuple[ClipRecord, ...]
    values: np.ndarray
    failures: tuple[tuple[Path, str], ...]
    cached: int
    computed: int
    cancelled: bool


@dataclass(frozen=True)
class _Outcome:
    """What a worker sends back for one clip: the vector, or why there is none."""

    identity: FileIdentity | None
    values: bytes | None
    error: str = ""
    cacheable: bool = True


def feature_names(params: FeatureParams) -> tuple[str, ...]:
    """The feature columns for these settings, in order.

    Parameters
    ----------
    params : FeatureParams

    Returns
    -------
    tuple of str
    """
    return tuple(spec.name for spec in feature_specs(params.n_mels))


def analyse_clips(records: Sequence[ClipRecord], params: FeatureParams, pitch: PitchParams, jobs: int = 2,
                  cache: CorpusCache | None = None, progress: ProgressCallback | None = None,
                  cancelled: CancelCallback | None = None) -> CorpusResult:
    """Compute the per-clip features of ``records``, from the cache where possible.

    Parameters
    ----------
    records : sequence of ClipRecord
        The clips, e.g. ``scan_dataset(root).records``.
    params : FeatureParams
        STFT / mel / MFCC settings; ``params.sr`` is the analysis rate.
    pitch : PitchParams
        Pitch and intensity settings.
    jobs : int
        Worker processes; 1 computes in the calling process, without a pool (same numbers).
    cache : CorpusCache or None
        Looked up first, in the calling thread; computed clips and cacheable failures are
        written to it in batches. None analyses every clip.
    progress : callable(done, total, path), optional
        Called in the calling thread once for every clip, cached or computed, as it is finished.
    cancelled : callable() -> bool, optional
        Polled between results (and every 0.1 s while workers run); True stops the run: clips
        not started are dropped, results already computed are kept and cached.

    Returns
    -------
    CorpusResult
    """
    if jobs < 1:
        raise ValueError("jobs must be at least 1")
    names = feature_names(params)
    run = _Run(tuple(records), names, params, pitch, cache, progress)
    pending = run.use_cache()
    stop = cancelled or (lambda: False)
    try:
        if jobs == 1:
            stopped = _compute_here(run, pending, stop)
        else:
            stopped = _compute_in_workers(run, pending, jobs, stop)
    finally:
        run.store()
    return run.result(stopped)


class _Run:
    """The state of one analysis: outcomes by input index, counters, the batch for the cache."""

    def __init__(self, records: tuple[ClipRecord, ...], names: tuple[str, ...], params: FeatureParams,
                 pitch: PitchParams, cache: CorpusCache | None, progress: ProgressCallback | None) -> None:
        self.records = records
        self.names = names
        self.params = params
        self.pitch = pitch
        self.cache = cache
        self.progress = progress
        self.settings = settings_digest(params, pitch)
        self.columns = columns_digest(names)
        self.outcomes: dict[int, _Outcome] = {}
        self.identities: dict[int, FileIdentity] = {}
        self.cached = 0
        self.batch: list[tuple[FileIdentity, CachedClip]] = []
        self.last_store = time.monotonic()

    def use_cache(self) -> list[int]:
        """Settle the missing files and the cache hits; return the indices left to compute."""
        for index, record in enumerate(self.records):
            try:
                self.identities[index] = FileIdentity.of(record.path)
            except ServisError as error:
                self.finish(index, _Outcome(None, None, str(error), cacheable=False))
        hits = self._hits()
        for index, identity in self.identities.items():
            if identity.path in hits:
                self.cached += 1
                self.finish(index, _from_cache(identity, hits[identity.path]))
        return [index for index in self.identities if index not in self.outcomes]

    def _hits(self) -> dict[str, CachedClip]:
        if self.cache is None:
            return {}
        return self.cache.lookup(list(self.identities.values()), self.settings, self.columns)

    def finish(self, index: int, outcome: _Outcome) -> None:
        """Record one clip's outcome and report progress."""
        self.outcomes[index] = outcome
        if self.progress is not None:
            self.progress(len(self.outcomes), len(self.records), self.records[index].path)

    def computed(self, index: int, outcome: _Outcome) -> None:
        """Record a freshly computed outcome, and queue it for the cache."""
        self.finish(index, outcome)
        if self.cache is not None and outcome.cacheable:
            identity = outcome.identity or self.identities[index]
            self.batch.append((identity, _to_cache(outcome)))
            if len(self.batch) >= STORE_EVERY or time.monotonic() - self.last_store >= STORE_INTERVAL_S:
                self.store()

    def store(self) -> None:
        """Write the queued outcomes to the cache in one transaction."""
        if self.cache is not None and self.batch:
            self.cache.store(self.batch, self.settings, self.columns)
        self.batch = []
        self.last_store = time.monotonic()

    def result(self, stopped: bool) -> CorpusResult:
        """The outcomes so far, in input order."""
        done = sorted(self.outcomes)
        good = [index for index in done if self.outcomes[index].values is not None]
        values = np.empty((len(good), len(self.names)), dtype=np.float64)
        for row, index in enumerate(good):
            values[row] = np.frombuffer(self.outcomes[index].values, dtype=np.float64)
        values.setflags(write=False)
        failures = tuple((self.records[index].path, self.outcomes[index].error)
                         for index in done if self.outcomes[index].values is None)
        return CorpusResult(self.names, tuple(self.records[index] for index in good), values, failures,
                            self.cached, len(done) - self.cached, stopped)


def _from_cache(identity: FileIdentity, entry: CachedClip) -> _Outcome:
    if entry.values is None:
        return _Outcome(identity, None, entry.error)
    return _Outcome(identity, entry.values.tobytes())


def _to_cache(outcome: _Outcome) -> CachedClip:
    if outcome.values is None:
        return CachedClip(None, outcome.error)
    return CachedClip(np.frombuffer(outcome.values, dtype=np.float64))


def _compute_here(run: _Run, pending: list[int], stop: CancelCallback) -> bool:
    """Compute the pending clips one by one in this process; True if stopped early."""
    for index in pending:
        if stop():
            return True
        run.computed(index, _analyse_path(str(run.records[index].path), run.params, run.pitch, run.names))
    return False


def _compute_in_workers(run: _Run, pending: list[int], jobs: int, stop: CancelCallback) -> bool:
    """Compute the pending clips in ``jobs`` worker processes; True if stopped early.

    If a worker process dies (killed, or crashed inside a library), the clips it and its pool had
    in flight become failures that are not cached, and a new pool takes the rest.
    """
    if not pending:
        return False
    queue = iter(pending)
    while True:
        in_flight: dict[Future, int] = {}
        pool = _pool(min(jobs, len(pending)))
        try:
            stopped, broken = _drain(pool, run, queue, in_flight, jobs * IN_FLIGHT_PER_WORKER, stop)
        finally:
            pool.shutdown(wait=not in_flight, cancel_futures=True)
        if stopped or not broken:
            return stopped


def _drain(pool: ProcessPoolExecutor, run: _Run, queue: Iterator[int], in_flight: dict[Future, int],
           limit: int, stop: CancelCallback) -> tuple[bool, bool]:
    """Feed ``pool`` from ``queue`` and collect its results: ``(stopped, pool broken)``."""
    broken = _submit(pool, run, queue, in_flight, limit)
    while in_flight:
        done, _ = wait(in_flight, timeout=POLL_S, return_when=FIRST_COMPLETED)
        for future in done:
            index = in_flight.pop(future)
            try:
                outcome = future.result()
            except BrokenProcessPool:
                broken = True
                outcome = _worker_died(run, index)
            run.computed(index, outcome)
        if stop():
            return True, broken
        if not broken:
            broken = _submit(pool, run, queue, in_flight, limit)
    return False, broken


def _submit(pool: ProcessPoolExecutor, run: _Run, queue: Iterator[int], in_flight: dict[Future, int],
            limit: int) -> bool:
    """Hand clips to the pool until ``limit`` are in flight or none are left; True if the pool
    broke meanwhile (a worker died before its result was collected): the clip being handed over
    fails like those in flight, and a new pool takes the rest."""
    while len(in_flight) < limit:
        index = next(queue, None)
        if index is None:
            return False
        try:
            future = pool.submit(_analyse_path, str(run.records[index].path), run.params, run.pitch, run.names)
        except BrokenProcessPool:
            run.computed(index, _worker_died(run, index))
            return True
        in_flight[future] = index
    return False


def _worker_died(run: _Run, index: int) -> _Outcome:
    """The outcome of a clip whose worker process died: a failure not cached (tried again next time)."""
    return _Outcome(None, None, f"{display_name(run.records[index].path)} could not be analysed: "
                                "the worker process analysing it stopped unexpectedly.", False)


def _pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes that start with this process's FFT back-end and ignore Ctrl+C."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
    else:
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker,
                               initargs=(fft_backend(),))


def _start_worker(backend: str) -> None:
    """Worker set-up: the caller's FFT (for identical numbers); Ctrl+C is the parent's to handle;
    a lower priority, so that the window (or the terminal) stays responsive on a busy machine."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.nice(WORKER_NICENESS)
    set_fft_backend(backend)


def _analyse_path(path: str, params: FeatureParams, pitch: PitchParams, names: tuple[str, ...]) -> _Outcome:
    """Load one clip and compute its feature vector (in a worker, or in-process for ``jobs=1``).

    The vector comes back as float64 bytes, or the plain reason the clip could not be analysed. An
    unexpected exception (a bug, not a property of the file) is reported but not cached.
    """
    try:
        clip = load_clip(path, sr=params.sr)
        features = clip_functionals(clip, params, pitch)
        vector = np.array([features[name] for name in names], dtype=np.float64)
    except ServisError as error:
        return _Outcome(None, None, str(error))
    except Exception as error:  # one clip's surprise must not stop the corpus
        message = f"{display_name(path)} could not be analysed: unexpected {type(error).__name__}: {error}"
        return _Outcome(None, None, message, cacheable=False)
    return _Outcome(clip.identity, vector.tobytes())


def corpus_table(result: CorpusResult) -> Iterator[list[str]]:
    """The rows of the features CSV: the header, then one row per analysed clip.

    Parameters
    ----------
    result : CorpusResult

    Yields
    ------
    list of str
        ``path, emotion, speaker, gender, sentence`` then the features; numbers are written
        with Python's shortest exact form, NaN as an empty cell.
    """
    yield [*LABEL_COLUMNS, *result.names]
    for record, row in zip(result.records, result.values):
        labels = [str(record.path), record.emotion, record.speaker, record.gender, record.sentence_id]
        yield labels + ["" if np.isnan(value) else repr(value) for value in row.tolist()]


def write_features_csv(result: CorpusResult, file: str | os.PathLike) -> None:
    """Write :func:`corpus_table` to ``file`` (UTF-8), replacing it whole or not at all.

    Raises
    ------
    ExportError
        With a plain sentence when the file cannot be written.
    """
    with _replacing(file) as out:
        csv.writer(out).writerows(corpus_table(result))


def write_failures_csv(failures: Sequence[tuple[Path, str]], file: str | os.PathLike) -> None:
    """Write the clips that could not be analysed: columns ``path, reason``.

    Raises
    ------
    ExportError
        With a plain sentence when the file cannot be written.
    """
    with _replacing(file) as out:
        writer = csv.writer(out)
        writer.writerow(["path", "reason"])
        writer.writerows([str(path), reason] for path, reason in failures)


def write_definitions_json(specs: Sequence[FeatureSpec], file: str | os.PathLike,
                           settings: Mapping | None = None) -> None:
    """Write the JSON sidecar of the features CSV: what every column means, and the settings used.

    Parameters
    ----------
    specs : sequence of FeatureSpec
        The features, as ``feature_specs(n_mels)`` gives them.
    file : str or path-like
        Replaced whole or not at all.
    settings : mapping, optional
        The analysis settings (``corpus_cache.settings_record``), recorded for reproducibility.

    Raises
    ------
    ExportError
        With a plain sentence when the file cannot be written.
    """
    document = {
        "features_version": FEATURES_VERSION,
        "label_columns": LABEL_DEFINITIONS,
        "features": definitions(specs),
        "settings": dict(settings or {}),
    }
    with _replacing(file) as out:
        json.dump(document, out, indent=2, ensure_ascii=False)
        out.write("\n")


@contextmanager
def _replacing(file: str | os.PathLike) -> Iterator[TextIO]:
    """A text file written beside ``file`` and moved over it once complete."""
    target = Path(file)
    tmp = target.with_name(f".{target.name}.part")
    try:
        with tmp.open("w", newline="", encoding="utf-8") as out:
            yield out
        os.replace(tmp, target)
    except OSError as exc:
        raise cannot_save(target, exc) from exc
    finally:
        tmp.unlink(missing_ok=True)
