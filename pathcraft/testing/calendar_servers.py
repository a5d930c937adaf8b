"""Real calendar servers for tests: a local HTTP server publishing .ics files, and Radicale (CalDAV).

`IcsServer` serves what a test puts in `routes` with the validators a real publisher sends (a strong ETag from
the content and Last-Modified), answers conditional requests with 304, and can misbehave on request: any status,
a redirect, a slow answer, a body cut short, a Content-Length that lies. It records each request's headers so a
test can see that a conditional request was made.

`radicale_server` starts Radicale from PyPI as its own process on a free port, with one user (htpasswd, plain)
and a filesystem store in a temporary folder, and stops it afterwards.
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import http.server
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from pathcraft.testing.processes import free_port, serving


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    location: str = ""  # for a redirect status
    delay: float = 0.0  # seconds before answering
    cut_at: int | None = None  # send only this many bytes of a body whose Content-Length says more
    content_type: str = "text/calendar; charset=utf-8"
    modified: float = field(default_factory=lambda: time.time() - 3600)
    validators: bool = True


class IcsServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
                server.requests.append((self.path, dict(self.headers.items())))
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                if route.delay:
                    time.sleep(route.delay)
                if route.status in (301, 302, 303, 307, 308):
                    self.send_response(route.status)
                    self.send_header("Location", route.location)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.status != 200:
                    self.send_error(route.status)
                    return
                etag = '"' + hashlib.sha256(route.body).hexdigest()[:16] + '"'
                modified = email.utils.formatdate(route.modified, usegmt=True)
                if route.validators and (
                    self.headers.get("If-None-Match") == etag
                    or (
                        not self.headers.get("If-None-Match")
                        and self.headers.get("If-Modified-Since") == modified
                    )
                ):
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                if route.validators:
                    self.send_header("ETag", etag)
                    self.send_header("Last-Modified", modified)
                self.end_headers()
                self.wfile.write(route.body if route.cut_at is None else route.body[: route.cut_at])

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> IcsServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@dataclass
class Radicale:
    url: str
    username: str
    password: str
    process: subprocess.Popen


@contextlib.contextmanager
def radicale_server(tmp: Path, username: str = "jae", password: str = "app-password-123"):
    """Radicale on a free port with one user; yields its base URL and credentials."""
    (tmp / "users").write_text(f"{username}:{password}\n")
    port = free_port()
    command = [
        sys.executable, "-m", "radicale",
        "--server-hosts", f"127.0.0.1:{port}",
        "--storage-filesystem-folder", str(tmp / "collections"),
        "--auth-type", "htpasswd",
        "--auth-htpasswd-filename", str(tmp / "users"),
        "--auth-htpasswd-encryption", "plain",
        "--rights-type", "owner_only",
        "--logging-level", "warning",
    ]  # fmt: skip
    with serving(command, port, "radicale") as process:
        yield Radicale(f"http://127.0.0.1:{port}/", username, password, process)
