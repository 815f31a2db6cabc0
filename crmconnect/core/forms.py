from django import forms
from django.forms.renderers import TemplatesSetting

_CHECK_INPUTS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


class FormRenderer(TemplatesSetting):
    """Renders every form with Bootstrap markup: label, input, help text, field errors."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


def style_widget(widget, has_errors=False):
    if isinstance(widget, _CHECK_INPUTS):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    if has_errors:
        css += " is-invalid"
    existing = widget.attrs.get("class", "")
    widget.attrs["class"] = f"{existing} {css}".strip()


class StyledFormMixin:
    """Bootstrap classes on every widget; `is-invalid` on fields with errors, whether found
    while cleaning or added after it (a rule a service refused)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style_widget(field.widget)

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                css = self.fields[name].widget.attrs.get("class", "")
                if "is-invalid" not in css:
                    self.fields[name].widget.attrs["class"] = f"{css} is-invalid"


class StyledForm(StyledFormMixin, forms.Form):
    pass


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    pass
