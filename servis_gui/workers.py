"""Background threads: feature computation with stale-result dropping."""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass

from PySide6.QtCore import QObject, QThread, Signal, Slot

from servis_gui.core.clip import Clip, FileIdentity
from servis_gui.core.errors import ServisError
from servis_gui.core.file_access import display_name
from servis_gui.core.params import FeatureParams

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FeatureRequest:
    """Immutable work order: analyse ``path`` with ``params``.

    ``token`` orders requests within a ``channel`` (the panes' clip, a comparison group):
    a request older than the newest one of its channel is skipped. ``recover_unfinished``
    reads a WAV whose recorder crashed before completing its header (the user asked for it).
    """

    token: int
    path: str
    params: FeatureParams
    channel: str = "clip"
    recover_unfinished: bool = False


@dataclass(frozen=True)
class Analysis:
    """A loaded clip and its features, the unit the panes draw."""

    clip: Clip
    features: object  # core.features.FeatureSet (imported lazily to keep start-up light)


class _FeatureJob(QObject):
    """Lives on the worker thread; loads and analyses one request at a time."""

    finished = Signal(object, object)
    failed = Signal(object, object)

    def __init__(self) -> None:
        super().__init__()
        self.latest: dict[str, int] = {}  # newest token per channel, written by the GUI thread
        self._clips: OrderedDict[tuple[FileIdentity, int | None], Clip] = OrderedDict()

    @Slot()
    def warm_up(self) -> None:
        """Switch to scipy's faster FFT and run it once (after the first clip: it costs 0.2-0.5 s)."""
        import numpy as np

        from servis_gui.core.features import compute_features, set_fft_backend

        set_fft_backend("scipy")

        silence = np.zeros(4096, dtype=np.float32)
        compute_features(Clip(silence, 16000, FileIdentity("", 0, 0), 16000, 1), FeatureParams())

    @Slot(object)
    def run(self, request: FeatureRequest) -> None:
        if request.token < self.latest.get(request.channel, 0):
            return  # the user has already moved on
        try:
            analysis = self._analyse(request)
        except ServisError as exc:
            self.failed.emit(request, exc)
        except Exception as exc:  # a bug must reach the user, not kill the thread
            log.exception("feature computation failed for %s", request.path)
            self.failed.emit(request, ServisError(
                f"Could not analyse {display_name(request.path)}: SERVIS met an internal error. "
                "The rest keeps working; the details are in the log.", f"{request.path}: {exc!r}"))
        else:
            self.finished.emit(request, analysis)

    def _analyse(self, request: FeatureRequest) -> Analysis:
        from servis_gui.core.features import compute_features

        clip = self._clip(request.path, request.params.sr, request.recover_unfinished)
        return Analysis(clip, compute_features(clip, request.params))

    def _clip(self, path: str, sr: int | None, recover_unfinished: bool) -> Clip:
        from servis_gui.core.clip import load_clip

        key = (FileIdentity.of(path), sr)
        if key in self._clips:
            self._clips.move_to_end(key)
            return self._clips[key]
        clip = load_clip(path, sr=sr, recover_unfinished=recover_unfinished)
        self._clips[key] = clip
        while len(self._clips) > 8:
            self._clips.popitem(last=False)
        return clip


class _Lane(QObject):
    """One worker thread and the job living on it."""

    submit = Signal(object)
    warm = Signal()

    def __init__(self, index: int, owner: "FeatureWorker") -> None:
        super().__init__(owner)
        self.thread = QThread()
        self.thread.setObjectName(f"FeatureWorker-{index}")
        self.job = _FeatureJob()
        self.job.moveToThread(self.thread)
        self.submit.connect(self.job.run)
        self.warm.connect(self.job.warm_up)
        self.job.finished.connect(owner.finished)
        self.job.failed.connect(owner.failed)
        self.thread.start()


class FeatureWorker(QObject):
    """Background threads that turn ``FeatureRequest`` into ``Analysis``.

    The panes' clip always goes to the first thread; the clips of a comparison group are
    spread over all of them (two cores: a six-clip grid is analysed about twice as fast).
    Results arrive on the GUI thread through ``finished(request, analysis)`` or
    ``failed(request, error)`` (a ``ServisError``). Requests older than the newest submitted one of their
    channel are skipped.
    """

    finished = Signal(object, object)
    failed = Signal(object, object)

    def __init__(self, parent: QObject | None = None, threads: int = 2) -> None:
        super().__init__(parent)
        self._lanes = [_Lane(i, self) for i in range(max(1, threads))]
        self._next = 0

    def warm_up(self) -> None:
        """Ask every thread to import and exercise the faster FFT now."""
        for lane in self._lanes:
            lane.warm.emit()

    def submit(self, request: FeatureRequest) -> None:
        for lane in self._lanes:
            lane.job.latest[request.channel] = request.token
        if request.channel == "clip":
            lane = self._lanes[0]
        else:
            lane = self._lanes[self._next % len(self._lanes)]
            self._next += 1
        lane.submit.emit(request)

    def shutdown(self) -> None:
        for lane in self._lanes:
            lane.thread.quit()
        for lane in self._lanes:
            lane.thread.wait(5000)
