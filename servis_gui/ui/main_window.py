"""The main window: a light shell shown at once, then the panes, docks and worker (wiring only)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget, QFileDialog, QLabel, QMainWindow, QProgressBar, QVBoxLayout, QWidget,
)

from servis_gui.settings import Settings

log = logging.getLogger(__name__)
AUDIO_FILTER = "Audio files (*.wav *.flac *.ogg *.opus *.mp3 *.aiff *.aif *.au *.caf *.w64);;All files (*)"
DEMO_NOTICE = ("Synthetic demo voices (espeak-ng with emotion-like prosody), "
               "not real emotional speech.")
ZOOM_STEP = 1.5


class MainWindow(QMainWindow):
    """SERVIS main window.

    ``__init__`` builds only what needs no heavy import, so the window shows in a fraction of a
    second; ``finish_setup`` then imports pyqtgraph and numpy, builds the panes and opens clips.

    Signals
    -------
    clip_drawn(str) : the panes have painted a clip (its path)
    """

    clip_drawn = Signal(str)

    def __init__(self, settings: Settings, paths: list[str] | None = None) -> None:
        super().__init__()
        self.settings = settings
        self._initial_paths = [str(Path(p).resolve()) for p in paths or []]
        self.session = self.panes = self.clips = self.params_panel = self.playback = None
        self._demo_records: dict[str, object] = {}
        self.setWindowTitle("SERVIS - Speech Emotion Recognition Visualiser")
        self.setAcceptDrops(True)
        self.resize(1280, 820)
        self._build_shell()
        self._build_actions()
        geometry, _state = settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)

    # -- building ---------------------------------------------------------------------------

    def _build_shell(self) -> None:
        from servis_gui.ui.message_bar import MessageBar

        self.header = QLabel("Loading SERVIS…")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.messages = MessageBar()
        self._central = QVBoxLayout()
        self._central.setContentsMargins(4, 4, 4, 4)
        self._central.addWidget(self.header)
        self._central.addWidget(self.messages)
        body = QWidget()
        body.setLayout(self._central)
        self.setCentralWidget(body)
        self.readout = QLabel()
        self.busy = QProgressBar(maximumWidth=120, maximum=0)
        self.busy.hide()
        self.statusBar().addWidget(self.readout, 1)
        self.statusBar().addPermanentWidget(self.busy)

    def _build_actions(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.open_action = self._action(file_menu, "&Open audio file…", QKeySequence.StandardKey.Open,
                                        self.choose_file)
        self.recent_menu = file_menu.addMenu("Open &recent")
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        view = self.menuBar().addMenu("&View")
        self._action(view, "Zoom &in", QKeySequence.StandardKey.ZoomIn, lambda: self.zoom(1 / ZOOM_STEP))
        self._action(view, "Zoom &out", QKeySequence.StandardKey.ZoomOut, lambda: self.zoom(ZOOM_STEP))
        self._action(view, "Zoom to &fit", QKeySequence("Ctrl+0"), self.zoom_to_fit)
        self.view_menu = view
        play = self.menuBar().addMenu("&Play")
        self.play_action = self._action(play, "&Play / pause", QKeySequence(Qt.Key.Key_Space),
                                        self.toggle_play)
        self._action(play, "&Stop", QKeySequence("Ctrl+."), self.stop_play)
        self._action(play, "&Clear selection", QKeySequence(Qt.Key.Key_Escape),
                     lambda: self.session and self.session.set_selection(None))
        compare = self.menuBar().addMenu("&Compare")
        self._action(compare, "Same sentence, other &emotions", QKeySequence("Ctrl+E"),
                     self.compare_same_sentence)
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&Mouse and keys", None, self.show_help)
        self._fill_recent_menu()

    def _action(self, menu, text: str, shortcut, slot) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)
        return action

    def finish_setup(self) -> None:
        """Open the first clip, then import pyqtgraph and build panes and docks meanwhile.

        The worker thread reads and analyses the clip while this thread imports pyqtgraph;
        its result is queued and drawn as soon as the event loop runs again.
        """
        from servis_gui.session import Session

        self.session = Session(self.settings.feature_params())
        self._demo_records, notice = _scan_demo()
        first = (self._initial_paths or sorted(self._demo_records) or [None])[0]
        if first:
            self.session.open_clip(first)
        from servis_gui.ui.panes import PaneStack
        from servis_gui.ui.playback_control import PlaybackControl

        self.panes = PaneStack(self.session, self.settings.colormap())
        self._build_tabs()
        self.playback = PlaybackControl()
        self._build_docks()
        self._connect_session()
        _geometry, state = self.settings.window_state()
        if state is not None:
            self.restoreState(state)
        self.clips.set_records(list(self._demo_records.values()), notice)
        for path in self._initial_paths:
            self.clips.add_file(path)

    def _build_tabs(self) -> None:
        from PySide6.QtWidgets import QTabWidget

        from servis_gui.ui.compare import CompareView

        clip_page = QWidget()
        layout = QVBoxLayout(clip_page)
        layout.setContentsMargins(0, 0, 0, 0)
        self._central.removeWidget(self.header)
        layout.addWidget(self.header)
        layout.addWidget(self.panes, 1)
        self.compare = CompareView(self.settings.colormap())
        self.tabs = QTabWidget()
        self.tabs.addTab(clip_page, "Clip")
        self.tabs.addTab(self.compare, "Compare")
        self._central.addWidget(self.tabs, 1)

    def _build_docks(self) -> None:
        from servis_gui.ui.clip_list import ClipList
        from servis_gui.ui.params_panel import ParamsPanel

        self.clips = ClipList()
        self.clips.clip_chosen.connect(self._on_clip_chosen)
        self.params_panel = ParamsPanel(self.session.params, self.settings.colormap())
        self.params_panel.params_changed.connect(self._on_params_changed)
        self.params_panel.colormap_changed.connect(self._on_colormap_changed)
        for title, widget, area in (("Clips", self.clips, Qt.DockWidgetArea.LeftDockWidgetArea),
                                    ("Analysis", self.params_panel, Qt.DockWidgetArea.RightDockWidgetArea)):
            dock = QDockWidget(title, self)
            dock.setObjectName(f"dock_{title.lower()}")
            dock.setWidget(widget)
            self.addDockWidget(area, dock)
            self.view_menu.addAction(dock.toggleViewAction())

    def _connect_session(self) -> None:
        s = self.session
        s.loading.connect(lambda _p: self.busy.show())
        s.analysis_ready.connect(self._on_analysis_ready)
        s.load_failed.connect(self._on_load_failed)
        s.group_ready.connect(self._on_group_ready)
        self.compare.message.connect(self.statusBar().showMessage)
        self.compare.playback.state_changed.connect(lambda on: on and self.playback.stop())
        self.playback.state_changed.connect(lambda on: on and self.compare.playback.stop())
        self.panes.readout.connect(self.readout.setText)
        self.playback.unavailable.connect(self._on_playback_unavailable)
        self.playback.position_changed.connect(s.set_playhead)
        self.playback.stopped.connect(lambda: s.set_playhead(None))

    # -- user actions -------------------------------------------------------------------------

    def open_path(self, path: str) -> None:
        """Show ``path`` in the panes (errors appear in the message bar; the last clip stays)."""
        if self.session is None:
            self._initial_paths.insert(0, path)
            return
        self.session.open_clip(path)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open audio file", "", AUDIO_FILTER)
        if path:
            self.open_user_file(path)

    def open_user_file(self, path: str) -> None:
        """Open a file the user picked (dialog, drop, recent menu, command line)."""
        path = str(Path(path).resolve())
        if self.clips is not None:
            self.clips.add_file(path)
        self.settings.add_recent_file(path)
        self._fill_recent_menu()
        self.open_path(path)

    def compare_paths(self, paths: list[str]) -> None:
        """Open ``paths`` side by side in the Compare tab (analysed in the background)."""
        if self.session is not None and paths:
            self.busy.show()
            self.session.open_group([str(Path(p).resolve()) for p in paths])
            self.tabs.setCurrentWidget(self.compare)

    def compare_same_sentence(self) -> None:
        """Compare the current clip with every clip of the same speaker and sentence."""
        if self.session is None or self.session.analysis is None:
            return
        current = self._demo_records.get(self.session.analysis.clip.identity.path)
        if current is None or not current.sentence_id:
            self.messages.show_message("The current clip has no sentence label to match.", "info")
            return
        same = [path for path, r in sorted(self._demo_records.items())
                if r.speaker == current.speaker and r.sentence_id == current.sentence_id]
        self.compare_paths(same)

    def zoom(self, factor: float) -> None:
        if self.panes is not None:
            t0, t1 = self.panes.wave.viewRange()[0]
            centre, half = (t0 + t1) / 2, (t1 - t0) * factor / 2
            self.panes.wave.setXRange(centre - half, centre + half, padding=0.0)

    def zoom_to_fit(self) -> None:
        if self.session is not None and self.session.analysis is not None:
            self.panes.wave.setXRange(0.0, self.session.analysis.clip.duration, padding=0.0)

    def toggle_play(self) -> None:
        """Space: play the selection (or the whole clip), pause, resume."""
        if self.playback is None or self.session.analysis is None:
            return
        clip = self.session.analysis.clip
        start, end = self.session.selection or (0.0, None)
        self.playback.toggle(clip.samples, clip.sr, start, end)

    def stop_play(self) -> None:
        if self.playback is not None:
            self.playback.stop()

    def show_help(self) -> None:
        self.messages.show_message(
            "Wheel: zoom in time · drag: pan · Shift+drag: select · Space: play/pause (the selection "
            "if there is one) · Esc: clear selection · Ctrl+O: open · Ctrl+0: zoom to fit · "
            "drop audio files on the window to open them.", "info")

    # -- slots --------------------------------------------------------------------------------

    def _on_analysis_ready(self, analysis) -> None:
        self.busy.hide()
        if self.playback.playing and self.session.playhead is None:
            self.playback.stop()  # another clip: the old one stops
        if self.messages.kind == "error":
            self.messages.clear()
        self.header.setText(self._describe(analysis))
        self.setWindowTitle(f"{analysis.clip.name} - SERVIS")
        if self.clips is not None:
            self.clips.select(analysis.clip.identity.path)
        if analysis.clip.notes:
            self.statusBar().showMessage("; ".join(analysis.clip.notes), 8000)
        self.panes.viewport().repaint()  # paint now: the scene is drawn in the viewport
        self.clip_drawn.emit(analysis.clip.identity.path)

    def _on_clip_chosen(self, path: str) -> None:
        """A clip picked in the list: shown in the panes, and next to the pinned reference clip
        when the Compare tab is open with a pin."""
        self.open_path(path)
        pinned = self.compare.pinned_path
        if self.tabs.currentWidget() is self.compare and pinned and pinned != path:
            self.compare_paths([pinned, path])

    def _on_group_ready(self, pairs) -> None:
        self.busy.hide()
        self.compare.show_group([result for _path, result in pairs],
                                [self._demo_records.get(path) for path, _result in pairs])

    def _on_load_failed(self, message: str) -> None:
        self.busy.hide()
        log.warning("load failed: %s", message)
        self.messages.show_message(message, "error")
        if self.clips is not None and self.session.analysis is not None:
            self.clips.select(self.session.analysis.clip.identity.path)

    def _on_params_changed(self, params) -> None:
        self.settings.set_feature_params(params)
        self.session.set_params(params)

    def _on_colormap_changed(self, name: str) -> None:
        self.settings.set_colormap(name)
        self.panes.set_colormap(name)
        self.compare.set_colormap(name)

    def _on_playback_unavailable(self, message: str) -> None:
        self.messages.show_message(message, "error")
        self.play_action.setToolTip(message)

    def _describe(self, analysis) -> str:
        from servis_gui.core.params import DB_REF_LABELS

        clip, feats = analysis.clip, analysis.features
        record = self._demo_records.get(clip.identity.path)
        parts = [f"<b>{clip.name}</b>"]
        if record is not None:
            parts.append(f"{record.emotion} · {record.speaker} ({record.gender}) · “{record.text}”")
        parts.append(f"{clip.duration:.2f} s · {clip.sr} Hz · mel peak {feats.peak_db:.1f} dB re FS")
        parts.append(DB_REF_LABELS[feats.params.db_ref])
        if record is not None:
            parts.append("<i>synthetic demo voice</i>")
        return " &nbsp;|&nbsp; ".join(parts)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent_files():
            self.recent_menu.addAction(path, lambda p=path: self.open_user_file(p))
        self.recent_menu.setEnabled(bool(self.settings.recent_files()))

    # -- Qt events ----------------------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt override)
        files = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        for path in reversed(files):
            self.open_user_file(path)
        event.acceptProposedAction()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.settings.set_window_state(self.saveGeometry(), self.saveState())
        self.settings.sync()
        if self.playback is not None:
            self.playback.stop()
        if self.session is not None:
            self.session.shutdown()
        super().closeEvent(event)


def _scan_demo() -> tuple[dict[str, object], str]:
    """The demo corpus records by path, and the notice to show above them."""
    from servis_gui.core.datasets import scan_dataset
    from servis_gui.paths import demo_dir

    records = scan_dataset(demo_dir()).records
    notice = DEMO_NOTICE if records else f"The demo corpus was not found in {demo_dir()}."
    return {str(r.path): r for r in records}, notice
