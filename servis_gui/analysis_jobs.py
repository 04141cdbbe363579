"""Clip analysis in the background: requests, the cache of finished analyses, the worker lanes.

The panes' clip always goes to the first lane; the clips of a comparison group are spread over
all of them (two cores: a six-clip grid is analysed about twice as fast). Prosody (Praat's pitch
and intensity) is a second request made once the spectral features are shown, so the panes never
wait for it; parselmouth is first imported by that job, on a lane.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from servis_gui.core.analysis import Analysis
from servis_gui.core.clip import Clip, FileIdentity, load_clip
from servis_gui.core.errors import ServisError
from servis_gui.core.features import compute_features, set_fft_backend
from servis_gui.core.file_access import display_name
from servis_gui.core.params import FeatureParams
from servis_gui.core.prosody import PitchParams, Prosody, compute_prosody
from servis_gui.jobs import RESULT, JobContext, Lane

log = logging.getLogger(__name__)

CACHE_BYTES = 96 * 2**20
CLIPS_KEPT = 8
"""Decoded clips kept for re-analysis with other parameters (the cache key has no parameters)."""

CacheKey = tuple[FileIdentity, FeatureParams | PitchParams]
PROSODY_CHANNELS = {"clip": "prosody", "group": "group-prosody"}
"""The channel of a prosody request, by the channel of the analysis it follows."""


@dataclass(frozen=True)
class FeatureRequest:
    """Immutable work order: analyse ``path`` with ``params``.

    ``token`` orders requests within a ``channel`` ("clip": the panes, "group": a comparison):
    a request older than the newest one of its channel is skipped. ``recover_unfinished``
    reads a WAV whose recorder crashed before completing its header (the user asked for it).
    """

    token: int
    path: str
    params: FeatureParams
    channel: str = "clip"
    recover_unfinished: bool = False


@dataclass(frozen=True)
class ProsodyRequest:
    """Immutable work order: pitch and intensity of an analysed ``clip`` with ``params``.

    ``channel`` is "prosody" (the panes' clip) or "group-prosody" (a comparison); ``token`` is
    the token of the analysis it follows, so it is dropped with it.
    """

    token: int
    clip: Clip
    params: PitchParams
    channel: str = "prosody"


class FeatureCache:
    """Least-recently-used analyses and prosody keyed by file identity and parameters, bounded in bytes."""

    def __init__(self, max_bytes: int = CACHE_BYTES) -> None:
        self._items: OrderedDict[CacheKey, Analysis | Prosody] = OrderedDict()
        self._max_bytes = max_bytes

    def get(self, key: CacheKey) -> Analysis | Prosody | None:
        item = self._items.get(key)
        if item is not None:
            self._items.move_to_end(key)
        return item

    def put(self, key: CacheKey, analysis: Analysis | Prosody) -> None:
        self._items[key] = analysis
        self._items.move_to_end(key)
        while len(self._items) > 1 and self.nbytes > self._max_bytes:
            self._items.popitem(last=False)

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in self._items.values())


class _ClipMemory:
    """The last few decoded clips, shared by the lanes (a lock: two lanes may load at once)."""

    def __init__(self) -> None:
        self._clips: OrderedDict[tuple[FileIdentity, int | None], Clip] = OrderedDict()
        self._lock = threading.Lock()

    def load(self, request: FeatureRequest) -> Clip:
        key = (FileIdentity.of(request.path), request.params.sr)
        with self._lock:
            if key in self._clips:
                self._clips.move_to_end(key)
                return self._clips[key]
        clip = load_clip(request.path, sr=request.params.sr, recover_unfinished=request.recover_unfinished)
        with self._lock:
            self._clips[key] = clip
            while len(self._clips) > CLIPS_KEPT:
                self._clips.popitem(last=False)
        return clip


class FeatureWorker(QObject):
    """Turns ``FeatureRequest`` into ``Analysis`` on background lanes.

    Signals
    -------
    finished(FeatureRequest, Analysis)
    failed(FeatureRequest, ServisError)
    prosody_finished(ProsodyRequest, Prosody or ServisError)
        On the GUI thread. Requests older than the newest one of their channel are skipped.
    """

    finished = Signal(object, object)
    failed = Signal(object, object)
    prosody_finished = Signal(object, object)

    def __init__(self, parent: QObject | None = None, threads: int = 2) -> None:
        super().__init__(parent)
        self._lanes = [Lane(f"FeatureWorker-{i}", parent=self) for i in range(max(1, threads))]
        self._clips = _ClipMemory()
        self._next = 0
        for lane in self._lanes:
            lane.posted.connect(self._on_posted)

    def warm_up(self) -> None:
        """Switch to scipy's faster FFT and run it once on every lane (it costs 0.2-0.5 s)."""
        for lane in self._lanes:
            lane.submit("warm", _warm_up)

    def submit(self, request: FeatureRequest) -> None:
        """Analyse ``request`` in the background; the answer comes as ``finished`` or ``failed``."""
        self._queue(request, self._analyse)

    def submit_prosody(self, request: ProsodyRequest) -> None:
        """Compute pitch and intensity in the background; the answer comes as ``prosody_finished``."""
        self._queue(request, self._prosody)

    def _queue(self, request: FeatureRequest | ProsodyRequest, work) -> None:
        if request.channel in ("clip", "prosody"):
            lane = self._lanes[0]
        else:
            lane = self._lanes[self._next % len(self._lanes)]
            self._next += 1
        for other in self._lanes:  # a newer request supersedes older ones on every lane
            other.supersede(request.channel, request.token)
        lane.submit(request.channel, lambda _context: _answer(request, work), request.token)

    def shutdown(self) -> None:
        for lane in self._lanes:
            lane.shutdown()

    def _analyse(self, request: FeatureRequest) -> Analysis:
        clip = self._clips.load(request)
        return Analysis(clip, compute_features(clip, request.params))

    @staticmethod
    def _prosody(request: ProsodyRequest) -> Prosody:
        return compute_prosody(request.clip, request.params)

    def _on_posted(self, channel: str, _token: int, kind: str, payload: tuple) -> None:
        if channel == "warm" or kind != RESULT:
            return
        request, outcome = payload[0]
        if isinstance(request, ProsodyRequest):
            self.prosody_finished.emit(request, outcome)
        elif isinstance(outcome, ServisError):
            self.failed.emit(request, outcome)
        else:
            self.finished.emit(request, outcome)


def _answer(request, work) -> tuple[object, object]:
    """Runs on a lane: ``work(request)``, or the reason there is none, with the request it answers."""
    try:
        return request, work(request)
    except ServisError as error:
        return request, error
    except Exception as error:  # a bug must reach the user, not kill the thread
        path = request.path if isinstance(request, FeatureRequest) else request.clip.identity.path
        log.exception("background analysis failed for %s", path)
        return request, ServisError(
            f"Could not analyse {display_name(path)}: SERVIS met an internal error. "
            "The rest keeps working; the details are in the log.", f"{path}: {error!r}")


def _warm_up(_context: JobContext) -> None:
    import numpy as np

    set_fft_backend("scipy")
    silence = np.zeros(4096, dtype=np.float32)
    compute_features(Clip(silence, 16000, FileIdentity("", 0, 0), 16000, 1), FeatureParams())
