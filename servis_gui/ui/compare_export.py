"""Export a comparison grid: PNG at a chosen size and DPI, SVG, and the displayed matrices."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from servis_gui.core.summary import summarise
from servis_gui.ui.compare_grid import CompareGrid

INCH_M = 0.0254
PUBLICATION_WIDTH = 3000
PUBLICATION_DPI = 300


def export_png(grid: CompareGrid, path: str | Path, width: int, height: int, dpi: int = 150,
               background: str = "#15171a") -> QImage:
    """Render the grid as shown into a ``width`` x ``height`` PNG tagged with ``dpi``.

    The on-screen layout is scaled to fit (aspect ratio kept, centred on ``background``), so the
    figure looks like the window at a higher resolution.
    """
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor(background))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    grid.scene().render(painter, QRectF(0, 0, width, height), grid.ci.sceneBoundingRect())
    painter.end()
    dots = round(dpi / INCH_M)  # only now: painting at 300 dpi would scale every font in points
    image.setDotsPerMeterX(dots)
    image.setDotsPerMeterY(dots)
    if not image.save(str(path), "PNG"):
        raise OSError(f"Could not write {path}.")
    return image


def export_svg(grid: CompareGrid, path: str | Path) -> None:
    """Write the grid as SVG: images embedded as PNG, text and axes as vectors.

    Drawn with Qt's own SVG generator (pyqtgraph's SVGExporter fails on Qt 6's closed paths).
    """
    from PySide6.QtSvg import QSvgGenerator

    source = grid.ci.sceneBoundingRect()
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(source.size().toSize())
    generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
    generator.setTitle("SERVIS comparison")
    painter = QPainter(generator)
    painter.fillRect(QRectF(0, 0, source.width(), source.height()), QColor("#ffffff"))
    grid.scene().render(painter, QRectF(0, 0, source.width(), source.height()), source)
    painter.end()


def export_figure(grid: CompareGrid, path: str | Path) -> list[Path]:
    """One action for a paper: a 300 dpi PNG on white, and an SVG next to it."""
    png = Path(path).with_suffix(".png")
    shown = grid.ci.sceneBoundingRect()
    height = round(PUBLICATION_WIDTH * shown.height() / max(shown.width(), 1.0))
    export_png(grid, png, PUBLICATION_WIDTH, height, dpi=PUBLICATION_DPI, background="#ffffff")
    svg = png.with_suffix(".svg")
    export_svg(grid, svg)
    return [png, svg]


def export_data(grid: CompareGrid, folder: str | Path) -> list[Path]:
    """Save what each column shows: mel dB (as displayed), MFCC and waveform as NPY and CSV.

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
        writer.writerow(["clip", "emotion", "file", "duration_s", "peak", "rms_dbfs", "active_ratio"])
        for i, clip in enumerate(grid.clips):
            s = summarise(clip.analysis.clip, clip.analysis.features)
            writer.writerow([i + 1, clip.emotion, clip.analysis.clip.identity.path, f"{s.duration:.3f}",
                             f"{s.peak:.4f}", f"{s.rms_dbfs:.2f}", f"{s.active_ratio:.3f}"])
    return path
