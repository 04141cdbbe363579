"""Session and its cache (QtCore only)."""

import numpy as np

from servis_gui.core.clip import Clip, FileIdentity
from servis_gui.core.features import compute_features
from servis_gui.core.params import FeatureParams
from servis_gui.analysis_jobs import FeatureCache
from servis_gui.core.analysis import Analysis


def _analysis(name: str, seconds: float) -> Analysis:
    clip = Clip(np.zeros(int(16000 * seconds), np.float32), 16000, FileIdentity(name, 1, 1), 16000, 1)
    return Analysis(clip, compute_features(clip, FeatureParams()))


def test_cache_evicts_least_recently_used_beyond_its_byte_budget():
    items = {name: _analysis(name, 10.0) for name in "abc"}
    cache = FeatureCache(max_bytes=int(2.5 * _size(items["a"])))
    for name, analysis in items.items():
        if name == "c":
            assert cache.get((items["a"].clip.identity, FeatureParams())) is not None  # a is now recent
        cache.put((analysis.clip.identity, FeatureParams()), analysis)
    assert cache.get((items["b"].clip.identity, FeatureParams())) is None
    assert cache.get((items["a"].clip.identity, FeatureParams())) is items["a"]
    assert cache.nbytes <= 2.5 * _size(items["a"])


def _size(analysis: Analysis) -> int:
    cache = FeatureCache()
    cache.put((analysis.clip.identity, FeatureParams()), analysis)
    return cache.nbytes


def test_missing_file_fails_at_once_without_the_worker(qtbot, tmp_path):
    from servis_gui.session import Session

    session = Session(FeatureParams())
    with qtbot.waitSignal(session.load_failed, timeout=1000) as failed:
        session.open_clip(str(tmp_path / "gone.wav"))
    assert failed.args[0].endswith("gone.wav") and "gone.wav" in str(failed.args[1])
    session.shutdown()
