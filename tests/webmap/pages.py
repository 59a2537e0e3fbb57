"""Helpers to inspect rendered pages."""

from __future__ import annotations

import re

_URL_ATTR = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url\(\s*["']?([^"')]+)""", re.I)


def foreign_urls(html: str) -> list[str]:
    """Every src/href/url(…) in ``html`` that points at another host."""
    urls = [a or b for a, b in _URL_ATTR.findall(html)]
    return [u for u in urls if re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", u, re.I)]
