"""Prosody in the panes: intensity (dB) over the waveform, on an axis in the colour-bar column (so
the time axis stays level with the panes below), and the Prosody pane: f0 in Hz or semitones."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from servis_gui.core.prosody import Prosody
from servis_gui.ui.plot_helpers import INTENSITY_PEN, TimeViewBox, draw_f0, f0_curve, f0_in

INTENSITY_RANGE_DB = (30.0, 100.0)
"""The intensity axis, the same for every clip so louder speech looks louder (Praat shows 50-100 dB;
a full-scale sine is 91 dB here, and quiet recordings sit in the 40s)."""
F0_PADDING = 0.04
"""Room above the ceiling and below the floor, so their tick labels are not cut."""
UNIT_LABELS = {"Hz": "f0 (Hz)", "st": "f0 (st re 100 Hz)"}


class IntensityOverlay:
    """Intensity (dB, a fixed range) drawn over ``plot`` on its own y scale, its axis at ``(row, 1)``.

    Parameters
    ----------
    layout : pg.GraphicsLayout
        The panes' layout.
    plot : pg.PlotItem
        The plot it is drawn over (the waveform), in ``(row, 0)``.
    row : int
        The plot's row.
    axis_px : int
        Width of the axis (the colour-bar column's width).
    """

    def __init__(self, layout: pg.GraphicsLayout, plot: pg.PlotItem, row: int, axis_px: int) -> None:
        self.plot = plot
        self.box = pg.ViewBox(enableMouse=False)
        self.box.setZValue(-1)  # under the plot: mouse drags reach the time axis' view box
        layout.scene().addItem(self.box)
        self.box.setXLink(plot)
        self.box.setYRange(*INTENSITY_RANGE_DB, padding=0.0)
        self.curve = pg.PlotDataItem(pen=INTENSITY_PEN)
        self.box.addItem(self.curve)
        color = INTENSITY_PEN.color()
        self.axis = pg.AxisItem("right", pen=color, textPen=color)
        self.axis.linkToView(self.box)
        self.axis.setLabel("dB", color=color.name())
        self.axis.setToolTip("Intensity (Praat's To Intensity), dB re 20 µPa with sample value 1 = 1 Pa")
        self.axis.setFixedWidth(axis_px)
        layout.addItem(self.axis, row=row, col=1)
        plot.getViewBox().sigResized.connect(self._follow_geometry)

    def show(self, prosody: Prosody) -> None:
        self.curve.setData(prosody.times, prosody.intensity_db)

    def clear(self) -> None:
        self.curve.setData([], [])

    def _follow_geometry(self) -> None:
        self.box.setGeometry(self.plot.getViewBox().sceneBoundingRect())
        self.box.linkedViewChanged(self.plot.getViewBox(), self.box.XAxis)


class ProsodyPane:
    """The f0 contour on a y axis in Hz or semitones, in row ``row`` of ``layout``.

    Its y range is the pitch settings' floor to ceiling (as Praat draws it, and the same for every
    clip, so a higher voice looks higher).
    """

    def __init__(self, layout: pg.GraphicsLayout, row: int) -> None:
        self.plot = layout.addPlot(row=row, col=0, viewBox=TimeViewBox())
        self.f0 = f0_curve(self.plot)
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
        """Draw the f0 of ``prosody``, with gaps where unvoiced."""
        self.prosody = prosody
        draw_f0(self.f0, prosody.times, prosody.f0_hz, self.unit)
        floor_ceiling = f0_in(np.array([prosody.params.floor_hz, prosody.params.ceiling_hz]), self.unit)
        self.plot.setYRange(*floor_ceiling, padding=F0_PADDING)

    def clear(self) -> None:
        """Nothing to show (a new clip, until its prosody is ready)."""
        self.prosody = None
        self.f0.setData([], [])


def describe(prosody: Prosody | None, t: float) -> str:
    """f0, semitones and intensity at time ``t`` (for the status bar); "" outside the frames."""
    p = prosody
    step = p.params.time_step if p is not None else 0.0
    if p is None or not len(p.times) or not p.times[0] - step <= t <= p.times[-1] + step:
        return ""
    i = int(np.argmin(np.abs(p.times - t)))
    pitch = f"f0 {p.f0_hz[i]:.0f} Hz ({p.f0_semitones[i]:.1f} st)" if p.voiced[i] else "unvoiced"
    return f"{pitch}   intensity {p.intensity_db[i]:.1f} dB"
