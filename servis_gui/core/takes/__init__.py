"""Takes recorded from the microphone: their writer, their folder, prompts and the workflow.

A take is ``<folder>/<name>.wav`` (PCM_16 mono), written crash-safely by
:mod:`~servis_gui.core.takes.writer`; :mod:`~servis_gui.core.takes.store` keeps the folder's
manifest, trash and unfinished takes; :mod:`~servis_gui.core.takes.prompts` lists sentences to
read; :mod:`~servis_gui.core.takes.recorder` ties them to a capture device. Import from the
submodules (nothing is re-exported here). Qt-free and sounddevice-free.
"""
