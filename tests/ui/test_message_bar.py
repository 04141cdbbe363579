"""The message bar: plain message, details behind a toggle, one action that runs once."""

import pytest
from PySide6.QtCore import Qt

from servis_gui.ui.message_bar import MessageBar


@pytest.fixture
def bar(qtbot):
    widget = MessageBar()
    qtbot.addWidget(widget)
    return widget


def test_starts_hidden_and_shows_a_plain_message(bar):
    assert not bar.isVisible() and bar.text() == "" and bar.kind == ""
    bar.show_message("x.wav is empty (0 bytes): there is no audio in it.")
    assert bar.isVisible() and bar.kind == "error"
    assert bar.text() == "x.wav is empty (0 bytes): there is no audio in it."
    assert not bar.details_button.isVisible() and not bar.action_button.isVisible()
    assert not bar.details.isVisible()


def test_file_names_are_shown_as_text_not_markup(bar):
    bar.show_message("<b>take</b>.wav is empty.")
    assert bar.label.textFormat() == Qt.TextFormat.PlainText
    assert bar.details.textFormat() == Qt.TextFormat.PlainText


def test_details_toggle_shows_selectable_details(bar, qtbot):
    bar.show_message("x.wav is damaged.", details="/tmp/a/x.wav\nError in WAV file.")
    assert bar.details_button.isVisible() and not bar.details.isVisible()
    qtbot.mouseClick(bar.details_button, Qt.MouseButton.LeftButton)
    assert bar.details.isVisible() and bar.details.text() == "/tmp/a/x.wav\nError in WAV file."
    assert bar.details.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    qtbot.mouseClick(bar.details_button, Qt.MouseButton.LeftButton)
    assert not bar.details.isVisible()


def test_a_new_message_folds_the_details_away(bar, qtbot):
    bar.show_message("first", details="first details")
    qtbot.mouseClick(bar.details_button, Qt.MouseButton.LeftButton)
    bar.show_message("second", "info")
    assert bar.kind == "info" and bar.text() == "second"
    assert not bar.details_button.isVisible() and not bar.details.isVisible()
    assert bar.details.text() == ""


def test_action_runs_once_and_clears_the_bar(bar, qtbot):
    calls = []
    bar.show_message("x.wav was not finished.",
                     action=("Open the data anyway", lambda: calls.append(1)))
    assert bar.action_button.isVisible() and bar.action_button.text() == "Open the data anyway"
    qtbot.mouseClick(bar.action_button, Qt.MouseButton.LeftButton)
    assert calls == [1]
    assert not bar.isVisible() and bar.text() == "" and bar.kind == ""
    assert not bar.action_button.isVisible()


def test_a_message_shown_by_the_action_stays(bar, qtbot):
    bar.show_message("x.wav was not finished.",
                     action=("Open the data anyway", lambda: bar.show_message("x.wav is damaged.")))
    qtbot.mouseClick(bar.action_button, Qt.MouseButton.LeftButton)
    assert bar.isVisible() and bar.text() == "x.wav is damaged."
    assert not bar.action_button.isVisible()


def test_replacing_or_dismissing_forgets_the_action(bar, qtbot):
    calls = []
    bar.show_message("a", action=("Retry", lambda: calls.append(1)))
    bar.show_message("b")
    assert not bar.action_button.isVisible()
    bar.action_button.click()
    bar.show_message("c", details="d", action=("Retry", lambda: calls.append(2)))
    bar.clear()
    assert not bar.isVisible() and bar.details.text() == ""
    bar.action_button.click()
    assert calls == []
