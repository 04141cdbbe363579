"""The app as a process: self-test, light start-up path, and a real X window screenshot."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_self_test_prints_only_its_line_and_leaves_nothing(tmp_path):
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(home), TMPDIR=str(tmp),
               XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local/share"),
               XDG_STATE_HOME=str(home / ".local/state"), XDG_CACHE_HOME=str(home / ".cache"))
    out = subprocess.run([sys.executable, "-m", "servis_gui", "--self-test"], capture_output=True,
                         text=True, timeout=180, env=env, cwd=REPO)
    assert out.returncode == 0, out.stdout + out.stderr
    (line,) = out.stdout.splitlines()
    assert line.startswith("SERVIS self-test OK") and "mel 128x" in line and "f0 median" in line
    assert out.stderr == ""
    assert _tree(home) == set() and _tree(tmp) == set()


def test_start_up_path_imports_no_heavy_modules():
    code = ("import sys; import servis_gui.app, servis_gui.ui.main_window; "
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(out.stdout.split())
    assert not loaded & {"pyqtgraph", "scipy", "librosa", "numba", "sounddevice", "soundfile"}


@pytest.mark.xvfb
@pytest.mark.parametrize(("view", "png"), [(None, "main-window-xvfb.png"),
                                            ("--compare", "compare-grid-xvfb.png")])
def test_screenshot_under_xvfb(view, png):
    display = os.environ.get("SERVIS_XVFB_DISPLAY")
    if not display:
        if os.environ.get("CI"):
            pytest.fail("CI must provide Xvfb (SERVIS_XVFB_DISPLAY from scripts/test.sh)")
        pytest.skip("no Xvfb display (run through scripts/test.sh)")
    out_png = REPO / "artifacts" / png
    out_png.parent.mkdir(exist_ok=True)
    out_png.unlink(missing_ok=True)
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
    args = [sys.executable, "scripts/screenshot.py", str(out_png)] + ([view] if view else [])
    proc = subprocess.run(args, capture_output=True, text=True, timeout=120, env=env, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(out_png))
    assert image.width() >= 1200 and image.height() >= 800
    values = [image.pixelColor(x, y).value() for x in range(0, image.width(), 9)
              for y in range(0, image.height(), 9)]
    mean = sum(values) / len(values)
    assert (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5 > 20  # not blank
