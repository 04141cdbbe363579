"""The Recogniser tab's "Acted vs natural" page: the model trained on the corpus applied to the user's
labelled takes, each with the emotion it was labelled with, the one predicted, and their agreement."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from servis_gui.core.corpus_run import CorpusResult
from servis_gui.core.errors import ServisError
from servis_gui.core.model_file import Model
from servis_gui.recogniser_jobs import NORMALISED_NOTE, UNLABELLED, takes_features
from servis_gui.ui import recogniser_tables as text
from servis_gui.ui.corpus_tables import fill, read_only_table

NO_TAKES = "Evaluate with your takes analysed in the Corpus tab to see them here."


class TakesAgreement(QWidget):
    """A table of the user's takes (labelled vs predicted) above a note with their agreement."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = read_only_table(text.TAKE_COLUMNS)
        self.note = QLabel(NO_TAKES, wordWrap=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)

    def show_takes(self, takes: CorpusResult | None, model: Model | None) -> None:
        """Predict every labelled take of ``takes`` with ``model`` (either None: an empty table)."""
        fill(self.table, [])
        if takes is None or model is None:
            return
        keep = [i for i, r in enumerate(takes.records) if r.emotion not in UNLABELLED]
        if not keep:
            self.note.setText("None of your takes has an emotion label.")
            return
        try:
            x = takes_features(takes, model, NORMALISED_NOTE in model.description)[keep]
        except ServisError as error:
            self.note.setText(str(error))
            return
        labelled = [takes.records[i].emotion for i in keep]
        predicted = [str(p) for p in model.predict(x)]
        fill(self.table, text.take_rows([Path(takes.records[i].path).name for i in keep], labelled, predicted))
        self.note.setText(text.agreement_text(labelled, predicted))
