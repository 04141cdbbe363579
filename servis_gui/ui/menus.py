"""The main window's menus and keyboard shortcuts (built before any heavy import)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

ZOOM_STEP = 1.5
TABS = ("Clip", "Compare", "Corpus", "Map", "Recogniser")
"""The main window's tabs, in order: Ctrl+1 ... Ctrl+5 show them."""
HELP = ("Wheel: zoom in time · drag: pan · Shift+drag: select · Space: play/pause (the selection if "
        "there is one) · Esc: clear selection · Up/Down in the dataset table: next clip · Enter: play it · "
        "Ctrl+E: same sentence, other emotions · Ctrl+R: record · 1-9 in Compare: play a column · "
        "Ctrl+Shift+P: show or hide the Prosody pane · drop audio files on the window to open them.")
Key = QKeySequence.StandardKey


Shortcut = QKeySequence | Key | list[QKeySequence] | None


def add_action(window: QMainWindow, menu: QMenu, text: str, shortcut: Shortcut,
               slot: Callable[[], object]) -> QAction:
    """A menu entry that also works as a window-wide shortcut (a list: the first is shown)."""
    action = QAction(text, window)
    if isinstance(shortcut, list):
        action.setShortcuts(shortcut)
    elif shortcut is not None:
        action.setShortcut(shortcut)
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    window.addAction(action)
    return action


def build_menus(w) -> dict[str, QAction | QMenu]:
    """Create File, View, Play, Compare, Corpus, Record and Help menus for the main window ``w``.

    Returns
    -------
    dict
        The entries other code updates: ``recent_files``, ``recent_datasets`` (menus),
        ``play``, ``view`` and ``record`` (menus the docks add their toggles to).
    """
    bar = w.menuBar()
    file_menu = bar.addMenu("&File")
    add_action(w, file_menu, "&Open audio file…", Key.Open, w.choose_file)
    recent_files = file_menu.addMenu("Open &recent file")
    file_menu.addSeparator()
    add_action(w, file_menu, "Open &dataset folder…", QKeySequence("Ctrl+Shift+O"),
               lambda: w.library and w.library.choose_dataset())
    recent_datasets = file_menu.addMenu("Recent d&atasets")
    add_action(w, file_menu, "Demo dataset (synthetic voices)", None, lambda: w.library and w.library.show_demo())
    add_action(w, file_menu, "&My recordings", QKeySequence("Ctrl+Shift+M"),
               lambda: w.library and w.library.open_recordings())
    file_menu.addSeparator()
    add_action(w, file_menu, "&Quit", Key.Quit, w.close)

    view = bar.addMenu("&View")
    # Ctrl+= (no Shift) as in Audacity and Sonic Visualiser, and the standard Ctrl++.
    zoom_in = [QKeySequence("Ctrl+="), *QKeySequence.keyBindings(Key.ZoomIn), QKeySequence("Ctrl+Shift+=")]
    add_action(w, view, "Zoom &in", zoom_in, lambda: w.zoom(1 / ZOOM_STEP))
    add_action(w, view, "Zoom &out", Key.ZoomOut, lambda: w.zoom(ZOOM_STEP))
    add_action(w, view, "Zoom to &fit", QKeySequence("Ctrl+0"), w.zoom_to_fit)
    view.addSeparator()
    for number, title in enumerate(TABS, start=1):
        add_action(w, view, f"{title} tab", QKeySequence(f"Ctrl+{number}"), lambda i=number - 1: w.show_tab(i))
    view.addSeparator()

    play = bar.addMenu("&Play")
    play_action = add_action(w, play, "&Play / pause", QKeySequence(Qt.Key.Key_Space), w.toggle_play)
    add_action(w, play, "&Stop", QKeySequence("Ctrl+."), w.stop_play)
    add_action(w, play, "&Clear selection", QKeySequence(Qt.Key.Key_Escape),
               lambda: w.session and w.session.set_selection(None))

    compare = bar.addMenu("&Compare")
    add_action(w, compare, "Compare &selected clips", QKeySequence("Ctrl+Shift+C"),
               lambda: w.library and w.library.compare_selected())
    add_action(w, compare, "Same sentence, other &emotions", QKeySequence("Ctrl+E"),
               lambda: w.library and w.library.compare_same_sentence())
    add_action(w, compare, "Same sentence, &all speakers", QKeySequence("Ctrl+Shift+E"),
               lambda: w.library and w.library.compare_same_sentence(True))

    corpus = bar.addMenu("C&orpus")
    add_action(w, corpus, "&Analyse dataset", QKeySequence("Ctrl+Shift+A"), w.analyse_corpus)
    add_action(w, corpus, "&Cancel analysis", None, lambda: w.corpus and w.corpus.cancel())
    add_action(w, corpus, "&Place the open clip on the map", QKeySequence("Ctrl+Shift+L"),
               lambda: w.analysis_tabs and w.analysis_tabs.place_open_clip())

    record = bar.addMenu("&Record")
    help_menu = bar.addMenu("&Help")
    add_action(w, help_menu, "&Mouse and keys", None, w.show_help)
    return {"recent_files": recent_files, "recent_datasets": recent_datasets, "play": play_action,
            "view": view, "record": record}


def fill_recent_menus(menus: dict, settings, open_file: Callable[[str], object],
                      open_dataset: Callable[[str], object]) -> None:
    """Refill File → Open recent file and Recent datasets from ``settings`` (disabled when empty)."""
    for key, items, slot in (("recent_files", settings.recent_files(), open_file),
                             ("recent_datasets", settings.recent_datasets(), open_dataset)):
        menu = menus[key]
        menu.clear()
        for item in items:
            menu.addAction(item, lambda p=item, f=slot: f(p))
        menu.setEnabled(bool(items))
