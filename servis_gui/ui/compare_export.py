"""Export a comparison grid (every clip and both colour bars): PNG at a chosen size and DPI, SVG,
and the displayed matrices and f0 / intensity tracks."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from servis_gui.core.prosody import Prosody
from servis_gui.core.prosody_export import write_tracks_csv
from servis_gui.core.prosody_summary import summarise_prosody
from servis_gui.core.summary import summarise
from servis_gui.ui.compare_grid import CompareGrid, FigurePart
from servis_gui.ui.compare_svg import strokes_in_figure_coordinates

INCH_M = 0.0254
PUBLICATION_WIDTH = 3000
PUBLICATION_DPI = 300
SUMMARY_COLUMNS = ("clip", "emotion", "file", "duration_s", "peak", "rms_dbfs", "active_ratio",
                   "median_f0_hz", "median_f0_st", "f0_range_st", "intensity_mean_db")


def export_png(grid: CompareGrid, path: str | Path, width: int, height: int, dpi: int = 150,
               background: str = "#15171a") -> QImage:
    """Render every clip of the grid and its colour bars into a ``width`` x ``height`` PNG.

    The on-screen layout (all columns, also those scrolled out of view) is scaled to fit, aspect
    ratio kept and centred on ``background``, so the figure looks like the window at a higher
    resolution. The PNG is tagged with ``dpi``.
    """
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor(background))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    _render(grid.figure_parts(), painter, QRectF(0, 0, width, height))
    painter.end()
    dots = round(dpi / INCH_M)  # only now: painting at 300 dpi would scale every font in points
    image.setDotsPerMeterX(dots)
    image.setDotsPerMeterY(dots)
    if not image.save(str(path), "PNG"):
        raise OSError(f"Could not write {path}.")
    return image


def export_svg(grid: CompareGrid, path: str | Path) -> None:
    """Write every clip of the grid and its colour bars as SVG, at the on-screen size.

    Images are embedded as PNG, curves, text and axes are vectors. Drawn with Qt's own SVG
    generator (pyqtgraph's SVGExporter fails on Qt 6's closed paths), then the curves are moved to
    figure coordinates (see ``compare_svg``).
    """
    from PySide6.QtSvg import QSvgGenerator

    parts = grid.figure_parts()
    size = _bounds(parts).size()
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(size.toSize())
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setTitle("SERVIS comparison")
    generator.setResolution(grid.logicalDpiY())  # fonts in points: the size they have on screen
    painter = QPainter(generator)
    painter.fillRect(QRectF(0, 0, size.width(), size.height()), QColor("#ffffff"))
    _render(parts, painter, QRectF(0, 0, size.width(), size.height()))
    painter.end()
    strokes_in_figure_coordinates(path)


def export_figure(grid: CompareGrid, path: str | Path) -> list[Path]:
    """One action for a paper: a 300 dpi PNG on white, and an SVG next to it."""
    png = Path(path).with_suffix(".png")
    shown = figure_size(grid)
    height = round(PUBLICATION_WIDTH * shown.height() / max(shown.width(), 1.0))
    export_png(grid, png, PUBLICATION_WIDTH, height, dpi=PUBLICATION_DPI, background="#ffffff")
    svg = png.with_suffix(".svg")
    export_svg(grid, svg)
    return [png, svg]


def figure_size(grid: CompareGrid) -> QSizeF:
    """The size of the exported figure at scale 1 (on-screen pixels): all clips and the bars."""
    return _bounds(grid.figure_parts()).size()


def _bounds(parts: list[FigurePart]) -> QRectF:
    """The figure's extent: every part at its offset."""
    bounds = QRectF()
    for part in parts:
        bounds = bounds.united(QRectF(part.offset, part.source.size()))
    return bounds


def _render(parts: list[FigurePart], painter: QPainter, target: QRectF) -> None:
    """Draw the parts into ``target``, scaled alike to fit and centred."""
    bounds = _bounds(parts)
    scale = min(target.width() / bounds.width(), target.height() / bounds.height())
    left = target.left() + (target.width() - bounds.width() * scale) / 2 - bounds.left() * scale
    top = target.top() + (target.height() - bounds.height() * scale) / 2 - bounds.top() * scale
    for part in parts:
        where = QRectF(left + part.offset.x() * scale, top + part.offset.y() * scale,
                       part.source.width() * scale, part.source.height() * scale)
        part.scene.render(painter, where, part.source, Qt.AspectRatioMode.IgnoreAspectRatio)


def export_data(grid: CompareGrid, folder: str | Path) -> list[Path]:
    """Save what each column shows: mel dB (as displayed), MFCC and waveform as NPY and CSV, and
    the f0 and intensity tracks of each clip whose prosody has arrived as ``<clip>_prosody.csv``.

    Also writes ``summary.csv`` with the per-clip summary row. Returns the files written.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for i, (clip, mel_image) in enumerate(zip(grid.clips, grid.mel_images)):
        stem = f"{i + 1:02d}_{Path(clip.analysis.clip.identity.path).stem}"
        feats = clip.analysis.features
        written += _save_matrix(folder / f"{stem}_mel_db", mel_image.image, feats.times, feats.mel_hz, "Hz")
        written += _save_matrix(folder / f"{stem}_mfcc", feats.mfcc, feats.times,
                                np.arange(feats.mfcc.shape[0]), "coefficient")
        np.save(folder / f"{stem}_waveform.npy", clip.analysis.clip.samples)
        written.append(folder / f"{stem}_waveform.npy")
        if isinstance(prosody := grid.prosody[i], Prosody):
            write_tracks_csv(prosody, folder / f"{stem}_prosody.csv")
            written.append(folder / f"{stem}_prosody.csv")
    written.append(_save_summary(grid, folder / "summary.csv"))
    return written


def _save_matrix(stem: Path, matrix: np.ndarray, times: np.ndarray, rows: np.ndarray, row_name: str) -> list[Path]:
    npy, csv_path = stem.with_suffix(".npy"), stem.with_suffix(".csv")
    np.save(npy, matrix)
    with open(csv_path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([f"{row_name} \\ time (s)"] + [f"{t:.4f}" for t in times])
        for label, values in zip(rows, matrix):
            writer.writerow([f"{label:g}"] + [f"{v:.3f}" for v in values])
    return [npy, csv_path]


def _save_summary(grid: CompareGrid, path: Path) -> Path:
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(SUMMARY_COLUMNS)
        for i, (clip, prosody) in enumerate(zip(grid.clips, grid.prosody)):
            s = summarise(clip.analysis.clip, clip.analysis.features)
            p = summarise_prosody(prosody) if isinstance(prosody, Prosody) else None
            pitch = [""] * 4 if p is None else [
                f"{p.f0_median_hz:.2f}", f"{p.f0_median_st:.3f}", f"{p.f0_range_st:.3f}", f"{p.intensity_mean_db:.2f}"]
            writer.writerow([i + 1, clip.emotion, clip.analysis.clip.identity.path, f"{s.duration:.3f}",
                             f"{s.peak:.4f}", f"{s.rms_dbfs:.2f}", f"{s.active_ratio:.3f}", *pitch])
    return path

