"""The Corpus tab: analyse the open dataset in the background, then one feature per emotion as a
violin or box plot with every clip as a dot, its statistics, and the original study's claims checked."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QLabel, QProgressBar, QPushButton, QSplitter, QTabWidget, QVBoxLayout,
    QWidget,
)

from servis_gui.core.corpus_groups import ALL_SPEAKERS, feature_view, speakers_of
from servis_gui.core.corpus_run import CorpusResult
from servis_gui.core.datasets.records import ClipRecord, plural
from servis_gui.core.functionals import feature_specs
from servis_gui.core.stats import speaker_normalised
from servis_gui.corpus_jobs import CorpusWorker
from servis_gui.session import Session
from servis_gui.settings import Settings
from servis_gui.ui.corpus_export import export_menu
from servis_gui.ui.corpus_tables import ObservationsPanel, StatisticsPanel
from servis_gui.ui.emotion_plot import KINDS, EmotionPlot, Group, Takes
from servis_gui.ui.layouts import row

TABLE_LINES = 11
"""Text lines the statistics keep on a short screen: the Kruskal-Wallis line, its note, a header and
a few rows; the plot takes what is left."""
DEFAULT_FEATURE = "peak_dbfs"
"""The first feature shown: the original study's first observation is about peak amplitude."""


