"""A real X server for the tests that need one (AT-SPI, the system tray): Xvfb on a free display."""

from __future__ import annotations

import os
import subprocess

import pytest


def start_xvfb(size: str = "1440x900x24") -> tuple[subprocess.Popen[bytes], str]:
    """An X server on a free display (Xvfb picks it and writes it to the pipe): the server and
    its DISPLAY."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", size, "-nolisten", "tcp"],
        pass_fds=[write],
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        display = pipe.readline().strip()
    if not display:
        server.kill()
        pytest.fail("Xvfb did not start")
    return server, f":{display}"
