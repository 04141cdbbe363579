"""``python -m servis_gui evaluate`` and ``predict`` on a generated RAVDESS tree whose emotions differ by
construction: the UAR line, the CSV layout, a saved model that predicts new clips, plain errors, no Qt."""

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.test_corpus_claims import AS_CLAIMED, CODES, write_ravdess

DESIGN = {emotion: AS_CLAIMED[emotion] for emotion in ("neutral", "sad", "angry")}
"""Three emotions of distinct f0 and loudness, in emotion order; 4 actors x 4 clips each."""

UAR_LINE = re.compile(r"UAR (\d\.\d{3}) \[(\d\.\d{3}), (\d\.\d{3})\]")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("recognise") / "ravdess"
    write_ravdess(root, DESIGN, seed=1)
    return root


@pytest.fixture(scope="module")
def new_clips(tmp_path_factory) -> dict[str, Path]:
    """Emotion -> a clip the model has not seen (other seed), angry from a woman, sad from a man."""
    root = tmp_path_factory.mktemp("recognise-new") / "ravdess"
    write_ravdess(root, DESIGN, seed=7)
    return {"angry": root / "Actor_02" / f"03-01-{CODES['angry']}-01-01-01-02.wav",
            "sad": root / "Actor_03" / f"03-01-{CODES['sad']}-01-02-02-03.wav"}


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict:
    """One cache for the module: the corpus is analysed once."""
    return {**os.environ, "XDG_CACHE_HOME": str(tmp_path_factory.mktemp("recognise-cache"))}


