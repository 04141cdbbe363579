"""The Recogniser tab's Prediction page: the class probabilities of one clip, or of the microphone's
last 2 s, with a caption saying what was predicted, by which model (its corpus and UAR)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from servis_gui.core.errors import ServisError
from servis_gui.core.model_file import Model
from servis_gui.core.recogniser import select
from servis_gui.recogniser_jobs import NORMALISED_NOTE
from servis_gui.ui.recogniser_tables import ProbabilityBars, prediction_caption

MICROPHONE = "Microphone, last 2 s"
NO_MODEL = "Evaluate or load a model, then open a clip."
NORMALISED_MODEL = ("This model uses features z-scored per speaker, which a lone clip does not have: evaluate "
                    "without “z-score per speaker” to predict one clip.")


class PredictionPanel(QWidget):
    """Probability bars (emotion order and colours) above a caption.

    Attributes
    ----------
    bars : ProbabilityBars
    caption : QLabel
        What is shown: ``"<what>: <classifier> trained on <corpus>, UAR ..."``, or why nothing is.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars = ProbabilityBars()
        self.caption = QLabel(NO_MODEL, wordWrap=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bars, 1)
        layout.addWidget(self.caption)

    def show_model(self, model: Model) -> None:
        """A new model: its caption, and no bars until something is predicted with it."""
        self.bars.clear_bars()
        self.caption.setText(prediction_caption(model))

    def note(self, text: str) -> None:
        """Say ``text`` under the bars (why there is no prediction, or what is being analysed)."""
        self.caption.setText(text)

    def show_features(self, model: Model, values: Mapping[str, float], what: str) -> None:
        """Predict one clip from its features ``{name: value}`` (as ``clip_functionals`` gives them).

        Parameters
        ----------
        model : Model
        values : mapping of str to float
        what : str
            What the features are of, for the caption (a file name, or :data:`MICROPHONE`).
        """
        if NORMALISED_NOTE in model.description:
            return self.note(NORMALISED_MODEL)
        names = list(values)
        try:
            chosen, x = select(names, np.array([values[n] for n in names], dtype=np.float64), model.feature_set)
            model.check_features(chosen)
        except ServisError as error:
            return self.note(str(error))
        self.bars.show_probabilities(model.classes, model.predict_proba(x))
        self.caption.setText(f"{what}: {prediction_caption(model)}")

    def show_silence(self) -> None:
        """The microphone hears silence: no bars, no guess."""
        self.bars.clear_bars()
        self.caption.setText(f"{MICROPHONE}: silence, no guess.")
