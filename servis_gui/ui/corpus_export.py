"""The Corpus tab's Export menu: the plot (PNG, SVG), the statistics and the verdicts (CSV), and
every clip's features (CSV with its JSON sidecar of units and definitions). :func:`plot_png` and
:func:`plot_svg` write any plot (the emotion map uses them too)."""

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
    from pyqtgraph import PlotWidget

    from servis_gui.ui.corpus_view import CorpusView

PNG_WIDTH_PX = 1600


def export_menu(view: CorpusView) -> QToolButton:
    """An "Export" button whose menu writes what ``view`` shows."""
    button = QToolButton(text="Export", popupMode=QToolButton.ToolButtonPopupMode.InstantPopup)
    menu = QMenu(button)
    for text, suffix, write in (
        ("Plot as PNG…", ".png", lambda path: plot_png(view.plot, path)),
        ("Plot as SVG…", ".svg",
         lambda path: plot_svg(view.plot, path, f"SERVIS corpus: {view.feature.currentData()}")),
        ("Statistics (CSV)…", ".csv", lambda path: write_comparison_csv(view.statistics.comparison, path)),
        ("Observations (CSV)…", ".csv", lambda path: write_verdicts_csv(view.observations.verdicts, path)),
        ("Features of every clip (CSV + JSON)…", ".csv", lambda path: _features(view, path)),
    ):
        menu.addAction(text, lambda t=text, s=suffix, w=write: ask_and_write(view, t, s, w))
    button.setMenu(menu)
    return button


def ask_and_write(view: CorpusView, title: str, suffix: str, write: Callable[[str], None]) -> None:
    """Ask where to save, then ``write(path)``; a plain message when it fails.

    ``view`` is the Corpus tab or any view with the same four attributes: ``result`` (None: nothing
    to export yet), ``feature`` (a combo box whose current data names the file), ``settings`` and
    ``state`` (a label that says where it was saved).
    """
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


def plot_png(plot: PlotWidget, path: str) -> None:
    """Write ``plot`` (its plot item, axes included) as a PNG :data:`PNG_WIDTH_PX` wide."""
    from pyqtgraph.exporters import ImageExporter

    exporter = ImageExporter(plot.plotItem)
    exporter.parameters()["width"] = PNG_WIDTH_PX
    exporter.export(path)


def plot_svg(plot: PlotWidget, path: str, title: str) -> None:
    """Write ``plot`` as SVG, drawn by Qt's SVG generator (pyqtgraph's exporter fails on Qt 6's closed
    paths, such as the violins), its curves then moved to figure coordinates (``compare_svg``).

    Parameters
    ----------
    plot : pyqtgraph.PlotWidget
        Its plot item is drawn over the widget's background, as on screen.
    path : str
    title : str
        The SVG document's title.
    """
    from PySide6.QtSvg import QSvgGenerator

    source = plot.plotItem.sceneBoundingRect()
    target = QRectF(0, 0, source.width(), source.height())
    generator = QSvgGenerator()
    generator.setFileName(path)
    generator.setSize(source.size().toSize())
    generator.setViewBox(target)
    generator.setTitle(title)
    generator.setResolution(plot.logicalDpiY())
    painter = QPainter(generator)
    painter.fillRect(target, plot.backgroundBrush())  # as on screen: the medians are white
    plot.scene().render(painter, target, source)
    painter.end()
    strokes_in_figure_coordinates(path)


def _features(view: CorpusView, path: str) -> None:
    params = view.session.params
    write_features_csv(view.result, path)
    write_definitions_json(feature_specs(params.n_mels), str(Path(path).with_suffix(".json")),
                           settings_record(params, view.session.pitch_params))
