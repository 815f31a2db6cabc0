from django import forms, template
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string

register = template.Library()


@register.filter
def is_checkbox(bound_field):
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.filter
def field_column(bound_field):
    """Wide inputs (text areas, multi-selects) take the full row; the rest half of it."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.Textarea | forms.CheckboxSelectMultiple | forms.SelectMultiple):
        return "col-12"
    return "col-md-6"


@register.simple_tag(takes_context=True)
def sort_link(context, field, label):
    """A column header that sorts by `field` (django-filter's ?o=) and flips on a second
    click, keeping the other query parameters."""
    request = context["request"]
    current = request.GET.get("o", "")
    params = request.GET.copy()
    params.pop("page", None)
    params["o"] = f"-{field}" if current == field else field
    arrow = {field: " ▲", f"-{field}": " ▼"}.get(current, "")
    return render_to_string("includes/sort_link.html",
                            {"href": f"?{params.urlencode()}", "label": label, "arrow": arrow})


@register.simple_tag(takes_context=True)
def render_slot_entry(context, entry):
    """Render one registered slot entry (dashboard widget, record tab) with its own context."""
    data = {**context.flatten(), **entry["context"], "slot_entry": entry}
    return render_to_string(entry["template"], data, request=context.get("request"))


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (export links, filters)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        params[key] = value
    return params.urlencode()


@register.filter
def unit_price(value):
    """A unit price (four decimals stored) with two decimals, or up to four when the price
    has them: 0.0250 prints 0.025, not a rounded 0.03 that the line's net would not match."""
    if value in (None, ""):
        return ""
    places = max(2, min(4, -value.normalize().as_tuple().exponent))
    return floatformat(value, f"{places}g")
