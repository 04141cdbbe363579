"""House rules checked by programs: the import-linter layer contracts in pyproject.toml, ruff's rules,
and what import-linter cannot express (QtWidgets is an external submodule)."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)


def test_import_linter_contracts_hold():
    out = _run(str(BIN / "lint-imports"), "--no-cache")
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    assert "0 broken" in out.stdout


def test_ruff_finds_nothing():
    out = _run(sys.executable, "-m", "ruff", "check", "--output-format", "concise", "servis_gui", "tests",
               "bench", "scripts")
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]


@pytest.mark.parametrize("module", ["servis_gui.session", "servis_gui.analysis_jobs", "servis_gui.jobs",
                                    "servis_gui.settings", "servis_gui.dataset_jobs"])
def test_qt_core_services_load_no_widgets(module):
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(out.stdout.split())
    assert not loaded & {"PySide6.QtWidgets", "pyqtgraph"}
