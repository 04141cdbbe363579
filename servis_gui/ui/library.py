"""The clip library: which dataset the browser shows and what to compare.

Wiring between the DatasetBrowser, the demo corpus, "My recordings" and the comparison view
(the questions about clips are the Qt-free :class:`~servis_gui.core.datasets.catalogue.Catalogue`'s);
the main window only forwards menu actions here.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QWidget

from servis_gui.core.datasets import ScanResult, scan_dataset
from servis_gui.core.datasets.catalogue import Catalogue
from servis_gui.core.datasets.filtering import emotion_rank
from servis_gui.core.datasets.records import ClipRecord
from servis_gui.paths import demo_dir
from servis_gui.settings import Settings
from servis_gui.ui.browser import DatasetBrowser

DEMO_NOTICE = ("Synthetic demo voices (espeak-ng with emotion-like prosody), "
               "not real emotional speech.")
MAX_COMPARE = 12


class Library(QObject):
    """Owns the browser and the catalogue of every record seen, so any clip can be labelled anywhere.

    Signals
    -------
    open_requested(str) : show this clip in the panes
    play_requested(str) : show and play this clip
    compare_requested(list) : compare these paths side by side
    label_take_requested(str) : edit this take's labels
    rename_take_requested(str, str) : rename this take to the new file stem
    delete_take_requested(str) : move this take to the trash
    message(str) : a notice for the status bar
    """

    open_requested = Signal(str)
    play_requested = Signal(str)
    compare_requested = Signal(list)
    label_take_requested = Signal(str)
    rename_take_requested = Signal(str, str)
    delete_take_requested = Signal(str)
    message = Signal(str)

    def __init__(self, settings: Settings, recordings: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.settings = settings
        self.catalogue = Catalogue(demo_dir(), recordings)
        self.browser = DatasetBrowser(settings, parent)
        self.demo: tuple[ClipRecord, ...] = ()
        self._demo_result: ScanResult | None = None
        self.root = ""
        self.title = "Dataset"
        b = self.browser
        b.clip_activated.connect(self.open_requested)
        b.play_requested.connect(self.play_requested)
        b.message.connect(self.message)
        b.dataset_opened.connect(self._on_dataset_opened)
        b.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        b.table.customContextMenuRequested.connect(self._on_context_menu)

    # -- datasets ------------------------------------------------------------------------------

    def show_demo(self) -> None:
        """Show the bundled synthetic demo corpus (scanned on the GUI thread: 32 files, ~5 ms)."""
        result = self._demo_scan()
        notice = DEMO_NOTICE if result.records else f"The demo corpus was not found in {demo_dir()}."
        self.browser.set_records(result, str(demo_dir()), notice)

    def first_demo_path(self) -> str | None:
        records = self._demo_scan().records
        return str(records[0].path) if records else None

    def _demo_scan(self) -> ScanResult:
        if self._demo_result is None:
            self._demo_result = scan_dataset(demo_dir())
            self.demo = self._demo_result.records
        return self._demo_result

    def choose_dataset(self) -> None:
        root = QFileDialog.getExistingDirectory(self.parent(), "Open dataset folder")
        if root:
            self.browser.open_dataset(root)

    def open_recordings(self) -> None:
        self.catalogue.recordings.mkdir(parents=True, exist_ok=True)
        self.browser.open_dataset(str(self.catalogue.recordings))

    def refresh_recordings(self, _folder: str = "") -> None:
        """A take was saved, renamed or deleted: show "My recordings" as it is now."""
        self.open_recordings()

    def set_recordings_folder(self, folder: str) -> None:
        """Takes are recorded into ``folder`` from now on."""
        self.catalogue.recordings = Path(folder).resolve()

    def take_records(self) -> list[ClipRecord]:
        """The user's labelled takes ("My recordings"), unless that is the dataset shown: they join
        a corpus analysis as the user's own points."""
        folder = self.catalogue.recordings
        if not folder.is_dir() or Path(self.root) == folder:
            return []
        return [r for r in scan_dataset(folder).records if r.emotion not in ("", "unknown")]

    # -- comparisons ---------------------------------------------------------------------------

    def compare_selected(self) -> None:
        records = self.browser.selected_records()
        if len(records) < 2:
            self.message.emit("Select 2 to 12 clips in the dataset table first (Ctrl/Shift+click).")
            return
        self.compare_requested.emit([str(r.path) for r in records[:MAX_COMPARE]])

    def compare_same_sentence(self, across_speakers: bool = False) -> None:
        records = self.browser.select_same_sentence(across_speakers)
        records.sort(key=lambda r: emotion_rank(r.emotion))
        if records:
            self.compare_requested.emit([str(r.path) for r in records[:MAX_COMPARE]])

    def compare_with_acted(self, path: str) -> None:
        """A recording next to the corpus clips (demo and datasets seen) of the same sentence."""
        take = self.catalogue.record_for(path)
        if take is None or not take.text:
            self.message.emit("Label the take with its sentence first (right-click → Label take…).")
            return
        acted = self.catalogue.acted_like(path)
        if not acted:
            self.message.emit(f"No corpus clip seen so far says “{take.text}”. Open a corpus first.")
            return
        self.compare_requested.emit([path] + [str(r.path) for r in acted[: MAX_COMPARE - 1]])

    # -- slots ---------------------------------------------------------------------------------

    def _on_dataset_opened(self, root: str, corpus: str) -> None:
        self.root = str(Path(root).resolve())
        result_records = self.browser.model.records
        self.catalogue.add(result_records)
        if Path(self.root) == self.catalogue.demo:
            self.title = "Dataset: demo (synthetic voices)"
        elif Path(self.root) == self.catalogue.recordings:
            self.title = "Dataset: My recordings"
        else:
            self.title = f"Dataset: {Path(root).name} ({corpus})"
        self.message.emit(f"{self.title}: {len(result_records):,} clips")

    def _on_context_menu(self, pos: QPoint) -> None:
        index = self.browser.table.indexAt(pos)
        path = str(self.browser.model.record_at(self.browser.proxy.mapToSource(index).row()).path) \
            if index.isValid() else ""
        menu = QMenu(self.browser)
        menu.addAction("Compare selected clips", self.compare_selected)
        menu.addAction("Same sentence, other emotions", self.compare_same_sentence)
        menu.addAction("Same sentence, all speakers", lambda: self.compare_same_sentence(True))
        if path and self.catalogue.is_recording(path):
            menu.addSeparator()
            menu.addAction("Compare with acted clips of this sentence", lambda: self.compare_with_acted(path))
            menu.addAction("Label take…", lambda: self.label_take_requested.emit(path))
            menu.addAction("Rename take…", lambda: self._rename(path))
            menu.addAction("Delete take (undo in the Record panel)", lambda: self.delete_take_requested.emit(path))
        menu.exec(self.browser.table.viewport().mapToGlobal(pos))

    def _rename(self, path: str) -> None:
        stem, ok = QInputDialog.getText(self.browser, "Rename take", "New name:", text=Path(path).stem)
        if ok and stem.strip():
            self.rename_take_requested.emit(path, stem.strip())


