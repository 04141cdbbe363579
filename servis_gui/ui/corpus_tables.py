"""The tables beside the Corpus plot: per-emotion statistics of the feature shown, and the original
study's claims checked on the corpus (verdicts coloured, the reason in every row)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from servis_gui.core.observations import NOT_SUPPORTED, SUPPORTED, TABLE_COLUMNS, Verdict
from servis_gui.core.stats import GROUP_COLUMNS, PAIR_COLUMNS, EmotionComparison

VERDICT_COLORS = {SUPPORTED: "#2e7d32", NOT_SUPPORTED: "#c62828"}
"""Supported green, not supported red; not testable stays in the text colour."""


class StatisticsPanel(QWidget):
    """n and median per emotion, Kruskal-Wallis, and every pair (Mann-Whitney, Holm, Cliff's delta)."""

    def __init__(self) -> None:
        super().__init__()
        self.comparison: EmotionComparison | None = None
        self.kruskal = QLabel(wordWrap=True)
        self.note = QLabel(wordWrap=True)
        self.note.setStyleSheet("color: #b26a00")
        self.groups = read_only_table(GROUP_COLUMNS)
        self.pairs = read_only_table(PAIR_COLUMNS)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.kruskal)
        layout.addWidget(self.note)
        tables = QHBoxLayout()
        tables.addWidget(self.groups, 3)
        tables.addWidget(self.pairs, 5)
        layout.addLayout(tables, 1)

    def show_comparison(self, comparison: EmotionComparison) -> None:
        """Show the statistics of one feature."""
        self.comparison = comparison
        self.kruskal.setText(comparison.kruskal_text())
        self.note.setText(comparison.note)
        self.note.setVisible(bool(comparison.note))
        fill(self.groups, comparison.group_rows())
        fill(self.pairs, comparison.pair_rows())


class ObservationsPanel(QWidget):
    """One row per claim of the original study: medians, effect, p and the verdict, with why."""

    def __init__(self) -> None:
        super().__init__()
        self.verdicts: list[Verdict] = []
        self.scope = QLabel(wordWrap=True)
        self.table = read_only_table(TABLE_COLUMNS)
        self.table.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.scope)
        layout.addWidget(self.table, 1)

    def show_verdicts(self, verdicts: list[Verdict], speaker: str, normalised: bool) -> None:
        """Show the verdicts, saying which clips they were computed on."""
        self.verdicts = verdicts
        who = f"speaker {speaker}" if speaker else "all speakers, pooled"
        how = "z-scored per speaker" if normalised else "raw values"
        self.scope.setText(f"On {who}, {how}. Supported: p < 0.05 (one-sided Mann-Whitney) and at least a small "
                           "effect (Cliff's δ ≥ 0.147) in the claimed direction.")
        fill(self.table, [v.as_row() for v in verdicts])
        verdict_column = TABLE_COLUMNS.index("Verdict")
        for row, verdict in enumerate(verdicts):
            color = VERDICT_COLORS.get(verdict.verdict)
            if color:
                self.table.item(row, verdict_column).setForeground(QColor(color))
        self.table.resizeRowsToContents()


def read_only_table(columns: Sequence[str]) -> QTableWidget:
    """A table of strings with ``columns``, rows selectable, nothing editable."""
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    """Replace the table's rows; every cell's full text is also its tooltip."""
    table.setRowCount(0)  # new cells, not replaced ones: a replaced cell re-measures its column (~0.3 ms each)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)
