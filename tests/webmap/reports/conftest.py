"""Fixtures for the report and meeting-mode tests: what partners may see, so a higher threshold.

Their ``app`` suppresses counts below 20, on the session's demo store (with its action plans):
the demo's monthly counts then include some a partner may not read. ``client`` and ``login``
(``tests/webmap/conftest.py``) use this app.
"""

from __future__ import annotations

import pytest
from flask import Flask

from tests.webmap.conftest import make_app


@pytest.fixture(scope="module")
def app(demo_store_url: str) -> Flask:
    return make_app(demo_store_url, MMM_SUPPRESS_BELOW=20, MMM_SUPPRESS_OVERRIDES={})
