"""Make an HTML page self-contained: the local scripts and stylesheets it links, inlined.

Why: a meeting dossier must open on any laptop without the app or a network, and the page a
PDF is printed from is loaded into Chromium without a session (:mod:`mmm.present.pdf`). Both are the
app's own pages whose ``<script src>`` and ``<link rel="stylesheet">`` point under one URL
prefix (``/static``); this module replaces each by the file's contents. Images a stylesheet
refers to (Leaflet's layer-control icon) become ``data:`` URIs. A link that is not under the
prefix is an error: a page of ours never loads anything from another host.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from pathlib import Path

from mmm.errors import MMMError

_SCRIPT = re.compile(r"""<script\b[^>]*\bsrc\s*=\s*["']([^"']+)["'][^>]*>\s*</script>""", re.I)
_LINK = re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']([^"']+)["'][^>]*/?>""", re.I)
_CSS_URL = re.compile(r"""url\(\s*["']?(?!data:|#)([^"')]+)["']?\s*\)""", re.I)


def inline_assets(html: str, prefix: str, directory: str | Path) -> str:
    """``html`` with every script and stylesheet under ``prefix`` replaced by its contents.

    Parameters
    ----------
    html
        A whole page.
    prefix
        The URL prefix of the local files, e.g. ``/static`` (what ``url_for('static', …)``
        gives); ``prefix + "/vendor/leaflet/leaflet.js"`` is read from
        ``directory / "vendor/leaflet/leaflet.js"``.
    directory
        The folder served under ``prefix`` (the app's static folder).

    Raises
    ------
    MMMError
        For a linked file that is missing (e.g. the vendored Leaflet is not installed: run
        ``make install``) or a script or stylesheet from anywhere else.
    """
    root = Path(directory)
    base = prefix.rstrip("/") + "/"

    def read(url: str) -> Path:
        if not url.startswith(base):
            raise MMMError(f"the page links {url!r}, which is not one of the app's own files")
        path = (root / url[len(base) :].split("?")[0]).resolve()
        if root.resolve() not in path.parents or not path.is_file():
            raise MMMError(
                f"{url} is missing under {root}: install the front-end files (make install)"
            )
        return path

    def script(match: re.Match[str]) -> str:
        code = read(match.group(1)).read_text(encoding="utf-8")
        return f"<script>{_no_close(code, 'script')}</script>"

    def link(match: re.Match[str]) -> str:
        if "stylesheet" not in match.group(0).lower():
            return match.group(0)  # e.g. <link rel="icon" href="data:,">
        path = read(match.group(1))
        css = _CSS_URL.sub(lambda m: _data_uri(path.parent / m.group(1)), path.read_text("utf-8"))
        return f"<style>{_no_close(css, 'style')}</style>"

    return _LINK.sub(link, _SCRIPT.sub(script, html))


def _no_close(text: str, tag: str) -> str:
    """Text that cannot end its ``<script>``/``<style>`` element early."""
    return re.sub(f"</({tag})", r"<\\/\1", text, flags=re.I)


def _data_uri(path: Path) -> str:
    """``url(data:…)`` of a file a stylesheet refers to; an absent file is left out."""
    if not path.is_file():
        return "url()"
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"url(data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')})"
