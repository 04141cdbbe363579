"""The comparison SVG as a standard renderer (librsvg) draws it: thin curves, the PNG's layout."""

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage

from servis_gui.core.emotions import emotion_color
from tests.ui.test_compare_layout import EIGHT, figure_rect, image_spans, open_group, rgb

SVG = "{http://www.w3.org/2000/svg}"
SCALE = 2


def rsvg_convert() -> str:
    """The librsvg command line renderer (package librsvg2-bin); required in CI."""
    found = shutil.which("rsvg-convert")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("rsvg-convert is missing: install librsvg2-bin (scripts/setup.sh)")
        pytest.skip("needs rsvg-convert (apt-get install librsvg2-bin)")
    return found


def inherited(element: ET.Element, parents: dict, name: str) -> str | None:
    """An SVG presentation attribute as it applies to ``element`` (its own or an ancestor's)."""
    while element is not None:
        if name in element.attrib:
            return element.get(name)
        element = parents.get(element)
    return None


def scales(transform: str | None) -> bool:
    """Whether an SVG ``matrix(a,b,c,d,e,f)`` transform magnifies (a stroke drawn under it)."""
    if not transform or not transform.startswith("matrix("):
        return False
    a, b, c, d = (float(v) for v in transform[7:-1].split(",")[:4])
    return not np.allclose([a, b, c, d], [1, 0, 0, 1]) and not np.allclose([abs(a), abs(d)], [0, 0])


@pytest.fixture
def exported(window, qtbot, tmp_path):
    """The 8-clip grid, its SVG, that SVG rendered by librsvg and the PNG export, same size."""
    from servis_gui.ui.compare_export import export_png, export_svg

    grid = open_group(window, qtbot, EIGHT)
    size = figure_rect(grid).size() * SCALE
    width, height = round(size.width()), round(size.height())
    export_svg(grid, tmp_path / "grid.svg")
    subprocess.run([rsvg_convert(), "-w", str(width), "-h", str(height), "-b", "white",
                    "-o", str(tmp_path / "rendered.png"), str(tmp_path / "grid.svg")], check=True)
    png = export_png(grid, tmp_path / "grid.png", width, height, background="#ffffff")
    return grid, ET.parse(tmp_path / "grid.svg"), QImage(str(tmp_path / "rendered.png")), png


def test_svg_curves_are_strokes_not_fills(exported):
    grid, tree, _rendered, _png = exported
    parents = {child: parent for parent in tree.iter() for child in parent}
    curve_colors = {emotion_color(clip.emotion).lower() for clip in grid.clips}
    curves = [el for el in tree.iter() if el.tag in (f"{SVG}path", f"{SVG}polyline")
              and (inherited(el, parents, "stroke") or "").lower() in curve_colors]
    assert len(curves) >= len(grid.clips)
    for curve in curves:
        assert inherited(curve, parents, "fill") == "none"
        ancestors = [curve]
        while ancestors[-1] in parents:
            ancestors.append(parents[ancestors[-1]])
        assert not any(scales(el.get("transform")) for el in ancestors)  # a 1 px stroke stays 1 px


def test_rendered_svg_has_the_png_layout_and_thin_waveforms(exported):
    grid, tree, rendered, png = exported
    assert (rendered.width(), rendered.height()) == (png.width(), png.height())
    images = [el for el in tree.iter() if el.tag == f"{SVG}image"]
    assert len(images) == 2 * len(grid.clips) + 2  # every mel and MFCC image, both colour bars
    svg_spans = image_spans(grid, rgb(rendered), SCALE, QPointF(0, 0))
    png_spans = image_spans(grid, rgb(png), SCALE, QPointF(0, 0))
    assert np.allclose(svg_spans, png_spans, atol=0.01 * png.width())
    pixels = rgb(rendered).astype(int)
    for clip, plots in zip(grid.clips, grid.plots):
        view = plots["waveform"].getViewBox().sceneBoundingRect()
        box = pixels[round(view.top() * SCALE): round(view.bottom() * SCALE),
                     round(view.left() * SCALE): round(view.right() * SCALE)]
        ink = np.array([int(emotion_color(clip.emotion)[k:k + 2], 16) for k in (1, 3, 5)])
        curve_share = (np.abs(box - ink).sum(axis=2) < 90).mean()
        assert 0.001 < curve_share < (0.12 if clip.emotion in ("sad", "calm") else 0.3), clip.emotion
