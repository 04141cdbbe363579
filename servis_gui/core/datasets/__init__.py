"""Qt-free readers that index emotional-speech corpora into :class:`ClipRecord` rows.

One module per corpus (``iemocap``, ``ravdess``, ``cremad``, ``tess``, ``savee``, ``emodb``,
``esd``, ``msp_podcast``, ``emovo``, ``shemo``), two generic readers (``manifest``: a user CSV;
``folders``: label = folder name) and :func:`scan_dataset`, which picks the right reader.
Audio headers are read later, on demand, by :func:`servis_gui.core.datasets.probe.probe`.
"""

from servis_gui.core.datasets.detect import READERS, Reader, detect_corpus, scan_dataset
from servis_gui.core.datasets.records import ClipRecord, ScanResult

__all__ = ["READERS", "ClipRecord", "Reader", "ScanResult", "detect_corpus", "scan_dataset"]
