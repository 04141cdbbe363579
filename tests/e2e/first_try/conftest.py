"""Fixtures of the first-try layer: one private Xvfb per screen configuration, and the ``window`` /
``settings`` fixtures of tests/ui (re-exported here: pytest only sees fixtures of conftest files on
a test's own path)."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest

from tests.ui.conftest import settings, window  # noqa: F401 (re-exported fixtures)

IN_CI = os.environ.get("CI", "") not in ("", "0", "false")


class XServers:
    """Starts one Xvfb per screen size on first use (``-displayfd``: Xvfb picks a free display) and
    stops them all at the end of the session."""

    def __init__(self, log_dir) -> None:
        self.log_dir = log_dir
        self.servers: dict[str, tuple[subprocess.Popen, str]] = {}

    def display(self, screen: str) -> str:
        if screen not in self.servers:
            self.servers[screen] = self._start(screen)
        return self.servers[screen][1]

    def _start(self, screen: str) -> tuple[subprocess.Popen, str]:
        if shutil.which("Xvfb") is None:
            if IN_CI:
                pytest.fail("Xvfb is not installed (CI is set, so this is an error)")
            pytest.skip("Xvfb is not installed")
        read_end, write_end = os.pipe()
        log = open(self.log_dir / f"xvfb-{screen}.log", "wb")  # noqa: SIM115 (closed with the server)
        proc = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_end), "-screen", "0", f"{screen}x24", "-nolisten", "tcp",
             "-noreset"], pass_fds=(write_end,), stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        os.close(write_end)
        number, deadline = b"", time.monotonic() + 15
        try:
            while not number.endswith(b"\n") and time.monotonic() < deadline and proc.poll() is None:
                ready, _, _ = select.select([read_end], [], [], 0.2)
                if ready:
                    chunk = os.read(read_end, 64)
                    if not chunk:
                        break
                    number += chunk
        finally:
            os.close(read_end)
        digits = number.decode().strip()
        if not digits.isdigit() or proc.poll() is not None:
            proc.kill()
            message = f"Xvfb {screen} did not start (see {log.name})"
            if IN_CI:
                pytest.fail(message)
            pytest.skip(message)
        return proc, f":{digits}"

    def stop(self) -> None:
        for proc, _display in self.servers.values():
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.servers.clear()


@pytest.fixture(scope="session")
def xservers(tmp_path_factory) -> Iterator[XServers]:
    servers = XServers(tmp_path_factory.mktemp("xvfb"))
    yield servers
    servers.stop()
