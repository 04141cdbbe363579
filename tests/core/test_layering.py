"""The layers of docs/ARCHITECTURE.md: core imports no Qt and no sounddevice; start-up avoids librosa."""

import subprocess
import sys

import pytest


def _modules_loaded_by(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in out.stdout.split()}


@pytest.mark.parametrize(
    "module",
    ["servis_gui.core.clip", "servis_gui.core.features", "servis_gui.core.emotions",
     "servis_gui.core.params", "servis_gui.core.datasets"],
)
def test_core_imports_no_qt_no_sounddevice_no_librosa(module):
    loaded = _modules_loaded_by(f"import {module}")
    assert not loaded & {"PySide6", "pyqtgraph", "sounddevice", "librosa", "numba"}
