"""PyInstaller runtime hook: let sounddevice find the PortAudio library bundled with the app.

sounddevice looks PortAudio up with ``ctypes.util.find_library("portaudio")``, which only searches the
system (ldconfig cache, gcc, ld) and never the bundle: on a machine without Debian's ``libportaudio2`` the
frozen app would fail with ``OSError: PortAudio library not found`` although ``libportaudio.so.2`` was
bundled. This hook keeps the system library when there is one and otherwise answers with the bundled file.
It runs before the app's code, so sounddevice's ``from ctypes.util import find_library`` gets this version.
"""

import ctypes.util
import os
import sys

_original_find_library = ctypes.util.find_library
_BUNDLED_NAMES = ("libportaudio.so.2", "libportaudio.so", "libportaudio.2.dylib", "libportaudio.dylib")


def _bundled_portaudio():
    base = getattr(sys, "_MEIPASS", None) or os.path.dirname(os.path.abspath(sys.executable))
    for name in _BUNDLED_NAMES:
        path = os.path.join(base, name)
        if os.path.isfile(path):
            return path
    return None


def _find_library(name):
    try:
        found = _original_find_library(name)
    except Exception:  # no ldconfig/gcc on the machine: behave as "not found"
        found = None
    if found is None and name in ("portaudio", "libportaudio"):
        found = _bundled_portaudio()
    return found


ctypes.util.find_library = _find_library