class CorpusView(QWidget):
    """Analyses a corpus and shows one feature per emotion.

    Parameters
    ----------
    session : Session
        Gives the analysis settings; a clicked dot is opened and played through it.
    settings : Settings
        Remembers the feature, plot kind and normalisation.

    Signals
    -------
    analyse_requested() : the Analyse button was pressed (the window knows the open dataset)
    result_ready(CorpusResult, object) : a corpus was analysed: its clips, and the user's takes
        (a ``CorpusResult`` or None); the emotion map and the recogniser follow it
    """

    analyse_requested = Signal()
    result_ready = Signal(object, object)

    def __init__(self, session: Session, settings: Settings) -> None:
        super().__init__()
        self.session, self.settings = session, settings
        self.worker = CorpusWorker(parent=self)
        self.result: CorpusResult | None = None
        self.takes: CorpusResult | None = None
        self.title = ""
        self._take_paths: set[str] = set()
        self._scope = (ALL_SPEAKERS, False)
        self._build()
        self._connect()
        self._show_state("Open a dataset, then Corpus → Analyse dataset (Ctrl+Shift+A).")

    # -- what the user asks for ------------------------------------------------------------

    def analyse(self, records: list[ClipRecord], title: str, takes: list[ClipRecord] = ()) -> None:
        """Compute (or read from the cache) every clip's features; the user's ``takes`` go along."""
        self.title = title
        self._take_paths = {str(r.path) for r in takes}
        corpus = [r for r in records if str(r.path) not in self._take_paths]
        if not corpus:
            self._show_state("This dataset has no clips to analyse.")
            return
        self.worker.analyse(corpus + list(takes), self.session.params, self.session.pitch_params)
        self._set_running(True)
        self.progress.setRange(0, len(corpus) + len(takes))
        self.progress.setValue(0)
        self._show_state(f"Analysing {title}: {plural(len(corpus), 'clip')}…")

    def cancel(self) -> None:
        self.worker.cancel()

    def shutdown(self) -> None:
        self.worker.shutdown()

    # -- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.analyse_button = QPushButton("Analyse dataset")
        self.analyse_button.setToolTip("Compute every clip's features (Ctrl+Shift+A); a second run reads the cache")
        self.cancel_button = QPushButton("Cancel", enabled=False)
        self.progress = QProgressBar(textVisible=True)
        self.progress.setFormat("%v / %m clips")
        self.state = QLabel(wordWrap=True)
        self.feature = QComboBox(minimumContentsLength=14)
        self.feature.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.speaker = QComboBox(minimumContentsLength=8)
        self.speaker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.normalise = QCheckBox("z-score per speaker")
        self.normalise.setToolTip("Speakers differ more than emotions: compare each clip with its own speaker's clips")
        self.normalise.setChecked(self.settings.corpus_option("normalise", "false") == "true")
        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem(kind, kind)
        self.kind.setCurrentIndex(max(self.kind.findData(self.settings.corpus_option("kind", "violin")), 0))
        self.export_button = export_menu(self)
        self.plot = EmotionPlot()
        self.statistics, self.observations = StatisticsPanel(), ObservationsPanel()
        side = QTabWidget()
        side.addTab(self.statistics, "Statistics")
        side.addTab(self.observations, "Check the observations")
        self.side_tabs = side
        side.setMinimumHeight(TABLE_LINES * self.fontMetrics().height())  # a few pairs stay readable
        splitter = QSplitter(Qt.Orientation.Vertical)  # the tables get the width their columns need
        splitter.addWidget(self.plot)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 4)
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row(self.analyse_button, self.cancel_button, (self.progress, 1), self.export_button))
        layout.addWidget(self.state)
        self.speaker.setToolTip("One speaker's clips, or every speaker's pooled")
        self.kind.setToolTip("Violins (a kernel density) or boxes (quartiles, Tukey's whiskers)")
        layout.addLayout(row(QLabel("Feature"), (self.feature, 1), self.speaker, self.normalise, self.kind))
        layout.addWidget(splitter, 1)

    def _connect(self) -> None:
        w = self.worker
        w.progress.connect(self._on_progress)
        w.finished.connect(self._on_finished)
        w.failed.connect(lambda error: self._finish_run(str(error)))
        w.statistics_ready.connect(self._on_statistics)
        self.cancel_button.clicked.connect(self.cancel)
        self.analyse_button.clicked.connect(self.analyse_requested)
        for combo in (self.feature, self.speaker, self.kind):
            combo.currentIndexChanged.connect(self._redraw)
        self.normalise.toggled.connect(self._redraw)
        self.plot.clip_hovered.connect(lambda text: self.state.setText(text or self._summary()))
        self.plot.clip_clicked.connect(self.session.open_and_play)

    # -- results -------------------------------------------------------------------------------

    def _on_progress(self, done: int, total: int, seconds_left: float) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)
        left = "" if math.isnan(seconds_left) else f", about {_duration(seconds_left)} left"
        self.state.setText(f"Analysing {self.title}: {done:,} of {plural(total, 'clip')}{left}. "
                           "The browser and the panes keep working.")

    def _on_finished(self, result: CorpusResult) -> None:
        is_take = np.array([str(r.path) in self._take_paths for r in result.records], dtype=bool)
        self.result = _subset(result, ~is_take)
        self.takes = _subset(result, is_take) if is_take.any() else None
        self._fill_choices()
        self._finish_run("")
        self.result_ready.emit(self.result, self.takes)
        QTimer.singleShot(0, self._redraw)  # its own event-loop turn: the GUI never waits for all of it at once

    def _finish_run(self, error: str) -> None:
        self._set_running(False)
        if error:
            self._show_state(f"The analysis could not run: {error}")
        else:
            self.state.setText(self._summary())

    def _summary(self) -> str:
        r = self.result
        if r is None:
            return ""
        parts = [f"{self.title}: {plural(len(r.records), 'clip')} analysed ({r.cached:,} from the cache)"]
        if r.failures:
            parts.append(f"{plural(len(r.failures), 'clip')} could not be read (first: "
                         f"{Path(r.failures[0][0]).name}: {r.failures[0][1]})")
        if r.cancelled:
            parts.append("cancelled: the plot shows the clips analysed so far")
        if self.takes is not None:
            parts.append(f"your takes: {len(self.takes.records)} (stars)")
        return " · ".join(parts)

    def _fill_choices(self) -> None:
        specs = feature_specs(self.session.params.n_mels)
        wanted = self.feature.currentData() or self.settings.corpus_option("feature", DEFAULT_FEATURE)
        for combo in (self.feature, self.speaker):
            combo.blockSignals(True)
            combo.clear()
        for spec in specs:
            self.feature.addItem(f"{spec.name} ({spec.unit})" if spec.unit else spec.name, spec.name)
            self.feature.setItemData(self.feature.count() - 1, f"{spec.group}: {spec.definition} [{spec.source}]",
                                     Qt.ItemDataRole.ToolTipRole)
        self.feature.setCurrentIndex(max(self.feature.findData(wanted), 0))
        self.speaker.addItem("all speakers (pooled)", ALL_SPEAKERS)
        for name in speakers_of(self.result):
            self.speaker.addItem(name, name)
        for combo in (self.feature, self.speaker):
            combo.blockSignals(False)

    def _redraw(self) -> None:
        name = self.feature.currentData()
        self.settings.set_corpus_option("kind", self.kind.currentData())
        self.settings.set_corpus_option("normalise", "true" if self.normalise.isChecked() else "false")
        if self.result is None or not name:
            return
        self.settings.set_corpus_option("feature", name)
        speaker, normalise = self.speaker.currentData() or ALL_SPEAKERS, self.normalise.isChecked()
        view = feature_view(self.result, name, speaker, normalise)
        groups = [Group(e, v, p) for e, v, p in view.groups()]
        unit = "z" if normalise else _unit_of(name, self.session.params.n_mels)
        label = f"{name} ({unit})" if unit else name
        self.plot.show_groups(groups, label, unit, self.kind.currentData(), self._takes_of(name, normalise))
        columns = {c: feature_view(self.result, c, speaker).values for c in _CLAIM_COLUMNS
                   if c in self.result.names}
        self._scope = (speaker, normalise)
        self.worker.compare(view, columns, normalise)  # statistics_ready fills the tables

    def _on_statistics(self, comparison, verdicts) -> None:
        self.statistics.show_comparison(comparison)
        self.observations.show_verdicts(verdicts, *self._scope)

    def _takes_of(self, name: str, normalise: bool) -> Takes | None:
        takes = self.takes
        if takes is None or name not in takes.names:
            return None
        values = takes.values[:, takes.names.index(name)]
        if normalise:
            values = speaker_normalised(values, [r.speaker or "you" for r in takes.records])
        return Takes(values, tuple(str(r.path) for r in takes.records), tuple(r.emotion for r in takes.records))

    def _set_running(self, running: bool) -> None:
        self.analyse_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)

    def _show_state(self, text: str) -> None:
        self.state.setText(text)


_CLAIM_COLUMNS = ("peak_dbfs", "f0_semitone_p50", "intensity_db_mean")
"""The columns the original study's claims are checked on (see core/observations.py)."""


def _subset(result: CorpusResult, keep: np.ndarray) -> CorpusResult:
    """The rows of ``result`` where ``keep`` is True (failures and counts kept whole)."""
    records = tuple(r for r, k in zip(result.records, keep, strict=True) if k)
    return CorpusResult(result.names, records, result.values[keep], result.failures, result.cached,
                        result.computed, result.cancelled)


def _unit_of(name: str, n_mels: int) -> str:
    return next((s.unit for s in feature_specs(n_mels) if s.name == name), "")


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"
