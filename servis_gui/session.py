"""The hub every view follows: the clip and its analysis, the parameters, the time range, cursor,
selection and playhead, the comparison group, and what is playing (the app's one player)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from servis_gui.analysis_jobs import PROSODY_CHANNELS, FeatureCache, FeatureRequest, FeatureWorker, ProsodyRequest
from servis_gui.core.analysis import Analysis
from servis_gui.core.clip import FileIdentity
from servis_gui.core.db_reference import DbReference
from servis_gui.core.errors import ServisError
from servis_gui.core.file_access import resolve_path
from servis_gui.core.params import FeatureParams
from servis_gui.core.prosody import DEFAULT_PITCH, PitchParams, Prosody
from servis_gui.playback_control import PlaybackControl

CLIP = -1
"""What is playing when it is the panes' clip (else the index of a comparison column)."""


class Session(QObject):
    """One open clip and how it is viewed. Widgets send intents here and follow the signals; no
    widget keeps its own copy of this state, and none talks to another.

    Signals
    -------
    loading(path) : a clip was requested and is being analysed
    analysis_ready(Analysis) : the current clip's features are ready to draw (a new clip's time
        range follows as ``view_range_changed``)
    load_failed(path, error) : the request failed (a ``ServisError``); the previous clip stays shown
    group_ready(list) : a comparison group is analysed: ``(path, Analysis or error message)`` pairs
    prosody_ready(Prosody) : pitch and intensity of the current clip (after ``analysis_ready``)
    prosody_failed(str) : why the current clip has no prosody (too short, silent, Praat refused)
    group_prosody_ready(list) : ``(path, Prosody or reason)`` for each clip of the comparison
    params_changed(FeatureParams)
    pitch_params_changed(PitchParams)
    view_range_changed(t0, t1), cursor_moved(t), selection_changed(object)
    playhead_moved(object) : the panes' playhead (seconds, or None when nothing of the clip plays)
    group_playhead_moved(int, object) : comparison column ``i``'s playhead (-1, None: none plays)
    playback_unavailable(str) : sound cannot be played; the reason for the user
    """

    loading = Signal(str)
    analysis_ready = Signal(object)
    load_failed = Signal(str, object)
    group_ready = Signal(object)
    prosody_ready = Signal(object)
    prosody_failed = Signal(str)
    group_prosody_ready = Signal(object)
    params_changed = Signal(object)
    pitch_params_changed = Signal(object)
    view_range_changed = Signal(float, float)
    cursor_moved = Signal(float)
    selection_changed = Signal(object)
    playhead_moved = Signal(object)
    group_playhead_moved = Signal(int, object)
    playback_unavailable = Signal(str)

    def __init__(self, params: FeatureParams, worker: FeatureWorker | None = None,
                 pitch: PitchParams = DEFAULT_PITCH) -> None:
        super().__init__()
        self._params = params
        self._pitch = pitch
        self._worker = worker or FeatureWorker(self)
        self._worker.finished.connect(self._on_worker_finished)
        self._worker.failed.connect(self._on_worker_failed)
        self._worker.prosody_finished.connect(self._on_prosody_finished)
        self._cache = FeatureCache()
        self._token = 0
        self._prosody_token = 0
        self._path: str | None = None
        self._recover = False
        self._play_on_show: str | None = None
        self._group = _Group(0, (), {}, {})
        self._pinned = False
        self.analysis: Analysis | None = None
        self.prosody: Prosody | None = None
        self.view_range: tuple[float, float] = (0.0, 1.0)
        self.selection: tuple[float, float] | None = None
        self.playhead: float | None = None
        self.player = PlaybackControl()
        self.playing_source: int | None = None
        self.player.position_changed.connect(self._on_player_position)
        self.player.stopped.connect(self._on_player_stopped)
        self.player.unavailable.connect(self.playback_unavailable)

    @property
    def params(self) -> FeatureParams:
        return self._params

    @property
    def pitch_params(self) -> PitchParams:
        """Pitch floor, ceiling and method as the user set them (the time step follows each clip's hop)."""
        return self._pitch

    def pitch_params_for(self, analysis: Analysis) -> PitchParams:
        """The pitch settings ``analysis`` is tracked with: one pitch frame per spectral frame."""
        return self._pitch.aligned_to(analysis.features.params.hop_length, analysis.clip.sr)

    @property
    def path(self) -> str | None:
        """The clip the user asked for last (it may still be loading)."""
        return self._path

    @property
    def worker(self) -> FeatureWorker:
        return self._worker

    def open_clip(self, path: str, recover_unfinished: bool = False) -> None:
        """Show ``path``: from the cache at once, else after the worker has analysed it (nothing
        to do when it is shown already).

        ``recover_unfinished`` opens a WAV whose recorder crashed before finishing its header.
        """
        if self._is_shown(path) and not recover_unfinished:
            return
        self._path, self._recover = str(path), recover_unfinished
        self._request()

    def open_and_play(self, path: str) -> None:
        """Enter in the dataset: play (or pause) ``path``, opening it first if needed."""
        if self._is_shown(path):
            return self.toggle_play()
        self._play_on_show = resolve_path(path)
        self.open_clip(path)

    def open_group(self, paths: list[str]) -> None:
        """Analyse several clips for comparison (with a fixed dB reference, so they can share one
        colour scale); ``group_ready`` follows once every clip has a result or an error."""
        group = _Group(self._group.token + 1, tuple(str(p) for p in paths), {}, {})
        self._group = group
        if self.playing_source not in (None, CLIP):
            self.player.stop()  # a column of the previous comparison
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

    @property
    def pinned_path(self) -> str | None:
        """The comparison's first clip while it is pinned as the reference, else None."""
        return self._group.paths[0] if self._pinned and self._group.paths else None

    def set_pinned(self, pinned: bool) -> None:
        """Keep the comparison's first clip as a reference next to each clip chosen next."""
        self._pinned = pinned

    def group_params(self) -> FeatureParams:
        """The parameters comparison groups are analysed with: the session's, fixed dB reference."""
        return self._params.with_changes(db_ref=DbReference.FULL_SCALE)

    def set_params(self, params: FeatureParams) -> None:
        if params == self._params:
            return
        self._params = params
        self.params_changed.emit(params)
        if self._path:
            self._request()
        if self._group.paths:
            self.open_group(list(self._group.paths))

    def set_pitch_params(self, pitch: PitchParams) -> None:
        """Track pitch with other settings: the clip's and the comparison's prosody follow."""
        if pitch == self._pitch:
            return
        self._pitch = pitch
        self.pitch_params_changed.emit(pitch)
        if self.analysis is not None:
            self._request_prosody()
        if self._group.paths and all(p in self._group.results for p in self._group.paths):
            self._request_group_prosody()

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

    # -- playback: one player for the panes' clip and every comparison column ------------

    def toggle_play(self) -> None:
        """Space: pause what plays; else play the selection (or the whole clip), resuming a pause."""
        if self.player.playing:
            return self.player.pause()
        if self.analysis is not None:
            clip = self.analysis.clip
            start, end = self.selection or (0.0, None)
            self.playing_source = CLIP
            self.player.toggle(clip.samples, clip.sr, start, end)

    def play_group_clip(self, index: int, analysis: Analysis) -> None:
        """Play comparison column ``index`` (its ``analysis``) from the start; its playhead alone moves."""
        self.playing_source = index
        self.player.play(analysis.clip.samples, analysis.clip.sr)

    def stop(self) -> None:
        self.player.stop()

    def shutdown(self) -> None:
        self.player.stop()
        self._worker.shutdown()

    def _set_playhead(self, t: float | None) -> None:
        self.playhead = t
        self.playhead_moved.emit(t)

    def _on_player_position(self, t: float) -> None:
        if self.playing_source == CLIP:
            self._set_playhead(t)
        elif self.playing_source is not None:
            self.group_playhead_moved.emit(self.playing_source, t)

    def _on_player_stopped(self) -> None:
        self.playing_source = None
        self._set_playhead(None)
        self.group_playhead_moved.emit(-1, None)

    def _is_shown(self, path: str) -> bool:
        return self.analysis is not None and self.analysis.clip.identity.path == resolve_path(path)

    def _request(self) -> None:
        self._token += 1
        try:
            key = (FileIdentity.of(self._path), self._params)
        except ServisError as exc:
            self._play_on_show = None
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
        new_clip = self.analysis is None or analysis.clip.identity != self.analysis.clip.identity
        if new_clip:
            self.selection = None
            if self.playing_source == CLIP:
                self.player.stop()  # another clip: the old one stops
        self.analysis = analysis
        self.analysis_ready.emit(analysis)
        if new_clip:
            self.set_view_range(0.0, analysis.clip.duration)
        self._request_prosody()
        if self._play_on_show == analysis.clip.identity.path:
            self._play_on_show = None
            self.toggle_play()

    def _on_worker_finished(self, request: FeatureRequest, analysis: Analysis) -> None:
        self._cache.put((analysis.clip.identity, analysis.features.params), analysis)
        if request.channel == "group":
            self._on_group_result(request, analysis)
        elif request.token == self._token:  # else: a clip the user has already left
            self._show(analysis)

    def _request_prosody(self) -> None:
        """Prosody of the shown clip: from the cache at once, else on the panes' lane after the features."""
        analysis = self.analysis
        pitch = self.pitch_params_for(analysis)
        self.prosody = self._cache.get((analysis.clip.identity, pitch))
        if self.prosody is not None:
            self.prosody_ready.emit(self.prosody)
        else:
            self._prosody_token += 1
            self._worker.submit_prosody(ProsodyRequest(self._prosody_token, analysis.clip, pitch))

    def _request_group_prosody(self) -> None:
        group = self._group
        group.prosody.clear()
        for path, result in group.results.items():
            if isinstance(result, str):
                group.prosody[path] = result
                continue
            pitch = self.pitch_params_for(result)
            cached = self._cache.get((result.clip.identity, pitch))
            if cached is not None:
                group.prosody[path] = cached
            else:
                self._worker.submit_prosody(ProsodyRequest(group.token, result.clip, pitch, PROSODY_CHANNELS["group"]))
        self._emit_group_prosody_if_complete()

    def _on_prosody_finished(self, request: ProsodyRequest, outcome: Prosody | ServisError) -> None:
        if isinstance(outcome, Prosody):
            self._cache.put((request.clip.identity, request.params), outcome)
        if request.channel == PROSODY_CHANNELS["group"]:
            self._on_group_prosody(request, outcome)
            return
        current = self.analysis
        if current is None or request.clip is not current.clip or request.params != self.pitch_params_for(current):
            return  # a clip or setting the user has already left
        if isinstance(outcome, Prosody):
            self.prosody = outcome
            self.prosody_ready.emit(outcome)
        else:
            self.prosody_failed.emit(str(outcome))

    def _on_group_prosody(self, request: ProsodyRequest, outcome: Prosody | ServisError) -> None:
        group = self._group
        if request.token != group.token:
            return
        for path, result in group.results.items():
            if not isinstance(result, str) and result.clip is request.clip:
                group.prosody[path] = outcome if isinstance(outcome, Prosody) else str(outcome)
        self._emit_group_prosody_if_complete()

    def _emit_group_prosody_if_complete(self) -> None:
        group = self._group
        if group.paths and all(p in group.prosody for p in group.paths):
            self.group_prosody_ready.emit([(p, group.prosody[p]) for p in group.paths])

    def _on_worker_failed(self, request: FeatureRequest, error: ServisError) -> None:
        if request.channel == "group":
            self._on_group_result(request, str(error))
        elif request.token == self._token:
            self._play_on_show = None
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
            self._request_group_prosody()


@dataclass
class _Group:
    """The comparison group being analysed: its generation token, paths, results and prosody so far."""

    token: int
    paths: tuple[str, ...]
    results: dict[str, Analysis | str]
    prosody: dict[str, Prosody | str]


def _same_file(a: str, b: str) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)
