#!/usr/bin/env python3
"""One benchmark host: a minimal single-threaded HTTP/1.1 server (keep-alive, GET/HEAD, ETag
and Last-Modified with 304s) serving one loopback address's feeds, articles and robots.txt.

run.py starts one process per host, so hosts never share a core and the per-host accounting
below needs no locks. Every page is rendered before "ready" is printed; serving is then a dict
lookup plus one write, so the server stays cheap next to the clients (run.py measures its CPU
anyway and reports it).

Each request is logged as (arrival, respond, end, status, bytes, method, path, connection):
  arrival = when the kernel received the request's packet (SO_TIMESTAMPNS on the socket,
            read back with recvmsg), *not* when this process got round to reading it: on a
            busy 2-core machine the server can be kept off the CPU for milliseconds, and
            requests that arrived 5 ms apart would then be read back to back and look like a
            burst (an earlier version of this server, timing in user space, "saw" 0.03 ms
            gaps that way);
  respond = the response is handed to the socket in a single send.
The [arrival, respond] interval lies inside the client's own view of the request (it sent
before the packet arrived, and it can only see the answer after we sent it), so "requests in
flight per host" counted on these intervals can never exceed what the client had in flight: a
count above the client's per-host limit is a real violation. The response is held back for
--latency-ms (like a real origin's service time) so that in-flight requests overlap and the
limit is actually exercised.

Control (never logged, never delayed): GET /__flush?to=PATH writes the log since the last
flush as TSV to PATH and starts a new one.
"""

from __future__ import annotations

import argparse
import heapq
import os
import selectors
import socket
import struct
import sys
import time
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus  # noqa: E402

SO_TIMESTAMPNS = 35  # Linux; not exported by Python's socket module
ANC_SPACE = socket.CMSG_SPACE(16)

Resource = tuple[bytes, bytes, str]  # body, content type, etag


class Conn:
    def __init__(self, sock: socket.socket, cid: int):
        self.sock = sock
        self.id = cid
        self.buf = b""
        self.arrival = 0.0  # kernel timestamp (monotonic) of the first packet of self.buf
        self.out = b""  # unsent bytes (rare: loopback buffers take a whole page)
        self.busy = False  # one request at a time per connection keeps responses in order
        self.closed = False
        self.close_after = False


