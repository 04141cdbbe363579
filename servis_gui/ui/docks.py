"""The main window's docks: Dataset at the left; Analysis, Measurements and Record at the right
(all at the left, tabbed, on a narrow screen), with their menu entries and shortcuts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDockWidget, QWidget

from servis_gui.ui.analysis_panel import AnalysisPanel
from servis_gui.ui.capture_panel import CapturePanel
from servis_gui.ui.measurements import MeasurementsPanel

if TYPE_CHECKING:
    from servis_gui.ui.main_window import MainWindow

MEASUREMENTS_KEY = "Ctrl+M"


def build_docks(w: MainWindow, narrow: bool, prosody_pane: bool) -> None:
    """Create the panels of ``w`` (``params_panel``, ``pitch_panel``, ``capture``, ``measurements``)
    and their docks (``dataset_dock``, ``measurements_dock``, ``record_dock``); ``narrow``: every dock
    tabbed at the left; ``prosody_pane``: the Prosody pane's check box starts ticked."""
    settings, session = w.settings, w.session
    analysis = AnalysisPanel(session.params, settings.colormap(), session.pitch_params, settings.f0_unit(),
                             prosody_pane)
    w.params_panel, w.pitch_panel = analysis.params, analysis.pitch
    w.capture = CapturePanel(settings.recordings_dir(), session.params, settings.colormap(),
                             pitch_params=session.pitch_params)
    w.measurements = MeasurementsPanel(session, settings)
    left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
    side = left if narrow else right
    w.dataset_dock = _dock(w, "Dataset", w.library.browser, left)
    analysis_dock = _dock(w, "Analysis", analysis, side)
    w.measurements_dock = _dock(w, "Measurements", w.measurements, side)
    w.measurements_dock.visibilityChanged.connect(lambda shown: shown and w.measurements.refresh())
    # Beside the panes, not under them: the panes keep their height while recording.
    w.record_dock = _dock(w, "Record", w.capture, side)
    if narrow:
        w.tabifyDockWidget(w.dataset_dock, analysis_dock)
    w.tabifyDockWidget(analysis_dock, w.measurements_dock)
    w.tabifyDockWidget(w.measurements_dock, w.record_dock)
    w.dataset_dock.raise_()
    analysis_dock.raise_()
    w.record_dock.hide()  # hidden: the microphone (and sounddevice) stay untouched until asked
    _measurements_shortcut(w)
    _record_menu(w)
    w.prosody_action = w.pitch_panel.show_pane_action(w.menus["view"])
    w.addAction(w.prosody_action)


def _dock(w: MainWindow, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
    dock = QDockWidget(title, w)
    dock.setObjectName(f"dock_{title.lower()}")
    dock.setWidget(widget)
    w.addDockWidget(area, dock)
    w.menus["view"].addAction(dock.toggleViewAction())
    return dock


def _measurements_shortcut(w: MainWindow) -> None:
    """View → Show measurements (Ctrl+M): the Measurements tab in front, even when it was closed."""
    dock = w.measurements_dock

    def show() -> None:
        dock.show()
        dock.raise_()

    action = w.menus["view"].addAction("Show &measurements", show)
    action.setShortcut(QKeySequence(MEASUREMENTS_KEY))
    w.addAction(action)


def _record_menu(w: MainWindow) -> None:
    record = w.capture.record_action
    record.triggered.disconnect(w.capture.toggle_recording)
    record.triggered.connect(w.record)
    w.addAction(record)  # a window shortcut even while the Record dock is hidden
    w.menus["record"].addAction(record)
    w.menus["record"].addAction(w.record_dock.toggleViewAction())
    w.menus["record"].addAction("Recordings &folder…", w.choose_recordings_dir)
