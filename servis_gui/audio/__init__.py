"""Sound I/O through sounddevice/PortAudio, imported lazily (PortAudio may be absent). No Qt."""