class Server:
    def __init__(self, resources: dict[str, Resource], latency: float, addr: tuple[str, int]):
        self.resources = resources
        self.latency = latency
        self.log: list[str] = []
        self.sel = selectors.DefaultSelector()
        self.timers: list[tuple[float, int, Conn, tuple]] = []
        self.seq = 0
        self.listener = socket.create_server(addr, backlog=1024, reuse_port=False)
        self.listener.setblocking(False)
        self.sel.register(self.listener, selectors.EVENT_READ, None)

    def serve_forever(self) -> None:
        while True:
            timeout = None
            if self.timers:
                timeout = max(0.0, self.timers[0][0] - time.monotonic())
            for key, mask in self.sel.select(timeout):
                if key.data is None:
                    self.accept()
                elif mask & selectors.EVENT_READ:
                    self.read(key.data)
                else:
                    self.send(key.data, b"")
            now = time.monotonic()
            while self.timers and self.timers[0][0] <= now:
                _, _, conn, req = heapq.heappop(self.timers)
                self.respond(conn, *req)

    def accept(self) -> None:
        while True:
            try:
                sock, _ = self.listener.accept()
            except BlockingIOError:
                return
            sock.setblocking(False)
            sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.seq += 1
            self.sel.register(sock, selectors.EVENT_READ, Conn(sock, self.seq))

    def read(self, conn: Conn) -> None:
        try:
            data, anc, _, _ = conn.sock.recvmsg(65536, ANC_SPACE)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data, anc = b"", []
        if not data:
            self.close(conn)
            return
        if not conn.buf:
            conn.arrival = kernel_time(anc)
        conn.buf += data
        self.next_request(conn)

    def next_request(self, conn: Conn) -> None:
        if conn.busy or conn.closed or b"\r\n\r\n" not in conn.buf:
            return
        head, conn.buf = conn.buf.split(b"\r\n\r\n", 1)
        arrival = conn.arrival
        if conn.buf:  # a pipelined next request: the best we know is "now"
            conn.arrival = time.monotonic()
        lines = head.decode("latin-1").split("\r\n")
        try:
            method, target, version = lines[0].split(" ", 2)
        except ValueError:
            self.close(conn)
            return
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        connection = headers.get("connection", "").lower()
        keep = (version == "HTTP/1.1" and connection != "close") or connection == "keep-alive"
        url = urlsplit(target)
        if url.path == "/__flush":
            with open(parse_qs(url.query)["to"][0], "w") as out:
                out.writelines(self.log)
            self.log = []
            conn.close_after = not keep
            self.send(conn, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            return
        conn.busy = True
        self.seq += 1
        heapq.heappush(self.timers, (time.monotonic() + self.latency, self.seq, conn,
                                     (arrival, method, url.path, headers, keep)))

    def respond(self, conn: Conn, arrival, method, path, headers, keep) -> None:
        if conn.closed:
            return
        res = self.resources.get(path)
        if res is None:
            status, body, ctype, extra = 404, b"not found\n", "text/plain", ""
        else:
            body, ctype, etag = res
            inm = headers.get("if-none-match")
            ims = headers.get("if-modified-since")
            fresh = (inm is not None and etag in inm) or (inm is None and ims == corpus.LAST_MODIFIED)
            extra = f"ETag: {etag}\r\nLast-Modified: {corpus.LAST_MODIFIED}\r\nCache-Control: max-age=60\r\n"
            status = 304 if fresh else 200
        reason = {200: "OK", 304: "Not Modified", 404: "Not Found"}[status]
        payload = b"" if status == 304 or method == "HEAD" else body
        # A 304 carries no body and (RFC 9110) no Content-Length of its own.
        clen = "" if status == 304 else f"Content-Length: {len(body) if method == 'HEAD' else len(payload)}\r\n"
        close = "" if keep else "Connection: close\r\n"
        head = (
            f"HTTP/1.1 {status} {reason}\r\nServer: bench-discovery\r\n"
            f"Content-Type: {ctype}\r\n{clen}{extra}{close}\r\n"
        ).encode("latin-1")
        respond = time.monotonic()
        conn.close_after = not keep
        self.send(conn, head + payload)
        self.log.append(f"{arrival:.6f}\t{respond:.6f}\t{time.monotonic():.6f}\t{status}\t"
                        f"{len(payload)}\t{method}\t{path}\t{conn.id}\n")
        conn.busy = False
        self.next_request(conn)

    def send(self, conn: Conn, data: bytes) -> None:
        if conn.closed:
            return
        conn.out += data
        try:
            n = conn.sock.send(conn.out)
            conn.out = conn.out[n:]
        except (BlockingIOError, InterruptedError):
            pass
        except OSError:
            self.close(conn)
            return
        if conn.out:
            self.sel.modify(conn.sock, selectors.EVENT_WRITE, conn)
        else:
            if conn.close_after:
                self.close(conn)
                return
            self.sel.modify(conn.sock, selectors.EVENT_READ, conn)

    def close(self, conn: Conn) -> None:
        if not conn.closed:
            conn.closed = True
            self.sel.unregister(conn.sock)
            conn.sock.close()


def kernel_time(anc) -> float:
    """The SO_TIMESTAMPNS of a recvmsg (CLOCK_REALTIME) on the monotonic clock run.py uses."""
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(data) >= 16:
            sec, nsec = struct.unpack("qq", data[:16])
            return sec + nsec / 1e9 - (time.time() - time.monotonic())
    return time.monotonic()


def build(layout: corpus.Layout, index: int) -> dict[str, Resource]:
    import hashlib

    def res(body: bytes, ctype: str) -> Resource:
        return body, ctype, '"' + hashlib.blake2b(body, digest_size=10).hexdigest() + '"'

    out = {"/robots.txt": res(corpus.ROBOTS, "text/plain")}
    for f in range(layout.feeds):
        if layout.feed_host(f) != index:
            continue
        out[layout.feed_path(f)] = res(corpus.feed_xml(layout, f), "application/rss+xml")
        for k in layout.feed_articles(f):
            out[layout.article_path(k)] = res(corpus.article_html(layout, k), "text/html; charset=utf-8")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", type=int, required=True)
    ap.add_argument("--articles", type=int, required=True)
    ap.add_argument("--feeds", type=int, required=True)
    ap.add_argument("--hosts", type=int, required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--latency-ms", type=float, default=20)
    a = ap.parse_args()
    layout = corpus.Layout(a.articles, a.feeds, a.hosts, a.port)
    resources = build(layout, a.index)
    server = Server(resources, a.latency_ms / 1000, (layout.host(a.index), a.port))
    pages = [len(b) for p, (b, _, _) in resources.items() if p.endswith(".html")]
    print(f"ready {len(resources)} {sum(pages)} {len(pages)}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
