"""Real servers as child processes for tests: a free port, and a process that is up when its port answers."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (the kernel picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(command: list[str], port: int, name: str, timeout: float = 20, env: dict | None = None,
            log: Path | None = None) -> Iterator[subprocess.Popen]:  # fmt: skip
    """Start COMMAND, wait until it accepts connections on PORT, yield it, then stop it (SIGTERM, then SIGKILL).

    A process that exits before it answers fails with its own last words, so a broken set-up says why. A server
    that logs every request needs LOG, a file for its stderr: a pipe nobody reads fills up and stops it."""
    errors = open(log, "wb") if log is not None else subprocess.PIPE  # noqa: SIM115 - closed below
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, env=env)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                last = log.read_bytes() if log is not None else process.stderr.read()
                raise RuntimeError(f"{name} did not start: " + last.decode()[-2000:])
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{name} did not answer within {timeout:g} s") from None
                time.sleep(0.05)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        if log is not None:
            errors.close()
