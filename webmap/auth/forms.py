"""Forms of the auth blueprint (CSRF-protected by Flask-WTF)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired

from mmm.access.users import LANGUAGES

LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Français", "de": "Deutsch", "en": "English"}


class LoginForm(FlaskForm):
    name = StringField(_l("User name"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    submit = SubmitField(_l("Log in"))


class LanguageForm(FlaskForm):
    language = SelectField(choices=list(LANGUAGES))  # the page shows LANGUAGE_NAMES
    submit = SubmitField("OK")
