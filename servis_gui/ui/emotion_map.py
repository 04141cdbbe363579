"""The Emotion map: every clip of the analysed corpus in 2-D (PCA or LDA on a chosen feature set,
optionally z-scored per speaker), coloured by emotion, and the user's own takes (or any opened file)
placed on the same axes with their five nearest corpus clips; while the microphone listens, a live
marker with a short trail shows where its last 2 s land (:meth:`EmotionMap.place_live`).

Projections are computed on a background lane (100+ ms for 10,000 clips x 188 features); the newest
request wins. Placing a take on a computed map is one small matrix product, done on the GUI thread.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QLabel, QListWidget, QListWidgetItem, QMenu, QSplitter, QToolButton, QVBoxLayout,
    QWidget,
)

from servis_gui.core.corpus_run import CorpusResult
from servis_gui.core.file_access import display_name
from servis_gui.core.map_data import MapData, compute_map, file_features, nearest
from servis_gui.core.recogniser import FEATURE_SETS, select
from servis_gui.core.stats import emotion_order
from servis_gui.jobs import FAILED, RESULT, Lane
from servis_gui.session import Session
from servis_gui.settings import Settings
from servis_gui.ui.corpus_export import ask_and_write, plot_png, plot_svg
from servis_gui.ui.emotion_map_plot import MapPlot
from servis_gui.ui.layouts import row

MAP, PLACE = "map", "place"
"""The lane's channels: the projection, and a file's features for :meth:`EmotionMap.place_file`."""
METHODS = (("PCA", "pca"), ("LDA", "lda"))
SHAPES = (("one shape", ""), ("shape: speaker", "speaker"), ("shape: gender", "gender"))
MAX_COMPARE = 12
"""The comparison grid shows at most this many clips: a larger rectangle sends those nearest its centre."""
LIVE_TRAIL = 6  # positions in the live marker's trail, the newest drawn as the marker


class EmotionMap(QWidget):
    """Clips and takes on a 2-D emotion map.

    Parameters
    ----------
    session : Session
        Opens and plays a clicked clip; gives the analysis settings a placed file is analysed with.
    settings : Settings
        Remembers the projection, feature set, normalisation and shapes (keys ``map_*``).

    Signals
    -------
    compare_requested(list) : paths to open in the comparison grid (a rectangle's clips, or a take
        and one of its nearest clips)
    map_drawn() : a computed map is on screen
    """

    compare_requested = Signal(object)
    map_drawn = Signal()

    def __init__(self, session: Session, settings: Settings) -> None:
        super().__init__()
        self.session, self.settings = session, settings
        self.result: CorpusResult | None = None
        self.takes: CorpusResult | None = None
        self.map: MapData | None = None
        self._params = (session.params, session.pitch_params)
        self._placed: dict[str, np.ndarray] = {}  # opened files: full feature vectors in corpus column order
        self._star_paths: list[str] = []
        self._star_emotions: list[str] = []
        self.selected_take = -1
        self._live: deque[np.ndarray] = deque(maxlen=LIVE_TRAIL)  # live feature vectors, corpus column order
        self.lane = Lane("EmotionMap", parent=self)
        self.lane.posted.connect(self._on_posted)
        self._build()

    # -- what the user (or the window) asks for ---------------------------------------------

    def set_result(self, corpus: CorpusResult, takes: CorpusResult | None) -> None:
        """Show ``corpus`` (and the user's ``takes``); files placed on an older corpus are dropped."""
        self.result, self.takes = corpus, takes
        self._params = (self.session.params, self.session.pitch_params)
        self._placed.clear()
        self._live.clear()
        self.selected_take = -1
        self._recompute()

    def place_file(self, path: str) -> None:
        """Analyse ``path`` on the lane (with the corpus's settings) and place it as a star."""
        if self.result is None:
            self.state.setText("Analyse a corpus first: the file is placed on its map.")
            return
        names, (params, pitch) = self.result.names, self._params
        self.state.setText(f"Analysing {display_name(path)}…")
        self.lane.submit(PLACE, lambda _context: (path, file_features(path, names, params, pitch)))

    def place_live(self, values: Mapping[str, float] | None) -> None:
        """Move the live marker to where ``values`` (the microphone's last seconds) land.

        Parameters
        ----------
        values : mapping of str to float, or None
            Features computed as the corpus's (``clip_functionals``); None for silence, which hides
            the marker and its trail.
        """
        if values is None:
            self._live.clear()
        elif self.result is not None:
            if missing := [name for name in self.result.names if name not in values]:
                return self.live_state.setText(f"Live: not placed, no {missing[0]} (other settings than the corpus)")
            self._live.append(np.array([values[name] for name in self.result.names], dtype=np.float64))
        self._draw_live(silent=values is None)

    def shutdown(self) -> None:
        self.lane.shutdown()

    # -- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        option = self.settings.corpus_option
        self.method = _combo(METHODS, option("map_method", "lda"))
        self.feature = _combo([(name, name) for name in FEATURE_SETS], option("map_features", "all"))
        self.normalise = QCheckBox("z-score per speaker", checked=option("map_normalise", "0") == "1")
        self.shape = _combo(SHAPES, option("map_shape", ""))
        self.export = QToolButton(text="Export", popupMode=QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export)
        for text, suffix, write in (("Map as PNG…", ".png", lambda path: plot_png(self.plot, path)),
                                    ("Map as SVG…", ".svg", lambda path: plot_svg(self.plot, path, self._title()))):
            menu.addAction(text, lambda t=text, s=suffix, w=write: ask_and_write(self, t, s, w))
        self.export.setMenu(menu)
        self.plot = MapPlot()
        self.state = QLabel("Analyse a corpus (Corpus tab) to see its emotion map.", wordWrap=True)
        self.hover = QLabel(" ")
        self.live_state = QLabel()
        self.live_state.hide()
        self.neighbours_title = QLabel("Your takes appear as stars.", wordWrap=True)
        self.neighbours = QListWidget()
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.neighbours_title)
        side_layout.addWidget(self.neighbours, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.plot)
        split.addWidget(side)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        # Labels as tooltips, not words beside the combos: one row that fits a 1366 px screen.
        self.method.setToolTip("Projection: PCA (unsupervised) or LDA (the axes that best separate the emotions)")
        self.feature.setToolTip("Feature set")
        self.shape.setToolTip("Shape the points by speaker or gender")
        layout.addLayout(row(self.method, (self.feature, 1), self.normalise, self.shape, self.export))
        layout.addWidget(self.state)
        layout.addWidget(split, 1)
        layout.addLayout(row((self.hover, 1), self.live_state))
        for box, key in ((self.method, "map_method"), (self.feature, "map_features"), (self.shape, "map_shape")):
            box.currentIndexChanged.connect(lambda _i, b=box, k=key: self._on_option_changed(k, b.currentData()))
        self.normalise.toggled.connect(lambda on: self._on_option_changed("map_normalise", "1" if on else "0"))
        self.plot.clip_clicked.connect(self._on_clip_clicked)
        self.plot.take_clicked.connect(self._on_take_clicked)
        self.plot.hovered.connect(self._on_hovered)
        self.plot.rectangle_selected.connect(self._on_rectangle_selected)
        self.neighbours.itemClicked.connect(self._on_neighbour_clicked)

    def _title(self) -> str:
        return f"SERVIS emotion map: {self.method.currentText()} of {self.feature.currentData()}"

    # -- computing and drawing -----------------------------------------------------------------

    def _recompute(self) -> None:
        if self.result is None:
            return
        corpus, takes = self.result, self.takes
        method, feature_set = self.method.currentData(), self.feature.currentData()
        normalise = self.normalise.isChecked()
        self.state.setText(f"Computing the {self.method.currentText()} map of {len(corpus.records)} clips…")
        self.lane.submit(MAP, lambda _context: compute_map(corpus, takes, method, feature_set, normalise))

    def _on_posted(self, channel: str, token: int, kind: str, payload: tuple) -> None:
        if not self.lane.is_current(channel, token):
            return
        if kind == FAILED:
            self.state.setText(str(payload[0]))
            if channel == MAP:
                self.map = None
                self.plot.clear_map()
        elif kind == RESULT and channel == MAP:
            self.map = payload[0]
            self._draw()
        elif kind == RESULT and channel == PLACE:
            path, vector = payload[0]
            self._placed[path] = vector
            self.selected_take = -1
            self._draw_stars()
            self._show_neighbours()

    def _draw(self) -> None:
        result, data = self.result, self.map
        records = result.records
        emotions = [r.emotion for r in records]
        shape = self.shape.currentData()
        self.plot.show_clips(data.projection.coords, emotions, emotion_order(emotions),
                             [getattr(r, shape) for r in records] if shape else None)
        self.plot.set_axis_titles(*_axis_titles(data))
        self.state.setText(f"{len(records)} clips, {data.projection.components.shape[0]} features "
                           f"({data.feature_set}{', z-scored per speaker' if data.normalise else ''}). "
                           "Click a dot to play it; Shift+drag a rectangle to compare its clips.")
        self._draw_stars()  # after the state: it may say why an opened file is not placed
        if not self.live_state.isHidden():
            self._draw_live(silent=not self._live)
        self._show_neighbours()
        self.map_drawn.emit()

    def _draw_stars(self) -> None:
        """The takes, then the placed files (a placed file needs the map's raw features, so not with
        speaker z-scores: one file has no speaker statistics)."""
        data = self.map
        if data is None:
            return
        coords = [data.take_coords]
        self._star_paths = [str(r.path) for r in self.takes.records] if self.takes is not None else []
        self._star_emotions = [r.emotion for r in self.takes.records] if self.takes is not None else []
        if self._placed and data.normalise:
            self.state.setText("A single file has no speaker statistics to z-score it with: untick "
                               "“z-score per speaker” to place opened files.")
        elif self._placed:
            for path, vector in self._placed.items():
                coords.append(self._place(vector))
                self._star_paths.append(path)
                self._star_emotions.append("")
        coords = np.concatenate(coords)
        if self.selected_take >= len(coords):
            self.selected_take = -1
        brushes = [self.plot.brush(e) for e in self._star_emotions]
        self.plot.show_takes(coords, brushes, self._current_take())

    def _place(self, vectors: np.ndarray) -> np.ndarray:
        """Full feature vectors (one, or rows) in the corpus's column order on the current map, ``(n, 2)``."""
        _, x = select(self.result.names, vectors, self.map.feature_set)
        return self.map.projection.place(x).reshape(-1, 2)

    def _draw_live(self, silent: bool) -> None:
        """The live marker and its trail, or why there is none."""
        self.live_state.show()
        if silent:
            text, coords = "Live: silence", np.zeros((0, 2))
        elif self.map is None:
            text, coords = "Live: no map to place the microphone on yet", np.zeros((0, 2))
        elif self.map.normalise:
            text, coords = "Live: untick “z-score per speaker” to place the microphone", np.zeros((0, 2))
        else:
            text, coords = "Live: the ✚ is the last 2 s", self._place(np.array(self._live))
        self.live_state.setText(text)
        self.plot.show_live(coords)

    def _current_take(self) -> int:
        """The selected take, else the last one (-1: none)."""
        return self.selected_take if self.selected_take >= 0 else len(self._star_paths) - 1

    def _show_neighbours(self) -> None:
        self.neighbours.clear()
        take = self._current_take()
        if self.map is None or take < 0:
            self.neighbours_title.setText("Your takes appear as stars; record some, or place an opened file.")
            return
        rows, distances = nearest(self.map.projection.coords, self.plot.take_coords[take])
        self.neighbours_title.setText(f"Nearest to {display_name(self._star_paths[take])} (distance on the map's "
                                      "two axes). Click one to compare them side by side.")
        for r, distance in zip(rows, distances, strict=True):
            record = self.result.records[r]
            item = QListWidgetItem(f"{display_name(record.path)} · {record.emotion} · {distance:.2f}")
            item.setData(Qt.ItemDataRole.UserRole, str(record.path))
            self.neighbours.addItem(item)

    # -- events ----------------------------------------------------------------------------------

    def _on_option_changed(self, key: str, value: str) -> None:
        self.settings.set_corpus_option(key, value)
        if key == "map_shape" and self.map is not None:
            self._draw()
        else:
            self._recompute()

    def _on_clip_clicked(self, index: int) -> None:
        self.session.open_and_play(str(self.result.records[index].path))

    def _on_take_clicked(self, index: int) -> None:
        self.selected_take = index
        self._draw_stars()
        self._show_neighbours()
        self.session.open_and_play(self._star_paths[index])

    def _on_hovered(self, kind: str, index: int) -> None:
        if kind == "clip":
            r = self.result.records[index]
            self.hover.setText(f"{display_name(r.path)} · {r.emotion} · speaker {r.speaker or '?'}")
        elif kind == "take":
            emotion = self._star_emotions[index]
            self.hover.setText(f"{display_name(self._star_paths[index])} (yours){' · ' + emotion if emotion else ''}")
        else:
            self.hover.setText(" ")

    def _on_rectangle_selected(self, rows: np.ndarray) -> None:
        if not len(rows):
            return
        coords = self.map.projection.coords[rows]
        centre = (coords.min(axis=0) + coords.max(axis=0)) / 2
        chosen = rows[nearest(coords, centre, MAX_COMPARE)[0]]
        more = f" (the {MAX_COMPARE} nearest its centre of {len(rows)})" if len(rows) > MAX_COMPARE else ""
        self.hover.setText(f"Comparing {len(chosen)} clips{more}.")
        self.compare_requested.emit([str(self.result.records[r].path) for r in chosen])

    def _on_neighbour_clicked(self, item: QListWidgetItem) -> None:
        take = self._current_take()
        self.compare_requested.emit([self._star_paths[take], item.data(Qt.ItemDataRole.UserRole)])


def _axis_titles(data: MapData) -> tuple[str, str]:
    """"PC1 (23 % of variance)" for PCA; "LD1 (80 % of the emotions' separation)" for LDA."""
    prefix, what = ("PC", "variance") if data.method == "pca" else ("LD", "the emotions' separation")
    return tuple(f"{prefix}{k + 1} ({100 * share:.0f} % of {what})"
                 for k, share in enumerate(data.projection.explained))


def _combo(items: Sequence[tuple[str, str]], current: str) -> QComboBox:
    """A combo box of ``(text, data)`` items, ``current`` chosen when it is one of them."""
    box = QComboBox()
    for text, data in items:
        box.addItem(text, data)
    box.setCurrentIndex(max(box.findData(current), 0))
    return box

