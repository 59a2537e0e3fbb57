"""The web side of :mod:`mmm.limits`: request size, JSON bodies, and translated refusals.

- Requests larger than ``MMM_MAX_UPLOAD_MB`` (Flask's ``MAX_CONTENT_LENGTH``) answer 413.
- A JSON body is read once, before the view: malformed, or nested deeper than
  :data:`~mmm.limits.MAX_JSON_DEPTH`, answers 400 with JSON (a body nested 100,000 deep used to
  exhaust the parser's recursion: a 500).
- A month range outside the data (:class:`~mmm.errors.PeriodOutOfRange`) answers 400 and says
  which months may be chosen; a full PDF queue (:class:`~mmm.present.pdf.PrinterBusy`) answers
  503 with ``Retry-After``.

Pages get a translated page; ``/api/`` and requests that ask for JSON get
``{"error": code, "reason": translated sentence}``.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from flask import Flask, jsonify, render_template, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.wrappers import Response

from mmm.errors import PeriodOutOfRange
from mmm.limits import MAX_JSON_DEPTH
from mmm.present.pdf import PrinterBusy
from mmm.settings import load_settings

#: Seconds a client is asked to wait before it asks for a PDF again.
RETRY_AFTER_S = 10
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)


def init_app(app: Flask) -> None:
    """Set the request limits (unless the app's config already has them) and the answers."""
    settings = load_settings()
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default: no limit
        app.config["MAX_CONTENT_LENGTH"] = int(settings.max_upload_mb * 1024 * 1024)
    app.config.setdefault("MMM_PDF_QUEUE", settings.pdf_queue)
    app.json = DepthLimitedJSON(app)
    app.before_request(_read_json_body)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.register_error_handler(PeriodOutOfRange, _period_out_of_range)
    app.register_error_handler(PrinterBusy, _printer_busy)


def json_depth(data: bytes) -> int:
    """How deeply arrays and objects nest in a JSON text (strings are skipped), without
    parsing it: a bracket count, linear in the size of the body."""
    codes = np.frombuffer(_JSON_STRING.sub(b'""', data), np.uint8)
    opens = (codes == ord("[")) | (codes == ord("{"))
    closes = (codes == ord("]")) | (codes == ord("}"))
    at = np.flatnonzero(opens | closes)
    return int(np.cumsum(np.where(opens[at], 1, -1)).max()) if len(at) else 0


class DepthLimitedJSON(DefaultJSONProvider):
    """Flask's JSON, refusing a text nested deeper than :data:`~mmm.limits.MAX_JSON_DEPTH`."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse ``s`` after checking its depth.

        Raises
        ------
        ValueError
            For a text nested too deep (Flask answers it as malformed JSON).
        """
        data = s.encode("utf-8") if isinstance(s, str) else s
        depth = json_depth(data)
        if depth > MAX_JSON_DEPTH:
            raise ValueError(f"nested {depth} levels deep (at most {MAX_JSON_DEPTH})")
        return super().loads(s, **kwargs)


def _read_json_body() -> tuple[Response, int] | None:
    """Parse a JSON body before the view (which reads the cached result); 400 if it cannot."""
    if request.method not in ("POST", "PUT", "PATCH") or not request.is_json:
        return None
    try:
        request.get_json()
    except BadRequest:
        reason = _("The request body is not valid JSON, or nested more than %(n)d levels deep.")
        return jsonify({"error": "malformed JSON", "reason": reason % {"n": MAX_JSON_DEPTH}}), 400
    return None


def period_message(error: PeriodOutOfRange) -> str:
    """The translated sentence for a month range outside what may be chosen."""
    return _(
        "Choose months from %(first)s to %(last)s (the months with data), at most %(n)d at once."
    ) % {"first": error.first, "last": error.last, "n": error.months}


def _too_large(error: RequestEntityTooLarge) -> tuple[Any, int]:
    limit = (request.max_content_length or 0) / (1024 * 1024)
    message = _("The request is too large: at most %(mb)s MB can be sent at once.") % {
        "mb": f"{limit:g}"
    }
    return _refusal("request too large", _("The request is too large"), message, 413)


def _period_out_of_range(error: PeriodOutOfRange) -> tuple[Any, int]:
    title = _("This request cannot be answered")
    return _refusal("months out of range", title, period_message(error), 400)


def _printer_busy(error: PrinterBusy) -> tuple[Any, int, dict[str, str]]:
    message = _("The PDF printer is busy with other reports. Try again in a moment.")
    body, code = _refusal("busy", _("The PDF printer is busy"), message, 503)
    return body, code, {"Retry-After": str(RETRY_AFTER_S)}


def _refusal(error: str, title: str, message: str, code: int) -> tuple[Any, int]:
    """JSON for ``/api/`` and for scripts that ask for it (``error``: a short code, ``reason``:
    the translated sentence, as the API's other refusals), else the translated error page."""
    wants_json = request.accept_mimetypes.best_match(("text/html", "application/json")) == (
        "application/json"
    )
    if request.path.startswith("/api/") or wants_json:
        return jsonify({"error": error, "reason": message}), code
    return render_template("error.html", title=title, message=message), code
