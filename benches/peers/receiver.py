"""A local webhook receiver for the peer benchmark: every POST is recorded with its arrival
time (time.time()) and body, and answered 200. Runs in a thread of run.py. Standard library."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, host: str = "127.0.0.1"):
        hits: list[tuple[float, str, str]] = []
        lock = threading.Lock()
        self.hits, self.lock = hits, lock

        class H(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n).decode(errors="replace")
                with lock:
                    hits.append((time.time(), self.path, body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_PUT = do_POST  # noqa: N815

            def log_message(self, *a):
                pass

        self.server = ThreadingHTTPServer((host, 0), H)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_for(self, path_prefix: str, needle: str, since: float, timeout: float) -> float | None:
        """Arrival time of the first POST to path_prefix… after `since` whose body contains
        `needle`, waiting up to `timeout` seconds; None if none came."""
        deadline = time.monotonic() + timeout
        while True:
            with self.lock:
                for t, p, body in self.hits:
                    if t >= since and p.startswith(path_prefix) and needle in body:
                        return t
            if time.monotonic() > deadline:
                return None
            time.sleep(0.05)

    def count(self, path_prefix: str) -> int:
        with self.lock:
            return sum(p.startswith(path_prefix) for _, p, _ in self.hits)

    def stop(self) -> None:
        self.server.shutdown()
