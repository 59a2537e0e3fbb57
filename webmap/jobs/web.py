"""How a view hands its slow work to the app's :class:`~webmap.jobs.runner.JobRunner`.

A page's script asks for a job with the header :data:`JOB_HEADER` (``fetch`` with the form's
CSRF token); the view then answers ``202`` with the address of the job's status at once. A plain
form POST (no script) carries no such header and gets the file or the page as before: the same
work, run while the request waits.

Why the work runs in a request context of its own: it renders templates (the words of the
person's language, ``url_for``, the logged-in user in the page's header) exactly as the request
would have. The context is made from a copy of the request's environment without its body (the
view has read what it needs), so the worker never touches the request object the server is
done with.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from flask import Response, current_app, jsonify, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from webmap.jobs.job import Outcome, Progress
from webmap.jobs.runner import JobRunner, JobsBusy

#: The request header a page's script sends to get a job instead of the file (its value: 1).
JOB_HEADER = "X-MMM-Job"
#: Seconds a refused client is asked to wait before it asks again.
RETRY_AFTER_S = 10
_DROPPED = ("wsgi.input", "werkzeug.request", "CONTENT_TYPE", "CONTENT_LENGTH")


def runner() -> JobRunner:
    """The app's job runner, made on first use."""
    jobs = current_app.extensions.get("mmm_jobs")
    if jobs is None:
        unexpected = _l(
            "The work stopped on an unexpected error. Try again; if it keeps failing, tell an "
            "administrator (the reason is in the server's log)."
        )
        jobs = current_app.extensions.setdefault("mmm_jobs", JobRunner(unexpected=unexpected))
    return jobs


def wants_job() -> bool:
    """Whether the page's script asked for a job (and polls its status) rather than waits."""
    return request.headers.get(JOB_HEADER) == "1"


def start(kind: str, work: Callable[[Progress], Outcome]) -> tuple[Response, int]:
    """Queue ``work`` as the logged-in user's job; ``202`` with its status address.

    A full queue answers ``503`` with ``Retry-After`` and a sentence that says so.
    """
    try:
        job = runner().submit(current_user.user.id, kind, detached(work))
    except JobsBusy as busy:
        reason = (
            _("You have several tasks running already: wait until one is done, then try again.")
            if busy.mine
            else _("The server is busy with other people's work: try again in a minute.")
        )
        answer = jsonify(error="busy", reason=reason)
        answer.headers["Retry-After"] = str(RETRY_AFTER_S)
        return answer, 503
    status = url_for("jobs.status", job_id=job.id)
    answer = jsonify(status=status)
    answer.headers["Location"] = status
    return answer, 202


def detached(work: Callable[[Progress], Outcome]) -> Callable[[Progress], Outcome]:
    """``work`` to run in a worker thread, in a request context like the current one's."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    environ = {k: v for k, v in request.environ.items() if k not in _DROPPED}
    environ["CONTENT_LENGTH"] = "0"  # the same route and method, with an empty body

    def run(progress: Progress) -> Outcome:
        with app.request_context({**environ, "wsgi.input": io.BytesIO()}):
            return work(progress)

    return run
