"""Every key combination the README's "Using it" table promises works in a freshly set-up window:
an ENABLED QAction (or QShortcut) of the main window carries exactly that key sequence.

Keys the table describes inside one widget are excluded: Up/Down and Enter (the dataset table) and
1-9 (the Compare grid) are handled by those widgets' own key handlers, not by window shortcuts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut

README = Path(__file__).resolve().parents[3] / "README.md"
MODIFIER = r"(?:Ctrl|Shift|Alt|Meta)"
KEY = r"(?:F\d{1,2}|Space|Esc|Enter|Return|Tab|Up|Down|Left|Right|[A-Za-z0-9](?![A-Za-z0-9])|[=+\-.,/])"
COMBO = re.compile(rf"(?<![A-Za-z]){MODIFIER}(?:\+{MODIFIER})*\+{KEY}|(?<![A-Za-z+])(?:Space|Esc)(?![A-Za-z])")
WIDGET_KEYS = {"Up", "Down", "Enter", "Return"}  # the dataset table's own keys; 1-9 are the grid's (not combos)
WINDOW_CONTEXTS = (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut)


def using_it_table() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Using it")
    end = text.find("\n## ", start + 3)
    section = text[start:end if end > 0 else None]
    return "\n".join(line for line in section.splitlines() if line.startswith("|"))


def readme_combos() -> list[str]:
    found: list[str] = []
    for combo in COMBO.findall(using_it_table()):
        if combo not in found and combo not in WIDGET_KEYS:
            found.append(combo)
    return found


def test_the_readme_table_names_the_shortcuts_this_test_knows_about():
    """Guards the parser: if it found nothing (or lost a well-known key), the table's format changed."""
    combos = readme_combos()
    assert {"Ctrl+O", "Ctrl+E", "Ctrl+R", "Space", "Esc"} <= set(combos), combos
    assert "Shift+d" not in combos and "Shift+drag" not in combos


def reachable_shortcuts(window) -> list[tuple[QKeySequence, str, bool, Qt.ShortcutContext]]:
    """(key sequence, owner text, enabled, context) of every QAction and QShortcut of the window."""
    out = []
    for action in set(window.findChildren(QAction)) | set(window.actions()):
        for sequence in action.shortcuts():
            out.append((sequence, f"action {action.text()!r}", action.isEnabled(), action.shortcutContext()))
    for shortcut in window.findChildren(QShortcut):
        for sequence in shortcut.keys():
            out.append((sequence, f"QShortcut of {type(shortcut.parent()).__name__}", shortcut.isEnabled(),
                        shortcut.context()))
    return out


@pytest.mark.parametrize("combo", readme_combos())
def test_readme_shortcut_is_an_enabled_window_shortcut(window, combo):
    wanted = QKeySequence(combo)
    assert not wanted.isEmpty(), f"Qt does not understand the README's key {combo!r}"
    candidates = [(seq, owner, enabled, context) for seq, owner, enabled, context in reachable_shortcuts(window)
                  if seq.matches(wanted) == QKeySequence.SequenceMatch.ExactMatch]
    assert candidates, (f"README promises {combo} but no QAction/QShortcut of the main window has that key "
                        f"sequence ({wanted.toString()}); shortcuts present: "
                        + ", ".join(sorted({s.toString() for s, *_ in reachable_shortcuts(window)})))
    usable = [c for c in candidates if c[2] and c[3] in WINDOW_CONTEXTS]
    owners = [(o, "enabled" if e else "DISABLED", ctx.name) for _s, o, e, ctx in candidates]
    assert usable, (f"README promises {combo}, but every owner of that key is disabled or limited to one widget "
                    f"in a freshly set-up window: {owners}")