@pytest.fixture(scope="module")
def evaluated(corpus, env, tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    """``servis evaluate`` with ``--out`` and ``--save-model``, run once; the folder it wrote into."""
    out = tmp_path_factory.mktemp("recognise-out")
    done = _servis("evaluate", corpus, "--out", "eval.csv", "--save-model", "model.json", env=env, cwd=out)
    return done, out


def _servis(*args, env: dict, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "servis_gui", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_evaluate_prints_a_uar_well_above_chance_and_the_tables(evaluated):
    done, _ = evaluated
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    uar_lines = [line for line in lines if UAR_LINE.fullmatch(line)]
    assert len(uar_lines) == 1 and lines.index(uar_lines[0]) >= len(lines) - 3
    uar, low, high = map(float, UAR_LINE.fullmatch(uar_lines[0]).groups())
    assert low <= uar <= high and uar >= 0.8, done.stdout
    assert "chance 0.333" in lines
    assert "no folds of its own" not in done.stderr, "loso is the default: nothing to fall back from"
    assert "RAVDESS: 48 clips, 4 speakers, 3 emotions" in lines
    header = next(line for line in lines if line.split() == list(DESIGN))
    assert lines.index(header) > lines.index("confusion matrix (rows: true emotion, columns: predicted)")


def test_the_csv_has_recall_confusion_and_summary_rows(evaluated):
    done, out = evaluated
    with (out / "eval.csv").open(newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    classes = list(DESIGN)
    assert rows[0] == ["kind", "emotion", "clips", "value", "ci_low", "ci_high", "chance", *classes]
    assert [row[:3] for row in rows[1:4]] == [["recall", c, "16"] for c in classes]
    assert [row[:3] for row in rows[4:7]] == [["confusion", c, "16"] for c in classes]
    assert all(sum(map(int, row[7:])) == 16 for row in rows[4:7])
    recalls = [int(row[7 + i]) / 16 for i, row in enumerate(rows[4:7])]
    assert [float(row[3]) for row in rows[1:4]] == pytest.approx(recalls)
    (summary,) = rows[7:]
    assert summary[:3] == ["summary", "", "48"] and float(summary[6]) == pytest.approx(1 / 3)
    uar, low, high = map(float, UAR_LINE.search(done.stdout).groups())
    assert [round(float(v), 3) for v in summary[3:6]] == [uar, low, high]


def test_the_saved_model_predicts_the_constructed_emotions_of_new_clips(evaluated, new_clips, env):
    _, out = evaluated
    model = json.loads((out / "model.json").read_text(encoding="utf-8"))
    assert "RAVDESS: 48 clips" in model["description"] and 0.8 <= model["uar"] <= 1.0
    done = _servis("predict", "model.json", *new_clips.values(), env=env, cwd=out)
    assert done.returncode == 0, done.stderr
    blocks = done.stdout.strip().split("\n" + str(new_clips["sad"]))
    for (emotion, clip), block in zip(new_clips.items(), (blocks[0], str(new_clips["sad"]) + blocks[1])):
        first, *probabilities = block.splitlines()
        assert first == f"{clip}: {emotion}"
        ranked = [line.split() for line in probabilities]
        assert [name for name, _ in ranked][0] == emotion and len(ranked) == 3
        values = [float(p) for _, p in ranked]
        assert values == sorted(values, reverse=True) and sum(values) == pytest.approx(1, abs=0.002)


def test_an_unreadable_file_exits_1_and_the_others_are_predicted(evaluated, new_clips, env):
    _, out = evaluated
    done = _servis("predict", "model.json", "missing.wav", new_clips["angry"], env=env, cwd=out)
    assert done.returncode == 1
    assert "missing.wav" in done.stderr and f"{new_clips['angry']}: angry" in done.stdout


@pytest.mark.parametrize("damage", ["truncated", "other features"])
def test_a_corrupted_or_mismatched_model_exits_2_with_a_plain_message(damage, evaluated, new_clips, env, tmp_path):
    _, out = evaluated
    text = (out / "model.json").read_text(encoding="utf-8")
    if damage == "truncated":
        text = text[: len(text) // 2]
    else:
        document = json.loads(text)
        document["feature_names"][0] = "no_such_feature"
        text = json.dumps(document)
    (tmp_path / "model.json").write_text(text, encoding="utf-8")
    done = _servis("predict", "model.json", new_clips["angry"], env=env, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("servis predict: error: ") and "Traceback" not in done.stderr
    assert ("cannot be read as a SERVIS model" if damage == "truncated" else "trained on other features") in done.stderr


@pytest.mark.parametrize("args", [("{clip}",), ("{corpus}", "--features", "none"),
                                  ("{corpus}", "--out", "{missing}/eval.csv")])
def test_bad_arguments_exit_2(args, corpus, new_clips, env, tmp_path):
    names = {"clip": new_clips["angry"], "corpus": corpus, "missing": tmp_path / "no such folder"}
    done = _servis("evaluate", *(arg.format(**names) for arg in args), env=env, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "error" in done.stderr and "Traceback" not in done.stderr


def test_corpus_folds_fall_back_to_speakers_and_no_qt_is_loaded(corpus, evaluated, new_clips, env):
    _, out = evaluated
    code = ("import sys\nfrom servis_gui.app import main\n"
            f"codes = [main(['evaluate', {str(corpus)!r}, '--folds', 'corpus', '--features', 'prosody']),\n"
            f"         main(['predict', 'model.json', {str(new_clips['sad'])!r}])]\n"
            "print(*codes, sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=out, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.stdout.splitlines()[-1].split() == ["0", "0", "[]"], done.stderr
    assert "this corpus has no folds of its own; using leave-one-speaker-out" in done.stderr
    assert "leave-one-speaker-out (4 folds)" in done.stdout


def test_scan_warnings_are_said_by_servis_evaluate(corpus, env, tmp_path):
    import shutil

    copy = tmp_path / "ravdess"
    shutil.copytree(corpus, copy)
    shutil.copy(next(copy.glob("Actor_01/*.wav")), copy / "Actor_01" / "notes.wav")
    done = _servis("evaluate", copy, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    warning = next(line for line in done.stderr.splitlines() if "not named like RAVDESS" in line)
    assert warning.startswith("servis evaluate: ") and "servis analyse" not in done.stderr
