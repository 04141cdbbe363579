"""The Prosody pane: f0 (Hz or semitones, left axis) and intensity (dB, an axis in the colour-bar
column, so the pane's time axis stays level with the panes above and below)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from servis_gui.core.prosody import Prosody
from servis_gui.ui.plot_helpers import INTENSITY_PEN, TimeViewBox, draw_f0, f0_curve, f0_in

INTENSITY_RANGE_DB = (30.0, 100.0)
"""The intensity axis, the same for every clip so louder speech looks louder (Praat shows 50-100 dB;
a full-scale sine is 91 dB here, and quiet recordings sit in the 40s)."""
UNIT_LABELS = {"Hz": "f0 (Hz)", "st": "f0 (st re 100 Hz)"}


class ProsodyPane:
    """A plot of f0 and intensity in row ``row`` of ``layout`` (``col`` 0), its intensity axis in ``col`` 1.

    Parameters
    ----------
    layout : pg.GraphicsLayout
        The panes' layout; the plot goes to ``(row, 0)`` and the intensity axis to ``(row, 1)``.
    row : int
        Its row.
    axis_px : int
        Width of the intensity axis (the colour-bar column's width).
    """

    def __init__(self, layout: pg.GraphicsLayout, row: int, axis_px: int) -> None:
        self.plot = layout.addPlot(row=row, col=0, viewBox=TimeViewBox())
        self.f0 = f0_curve(self.plot)
        self.intensity_box = pg.ViewBox(enableMouse=False)
        self.intensity_box.setZValue(-1)  # under the plot: mouse drags reach the time axis' view box
        layout.scene().addItem(self.intensity_box)
        self.intensity_box.setXLink(self.plot)
        self.intensity = pg.PlotDataItem(pen=INTENSITY_PEN)
        self.intensity_box.addItem(self.intensity)
        self.intensity_box.setYRange(*INTENSITY_RANGE_DB, padding=0.0)
        self.axis = pg.AxisItem("right", pen=INTENSITY_PEN.color(), textPen=INTENSITY_PEN.color())
        self.axis.linkToView(self.intensity_box)
        self.axis.setLabel("Intensity (dB)", color=INTENSITY_PEN.color().name())
        self.axis.setFixedWidth(axis_px)
        layout.addItem(self.axis, row=row, col=1)
        self.plot.getViewBox().sigResized.connect(self._follow_geometry)
        self.prosody: Prosody | None = None
        self.unit = "Hz"
        self.set_unit("Hz")

    def set_unit(self, unit: str) -> None:
        """Show f0 in "Hz" or "st" (semitones re 100 Hz)."""
        self.unit = unit
        self.plot.setLabel("left", UNIT_LABELS[unit], color=self.f0.opts["pen"].color().name())
        if self.prosody is not None:
            self.show(self.prosody)

    def show(self, prosody: Prosody) -> None:
        """Draw ``prosody``: f0 with gaps where unvoiced, on the pitch settings' floor-to-ceiling range
        (as Praat does, and the same for every clip, so a higher voice looks higher), and intensity."""
        self.prosody = prosody
        draw_f0(self.f0, prosody.times, prosody.f0_hz, self.unit)
        self.intensity.setData(prosody.times, prosody.intensity_db)
        floor_ceiling = f0_in(np.array([prosody.params.floor_hz, prosody.params.ceiling_hz]), self.unit)
        self.plot.setYRange(*floor_ceiling, padding=0.0)

    def clear(self) -> None:
        """Nothing to show (a new clip, until its prosody is ready)."""
        self.prosody = None
        self.f0.setData([], [])
        self.intensity.setData([], [])

    def set_visible(self, shown: bool) -> None:
        for item in (self.plot, self.axis, self.intensity_box):
            item.setVisible(shown)

    def describe(self, t: float) -> str:
        """f0, semitones and intensity at time ``t`` (for the status bar); "" outside the frames."""
        p = self.prosody
        step = p.params.time_step if p is not None else 0.0
        if p is None or not len(p.times) or not p.times[0] - step <= t <= p.times[-1] + step:
            return ""
        i = int(np.argmin(np.abs(p.times - t)))
        pitch = f"f0 {p.f0_hz[i]:.0f} Hz ({p.f0_semitones[i]:.1f} st)" if p.voiced[i] else "unvoiced"
        return f"{pitch}   intensity {p.intensity_db[i]:.1f} dB"

    def _follow_geometry(self) -> None:
        self.intensity_box.setGeometry(self.plot.getViewBox().sceneBoundingRect())
        self.intensity_box.linkedViewChanged(self.plot.getViewBox(), self.intensity_box.XAxis)

