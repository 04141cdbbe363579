"""The Corpus tab's Export menu: the plot (PNG, SVG), the statistics and the verdicts (CSV), and
every clip's features (CSV with its JSON sidecar of units and definitions)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QToolButton

from servis_gui.core.corpus_cache import settings_record
from servis_gui.core.corpus_run import write_definitions_json, write_features_csv
from servis_gui.core.errors import ServisError
from servis_gui.core.functionals import feature_specs
from servis_gui.core.observations import write_verdicts_csv
from servis_gui.core.stats import write_comparison_csv
from servis_gui.ui.compare_svg import strokes_in_figure_coordinates

if TYPE_CHECKING:
    from servis_gui.ui.corpus_view import CorpusView

PNG_WIDTH_PX = 1600


def export_menu(view: CorpusView) -> QToolButton:
    """An "Export" button whose menu writes what ``view`` shows."""
    button = QToolButton(text="Export", popupMode=QToolButton.ToolButtonPopupMode.InstantPopup)
    menu = QMenu(button)
    for text, suffix, write in (
        ("Plot as PNG…", ".png", lambda path: _plot_png(view, path)),
        ("Plot as SVG…", ".svg", lambda path: _plot_svg(view, path)),
        ("Statistics (CSV)…", ".csv", lambda path: write_comparison_csv(view.statistics.comparison, path)),
        ("Observations (CSV)…", ".csv", lambda path: write_verdicts_csv(view.observations.verdicts, path)),
        ("Features of every clip (CSV + JSON)…", ".csv", lambda path: _features(view, path)),
    ):
        menu.addAction(text, lambda t=text, s=suffix, w=write: _ask_and_write(view, t, s, w))
    button.setMenu(menu)
    return button


def _ask_and_write(view: CorpusView, title: str, suffix: str, write: Callable[[str], None]) -> None:
    if view.result is None:
        QMessageBox.information(view, "Nothing to export", "Analyse a dataset first (Corpus → Analyse dataset).")
        return
    name = f"{view.feature.currentData() or 'corpus'}{suffix}"
    start = os.path.join(view.settings.export_dir() or str(Path.home()), name)
    path, _ = QFileDialog.getSaveFileName(view, title.rstrip("…"), start)
    if not path:
        return
    if not Path(path).suffix:
        path += suffix
    try:
        write(path)
    except (ServisError, OSError) as error:
        QMessageBox.warning(view, "Not saved", str(error))
        return
    view.settings.set_export_dir(os.path.dirname(path))
    view.state.setText(f"Saved {path}")


def _plot_png(view: CorpusView, path: str) -> None:
    from pyqtgraph.exporters import ImageExporter

    exporter = ImageExporter(view.plot.plotItem)
    exporter.parameters()["width"] = PNG_WIDTH_PX
    exporter.export(path)


def _plot_svg(view: CorpusView, path: str) -> None:
    """The plot as SVG, drawn by Qt's SVG generator (pyqtgraph's exporter fails on Qt 6's closed
    paths, such as the violins), its curves then moved to figure coordinates (``compare_svg``)."""
    from PySide6.QtSvg import QSvgGenerator

    source = view.plot.plotItem.sceneBoundingRect()
    target = QRectF(0, 0, source.width(), source.height())
    generator = QSvgGenerator()
    generator.setFileName(path)
    generator.setSize(source.size().toSize())
    generator.setViewBox(target)
    generator.setTitle(f"SERVIS corpus: {view.feature.currentData()}")
    generator.setResolution(view.plot.logicalDpiY())
    painter = QPainter(generator)
    painter.fillRect(target, view.plot.backgroundBrush())  # as on screen: the medians are white
    view.plot.scene().render(painter, target, source)
    painter.end()
    strokes_in_figure_coordinates(path)


def _features(view: CorpusView, path: str) -> None:
    params = view.session.params
    write_features_csv(view.result, path)
    write_definitions_json(feature_specs(params.n_mels), str(Path(path).with_suffix(".json")),
                           settings_record(params, view.session.pitch_params))
