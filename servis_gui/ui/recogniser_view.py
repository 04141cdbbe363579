"""The Recogniser tab (issue 12, parts 3-5, 7, 8): a speaker-independent baseline recogniser on the
analysed corpus.

- Evaluate: leave-one-speaker-out (or the corpus's own folds) on a feature set with a linear
  classifier, in the background with progress per fold; the UAR with its 95 % interval and chance,
  per-class recall, and the confusion matrix (click a cell: its clips; double-click a clip: play it;
  "Compare these": the grid).
- Compare feature sets: the same folds for mel 128 / 40 / 16, MFCC, prosody and all.
- Acted vs natural: the trained model on the user's takes.
- Predict: the open clip's (or the microphone's) class probabilities; save and load the model; export
  the matrix and CSV.

Evaluations are cached per (corpus, feature set, classifier, normalise, folds) for the life of the view.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFileDialog, QLabel, QMenu, QProgressBar, QPushButton, QSplitter, QTabWidget,
    QToolButton, QVBoxLayout, QWidget,
)

from servis_gui.core.corpus_run import CorpusResult
from servis_gui.core.datasets.records import plural
from servis_gui.core.errors import ServisError
from servis_gui.core.model_file import LOSO_TEXT, Model, load_model, save_model
from servis_gui.core.recogniser import FEATURE_SETS, Evaluation, select
from servis_gui.recogniser_jobs import (
    COMPARED_SETS, FEATURES, Design, RecogniserWorker, Trained, corpus_digest, design, labelled_rows, own_folds,
)
from servis_gui.session import Session
from servis_gui.settings import Settings
from servis_gui.ui import recogniser_tables as text
from servis_gui.ui.corpus_export import plot_png, plot_svg
from servis_gui.ui.evaluation_panel import EvaluationPanel
from servis_gui.ui.corpus_tables import fill, read_only_table
from servis_gui.ui.layouts import row
from servis_gui.ui.prediction_panel import MICROPHONE, PredictionPanel
from servis_gui.ui.takes_agreement import TakesAgreement

UAR_POINT_SIZE_FACTOR = 1.6
MODEL_FILTER = "SERVIS model (*.json)"
COMBO_CHARACTERS = 6
COMBO_ARROW_PX = 30


class RecogniserView(QWidget):
    """Evaluate, compare and apply a baseline emotion recogniser on the corpus the Corpus tab analysed.

    Parameters
    ----------
    session : Session
        Opens and plays clips; gives the analysis settings for a clip's features.
    settings : Settings
        Remembers the choices (``rec_feature_set``, ``rec_classifier``, ``rec_normalise``, ``rec_folds``).

    Signals
    -------
    compare_requested(list) : up to 12 clip paths to open in the comparison grid
    model_changed() : a model was trained or loaded (the open clip can be predicted with it)
    """

    compare_requested = Signal(list)
    model_changed = Signal()

    def __init__(self, session: Session, settings: Settings) -> None:
        super().__init__()
        self.session, self.settings = session, settings
        self.corpus: CorpusResult | None = None
        self.takes: CorpusResult | None = None
        self.digest = ""
        self.trained: Trained | None = None
        self.model: Model | None = None
        self.evaluations: dict[tuple, Trained] = {}
        self.compared: dict[tuple, tuple[Design, Evaluation]] = {}
        self.worker = RecogniserWorker(self)
        self._build()
        self._connect()
        self._set_running(False)

    # -- public ---------------------------------------------------------------------------------

    def set_result(self, corpus: CorpusResult | None, takes: CorpusResult | None = None) -> None:
        """Follow the Corpus tab's analysed corpus and the user's takes (from ``result_ready``)."""
        self.worker.cancel()
        self.corpus, self.takes = corpus, takes
        self.digest = corpus_digest(corpus) if corpus is not None else ""
        self.trained = None
        self._offer_corpus_folds()
        self._clear_results()
        if corpus is None:
            self._show_state("Analyse a dataset in the Corpus tab first.")
        else:
            labelled = len(labelled_rows(corpus))
            speakers = len({r.speaker for r in corpus.records})
            self._show_state(f"{plural(labelled, 'labelled clip')} of {plural(speakers, 'speaker')}: "
                             "choose a feature set and Evaluate.")
        self._set_running(False)

    def evaluate(self) -> None:
        """Evaluate the chosen design (cached results at once), then train on every clip."""
        chosen = self._design(self.feature_set.currentData())
        if chosen is None:
            return
        if chosen.key in self.evaluations:
            self._on_trained(self.evaluations[chosen.key])
            return
        self._start(len(set(chosen.speakers)), "Evaluating…")
        self.worker.evaluate(chosen)

    def compare_feature_sets(self) -> None:
        """Evaluate every set of :data:`COMPARED_SETS` on the same folds; cached sets are not run again."""
        designs = [d for d in (self._design(name, quiet=True) for name in COMPARED_SETS) if d is not None]
        if not designs:
            self._design("all")  # says why (no corpus, or no folds of its own)
            return
        missing = [d for d in designs if d.key not in self.compared]
        self._fill_comparison()
        self.tabs.setCurrentWidget(self.feature_sets)
        if not missing:
            return
        self._start(sum(len(set(d.speakers)) for d in missing), "Comparing feature sets…")
        self.worker.compare(missing)

    def cancel(self) -> None:
        self.worker.cancel()
        self._set_running(False)
        self._show_state("Cancelled.")

    def show_prediction_for(self, path: str) -> None:
        """Predict the emotion of the clip at ``path`` (its features computed in the background)."""
        if self.model is None:
            self.prediction.note("Evaluate or load a model to predict.")
        else:
            self.prediction.note(f"Analysing {Path(path).name}…")
            self.worker.clip_features(path, self.session.params, self.session.pitch_params)

    def predict(self, values: Mapping[str, float], what: str = "This clip") -> None:
        """Show the class probabilities of a clip from its features ``{name: value}``."""
        if self.model is None:
            self.prediction.note("Evaluate or load a model to predict.")
        else:
            self.prediction.show_features(self.model, values, what)

    def predict_live(self, values: Mapping[str, float] | None) -> None:
        """The microphone's last 2 s in the bars (None: silence, shown as silence); nothing without a model."""
        if self.model is None:
            return
        if values is None:
            self.prediction.show_silence()
        else:
            self.prediction.show_features(self.model, values, MICROPHONE)

    def save_model_to(self, path: str) -> None:
        """Write the trained model as JSON."""
        if self.model is None:
            self._show_state("Evaluate first: there is no model to save.")
            return
        self._guarded(lambda: save_model(self.model, path), f"Saved the model to {path}")

    def load_model_from(self, path: str) -> None:
        """Read a model; the message says so when it was trained on other features than this corpus."""
        try:
            model = load_model(path)
            if self.corpus is not None:
                model.check_features(select(self.corpus.names, self.corpus.values[:1], model.feature_set)[0])
        except ServisError as error:
            self._show_state(str(error))
            return
        self.model = model
        self.prediction.show_model(model)
        self._show_state(f"Loaded the model {Path(path).name}: {text.prediction_caption(model)}.")
        self._show_takes()
        self.model_changed.emit()

    def export_matrix(self, path: str) -> None:
        """The confusion matrix as PNG or SVG (by the suffix of ``path``)."""
        if Path(path).suffix.lower() == ".svg":
            title = f"SERVIS confusion matrix: {self.trained.design.description}" if self.trained else "SERVIS"
            self._guarded(lambda: plot_svg(self.results.matrix, path, title), f"Saved {path}")
        else:
            self._guarded(lambda: plot_png(self.results.matrix, path), f"Saved {path}")

    def export_csv(self, path: str) -> None:
        """The evaluation as CSV: per-class recall, the matrix's rows, a summary row."""
        if self.trained is not None:
            self._guarded(lambda: text.write_evaluation_csv(self.trained.evaluation, path),
                          f"Saved {path}")

    def shutdown(self) -> None:
        self.worker.shutdown()

    # -- building -------------------------------------------------------------------------------

    def _build(self) -> None:
        self.feature_set = QComboBox()
        for name in FEATURE_SETS:
            self.feature_set.addItem(name, name)
        self.classifier = QComboBox()
        for key, name in text.CLASSIFIER_NAMES.items():
            self.classifier.addItem(name, key)
        self.normalise = QCheckBox("z-score per speaker")
        self.normalise.setToolTip("Compare each clip with its own speaker's clips (a lone clip cannot be)")
        self.folds = QComboBox()
        self.folds.addItem("LOSO", "loso")
        self.folds.addItem("corpus folds", "corpus")
        self.folds.setToolTip("Folds: LOSO leaves one speaker out at a time; corpus folds are the corpus's own "
                              "(IEMOCAP's sessions, MSP-Podcast's splits). No speaker is ever in two folds.")
        for combo in (self.feature_set, self.classifier, self.folds):  # full width, but may shrink (200 %)
            combo.setMinimumWidth(combo.fontMetrics().horizontalAdvance("x" * COMBO_CHARACTERS) + COMBO_ARROW_PX)
        self._restore_choices()
        self.evaluate_button = QPushButton("Evaluate")
        self.evaluate_button.setToolTip("Speaker-independent: no speaker is ever tested on a model that heard it")
        self.compare_button = QPushButton("Compare feature sets")
        self.cancel_button = QPushButton("Cancel")
        self.progress = QProgressBar(textVisible=True)
        self.progress.setMinimumWidth(40)  # the row of buttons fits beside both docks at 1366 px
        self.progress.setFormat("%v / %m folds")
        self.save_button, self.load_button = QPushButton("Save model…"), QPushButton("Load model…")
        self.feature_set.setToolTip("Feature set the classifier is trained on")
        self.save_button.setToolTip("Save the trained model (JSON: coefficients, scaler, feature names, corpus)")
        self.load_button.setToolTip("Load a model saved before (trained on the same features)")
        self.export_button = self._export_menu()
        self.state = QLabel(wordWrap=True)
        self.uar = QLabel(wordWrap=True)  # a long line wraps instead of widening the window
        font = self.uar.font()
        font.setPointSizeF(font.pointSizeF() * UAR_POINT_SIZE_FACTOR)
        self.uar.setFont(font)
        self.uar.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.results = EvaluationPanel()
        self.feature_sets = read_only_table(text.COMPARE_COLUMNS)
        self.agreement = TakesAgreement()
        self.prediction = PredictionPanel()
        self.tabs = QTabWidget()  # the bars in front: the open clip's (and the microphone's) emotion
        self.tabs.addTab(self.prediction, "Prediction")
        self.tabs.addTab(self.feature_sets, "Feature sets")
        self.tabs.addTab(self.agreement, "Acted vs natural")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.results)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        # Two rows of controls: one would make the window wider than a 1366 px screen.
        layout.addLayout(row(self.feature_set, self.classifier, self.folds, self.normalise, (QWidget(), 1),
                             self.export_button))
        layout.addLayout(row(self.evaluate_button, self.compare_button, self.cancel_button, (self.progress, 1),
                             self.save_button, self.load_button))
        layout.addWidget(self.state)
        layout.addWidget(self.uar)
        layout.addWidget(splitter, 1)

    def _export_menu(self) -> QToolButton:
        button = QToolButton(text="Export")
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        for title, suffix, write in (("Confusion matrix as PNG…", ".png", self.export_matrix),
                                     ("Confusion matrix as SVG…", ".svg", self.export_matrix),
                                     ("Evaluation as CSV…", ".csv", self.export_csv)):
            menu.addAction(title, lambda t=title, s=suffix, w=write: self._ask_path(t, s, w))
        button.setMenu(menu)
        return button

    def _restore_choices(self) -> None:
        option = self.settings.corpus_option
        self.feature_set.setCurrentIndex(max(self.feature_set.findData(option("rec_feature_set", "mfcc")), 0))
        self.classifier.setCurrentIndex(max(self.classifier.findData(option("rec_classifier", "logreg")), 0))
        self.normalise.setChecked(option("rec_normalise", "false") == "true")
        self.folds.setCurrentIndex(max(self.folds.findData(option("rec_folds", "loso")), 0))

    def _connect(self) -> None:
        w = self.worker
        w.progress.connect(self._on_progress)
        w.trained.connect(self._on_trained)
        w.set_compared.connect(self._on_set_compared)
        w.comparison_done.connect(self._on_comparison_done)
        w.features_ready.connect(lambda path, values: self.predict(values, Path(path).name))
        w.failed.connect(self._on_failed)
        self.evaluate_button.clicked.connect(self.evaluate)
        self.compare_button.clicked.connect(self.compare_feature_sets)
        self.cancel_button.clicked.connect(self.cancel)
        self.save_button.clicked.connect(lambda: self._ask_path("Save model", ".json", self.save_model_to))
        self.load_button.clicked.connect(self._ask_load)
        store = self.settings.set_corpus_option
        self.feature_set.currentIndexChanged.connect(
            lambda: store("rec_feature_set", self.feature_set.currentData()))
        self.classifier.currentIndexChanged.connect(lambda: store("rec_classifier", self.classifier.currentData()))
        self.normalise.toggled.connect(lambda on: store("rec_normalise", "true" if on else "false"))
        self.folds.currentIndexChanged.connect(lambda: store("rec_folds", self.folds.currentData()))
        self.results.play_requested.connect(self.session.open_and_play)
        self.results.compare_requested.connect(self.compare_requested)

    # -- results --------------------------------------------------------------------------------

    def _design(self, feature_set: str, quiet: bool = False) -> Design | None:
        if self.corpus is None:
            self._show_state("Analyse a dataset in the Corpus tab first.")
            return None
        try:
            return design(self.corpus, feature_set, self.classifier.currentData(), self.normalise.isChecked(),
                          self.digest, self.folds.currentData())
        except ServisError as error:
            if not quiet:
                self._show_state(str(error))
            return None

    def _on_trained(self, trained: Trained) -> None:
        self._set_running(False)
        self.evaluations[trained.design.key] = trained
        self.compared[trained.design.key] = (trained.design, trained.evaluation)
        self.trained, self.model = trained, trained.model
        evaluation = trained.evaluation
        self.uar.setText(text.uar_text(evaluation, len(set(trained.design.speakers)), trained.design.folds_text))
        self.results.show_trained(trained)
        self.prediction.show_model(trained.model)
        self._show_state(f"{text.CLASSIFIER_NAMES[evaluation.classifier]} on “{trained.design.feature_set}” "
                         f"({len(trained.design.names)} features), {evaluation.folds} folds; the 95 % interval "
                         f"resamples {evaluation.ci_unit}.")
        self._show_takes()
        self.model_changed.emit()

    def _on_set_compared(self, design_: Design, evaluation: Evaluation) -> None:
        self.compared[design_.key] = (design_, evaluation)
        self._fill_comparison()

    def _on_comparison_done(self, cancelled: bool) -> None:
        self._set_running(False)
        self._show_state("Comparison cancelled; the sets done are kept." if cancelled else
                         f"Every feature set evaluated on the same folds ({self._folds_text()}).")

    def _fill_comparison(self) -> None:
        key = (self.digest, self.classifier.currentData(), self.normalise.isChecked(), self.folds.currentData())
        done = {d.feature_set: (d, e) for d, e in self.compared.values() if (d.key[0], *d.key[2:]) == key}
        fill(self.feature_sets, [text.compare_row(*done[name]) for name in COMPARED_SETS if name in done])

    def _folds_text(self) -> str:
        return LOSO_TEXT if self.folds.currentData() == "loso" else "the corpus's own"

    def _offer_corpus_folds(self) -> None:
        """Enable "corpus folds" only when the corpus has usable folds of its own (the tooltip says why not)."""
        folds, why = own_folds(self.corpus) if self.corpus is not None else (None, "no corpus analysed yet")
        item = self.folds.model().item(self.folds.findData("corpus"))
        item.setEnabled(folds is not None)
        item.setToolTip(f"Evaluate on {why}" if folds is not None else why[0].upper() + why[1:])
        if folds is None and self.folds.currentData() == "corpus":
            self.folds.setCurrentIndex(self.folds.findData("loso"))

    def _show_takes(self) -> None:
        self.agreement.show_takes(self.takes, self.model)

    def _clear_results(self) -> None:
        self.uar.setText("")
        self.results.show_trained(None)
        self._fill_comparison()
        self.agreement.show_takes(None, None)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)

    def _on_failed(self, channel: str, error: ServisError) -> None:
        if channel == FEATURES:
            self.prediction.note(str(error))
            return
        self._set_running(False)
        self._show_state(str(error))

    def _start(self, folds: int, state: str) -> None:
        self._set_running(True)
        self.progress.setRange(0, folds)
        self.progress.setValue(0)
        self._show_state(state)

    def _set_running(self, running: bool) -> None:
        for widget in (self.evaluate_button, self.compare_button):
            widget.setEnabled(not running and self.corpus is not None)
        self.cancel_button.setEnabled(running)
        self.save_button.setEnabled(not running and self.model is not None)

    def _show_state(self, message: str) -> None:
        self.state.setText(message)

    def _guarded(self, action: Callable[[], None], done: str) -> None:
        try:
            action()
        except (ServisError, OSError) as error:
            self._show_state(str(error))
            return
        self._show_state(done)

    def _ask_path(self, title: str, suffix: str, write: Callable[[str], None]) -> None:
        start = os.path.join(self.settings.export_dir() or str(Path.home()), f"recogniser{suffix}")
        path, _ = QFileDialog.getSaveFileName(self, title.rstrip("…"), start)
        if path:
            write(path if Path(path).suffix else path + suffix)
            self.settings.set_export_dir(os.path.dirname(path))

    def _ask_load(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load model", self.settings.export_dir() or str(Path.home()),
                                              MODEL_FILTER)
        if path:
            self.load_model_from(path)

