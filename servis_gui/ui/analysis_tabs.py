"""The Corpus, Map and Recogniser tabs of the main window, each built the first time it is shown
(their statistics and classifiers import scipy.stats and scikit-learn: ~1 s kept off the start)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QTabWidget

from servis_gui.session import Session
from servis_gui.settings import Settings

PLACEHOLDERS = {
    "Corpus": "Corpus → Analyse dataset (Ctrl+Shift+A)",
    "Map": "Analyse a dataset first (Corpus → Analyse dataset, Ctrl+Shift+A): its clips are mapped here.",
    "Recogniser": "Analyse a dataset first (Corpus → Analyse dataset, Ctrl+Shift+A), then Evaluate here.",
}


class AnalysisTabs(QObject):
    """Builds and wires the three corpus-wide tabs of ``tabs`` on first use.

    Parameters
    ----------
    tabs : QTabWidget
        The main window's tabs; these three are appended.
    session, settings
        Passed to the views.
    compare : callable(list of str)
        Opens clips side by side (the Compare tab).
    analyse : callable()
        Corpus → Analyse dataset (the window knows the open dataset).
    """

    def __init__(self, tabs: QTabWidget, session: Session, settings: Settings,
                 compare: Callable[[list], None], analyse: Callable[[], None]) -> None:
        super().__init__(tabs)
        self.tabs, self.session, self.settings = tabs, session, settings
        self._compare, self._analyse = compare, analyse
        self.corpus = self.map = self.recogniser = self.live = None
        self.first = tabs.count()
        for title, text in PLACEHOLDERS.items():
            tabs.addTab(QLabel(text, alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True), title)
        tabs.currentChanged.connect(self._on_tab_changed)
        session.analysis_ready.connect(self._predict_if_shown)

    def corpus_view(self):
        """The Corpus tab's view (built now if it was not)."""
        if self.corpus is None:
            from servis_gui.ui.corpus_view import CorpusView

            self.corpus = self._install("Corpus", CorpusView(self.session, self.settings))
            self.corpus.analyse_requested.connect(self._analyse)
            self.corpus.result_ready.connect(self._on_result)
        return self.corpus

    def map_view(self):
        """The emotion map (built now if it was not; it shows the last corpus analysed)."""
        if self.map is None:
            from servis_gui.ui.emotion_map import EmotionMap

            self.map = self._install("Map", EmotionMap(self.session, self.settings))
            self.map.compare_requested.connect(self._compare)
            self._show_last_result(self.map)
        return self.map

    def recogniser_view(self):
        """The recogniser (built now if it was not; it trains on the last corpus analysed)."""
        if self.recogniser is None:
            from servis_gui.ui.recogniser_view import RecogniserView

            self.recogniser = self._install("Recogniser", RecogniserView(self.session, self.settings))
            self.recogniser.compare_requested.connect(self._compare)
            self.recogniser.model_changed.connect(self._predict_if_shown)
            self._show_last_result(self.recogniser)
        return self.recogniser

    def place_open_clip(self) -> None:
        """Corpus → Place the open clip on the map: its features computed, drawn as a star among the
        corpus clips with its five nearest listed."""
        emotion_map = self.map_view()
        self.tabs.setCurrentWidget(emotion_map)
        if self.session.analysis is not None:
            emotion_map.place_file(self.session.analysis.clip.identity.path)

    def follow_microphone(self, capture) -> None:
        """Live mode: while ``capture`` (the Record panel) listens, its last 2 s move a marker on the
        map and the recogniser's bars, every 0.5 s (only once one of those tabs exists)."""
        from servis_gui.live_emotion import LiveEmotion

        session = self.session
        self.live = LiveEmotion(session.params, session.pitch_params, parent=self)
        capture.samples_pushed.connect(
            lambda samples: (self.map or self.recogniser) and self.live.push(samples, capture.capture.sr))
        self.live.features_ready.connect(self.show_live)
        session.params_changed.connect(lambda p: self.live.set_params(p, session.pitch_params))
        session.pitch_params_changed.connect(lambda p: self.live.set_params(session.params, p))

    def show_live(self, values) -> None:
        """The microphone's last 2 s on the map and in the recogniser's bars (None: silence)."""
        if self.map is not None:
            self.map.place_live(values)
        if self.recogniser is not None:
            self.recogniser.predict_live(values)

    def shutdown(self) -> None:
        for view in (self.corpus, self.map, self.recogniser, self.live):
            if view is not None:
                view.shutdown()

    def _install(self, title: str, view):
        """Put ``view`` in place of the tab's placeholder, keeping the tab shown."""
        index = self.first + list(PLACEHOLDERS).index(title)
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, view, title)
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        return view

    def _show_last_result(self, view) -> None:
        corpus = self.corpus
        if corpus is not None and corpus.result is not None:
            view.set_result(corpus.result, corpus.takes)

    def _on_result(self, result, takes) -> None:
        for view in (self.map, self.recogniser):
            if view is not None:
                view.set_result(result, takes)

    def _on_tab_changed(self, index: int) -> None:
        builders = (self.corpus_view, self.map_view, self.recogniser_view)
        if 0 <= index - self.first < len(builders):
            builders[index - self.first]()
        if self.recogniser is not None and self.tabs.currentWidget() is self.recogniser:
            self._predict_open_clip()

    def _predict_if_shown(self, *_why) -> None:
        """A new clip or model: the recogniser's bars for the open clip, if its tab is in front."""
        if self.recogniser is not None and self.tabs.currentWidget() is self.recogniser:
            self._predict_open_clip()

    def _predict_open_clip(self) -> None:
        """The recogniser's bars for the clip in the panes (only while its tab is in front)."""
        if self.session.analysis is not None:
            self.recogniser.show_prediction_for(self.session.analysis.clip.identity.path)
