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
                                    "servis_gui.settings", "servis_gui.dataset_jobs", "servis_gui.corpus_jobs",
                                    "servis_gui.recogniser_jobs", "servis_gui.live_emotion"])
def test_qt_core_services_load_no_widgets(module):
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(out.stdout.split())
    assert not loaded & {"PySide6.QtWidgets", "pyqtgraph"}


GENERATED = (".venv/", "dist/", "build/", "artifacts/", "/tmp/", "~")


@pytest.mark.parametrize("document", ["README.md", "docs/ARCHITECTURE.md", "build.spec", "scripts/virtual_mic.sh"])
def test_every_file_the_documents_name_exists(document):
    import re

    text = (REPO / document).read_text()
    named = set(re.findall(r"`([\w./-]+\.(?:py|sh|md|spec|toml|txt))\b", text))
    named |= set(re.findall(r"\b((?:docs|scripts|servis_gui|tests|bench|resources)/[\w./-]*\w)", text))
    known = {p.name for d in ("servis_gui", "scripts", "tests", "bench") for p in (REPO / d).rglob("*")}
    missing = sorted(n for n in named if not n.startswith(GENERATED) and not (REPO / n).exists()
                     and not (REPO / "servis_gui" / n).exists()
                     and not ("/" not in n and n in known))
    assert not missing, f"{document} names files that do not exist: {missing}"
