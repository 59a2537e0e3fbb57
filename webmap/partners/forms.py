"""Forms of the partners blueprint (CSRF-protected)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from webmap.vocabulary import RESPONSIBILITY_NAMES


class PartnerForm(FlaskForm):
    name = StringField(_l("Organisation"), validators=[DataRequired(), Length(max=200)])
    type = SelectField(_l("Type"))
    contact = StringField(_l("Contact (organisation e-mail)"), validators=[Optional()])
    submit = SubmitField(_l("Add partner"))


class AssignForm(FlaskForm):
    partner = SelectField(_l("Partner"))
    perimeter = SelectField(_l("Perimeter"))
    phenomenon = SelectField(_l("Phenomenon"))
    responsibility = SelectField(_l("Responsibility"), choices=list(RESPONSIBILITY_NAMES.items()))
    description = StringField(_l("Their part"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Assign"))


class UnassignForm(FlaskForm):
    partner = HiddenField(validators=[DataRequired()])
    perimeter = HiddenField(validators=[DataRequired()])
    phenomenon = HiddenField(validators=[DataRequired()])
    submit = SubmitField("×")
