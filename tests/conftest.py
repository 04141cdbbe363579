"""Test-wide set-up: Qt offscreen and throw-away settings, before anything imports Qt."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as servis_gui.app.main sets it
_HOME = tempfile.mkdtemp(prefix="servis-tests-")
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)
os.environ["XDG_CONFIG_HOME"] = str(Path(_HOME) / "config")
os.environ["XDG_STATE_HOME"] = str(Path(_HOME) / "state")
os.environ["XDG_CACHE_HOME"] = os.environ.get("XDG_CACHE_HOME", str(Path(_HOME) / "cache"))

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "servis_gui" / "resources" / "demo"


@pytest.fixture
def capture_panel(qtbot, tmp_path):
    """A Record panel (recording into ``tmp_path``), sized as the dock is, stopped afterwards."""
    import pyqtgraph as pg

    from servis_gui.core.params import FeatureParams
    from servis_gui.ui.capture_panel import CapturePanel

    pg.setConfigOptions(imageAxisOrder="row-major")
    widget = CapturePanel(tmp_path / "My recordings", FeatureParams())
    qtbot.addWidget(widget)
    widget.resize(520, 760)
    yield widget
    widget.shutdown()
