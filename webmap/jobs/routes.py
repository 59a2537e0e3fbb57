"""The status of a job (JSON, for the page that polls it) and the file a job made.

Only the job's owner gets an answer; anyone else gets the same 404 as for a job that does not
exist, so a job's address says nothing to someone who guessed or overheard it. Both are GETs
that change nothing but the handing over of a file, which happens once.
"""

from __future__ import annotations

import io

from flask import Blueprint, Response, jsonify, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webmap.jobs.job import Done, GoTo, Snapshot
from webmap.jobs.web import runner

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


def _gone() -> tuple[Response, int]:
    message = _("This task is not known (any more): start it again from its page.")
    return jsonify(error="not_found", reason=message), 404


@bp.get("/<job_id>")
def status(job_id: str) -> Response | tuple[Response, int]:
    """Where the job is: queued, running (step, done of total), done (where to go), failed."""
    job = runner().get(job_id, current_user.user.id)
    if job is None:
        return _gone()
    snapshot = job.snapshot()
    answer = status_json(snapshot)
    if isinstance(snapshot.result, Done) and not snapshot.taken:
        answer["download"] = url_for("jobs.result", job_id=job_id)
    response = jsonify(answer)
    response.headers["Cache-Control"] = "no-store"  # asked again every half second
    return response


def status_json(s: Snapshot) -> dict[str, object]:
    """The JSON of a status, its words in the reader's language."""
    answer: dict[str, object] = {"state": s.state, "done": s.done, "total": s.total}
    answer["label"] = _("Progress")
    answer["step"] = str(s.step) if s.step else _("Waiting for a free worker…")
    if s.state == "running" and not s.step:
        answer["step"] = _("Starting…")
    if s.state == "done":
        answer["step"] = _("Done.")
        if isinstance(s.result, GoTo):
            answer["step"] = _("Done: the page opens…")
            answer["url"] = s.result.url
        elif isinstance(s.result, Done):
            answer["filename"] = s.result.filename
    if s.state == "failed":
        answer["message"] = str(s.message)
    return answer


@bp.get("/<job_id>/result")
def result(job_id: str) -> Response | tuple[Response, int]:
    """The file a finished job made, once; afterwards (or someone else's) a 404."""
    done = runner().take_file(job_id, current_user.user.id)
    if done is None:
        return _gone()
    return send_file(
        io.BytesIO(done.data),
        mimetype=done.mimetype,
        as_attachment=True,
        download_name=done.filename,
        max_age=0,
    )
