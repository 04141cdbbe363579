"""``python -m servis_gui analyse``: outputs, exit codes, identical numbers for any --jobs, no Qt loaded."""

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.test_corpus_run import make_emodb_corpus

REPO = Path(__file__).resolve().parents[2]
LABELS = ["path", "emotion", "speaker", "gender", "sentence"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return make_emodb_corpus(tmp_path_factory.mktemp("cli") / "emodb")


@pytest.fixture(scope="module")
def broken_corpus(corpus, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cli-broken") / "emodb"
    shutil.copytree(corpus, root)
    (root / "wav" / "08b01Wa.wav").write_bytes(b"RIFF\x10\x00\x00\x00WAVEfmt ")
    return root


@pytest.fixture
def env(tmp_path) -> dict:
    return {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}


def _servis(*args, env: dict, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "servis_gui", "analyse", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300, **kwargs)


def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.reader(file))


def test_a_corpus_gives_one_row_per_clip_and_a_sidecar_for_every_column(corpus, tmp_path, env):
    done = _servis(corpus, "--n-mels", "32", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = _rows(tmp_path / "features.csv")
    header, body = rows[0], rows[1:]
    assert header[:5] == LABELS and len(body) == 12
    assert {"f0_semitone_p50", "f0_hz_p50", "intensity_db_mean", "rms_dbfs", "jitter_local", "mfcc1_mean",
            "mel032_mean"} <= set(header)
    assert sorted(Path(row[0]).name for row in body) == sorted(p.name for p in (corpus / "wav").iterdir())
    assert {row[1] for row in body} == {"angry", "neutral", "sad"}
    sidecar = json.loads((tmp_path / "features.json").read_text(encoding="utf-8"))
    assert list(sidecar["features"]) == header[5:]
    assert set(sidecar["label_columns"]) == set(LABELS)
    assert sidecar["settings"]["features"]["n_mels"] == 32
    assert sidecar["settings"]["pitch"]["floor_hz"] == 60.0
    assert not (tmp_path / "features.failures.csv").exists()
    assert "12 of 12 clips analysed" in done.stderr and "\r" not in done.stderr
    again = _servis(corpus, "--n-mels", "32", env=env, cwd=tmp_path)
    assert again.returncode == 0 and "(12 from the cache)" in again.stderr


def test_a_broken_clip_is_listed_and_the_others_written_with_exit_code_1(broken_corpus, tmp_path, env):
    out = tmp_path / "out" / "emo.csv"
    out.parent.mkdir()
    done = _servis(broken_corpus, "--out", out, "--jobs", "2", env=env, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "08b01Wa.wav" in done.stderr and "1 could not be analysed" in done.stderr
    assert len(_rows(out)) == 1 + 12
    failures = _rows(out.with_suffix(".failures.csv"))
    assert failures[0] == ["path", "reason"]
    assert [Path(row[0]).name for row in failures[1:]] == ["08b01Wa.wav"]
    assert "WAV" in failures[1][1]
    assert out.with_suffix(".json").is_file()


@pytest.mark.parametrize("args", [("{missing}",), ("{corpus}", "--pitch-floor", "900"), ("{corpus}", "--jobs", "0"),
                                  ("{corpus}", "--out", "{missing}/features.csv"), ("{empty}",), ()])
def test_bad_arguments_exit_with_code_2_and_write_nothing(args, corpus, tmp_path, env):
    (tmp_path / "empty").mkdir()
    names = {"missing": tmp_path / "no such folder", "corpus": corpus, "empty": tmp_path / "empty"}
    done = _servis(*(arg.format(**names) for arg in args), env=env, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "error" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "features.csv").exists()


def test_jobs_1_and_jobs_2_write_identical_files(corpus, tmp_path, env):
    for jobs in ("1", "2"):
        done = _servis(corpus, "--out", f"jobs{jobs}.csv", "--jobs", jobs, "--no-cache", env=env, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "jobs1.csv").read_bytes() == (tmp_path / "jobs2.csv").read_bytes()
    assert not (tmp_path / "cache").exists(), "--no-cache leaves no cache behind"


def test_one_file_can_be_analysed(corpus, tmp_path, env):
    clip = next((corpus / "wav").iterdir())
    done = _servis(clip, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert [row[:2] for row in _rows(tmp_path / "features.csv")[1:]] == [[str(clip), ""]]


def test_the_command_line_loads_no_qt(corpus, tmp_path, env):
    code = ("import sys\nfrom servis_gui.app import main\n"
            f"code = main(['analyse', {str(corpus)!r}, '--jobs', '2'])\n"
            "print(code, sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.stdout.split() == ["0", "[]"], done.stderr


def test_ctrl_c_stops_the_workers_writes_nothing_and_exits_130(tmp_path, env):
    corpus = make_emodb_corpus(tmp_path / "long", seconds=4.0)
    child = subprocess.Popen([sys.executable, "-m", "servis_gui", "analyse", str(corpus), "--jobs", "2"], cwd=tmp_path,
                             env=env, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert "12 clips in" in child.stderr.readline()
        os.killpg(child.pid, signal.SIGINT)  # as a terminal's Ctrl+C: to the whole process group
        stderr = child.stderr.read()
        assert child.wait(timeout=60) == 130, stderr
    finally:
        child.kill()
        child.stderr.close()
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert not list(tmp_path.glob("*.csv")) and not list(tmp_path.glob(".*part"))
