"""Forms of the admin blueprint (CSRF-protected by Flask-WTF)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import AnyOf, DataRequired, EqualTo, Length

from mmm.access.users import LANGUAGES, ROLES


class NewUserForm(FlaskForm):
    name = StringField(_l("User name"), validators=[DataRequired(), Length(max=100)])
    role = SelectField(_l("Role"), choices=list(ROLES))  # labels: set by the view
    partner = SelectField(_l("Organisation (partner users only)"))  # choices: set by the view
    language = SelectField(_l("Language"), choices=list(LANGUAGES))  # labels: set by the view
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    repeat = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Add user"))


class PasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired()])
    repeat = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Set password"))


class ActiveForm(FlaskForm):
    active = HiddenField(validators=[AnyOf(["0", "1"])])  # the state asked for (the template
    # shows the button: "Deactivate" or "Activate")
