"""Paths that cannot be resolved or opened give a clear message naming the file, never a crash."""

import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from servis_gui.core.clip import FileIdentity, load_clip
from servis_gui.core.errors import AudioLoadError
from servis_gui.core.file_access import MAX_NAME_CHARS, display_name, resolve_path

AS_ROOT = os.geteuid() == 0


def _wav(path):
    sf.write(path, np.zeros(1600, dtype=np.float32), 16000)
    return path


def _loop(tmp_path):
    os.symlink(tmp_path / "b.wav", tmp_path / "a.wav")
    os.symlink(tmp_path / "a.wav", tmp_path / "b.wav")
    return tmp_path / "a.wav"


def _folder(tmp_path):
    (tmp_path / "folder.wav").mkdir()
    return tmp_path / "folder.wav"


def _through_a_file(tmp_path):
    _wav(tmp_path / "file.wav")
    return tmp_path / "file.wav" / "inside.wav"


def _long_name(tmp_path):
    return tmp_path / ("n" * 300 + ".wav")


def _pipe(tmp_path):
    os.mkfifo(tmp_path / "pipe.wav")
    return tmp_path / "pipe.wav"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_loop, r"^Cannot open a\.wav: its path runs into a loop of symbolic links"),
        (_folder, r"^Cannot open folder\.wav: it is a folder, not an audio file\.$"),
        (_through_a_file, r"^Cannot open inside\.wav: a part of its path is a file, not a folder"),
        (_long_name, r"^Cannot open n+…n+\.wav: its name or path is too long for the system\.$"),
        (_pipe, r"^Cannot open pipe\.wav: it is a device, a pipe or a socket"),
    ],
    ids=["symlink-loop", "folder", "through-a-file", "name-too-long", "pipe"],
)
def test_unreachable_paths_give_a_plain_message(tmp_path, make, message):
    path = make(tmp_path)
    for attempt in (FileIdentity.of, load_clip):
        with pytest.raises(AudioLoadError, match=message) as err:
            attempt(path)
        assert str(tmp_path) not in str(err.value) and str(tmp_path) in err.value.details


NOBODY = 65534


@pytest.fixture
def shared_dir():
    """A folder anyone may enter (pytest's own folders are private to their owner)."""
    folder = tempfile.mkdtemp(prefix="servis-perm-")
    os.chmod(folder, 0o755)
    yield Path(folder)
    shutil.rmtree(folder)


def _message_of(action) -> str:
    try:
        action()
    except AudioLoadError as exc:
        return str(exc)
    return "no error"


def _message_as_unprivileged(action) -> str:
    """What ``action`` says, run as the user 'nobody' when the tests run as root (who may read
    anything); the child process is forked, so it needs nothing that 'nobody' cannot read."""
    if not AS_ROOT:
        return _message_of(action)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            os.write(write, _message_of(action).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        message = pipe.read().decode()
    os.waitpid(pid, 0)
    return message


def test_unreadable_file_says_permission(shared_dir):
    path = _wav(shared_dir / "locked.wav")
    assert _message_as_unprivileged(lambda: load_clip(path)) == "no error"
    path.chmod(0)
    assert _message_as_unprivileged(lambda: load_clip(path)) == (
        "Cannot open locked.wav: you do not have permission to read it.")
    os.symlink(path, shared_dir / "my take.wav")
    assert _message_as_unprivileged(lambda: load_clip(shared_dir / "my take.wav")) == (
        "Cannot open my take.wav: you do not have permission to read it.")


def test_file_in_an_unreadable_folder_says_permission(shared_dir):
    folder = shared_dir / "private"
    folder.mkdir()
    path = _wav(folder / "inside.wav")
    folder.chmod(0)
    assert _message_as_unprivileged(lambda: FileIdentity.of(path)) == (
        "Cannot open inside.wav: you do not have permission to read it.")


def test_resolve_path_survives_a_symlink_loop(tmp_path):
    path = _loop(tmp_path)
    with pytest.raises(RuntimeError):
        path.resolve()
    assert resolve_path(path) == str(path)
    assert resolve_path(tmp_path / "x" / ".." / "a.wav") == str(path)


def test_resolve_path_follows_links_and_expands_home(tmp_path):
    target = _wav(tmp_path / "target.wav")
    os.symlink(target, tmp_path / "link.wav")
    assert resolve_path(tmp_path / "link.wav") == str(target)
    assert resolve_path("~") == os.path.expanduser("~")


def test_messages_name_the_link_the_user_opened(tmp_path):
    target = tmp_path / "abc123.wav"
    target.write_bytes(b"")
    os.symlink(target, tmp_path / "my take.wav")
    with pytest.raises(AudioLoadError, match=r"^my take\.wav is empty"):
        load_clip(tmp_path / "my take.wav")


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/data/take 1.wav", "take 1.wav"),
        ("/data/folder/", "folder"),
        ("/", "/"),
        (b"/data/\xff\xfe.wav", "\ufffd\ufffd.wav"),
        ("x" * 100 + ".wav", "x" * 53 + "…" + "x" * 22 + ".wav"),
    ],
    ids=["plain", "trailing-slash", "root", "undecodable-bytes", "too-long"],
)
def test_display_name(path, name):
    assert display_name(path) == name
    assert len(display_name(path)) <= MAX_NAME_CHARS


def test_undecodable_file_name_is_shown_readably(tmp_path):
    path = os.fsencode(tmp_path) + b"/\xffbad.wav"
    with open(path, "wb") as file:
        file.write(b"")
    with pytest.raises(AudioLoadError, match=r"^\ufffdbad\.wav is empty") as err:
        load_clip(path)
    str(err.value).encode("utf-8")
