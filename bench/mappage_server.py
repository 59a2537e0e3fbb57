"""The servers bench/mappage.py loads its pages from: the real app with a clock around each
request, and a static directory for the plain Folium baseline."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from werkzeug.serving import WSGIRequestHandler, make_server

from webmap import create_app

USER = "analist"  # the demo analyst: may see the zone map


@dataclass
class ServerClock:
    """A WSGI wrapper that records the seconds the app spends on each request, by path."""

    app: Callable[..., Iterable[bytes]]
    seconds: dict[str, list[float]] = field(default_factory=dict)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start = time.perf_counter()
        body = self.app(environ, start_response)
        try:
            chunks = list(body)  # the app's work is done when its body is
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
        path = environ.get("PATH_INFO", "")
        self.seconds.setdefault(path, []).append(time.perf_counter() - start)
        return chunks


class _QuietRequests(WSGIRequestHandler):
    """Werkzeug's handler without the access log (progress stays readable)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@contextmanager
def serve_app(
    store_url: str, config: Mapping[str, Any] | None = None
) -> Iterator[tuple[str, ServerClock]]:
    """The real app on a free local port (werkzeug, threaded, like ``mmm serve``).

    Yields its URL and the clock of its requests. ``config`` adds to the app's settings.
    """
    app = create_app({"MMM_STORE": store_url, "SECRET_KEY": "bench", **(config or {})})
    clock = ServerClock(app.wsgi_app)
    app.wsgi_app = clock  # type: ignore[method-assign]
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietRequests)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", clock
    finally:
        server.shutdown()
        thread.join()
        store = app.extensions.get("mmm_store")
        if store is not None:
            store.close()


class _StaticHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; HTML never cached (each load fetches the page again), no access log."""

    def end_headers(self) -> None:
        if self.path.endswith(".html"):
            self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """``directory`` over HTTP on a free local port; yields its URL."""
    handler = partial(_StaticHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
