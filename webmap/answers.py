"""JSON answers kept per state of the data: the same bytes for the same reader and question.

Why: ``/api/counts`` slices the store's count cube (:mod:`mmm.counting.cube`), but turning a
table of half a million rows into JSON still takes seconds. While the data stays as it is
(:func:`mmm.counting.cube.data_key`), the same question from the same scope has the same
answer, so its bytes are kept: the key holds the store's data state, the reader's scope (its
perimeter × phenomenon pairs and thresholds: two readers who may see different things never
share an answer) and the question. At most :data:`BUDGET_BYTES` are kept, least recently used
first out; an import or a perimeter edit changes the key, so older answers are never served.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, cast

from flask import Flask, current_app
from werkzeug.wrappers import Response

from mmm.access.rules import Scope
from mmm.counting.cube import data_key
from webmap.extensions import get_store

#: Bytes of answers kept per app.
BUDGET_BYTES = 256 * 1024 * 1024


class Answers:
    """The kept answers of one app (thread-safe; see the module)."""

    def __init__(self, budget: int = BUDGET_BYTES) -> None:
        self.budget = budget
        self._kept: OrderedDict[Hashable, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> bytes | None:
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def clear(self) -> None:
        """Forget every kept answer."""
        with self._lock:
            self._kept.clear()
            self._size = 0

    def put(self, key: Hashable, body: bytes) -> None:
        if len(body) > self.budget:
            return
        with self._lock:
            old = self._kept.pop(key, None)
            self._size += len(body) - (len(old) if old is not None else 0)
            self._kept[key] = body
            while self._size > self.budget:
                _, dropped = self._kept.popitem(last=False)
                self._size -= len(dropped)


def answers_of(app: Flask) -> Answers:
    """The app's kept answers (made on first use)."""
    return app.extensions.setdefault("mmm_answers", Answers())


def scope_key(scope: Scope) -> Hashable:
    """What of a scope decides an answer: its pairs and its thresholds."""
    thresholds = None if scope.thresholds is None else tuple(sorted(scope.thresholds.items()))
    return scope.pairs, thresholds


def kept_json(question: Hashable, scope: Scope, make: Callable[[], Any]) -> Response:
    """The JSON response of ``make()`` for ``scope``, kept while the store's data stays as it is.

    ``question`` names what is asked (the route and its arguments).
    """
    key = (data_key(get_store()), scope_key(scope), question)
    kept = answers_of(current_app)
    body = kept.get(key)
    if body is None:
        body = cast(Response, current_app.json.response(make())).get_data()  # as jsonify
        kept.put(key, body)
    return current_app.response_class(body, mimetype="application/json")
