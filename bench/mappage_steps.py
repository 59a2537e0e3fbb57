"""Where the server's time for ``GET /map`` goes (bench/mappage.py), with no browser running:
a timer around each call the view makes, and the parts of ``zone_overview`` that grow with the
incidents timed on their own."""

from __future__ import annotations

import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any
from unittest.mock import patch

import pandas as pd
from mappage_data import PERIOD
from mappage_server import USER, serve_app
from timing import REPEATS, best_time

import mmm.present.maps
import webmap.maps.routes as map_routes
from mmm.counting.count import count_incidents
from mmm.counting.grid import grid_counts
from mmm.demo import DEMO_PASSWORD
from mmm.store import open_store


@dataclass(frozen=True)
class ServerSteps:
    """Where the seconds of ``GET /map`` go, measured with no browser running.

    The request goes to the threaded server (a new thread per request, as in the browser runs)
    with a timer around each of the three calls the view makes; the best of ``REPEATS`` warm
    requests is kept. Each of them builds the page (what a range's first request costs: later
    ones are served the page parts it kept, :mod:`webmap.answers`). Reading, counting and the
    grid, the parts of ``zone_overview`` that grow with the incidents, are timed on their own.
    """

    read_s: float  # the first Store.incidents() of a fresh store (later ones hit its cache)
    counts_s: float  # count_incidents for the period and the one before
    grid_s: float  # grid_counts for the period
    overview_s: float  # zone_overview as a whole (the three above, perimeters, labels…)
    zone_map_s: float  # mmm.present.maps.zone_map: the Folium figure and its JSON
    render_s: float  # webmap.folium_page.rendered: the figure rendered to HTML
    request_s: float  # the whole request

    @property
    def rest_s(self) -> float:
        """Flask, the login check and the Jinja page template."""
        return self.request_s - self.overview_s - self.zone_map_s - self.render_s


#: The calls ``GET /map`` makes, timed by :func:`timed_calls`: name → (module, attribute).
VIEW_CALLS = {
    "overview": (map_routes, "zone_overview"),
    "zone_map": (mmm.present.maps, "zone_map"),
    "render": (map_routes, "rendered"),
}


def time_server_steps(store_url: str) -> ServerSteps:
    """Time the view's steps on the store of one size (see :class:`ServerSteps`)."""
    read_s, counts_s, grid_s = time_overview_parts(store_url)
    with serve_app(store_url, {"WTF_CSRF_ENABLED": False}) as (base_url, clock):
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        form = urllib.parse.urlencode({"name": USER, "password": DEMO_PASSWORD}).encode()
        opener.open(f"{base_url}/login?next=/login", data=form).read()
        url = f"{base_url}/map?from={PERIOD.first}&to={PERIOD.last}"
        opener.open(url).read()  # the first request reads the incidents into the store's cache
        runs: list[tuple[float, dict[str, float]]] = []
        for _ in range(REPEATS):
            with timed_calls(VIEW_CALLS) as seconds, built_every_time():
                opener.open(url).read()  # an HTTP error status raises
            runs.append((clock.seconds["/map"][-1], seconds))
    request_s, split = min(runs, key=lambda run: run[0])
    return ServerSteps(
        read_s, counts_s, grid_s, split["overview"], split["zone_map"], split["render"], request_s
    )


@contextmanager
def built_every_time() -> Iterator[None]:
    """The zone map built on every request for the ``with`` block (nothing kept)."""
    with patch.object(map_routes, "kept_parts", lambda question, make, size: make()):
        yield


def time_overview_parts(store_url: str) -> tuple[float, float, float]:
    """Seconds of reading the incidents (cold), counting them per perimeter and the grid."""
    store = open_store(store_url)
    try:
        read_s, incidents = best_time(store.incidents, repeats=1)  # a fresh store: not cached
        perimeters = store.perimeters()
        zone = store.zone()
    finally:
        store.close()
    assert zone is not None  # the store was built with one

    def counts() -> None:
        for months in (PERIOD, PERIOD.previous()):
            count_incidents(incidents, perimeters, period="all", start=months.start, end=months.end)

    counts_s, _ = best_time(counts)
    occurred = incidents["occurred"]
    in_period = incidents[
        (occurred >= pd.Timestamp(PERIOD.start))
        & (occurred < pd.Timestamp(PERIOD.end) + pd.Timedelta(days=1))
    ]
    grid_s, _ = best_time(lambda: grid_counts(in_period, zone.geometry))
    return read_s, counts_s, grid_s


@contextmanager
def timed_calls(calls: Mapping[str, tuple[object, str]]) -> Iterator[dict[str, float]]:
    """Replace each ``(owner, attribute)`` function by a timed wrapper for the ``with`` block.

    Yields a dict filled with the seconds spent in each function, by name.
    """
    seconds = dict.fromkeys(calls, 0.0)

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[name] += time.perf_counter() - start

        return wrapper

    with ExitStack() as stack:
        for name, (owner, attribute) in calls.items():
            wrapper = timed(name, getattr(owner, attribute))
            stack.enter_context(patch.object(owner, attribute, wrapper))
        yield seconds
