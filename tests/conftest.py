"""Test-wide set-up: Qt offscreen and throw-away settings, before anything imports Qt."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as servis_gui.app.main sets it
_HOME = tempfile.mkdtemp(prefix="servis-tests-")
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)
os.environ["XDG_CONFIG_HOME"] = str(Path(_HOME) / "config")
os.environ["XDG_STATE_HOME"] = str(Path(_HOME) / "state")
os.environ["XDG_CACHE_HOME"] = os.environ.get("XDG_CACHE_HOME", str(Path(_HOME) / "cache"))

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "servis_gui" / "resources" / "demo"
