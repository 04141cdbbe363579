"""An offscreen Qt platform with a 1920x1080 screen: Qt's default offscreen screen is 800x600,
which makes the app take its small-screen layout (every dock at the left) and the panes wider."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

SCREEN = {"name": "bench", "x": 0, "y": 0, "width": 1920, "height": 1080, "logicalDpiX": 96, "logicalDpiY": 96}


def desktop_platform() -> str:
    """A ``QT_QPA_PLATFORM`` value: offscreen with one 1920x1080 screen."""
    config = Path(tempfile.mkdtemp(prefix="servis-bench-screen-")) / "screen.json"
    config.write_text(json.dumps({"screens": [SCREEN]}))
    return f"offscreen:configfile={config}"
