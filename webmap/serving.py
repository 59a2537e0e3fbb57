"""The servers the app runs in: waitress for real use, Werkzeug's for development.

``mmm serve`` runs :func:`production_server` (waitress: a pool of worker threads, no debugger,
made to face a reverse proxy) and, with ``--dev``, :func:`development_server` (Werkzeug's, one
thread per request, which says itself that it is not for production). Both answer with
``Server: MMM Planner``.

Behind a reverse proxy the app believes ``X-Forwarded-For``/``-Proto`` of as many proxies as
``MMM_PROXY_HOPS`` says (:mod:`webmap.security` wraps the app in Werkzeug's ``ProxyFix``).
Waitress strips those headers before the app sees them unless told otherwise, so it is told to
leave them exactly when the app trusts a proxy; with none trusted it still strips them.

:func:`running` serves either in a background thread, for the load benchmark
(``bench/load.py``) and the tests that talk HTTP to a real server (GDAL, OWSLib).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from waitress import wasyncore
from waitress.server import BaseWSGIServer, create_server
from werkzeug.serving import BaseWSGIServer as WerkzeugServer
from werkzeug.serving import make_server

from webmap.security import SERVER, RequestHandler

#: Worker threads of the production server unless ``mmm serve --threads`` says otherwise.
DEFAULT_THREADS = 4


def production_server(
    app: Flask, *, host: str, port: int, threads: int = DEFAULT_THREADS
) -> BaseWSGIServer:
    """A waitress server for ``app`` on ``host``:``port`` (0: a free port), not yet running.

    Call ``run()`` to serve; ``effective_port`` is the port it listens on.
    """
    trusts_proxies = int(app.config.get("MMM_PROXY_HOPS", 0)) > 0
    server: BaseWSGIServer = create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        ident=SERVER,
        clear_untrusted_proxy_headers=not trusts_proxies,
    )
    return server


def development_server(app: Flask, *, host: str, port: int) -> WerkzeugServer:
    """Werkzeug's development server for ``app`` (a thread per request), not yet running.

    Call ``serve_forever()`` to serve; ``server_port`` is the port it listens on.
    """
    return make_server(host, port, app, threaded=True, request_handler=RequestHandler)


@contextmanager
def running(server: BaseWSGIServer | WerkzeugServer) -> Iterator[str]:
    """Serve with ``server`` in a background thread; yields its base URL, stops it after."""
    if isinstance(server, WerkzeugServer):
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        url = f"http://{server.host}:{server.server_port}"
    else:
        thread = threading.Thread(target=server.run, daemon=True)
        url = f"http://{server.effective_host}:{server.effective_port}"
    thread.start()
    try:
        yield url
    finally:
        _stop(server)
        thread.join(timeout=10)


def _stop(server: Any) -> None:
    if isinstance(server, WerkzeugServer):
        server.shutdown()
        server.server_close()
        return
    server.task_dispatcher.shutdown()
    wasyncore.close_all(server._map)  # its loop ends when no socket is left
