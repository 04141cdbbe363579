"""``pip install .`` (not editable) into a fresh venv gives a working app with its demo corpus."""

from __future__ import annotations

import os
import subprocess
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.bundle
def test_a_wheel_install_opens_the_demo_without_librosa(tmp_path: Path) -> None:
    target = tmp_path / "venv"
    venv.create(target, with_pip=True)
    python = target / "bin" / "python"
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", PIP_ROOT_USER_ACTION="ignore")
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", "-c", str(ROOT / "constraints.txt"),
                              str(ROOT)], capture_output=True, text=True, timeout=900, env=env)
    assert install.returncode == 0, install.stderr[-3000:]
    run_env = dict(env, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    run = subprocess.run([str(target / "bin" / "servis"), "--self-test"], cwd=tmp_path, capture_output=True,
                         text=True, timeout=180, env=run_env)
    assert run.returncode == 0 and run.stdout.startswith("SERVIS self-test OK"), run.stdout + run.stderr
    assert "f3_dogs_angry.flac" in run.stdout  # the first demo clip, read from the installed package data
    probe = subprocess.run([str(python), "-c", "import librosa"], capture_output=True, text=True)
    assert probe.returncode != 0, "librosa is the tests' reference, not a dependency of the app"
