from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from crmconnect.core.pages import form_page


class NameForm(forms.Form):
    name = forms.CharField()


def refuse(error):
    def on_valid(data):
        raise error
    return on_valid


def render_refused(error):
    request = RequestFactory().post("/", {"name": "Ion"})
    form = NameForm(request.POST)
    response = form_page(request, form, "forms/form.html", {}, refuse(error))
    return form, response


def test_a_refused_field_lands_on_its_field():
    form, response = render_refused(ValidationError({"name": "Taken."}))
    assert response.status_code == 200
    assert form.errors["name"] == ["Taken."]


def test_a_refusal_about_a_field_the_form_lacks_shows_above_the_form():
    form, response = render_refused(ValidationError({"status": "Another pipeline's status."}))
    assert response.status_code == 200
    assert form.non_field_errors() == ["Another pipeline's status."]
    assert "Another pipeline" in response.content.decode()


def test_a_plain_refusal_shows_above_the_form():
    form, _ = render_refused(ValidationError("Locked."))
    assert form.non_field_errors() == ["Locked."]
