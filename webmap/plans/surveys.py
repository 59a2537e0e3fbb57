"""Survey figures: the stored ones per perimeter, and the CSV upload with its rejection report."""

from __future__ import annotations

from flask import flash, render_template
from flask_babel import gettext as _

from mmm.errors import MMMError
from mmm.io.imports import ImportReport
from mmm.plans import import_survey, survey_results, survey_view
from mmm.plans.survey import COLUMNS, REQUIRED, UNITS
from webmap.extensions import current_scope, get_store
from webmap.flashing import actor, form_errors, refusal
from webmap.plans import words
from webmap.plans.forms import SurveyForm
from webmap.plans.routes import bp, require


@bp.route("/surveys", methods=["GET", "POST"])
def surveys() -> str | tuple[str, int]:
    require("import_surveys")
    form = SurveyForm()
    report: ImportReport | None = None
    status = 200
    if form.validate_on_submit():
        upload = form.file.data
        try:
            report = import_survey(
                get_store(), upload.stream, name=upload.filename or "survey.csv",
                replace=bool(form.replace.data), actor=actor(),
            )  # fmt: skip
        except MMMError as exc:
            flash(refusal(exc), "error")
            status = 400
        else:
            flash(
                _("%(imported)d of %(read)d rows imported.", imported=report.imported,
                  read=report.read),
                "info" if not len(report.rejected) else "error",
            )  # fmt: skip
    elif form.is_submitted():
        flash(_("Check the form: %(errors)s", errors=form_errors(form)), "error")
        status = 400
    stored = survey_view(survey_results(get_store()), current_scope())
    page = render_template(
        "plans/surveys.html",
        form=form,
        report=report,
        stored=stored,
        columns=COLUMNS,
        required=REQUIRED,
        units=UNITS,
        survey_label=words.survey_label,
        words=words,
    )
    return page, status
