"""The shared view state every pane follows: clip, parameters, time cursor, range, selection, playhead."""

from __future__ import annotations

import os
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from servis_gui.core.clip import FileIdentity
from servis_gui.core.errors import ServisError
from servis_gui.core.params import FeatureParams
from servis_gui.analysis_jobs import FeatureCache, FeatureRequest, FeatureWorker
from servis_gui.core.analysis import Analysis

class Session(QObject):
    """One open clip and how it is viewed. Panes read from it and write to it, never to each other.

    Signals
    -------
    loading(path) : a clip was requested and is being analysed
    analysis_ready(Analysis) : the current clip's features are ready to draw
    load_failed(path, error) : the request failed (a ``ServisError``); the previous clip stays shown
    group_ready(list) : a comparison group is analysed: ``(path, Analysis or error message)`` pairs
    params_changed(FeatureParams)
    view_range_changed(t0, t1), cursor_moved(t), selection_changed(object), playhead_moved(object)
    """

    loading = Signal(str)
    analysis_ready = Signal(object)
    load_failed = Signal(str, object)
    group_ready = Signal(object)
    params_changed = Signal(object)
    view_range_changed = Signal(float, float)
    cursor_moved = Signal(float)
    selection_changed = Signal(object)
    playhead_moved = Signal(object)

    def __init__(self, params: FeatureParams, worker: FeatureWorker | None = None) -> None:
        super().__init__()
        self._params = params
        self._worker = worker or FeatureWorker(self)
        self._worker.finished.connect(self._on_worker_finished)
        self._worker.failed.connect(self._on_worker_failed)
        self._cache = FeatureCache()
        self._token = 0
        self._path: str | None = None
        self._recover = False
        self._group = _Group(0, (), {})
        self.analysis: Analysis | None = None
        self.view_range: tuple[float, float] = (0.0, 1.0)
        self.selection: tuple[float, float] | None = None
        self.playhead: float | None = None

    @property
    def params(self) -> FeatureParams:
        return self._params

    @property
    def path(self) -> str | None:
        """The clip the user asked for last (it may still be loading)."""
        return self._path

    @property
    def worker(self) -> FeatureWorker:
        return self._worker

    def open_clip(self, path: str, recover_unfinished: bool = False) -> None:
        """Show ``path``: from the cache at once, else after the worker has analysed it.

        ``recover_unfinished`` opens a WAV whose recorder crashed before finishing its header.
        """
        self._path, self._recover = str(path), recover_unfinished
        self._request()

    def open_group(self, paths: list[str]) -> None:
        """Analyse several clips for comparison (with a fixed dB reference, so they can share one
        colour scale); ``group_ready`` follows once every clip has a result or an error."""
        group = _Group(self._group.token + 1, tuple(str(p) for p in paths), {})
        self._group = group
        params = self.group_params()
        for path in group.paths:
            try:
                key = (FileIdentity.of(path), params)
            except ServisError as exc:
                group.results[path] = str(exc)
                continue
            cached = self._cache.get(key)
            if cached is not None:
                group.results[path] = cached
            else:
                self._worker.submit(FeatureRequest(group.token, key[0].path, params, "group"))
        self._emit_group_if_complete()

    def group_params(self) -> FeatureParams:
        """The parameters comparison groups are analysed with: the session's, fixed dB reference."""
        return self._params.with_changes(db_ref="full_scale")

    def set_params(self, params: FeatureParams) -> None:
        if params == self._params:
            return
        self._params = params
        self.params_changed.emit(params)
        if self._path:
            self._request()
        if self._group.paths:
            self.open_group(list(self._group.paths))

    def set_view_range(self, t0: float, t1: float) -> None:
        if (t0, t1) != self.view_range:
            self.view_range = (t0, t1)
            self.view_range_changed.emit(t0, t1)

    def set_cursor(self, t: float) -> None:
        self.cursor_moved.emit(t)

    def set_selection(self, selection: tuple[float, float] | None) -> None:
        if selection is not None:
            t0, t1 = sorted(selection)
            selection = None if t1 - t0 <= 0 else (t0, t1)
        self.selection = selection
        self.selection_changed.emit(selection)

    def set_playhead(self, t: float | None) -> None:
        self.playhead = t
        self.playhead_moved.emit(t)

    def shutdown(self) -> None:
        self._worker.shutdown()

    def _request(self) -> None:
        self._token += 1
        try:
            key = (FileIdentity.of(self._path), self._params)
        except ServisError as exc:
            self.load_failed.emit(self._path, exc)
            return
        cached = self._cache.get(key)
        if cached is not None:
            self._show(cached)
            return
        self.loading.emit(self._path)
        self._worker.submit(FeatureRequest(self._token, key[0].path, self._params,
                                           recover_unfinished=self._recover))

    def _show(self, analysis: Analysis) -> None:
        if self.analysis is None or analysis.clip.identity != self.analysis.clip.identity:
            self.selection = None
            self.playhead = None
        self.analysis = analysis
        self.analysis_ready.emit(analysis)

    def _on_worker_finished(self, request: FeatureRequest, analysis: Analysis) -> None:
        self._cache.put((analysis.clip.identity, analysis.features.params), analysis)
        if request.channel == "group":
            self._on_group_result(request, analysis)
        elif request.token == self._token:  # else: a clip the user has already left
            self._show(analysis)

    def _on_worker_failed(self, request: FeatureRequest, error: ServisError) -> None:
        if request.channel == "group":
            self._on_group_result(request, str(error))
        elif request.token == self._token:
            self.load_failed.emit(self._path, error)

    def _on_group_result(self, request: FeatureRequest, result: Analysis | str) -> None:
        if request.token != self._group.token:
            return
        path = next((p for p in self._group.paths if _same_file(p, request.path)), None)
        if path is not None:
            self._group.results[path] = result
            self._emit_group_if_complete()

    def _emit_group_if_complete(self) -> None:
        group = self._group
        if group.paths and all(p in group.results for p in group.paths):
            self.group_ready.emit([(p, group.results[p]) for p in group.paths])


@dataclass
class _Group:
    """The comparison group being analysed: its generation token, paths and results so far."""

    token: int
    paths: tuple[str, ...]
    results: dict[str, Analysis | str]


def _same_file(a: str, b: str) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)
