"""Guards against a Qt binding that breaks the app at run time (PySide6 6.12.0 on Python 3.11)."""

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    value = Signal(object)


def test_signal_emit_keeps_reference_counts(qapp):
    emitter = _Emitter()
    received = []
    emitter.value.connect(received.append)
    before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(200):
        emitter.value.emit(None)
    assert len(received) == 200
    received.clear()
    assert (sys.getrefcount(True), sys.getrefcount(None)) == before
