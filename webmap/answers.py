"""Answers and page parts kept per state of the data: the same result for the same reader and
question.

Why: ``/api/counts`` slices the store's count cube (:mod:`mmm.counting.cube`), but turning a
table of half a million rows into JSON still takes seconds; a zone map of 2,000 perimeters
takes a second to build; a perimeter page's hour × weekday tables and near-repeat alerts read
every incident. While the data stays as it is (:func:`mmm.counting.cube.data_key`: the newest
import batch and perimeter version), the same question from the same reader has the same
answer, so it is kept. The key holds the store's data state, what of the reader decides the
answer (:func:`reader_key`: rights, scope and language — two readers who may see different
things never share an answer) and the question. At most :data:`BUDGET_BYTES` are kept per
kind, least recently used first out; an import, a purge, a perimeter edit or a change of the
phenomena adds a batch or a version and so changes the key: older answers are never served.
Fifty people asking the same thing at once make it once: the others wait for that answer.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

from flask import Flask, current_app
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.wrappers import Response

from mmm.access.rules import RULES, Scope
from mmm.counting.cube import data_key
from webmap.extensions import current_scope, get_store

#: Bytes kept per kind of answer and app.
BUDGET_BYTES = 256 * 1024 * 1024

T = TypeVar("T")


class Answers:
    """Kept answers of one kind (thread-safe; see the module). A value's size is what its
    maker says it weighs: the bytes of a JSON answer, the characters of a page part."""

    def __init__(self, budget: int = BUDGET_BYTES) -> None:
        self.budget = budget
        self._kept: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._making: dict[Hashable, threading.Lock] = {}
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            found = self._kept.get(key)
            if found is None:
                return None
            self._kept.move_to_end(key)
            return found[0]

    def clear(self) -> None:
        """Forget every kept answer."""
        with self._lock:
            self._kept.clear()
            self._size = 0

    def put(self, key: Hashable, value: Any, size: int) -> None:
        if size > self.budget:
            return
        with self._lock:
            old = self._kept.pop(key, None)
            self._size += size - (old[1] if old is not None else 0)
            self._kept[key] = (value, size)
            while self._size > self.budget:
                _, (_, dropped) = self._kept.popitem(last=False)
                self._size -= dropped

    def obtain(self, key: Hashable, make: Callable[[], T], size: Callable[[T], int]) -> T:
        """The kept answer of ``key``, else ``make()`` kept; one maker per key at a time."""
        found = self.get(key)
        if found is not None:
            return cast(T, found)
        with self._lock:
            making = self._making.setdefault(key, threading.Lock())
        try:
            with making:  # a second asker waits here for the first one's answer
                found = self.get(key)
                if found is None:
                    found = make()
                    self.put(key, found, size(found))
                return cast(T, found)
        finally:
            with self._lock:
                self._making.pop(key, None)


#: The kinds of kept answers: JSON bodies, and the parts of pages.
KINDS = ("json", "parts")


def answers_of(app: Flask, kind: str = "json") -> Answers:
    """The app's kept answers of ``kind`` (made on first use)."""
    assert kind in KINDS
    return app.extensions.setdefault(f"mmm_answers_{kind}", Answers())


def forget_answers(app: Flask) -> None:
    """Forget every kept answer of every kind (for a change the data state does not show)."""
    for kind in KINDS:
        answers_of(app, kind).clear()


def scope_key(scope: Scope) -> Hashable:
    """What of a scope decides an answer: its pairs and its thresholds."""
    thresholds = None if scope.thresholds is None else tuple(sorted(scope.thresholds.items()))
    return scope.pairs, thresholds


def reader_key() -> Hashable:
    """What of the logged-in reader decides a page: rights, scope and language (two roles
    with the same rights, say an analyst and a neighbourhood officer, share their pages)."""
    return rights_of(current_user.user.role), scope_key(current_scope()), str(get_locale())


@functools.cache
def rights_of(role: str) -> frozenset[str]:
    """Every action :data:`mmm.access.rules.RULES` allows ``role``."""
    return frozenset(action for action, roles in RULES.items() if role in roles)


def _state() -> Hashable:
    """Which store, and the state of its data."""
    store = get_store()
    return store.url, data_key(store)


def kept_json(question: Hashable, scope: Scope, make: Callable[[], Any]) -> Response:
    """The JSON response of ``make()`` for ``scope``, kept while the store's data stays as it is.

    ``question`` names what is asked (the route and its arguments).
    """
    key = (_state(), scope_key(scope), question)

    def body() -> bytes:
        return cast(Response, current_app.json.response(make())).get_data()  # as jsonify

    kept = answers_of(current_app).obtain(key, body, len)
    return current_app.response_class(kept, mimetype="application/json")


def kept_parts(question: Hashable, make: Callable[[], T], size: Callable[[T], int]) -> T:
    """The page parts ``make()`` gives the logged-in reader for ``question`` (the route and its
    arguments), kept while the store's data stays as it is. They must hold nothing that
    belongs to one request (a CSP nonce, a CSRF token): those are added after."""
    key = (_state(), reader_key(), question)
    return answers_of(current_app, "parts").obtain(key, make, size)


def kept_for_all(question: Hashable, make: Callable[[], T], size: Callable[[T], int]) -> T:
    """What ``make()`` gives for ``question``, kept while the store's data stays as it is and
    shared by every reader: only for results nothing of the reader decides (the caller has
    decided before whether this reader may see them), such as a perimeter's hour × weekday
    tables, which an analyst's and an officer's page show alike."""
    key = (_state(), "all", question)
    return answers_of(current_app, "parts").obtain(key, make, size)
