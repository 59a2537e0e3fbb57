"""Forms of the plans blueprint (CSRF-protected). Choices are set by the views."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from mmm.plans.model import ACTION_STATUSES, APPROACHES, PLAN_STATUSES, SECTIONS
from webmap.plans.words import SECTION_NAMES


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as checkboxes (the plan's phenomena)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PlanForm(FlaskForm):
    perimeter = SelectField(_l("Perimeter"))
    zvp_period = StringField(
        _l("ZVP period (e.g. 2025-2030)"), validators=[DataRequired(), Length(max=20)]
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    zvp_objective = TextAreaField(_l("ZVP objective it serves"), validators=[Optional()])
    starts_on = DateField(_l("Start"), validators=[DataRequired()])
    ends_on = DateField(_l("End"), validators=[DataRequired()])
    status = SelectField(_l("Status"), choices=list(PLAN_STATUSES))
    phenomena = CheckboxesField(_l("Phenomena"), validators=[DataRequired()])
    version = HiddenField()
    submit = SubmitField(_l("Save plan"))


for _name in SECTIONS:  # one text area per section of the ZVP template
    setattr(PlanForm, _name, TextAreaField(SECTION_NAMES[_name], validators=[Optional()]))


class ActionForm(FlaskForm):
    title = StringField(_l("Action"), validators=[DataRequired(), Length(max=300)])
    approach = SelectField(_l("Approach"), choices=list(APPROACHES))
    owner = SelectField(_l("Owner (partner)"))
    starts_on = DateField(_l("From"), validators=[DataRequired()])
    ends_on = DateField(_l("To"), validators=[DataRequired()])
    status = SelectField(_l("Status"), choices=list(ACTION_STATUSES))
    submit = SubmitField(_l("Add action"))


class ActionStatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=list(ACTION_STATUSES))
    version = IntegerField(validators=[InputRequired()])
    submit = SubmitField(_l("Save"))


class ResourceForm(FlaskForm):
    partner = SelectField(_l("Partner"))
    hours_per_month = FloatField(
        _l("Hours per month"), validators=[InputRequired(), NumberRange(min=0)]
    )
    budget_eur = FloatField(
        _l("Budget (euro)"), default=0, validators=[Optional(), NumberRange(min=0)]
    )
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Save resources"))


class IndicatorForm(FlaskForm):
    label = StringField(_l("Target"), validators=[DataRequired(), Length(max=200)])
    subject = SelectField(_l("Measured by"))  # "incidents:<code>" or "survey:<code>"
    comparison = SelectField(_l("Value"))
    target = FloatField(_l("Target value"), validators=[InputRequired()])
    deadline = DateField(_l("Deadline"), validators=[DataRequired()])
    submit = SubmitField(_l("Add target"))


class IndicatorEditForm(FlaskForm):
    """Adjust a target: its label, value and deadline (what it measures stays)."""

    label = StringField(_l("Target"), validators=[DataRequired(), Length(max=200)])
    target = FloatField(_l("Target value"), validators=[InputRequired()])
    deadline = DateField(_l("Deadline"), validators=[DataRequired()])
    version = IntegerField(validators=[InputRequired()])
    submit = SubmitField(_l("Save"))


class RemoveForm(FlaskForm):
    version = IntegerField(validators=[InputRequired()])
    submit = SubmitField(_l("Remove"))


class CycleForm(FlaskForm):
    period_start = DateField(_l("Period from"), validators=[DataRequired()])
    period_end = DateField(_l("Period to"), validators=[DataRequired()])
    planned_check = DateField(_l("Check planned on"), validators=[DataRequired()])
    control = SelectField(_l("Control area"))
    buffer_m = FloatField(_l("Buffer (m)"), default=250, validators=[InputRequired()])
    submit = SubmitField(_l("Plan the cycle"))


class StepForm(FlaskForm):
    on = DateField(_l("Date"), validators=[DataRequired()])
    version = IntegerField(validators=[InputRequired()])
    submit = SubmitField(_l("Save"))


class ActForm(StepForm):
    findings = TextAreaField(_l("Findings"), validators=[DataRequired()])
    adjustments = TextAreaField(_l("Adjustments"), validators=[Optional()])


class SurveyForm(FlaskForm):
    file = FileField(
        _l("CSV file"), validators=[FileRequired(), FileAllowed(["csv", "txt"], _l("A CSV file."))]
    )
    replace = BooleanField(_l("Overwrite figures already stored"))
    submit = SubmitField(_l("Import"))
