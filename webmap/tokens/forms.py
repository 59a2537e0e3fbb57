"""The revoke form of the API tokens page (CSRF-protected by Flask-WTF)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SubmitField
from wtforms.validators import DataRequired
from wtforms.widgets import HiddenInput


class RevokeForm(FlaskForm):
    token_id = IntegerField(widget=HiddenInput(), validators=[DataRequired()])
    submit = SubmitField(_l("Revoke"))
