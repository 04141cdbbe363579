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
    after = sys.getrefcount(True), sys.getrefcount(None)
    # 6.12.0 loses one reference per emit (-200 here) and then aborts the interpreter
    assert abs(after[0] - before[0]) < 20 and abs(after[1] - before[1]) < 20
