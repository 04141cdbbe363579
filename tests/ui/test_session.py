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


def test_a_new_clip_sets_the_time_range_the_same_clip_keeps_the_zoom(qtbot, tone_file):
    from servis_gui.session import Session

    session = Session(FeatureParams())
    ranges = []
    session.view_range_changed.connect(lambda t0, t1: ranges.append((t0, t1)))
    with qtbot.waitSignal(session.analysis_ready, timeout=10000):
        session.open_clip(tone_file("a.wav", seconds=1.5))
    assert ranges[-1] == (0.0, 1.5)
    session.set_view_range(0.2, 0.4)
    with qtbot.waitSignal(session.analysis_ready, timeout=10000):
        session.set_params(FeatureParams(n_mels=64))  # the same clip again, other parameters
    assert session.view_range == (0.2, 0.4)
    requests = []
    session.loading.connect(requests.append)
    session.open_clip(tone_file("a.wav", seconds=1.5))  # shown already: nothing to do
    assert requests == [] and session.view_range == (0.2, 0.4)
    session.shutdown()


def test_the_pinned_reference_is_the_comparisons_first_clip_while_pinned(qtbot, tone_file):
    from servis_gui.session import Session

    session = Session(FeatureParams())
    paths = [tone_file("a.wav"), tone_file("b.wav", freq=880.0)]
    with qtbot.waitSignal(session.group_ready, timeout=10000):
        session.open_group(paths)
    assert session.pinned_path is None
    session.set_pinned(True)
    assert session.pinned_path == paths[0]
    session.set_pinned(False)
    assert session.pinned_path is None
    session.shutdown()


def test_prosody_follows_the_panes_and_comes_from_the_cache_the_second_time(qtbot, tone_file):
    from servis_gui.core.prosody import compute_prosody
    from servis_gui.session import Session

    session = Session(FeatureParams())
    order = []
    session.analysis_ready.connect(lambda _a: order.append("features"))
    session.prosody_ready.connect(lambda _p: order.append("prosody"))
    a, b = tone_file("a.wav", freq=150.0), tone_file("b.wav", freq=300.0)
    with qtbot.waitSignal(session.prosody_ready, timeout=20000) as first:
        session.open_clip(a)
    assert order == ["features", "prosody"]
    prosody, analysis = first.args[0], session.analysis
    assert prosody.params.time_step == analysis.features.params.hop_length / analysis.clip.sr
    direct = compute_prosody(analysis.clip, session.pitch_params_for(analysis))
    np.testing.assert_array_equal(prosody.f0_hz, direct.f0_hz)
    with qtbot.waitSignal(session.prosody_ready, timeout=20000):
        session.open_clip(b)
    with qtbot.waitSignal(session.prosody_ready, timeout=1000) as again:
        session.open_clip(a)
        assert session.prosody is prosody  # from the cache, before the event loop runs
    assert again.args[0] is prosody
    session.shutdown()


def test_prosody_of_a_clip_already_left_is_not_shown(qtbot, tone_file):
    from servis_gui.session import Session

    session = Session(FeatureParams())
    shown = []
    session.prosody_ready.connect(lambda p: shown.append(session.analysis.clip.identity.path))
    a, b = tone_file("a.wav", freq=150.0), tone_file("b.wav", freq=300.0)
    session.open_clip(a)
    session.open_clip(b)
    qtbot.waitUntil(lambda: bool(shown), timeout=20000)
    qtbot.wait(300)
    assert shown == [session.analysis.clip.identity.path] and shown[0].endswith("b.wav")
    session.shutdown()


def test_a_comparison_gets_the_prosody_of_every_clip_and_new_pitch_settings_redo_it(qtbot, tone_file):
    from servis_gui.core.prosody import PitchParams
    from servis_gui.session import Session

    session = Session(FeatureParams())
    paths = [tone_file("a.wav", freq=150.0), tone_file("b.wav", freq=300.0), str(tone_file("c.wav")) + ".gone"]
    with qtbot.waitSignal(session.group_prosody_ready, timeout=20000) as ready:
        session.open_group(paths)
    results = dict(ready.args[0])
    assert [p for p, _r in ready.args[0]] == paths
    assert abs(np.nanmedian(results[paths[0]].f0_hz) - 150.0) < 3
    assert abs(np.nanmedian(results[paths[1]].f0_hz) - 300.0) < 6
    assert isinstance(results[paths[2]], str)
    with qtbot.waitSignal(session.group_prosody_ready, timeout=20000) as again:
        session.set_pitch_params(PitchParams(floor_hz=100.0, ceiling_hz=500.0))
    assert dict(again.args[0])[paths[0]].params.floor_hz == 100.0
    session.shutdown()
