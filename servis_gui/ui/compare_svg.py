"""Make Qt's SVG of a plot draw its curves as thin strokes in every SVG renderer.

pyqtgraph draws curves with cosmetic pens (1 px whatever the zoom) in data coordinates. Qt's
QSvgGenerator writes such a curve as a ``<path vector-effect="non-scaling-stroke">`` inside a
``<g transform="matrix(...)">`` that maps data to pixels, e.g. 11 px per second and 50 px per unit
of amplitude. A renderer without ``vector-effect`` (librsvg up to 2.56, many editors) scales the
1-unit stroke by that matrix: a waveform becomes a stroke tens of pixels wide, a solid blob.
Applying the matrix to the path's points instead leaves nothing for the renderer to scale.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

SVG_NS, XLINK_NS = "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"
NON_SCALING = "non-scaling-stroke"
_MATRIX = re.compile(r"matrix\(([^)]*)\)")
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_PAIR = re.compile(rf"({_NUMBER})\s*,\s*({_NUMBER})")
Matrix = tuple[float, float, float, float, float, float]


def strokes_in_figure_coordinates(path: str | Path) -> int:
    """Rewrite the SVG at ``path`` so that no cosmetic stroke sits under a scaling transform.

    Every group whose children are all ``non-scaling-stroke`` paths or polylines gets its
    transform applied to their points and removed; the children get the group's ``fill``
    explicitly (``none`` for curves).

    Returns
    -------
    int
        How many groups were rewritten.
    """
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    tree = ET.parse(path)
    rewritten = 0
    for group in tree.getroot().iter(f"{{{SVG_NS}}}g"):
        matrix = _matrix(group.get("transform", ""))
        children = list(group)
        if matrix is None or not children or not all(_is_cosmetic_stroke(c) for c in children):
            continue
        for child in children:
            _transform_points(child, matrix)
            child.set("fill", group.get("fill", "none"))
            del child.attrib["vector-effect"]
        del group.attrib["transform"]
        rewritten += 1
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return rewritten


def _matrix(transform: str) -> Matrix | None:
    found = _MATRIX.fullmatch(transform.strip())
    if found is None:
        return None
    values = tuple(float(v) for v in found.group(1).split(","))
    return values if len(values) == 6 else None  # type: ignore[return-value]


def _is_cosmetic_stroke(element: ET.Element) -> bool:
    return element.tag in (f"{{{SVG_NS}}}path", f"{{{SVG_NS}}}polyline") \
        and element.get("vector-effect") == NON_SCALING


def _transform_points(element: ET.Element, m: Matrix) -> None:
    """Apply ``m`` to every ``x,y`` pair of a path's ``d`` (absolute, as Qt writes) or a polyline."""
    a, b, c, d, e, f = m

    def moved(pair: re.Match) -> str:
        x, y = float(pair.group(1)), float(pair.group(2))
        return f"{a * x + c * y + e:.6g},{b * x + d * y + f:.6g}"

    key = "d" if element.tag.endswith("path") else "points"
    element.set(key, _PAIR.sub(moved, element.get(key, "")))
