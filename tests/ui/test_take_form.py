"""Labelling takes in the capture panel without a microphone: several takes recovered after a crash."""

import numpy as np

from servis_gui.core.takes import writer as rec
from servis_gui.core.datasets import scan_dataset
from servis_gui.core.params import FeatureParams

SR = 16000


def _crashed_take(folder, name: str, seconds: float) -> None:
    writer = rec.TakeWriter(folder / name, SR)
    writer.write(np.full(int(SR * seconds), 0.1, dtype=np.float32))  # never closed: the app died


def test_every_recovered_take_is_offered_for_labelling_in_turn(qtbot, tmp_path):
    from servis_gui.ui.capture_panel import CapturePanel

    folder = tmp_path / "My recordings"
    folder.mkdir()
    for name, seconds in (("one.wav", 0.5), ("two.wav", 0.7), ("three.wav", 0.9)):
        _crashed_take(folder, name, seconds)
    panel = CapturePanel(folder, FeatureParams())
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.recordings_changed):
        panel.recover_button.click()
    assert "Recovered 3 takes" in panel.status.text()
    shown = []
    for emotion in ("angry", "nervous", None):
        assert panel.form.isVisibleTo(panel)
        shown.append(panel.form.take.file.name)
        if emotion is None:
            panel.form.discard.click()
        else:
            panel.form.emotion.setCurrentText(emotion)
            panel.form.save.click()
    assert not panel.form.isVisibleTo(panel) and not panel.form.waiting
    assert sorted(shown) == ["one.wav", "three.wav", "two.wav"]
    labels = {r.path.name: r.emotion_text for r in scan_dataset(folder).records}
    assert labels == {shown[0]: "angry", shown[1]: "other: nervous"}
    panel.shutdown()
