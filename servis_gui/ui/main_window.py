"""The main window: a light shell shown at once, then the panes, docks and worker (wiring only)."""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QProgressBar, QStackedWidget, QVBoxLayout, QWidget

from servis_gui.core.file_access import display_name, resolve_path
from servis_gui.settings import Settings
from servis_gui.ui.clip_header import ClipHeader, no_clip_label
from servis_gui.ui.menus import HELP, build_menus, fill_recent_menus

log = logging.getLogger(__name__)
DEFAULT_SIZE = (1280, 820)
FRAME_ALLOWANCE = (16, 48)
"""Room left on the screen for the window manager's frame and title bar."""
WIDE_SCREEN_PX = 1280
"""Narrower screens (in Qt's logical pixels) get every dock in one column at the left."""
TALL_SCREEN_PX = 1000
"""Taller screens (logical pixels) show the Prosody pane at first; on shorter ones the mel keeps the room."""
AUDIO_FILTER = "Audio files (*.wav *.flac *.ogg *.opus *.mp3 *.aiff *.aif *.au *.caf *.w64);;All files (*)"


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
        self._initial_paths = [str(p) for p in paths or []]
        self.session = self.panes = self.library = self.params_panel = self.pitch_panel = None
        self.capture = self.compare = self.measurements = self.analysis_tabs = self.tabs = None
        self._warmed = self._started = False
        self.setWindowTitle("SERVIS - Speech Emotion Recognition Visualiser")
        self.setAcceptDrops(True)
        self._build_shell()
        self.menus = build_menus(self)
        self._fill_recent_menus()
        geometry, _state = settings.window_state()
        if geometry is None or not self.restoreGeometry(geometry):
            self._fit_to_screen()

    # -- building ---------------------------------------------------------------------------

    def _build_shell(self) -> None:
        from servis_gui.ui.message_bar import MessageBar

        self.header = ClipHeader()
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

    def _fit_to_screen(self) -> None:
        """The first window: at most 1280x820, never larger than the screen, centred on it."""
        screen = self.screen().availableGeometry()
        width = min(DEFAULT_SIZE[0], screen.width() - FRAME_ALLOWANCE[0])
        height = min(DEFAULT_SIZE[1], screen.height() - FRAME_ALLOWANCE[1])
        self.resize(width, height)
        # move() places the frame: centre the window with its title bar and borders.
        self.move(screen.x() + (screen.width() - width - FRAME_ALLOWANCE[0]) // 2,
                  screen.y() + (screen.height() - height - FRAME_ALLOWANCE[1]) // 2)

    def finish_setup(self) -> None:
        """Open the first clip, then import pyqtgraph and build panes and docks meanwhile.

        The worker thread reads and analyses the clip while this thread imports pyqtgraph;
        its result is queued and drawn as soon as the event loop runs again.
        """
        from servis_gui.session import Session
        from servis_gui.ui.library import Library

        self.session = Session(self.settings.feature_params(), pitch=self.settings.pitch_params())
        self.session.load_failed.connect(self._on_load_failed)
        self.library = Library(self.settings, self.settings.recordings_dir(), self)
        self.header.catalogue = self.library.catalogue
        files = [resolve_path(p) for p in self._initial_paths]
        first = (files or [self.library.first_demo_path()])[0]
        if first:
            self.session.open_clip(first)
        from servis_gui.ui.panes import PaneStack

        self.panes = PaneStack(self.session, self.settings.colormap())
        self.panes.set_f0_unit(self.settings.f0_unit())
        self.panes.set_prosody_visible(self._prosody_pane_shown())
        self._build_tabs()
        self._build_docks()
        self._connect()
        _geometry, state = self.settings.window_state()
        if state is not None:
            self.restoreState(state)
        self.library.show_demo()
        for path in files:
            self._remember_file(path)
        if len(files) > 1:
            self.compare_paths(files)

    def _build_tabs(self) -> None:
        from PySide6.QtWidgets import QTabWidget

        from servis_gui.ui.analysis_tabs import AnalysisTabs
        from servis_gui.ui.compare import CompareView

        clip_page = QWidget()
        layout = QVBoxLayout(clip_page)
        layout.setContentsMargins(0, 0, 0, 0)
        self._central.removeWidget(self.header)
        layout.addWidget(self.header)
        self.pane_area = QStackedWidget()
        self.pane_area.addWidget(no_clip_label())
        self.pane_area.addWidget(self.panes)
        layout.addWidget(self.pane_area, 1)
        self.compare = CompareView(self.session, self.settings, self.settings.colormap())
        self.tabs = QTabWidget()
        self.tabs.addTab(clip_page, "Clip")
        self.tabs.addTab(self.compare, "Compare")
        self.analysis_tabs = AnalysisTabs(self.tabs, self.session, self.settings, self.compare_paths,
                                          self.analyse_corpus)
        self._central.addWidget(self.tabs, 1)

    def _build_docks(self) -> None:
        from servis_gui.ui.docks import build_docks

        build_docks(self, narrow=self.screen().availableGeometry().width() < WIDE_SCREEN_PX,
                    prosody_pane=self._prosody_pane_shown())

    def _prosody_pane_shown(self) -> bool:
        """The user's choice; at first, shown on a screen tall enough to give it room."""
        return self.settings.prosody_pane(self.screen().availableGeometry().height() >= TALL_SCREEN_PX)

    def _connect(self) -> None:
        s, lib, status = self.session, self.library, self.statusBar()
        s.loading.connect(lambda _p: self.busy.show())
        s.analysis_ready.connect(self._on_analysis_ready)
        s.group_ready.connect(self._on_group_ready)
        self.panes.readout.connect(self.readout.setText)
        self.panes.drawn.connect(self._on_panes_drawn)
        s.playback_unavailable.connect(self._on_playback_unavailable)
        # The parameters' one way: panel -> Session -> everything that follows them.
        self.params_panel.params_changed.connect(s.set_params)
        s.params_changed.connect(self.settings.set_feature_params)
        s.params_changed.connect(self.capture.set_params)
        self.compare.message.connect(lambda text: status.showMessage(text, 10000))
        self.params_panel.colormap_changed.connect(self._on_colormap_changed)
        self.pitch_panel.pitch_changed.connect(s.set_pitch_params)
        s.pitch_params_changed.connect(self.settings.set_pitch_params)
        s.pitch_params_changed.connect(self.capture.set_pitch_params)
        s.prosody_failed.connect(lambda text: status.showMessage(f"No pitch or intensity: {text}", 10000))
        self.pitch_panel.unit_changed.connect(self._on_f0_unit_changed)
        self.pitch_panel.prosody_pane_toggled.connect(self._on_prosody_pane_toggled)
        lib.open_requested.connect(self._on_clip_chosen)
        lib.play_requested.connect(s.open_and_play)
        lib.compare_requested.connect(self.compare_paths)
        lib.label_take_requested.connect(lambda path: self._on_take(self.capture.edit_take, path))
        lib.rename_take_requested.connect(lambda path, stem: self._on_take(self.capture.rename_take, path, stem))
        lib.delete_take_requested.connect(lambda path: self._on_take(self.capture.delete_take, path))
        lib.message.connect(lambda text: status.showMessage(text, 10000))
        lib.browser.dataset_opened.connect(lambda *_: self._on_dataset_opened())
        self.capture.recordings_changed.connect(lib.refresh_recordings)
        self.analysis_tabs.follow_microphone(self.capture)

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
        path = resolve_path(path)
        self._remember_file(path)
        self.open_path(path)

    def _remember_file(self, path: str) -> None:
        """Add an existing file to File → Open recent file."""
        if os.path.isfile(path):
            self.settings.add_recent_file(path)
            self._fill_recent_menus()

    def choose_recordings_dir(self) -> None:
        """Record into another folder from the next take on (remembered)."""
        folder = QFileDialog.getExistingDirectory(self, "Recordings folder", self.settings.recordings_dir())
        if folder:
            self.set_recordings_dir(folder)

    def set_recordings_dir(self, folder: str) -> None:
        self.settings.set_recordings_dir(folder)
        self.capture.set_folder(folder)
        self.library.set_recordings_folder(folder)
        self.statusBar().showMessage(f"Takes now go to {folder}", 8000)

    def compare_paths(self, paths: list[str]) -> None:
        """Open ``paths`` side by side in the Compare tab (analysed in the background)."""
        from servis_gui.ui.compare import MAX_CLIPS

        if self.session is not None and paths:
            self.busy.show()
            self.session.open_group([resolve_path(p) for p in paths[:MAX_CLIPS]])
            self.tabs.setCurrentWidget(self.compare)

    @property
    def corpus(self):
        """The Corpus tab's view, or None before it is first shown."""
        return self.analysis_tabs.corpus if self.analysis_tabs is not None else None

    def corpus_view(self):
        """The Corpus tab's view, built at first use."""
        return self.analysis_tabs.corpus_view()

    def analyse_corpus(self) -> None:
        """Corpus → Analyse dataset: every clip of the open dataset, and the user's takes, in the Corpus tab."""
        if self.library is not None:
            self.tabs.setCurrentWidget(self.corpus_view())
            self.corpus.analyse(list(self.library.browser.model.records), self.library.title.removeprefix(
                "Dataset: "), self.library.take_records())

    def show_tab(self, index: int) -> None:
        """Ctrl+1 ... Ctrl+5: Clip, Compare, Corpus, Map, Recogniser."""
        if self.tabs is not None and index < self.tabs.count():
            self.tabs.setCurrentIndex(index)

    def zoom(self, factor: float) -> None:
        """Zoom the panes' time axis about its centre (``factor`` < 1 zooms in)."""
        if self.session is not None and self.session.analysis is not None:
            t0, t1 = self.session.view_range
            centre, half = (t0 + t1) / 2, (t1 - t0) * factor / 2
            self.session.set_view_range(centre - half, centre + half)

    def zoom_to_fit(self) -> None:
        if self.session is not None and self.session.analysis is not None:
            self.session.set_view_range(0.0, self.session.analysis.clip.duration)

    def record(self) -> None:
        """Ctrl+R: show the Record panel and start (or stop) a take; the panel says why it cannot."""
        self.record_dock.show()
        self.record_dock.raise_()
        self.capture.toggle_recording()

    def toggle_play(self) -> None:
        """Space: play the selection (or the whole clip), pause, resume."""
        if self.session is not None:
            self.session.toggle_play()

    def stop_play(self) -> None:
        if self.session is not None:
            self.session.stop()

    def show_help(self) -> None:
        self.messages.show_message(HELP, "info")

    # -- slots --------------------------------------------------------------------------------

    def _on_analysis_ready(self, analysis) -> None:
        self.busy.hide()
        if self.messages.kind == "error":
            self.messages.clear()
        path = analysis.clip.identity.path
        self.pane_area.setCurrentWidget(self.panes)
        self.header.show_clip(analysis)
        self.setWindowTitle(f"{analysis.clip.name} - SERVIS")
        if self.library.browser.select_path(path) and not self._started:
            # The first clip is a row of the table: Up/Down browse from it at once. (Not before: a
            # table focused without a current row makes its first row current, which opens it.)
            self.library.browser.table.setFocus()
        self._started = True
        if analysis.clip.notes:
            self.statusBar().showMessage("; ".join(analysis.clip.notes), 8000)

    def _on_panes_drawn(self) -> None:
        if not self._warmed:
            self._warmed = True
            self.session.worker.warm_up()
        self.clip_drawn.emit(self.session.analysis.clip.identity.path)

    def _on_load_failed(self, path: str, error) -> None:
        from servis_gui.core.errors import UnfinishedWavError

        self.busy.hide()
        message = str(error)
        log.warning("could not open %s: %s (%s)", path, message, error.details)
        action = None
        if isinstance(error, UnfinishedWavError):
            action = ("Open the audio anyway", lambda: self.session.open_clip(path, recover_unfinished=True))
        self.messages.show_message(message, "error", details=error.details, action=action)
        shown = self.session.analysis
        self.header.show_failure(path, message, shown)
        if shown is not None and self.library is not None:
            self.library.browser.select_path(shown.clip.identity.path)

    def _on_clip_chosen(self, path: str) -> None:
        """A clip picked in the table: shown in the panes, and next to the pinned reference clip
        when the Compare tab is open with a pin."""
        self.open_path(path)
        pinned = self.session.pinned_path
        if self.tabs.currentWidget() is self.compare and pinned and pinned != resolve_path(path):
            self.compare_paths([pinned, path])

    def _on_group_ready(self, pairs) -> None:
        self.busy.hide()
        self.compare.show_group([result for _path, result in pairs],
                                [self.library.catalogue.record_for(path) for path, _result in pairs])
        failed = [(path, result) for path, result in pairs if isinstance(result, str)]
        if failed:
            names = ", ".join(display_name(path) for path, _result in failed)
            self.messages.show_message(f"Not compared ({names}): " + " ".join(r for _p, r in failed), "error")

    def _on_colormap_changed(self, name: str) -> None:
        self.settings.set_colormap(name)
        for view in (self.panes, self.compare, self.capture):
            view.set_colormap(name)

    def _on_f0_unit_changed(self, unit: str) -> None:
        self.settings.set_f0_unit(unit)
        self.panes.set_f0_unit(unit)

    def _on_prosody_pane_toggled(self, shown: bool) -> None:
        self.settings.set_prosody_pane(shown)
        self.panes.set_prosody_visible(shown)

    def _on_playback_unavailable(self, message: str) -> None:
        self.messages.show_message(message, "error")
        self.menus["play"].setToolTip(message)

    def _on_dataset_opened(self) -> None:
        self.dataset_dock.setWindowTitle(self.library.title)
        self._fill_recent_menus()

    def _on_take(self, method, *args: str) -> None:
        """A take action from the browser: done by the Record panel, which shows the outcome."""
        self.record_dock.show()
        self.record_dock.raise_()
        method(*args)

    def _fill_recent_menus(self) -> None:
        fill_recent_menus(self.menus, self.settings, self.open_user_file,
                          lambda root: self.library and self.library.browser.open_dataset(root))

    # -- Qt events ----------------------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt override)
        files = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if len(files) > 1:
            self.compare_paths(files)
        elif files:
            self.open_user_file(files[0])
        event.acceptProposedAction()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.settings.set_window_state(self.saveGeometry(), self.saveState())
        self.settings.sync()
        if self.session is not None and self.capture is not None:
            self.capture.shutdown()
            self.measurements.shutdown()
            self.analysis_tabs.shutdown()
            self.library.browser.shutdown()
            self.session.shutdown()
        super().closeEvent(event)

