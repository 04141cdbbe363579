"""A new user's first try, as they see it: the real app under Xvfb (xcb, not offscreen), empty settings,
1366x768 and 1920x1080 screens (and 1920x1080 at QT_SCALE_FACTOR=2), keys through the shortcut path,
assertions on what is visible. Screenshots and JSON reports: artifacts/first_try/<config>/<scenario>/.

How it works: harness.run_driver starts driver.py (which starts the app with servis_gui.app.main)
per scenario; the driver writes a report of checks; these tests assert on them. One app process
serves several steps where that does not spoil a "first use" (Down through clips, then zoom).
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import soundfile as sf

from servis_gui.paths import demo_dir
from tests.e2e.first_try.harness import assert_none, run_driver

pytestmark = pytest.mark.xvfb

BOTH = ["1366x768", "1920x1080"]
ALL = BOTH + ["1920x1080-scale2"]


@pytest.fixture(scope="module")
def runs(xservers, tmp_path_factory):
    """Driver runs shared by the tests that assert on different steps of one app process."""
    cache: dict = {}

    def get(config: str, scenario: str, **kwargs):
        key = (config, kwargs.get("name") or scenario)
        if key not in cache:
            home = kwargs.pop("home", None) or tmp_path_factory.mktemp(f"home-{config}-{scenario}")
            cache[key] = run_driver(xservers, config, scenario, home, **kwargs)
        return cache[key]

    return get


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict:
    """Files a person might try first: two readable ones, a text file named .wav, a WAV cut in its header."""
    folder = tmp_path_factory.mktemp("user-files")
    demo = sorted(demo_dir().glob("*.flac"))
    samples, sr = sf.read(demo[0], dtype="float32")
    sf.write(folder / "A.wav", samples, sr)
    shutil.copy(demo[-1], folder / "B.flac")
    (folder / "broken.wav").write_text("This is not audio, just a text file someone named .wav\n")
    sf.write(folder / "full.wav", np.zeros(16000, dtype=np.float32), 16000)
    (folder / "cut.wav").write_bytes((folder / "full.wav").read_bytes()[:30])  # header cut mid-way
    return {name: str(folder / name) for name in ("A.wav", "B.flac", "broken.wav", "cut.wav")}


# ---------------------------------------------------------------- 1. start ----------------------------------

@pytest.mark.parametrize("config", ALL)
def test_start_window_fits_header_readable_panes_visible_and_geometry_remembered(runs, config, tmp_path):
    first = runs(config, "start", home=tmp_path)
    again = runs(config, "restart", home=tmp_path,
                 extra={"FIRST_TRY_PREVIOUS": str(first.folder / "report.json")})
    assert_none([first.problems(required=("window_fits_screen", "header_not_cut", "search_box_wide_enough",
                                          "panes_mel_visible", "ctrl_q_quits")),
                 again.problems(required=("geometry_remembered", "window_fits_screen", "panes_mel_visible"))])


# ---------------------------------------------------------------- 2. and 5. browsing, zoom ------------------

@pytest.mark.parametrize("config", BOTH)
def test_down_through_five_clips_names_each_and_shows_its_mel(runs, config):
    report = runs(config, "browse_zoom")
    report.assert_ok(("first-clip", "focus", "down-"), required=("header_names_new_clip",))
    assert len([c for c in report.select(("down-",)) if c["name"] == "header_names_new_clip"]) == 5


@pytest.mark.parametrize("config", BOTH)
def test_zoom_keys_ctrl_equal_ctrl_plus_ctrl_minus_ctrl_0(runs, config):
    report = runs(config, "browse_zoom")
    report.assert_ok(("zoom",), required=("Ctrl+= works", "Ctrl++ works", "Ctrl+- works", "Ctrl+0 works"))


# ---------------------------------------------------------------- 3. compare --------------------------------

@pytest.mark.parametrize("config", ALL)
def test_ctrl_e_first_use_of_the_grid_then_twelve_clips(runs, config):
    report = runs(config, "compare")
    report.assert_ok(required=("Ctrl+E_shows_8_clips_within_10s", "Ctrl+Shift+E_shows_12_clips_within_10s",
                               "grid_mel_images_tall_enough", "grid_columns_reachable", "grid_colour_bars_visible",
                               "grid_tick_labels_do_not_overlap", "ctrl_e_from_the_search_box_compares",
                               "summary_hidden_or_readable"))


# ---------------------------------------------------------------- pitch, intensity, measurements -----------

@pytest.mark.parametrize("config", ALL)
def test_pitch_and_intensity_appear_ctrl_shift_p_shows_the_prosody_pane_ctrl_m_the_measurements(runs, config):
    report = runs(config, "prosody")
    report.assert_ok(required=("f0_contour_over_the_mel", "intensity_axis_visible",
                               "ctrl_shift_p_toggles_the_prosody_pane", "panes_tick_labels_do_not_overlap",
                               "ctrl_m_shows_the_measurements"))


@pytest.mark.parametrize("config", ALL)
def test_ctrl_shift_a_analyses_the_corpus_violins_tables_and_dots_work(runs, config):
    report = runs(config, "corpus")
    report.assert_ok(required=("ctrl_shift_a_analyses_the_corpus", "window_fits_screen", "violins_on_screen",
                               "corpus_tick_labels_do_not_overlap", "statistics_readable",
                               "clicking_a_dot_opens_its_clip"))


@pytest.mark.parametrize("config", ALL)
def test_ctrl_4_shows_the_map_ctrl_5_and_evaluate_the_recogniser(runs, config):
    report = runs(config, "recognise")
    report.assert_ok(required=("map_shows_every_clip", "map_tick_labels_do_not_overlap", "map_legend_hides_no_clip",
                               "window_fits_screen",
                               "evaluate_shows_uar_and_matrix", "matrix_labels_do_not_overlap",
                               "evaluate_predicts_the_open_clip"))


@pytest.mark.parametrize("config", BOTH)
def test_speaking_with_a_model_moves_the_marker_and_the_bars_and_silence_hides_them(runs, config):
    from tests.e2e.first_try.harness import require_vmic

    require_vmic()
    report = runs(config, "live", mic="vmic")
    report.assert_ok(required=("evaluate_shows_uar_and_matrix", "live_marker_on_screen", "live_bars_on_screen",
                               "bar_labels_do_not_overlap", "silence_is_no_guess", "silence_hides_the_marker"))


# ---------------------------------------------------------------- 4. record ---------------------------------

@pytest.mark.parametrize("config", BOTH)
def test_ctrl_r_records_from_the_virtual_microphone_and_ctrl_r_stops(runs, config):
    from tests.e2e.first_try.harness import require_vmic

    require_vmic()
    report = runs(config, "record", mic="vmic")
    report.assert_ok(required=("ctrl_r_starts_recording", "panes_keep_room_while_recording",
                               "panes_keep_their_area_while_recording",
                               "no_microphone_message_at_most_once", "ctrl_r_again_stops"))


@pytest.mark.parametrize("config", BOTH)
def test_ctrl_r_without_a_microphone_says_why_once(runs, config):
    report = runs(config, "record_nomic", mic="none")
    report.assert_ok(required=("ctrl_r_without_microphone_explains_once",))


# ---------------------------------------------------------------- 6. and 7. files at start ------------------

@pytest.mark.parametrize("config", BOTH)
@pytest.mark.parametrize("kind", ["broken.wav", "cut.wav"])
def test_a_broken_file_at_start_is_named_and_nothing_pretends_to_show_a_clip(runs, files, config, kind):
    report = runs(config, "broken", name=f"broken-{kind.split('.')[0]}", app_args=[files[kind]],
                  extra={"FIRST_TRY_BROKEN": files[kind]})
    report.assert_ok(required=("header_leaves_loading_within_5s", "header_names_failed_file",
                               "message_bar_names_file"))


@pytest.mark.parametrize("config", BOTH)
def test_several_files_at_start_open_report_the_broken_one_and_are_recent(runs, files, config):
    names = {"readable": ["A.wav", "B.flac"], "broken": "broken.wav"}
    report = runs(config, "many", app_args=[files["A.wav"], files["B.flac"], files["broken.wav"]],
                  extra={"FIRST_TRY_FILES": json.dumps(names)})
    report.assert_ok(required=("every_readable_file_opens", "broken_file_reported", "recent_files_lists_them"))
