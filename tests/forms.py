"""Driving a page through its rendered form: read the fields as a browser would submit them,
change some, post them back."""

from html.parser import HTMLParser

UNSENT_INPUTS = ("submit", "button", "reset", "image", "file")


class _FormReader(HTMLParser):
    """The fields of the first POST <form> whose action is `action` (None: the form that posts
    to the page itself) with the values a browser would submit untouched: checked boxes, the
    selected option (else the first), textarea text; disabled fields and <template> content
    are not sent."""

    def __init__(self, action):
        super().__init__()
        self.action, self.inside, self.found, self.in_template = action, False, False, 0
        self.fields, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = (attrs.get("method", "").lower() == "post" and not self.found
                           and attrs.get("action") in ((self.action,) if self.action
                                                       else (None, "")))
            self.found = self.found or self.inside
            return
        if not self.inside:
            return
        if tag == "template":
            self.in_template += 1
        if self.in_template or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._check(name, kind, attrs.get("value") or "on")
            elif kind not in UNSENT_INPUTS:
                self.fields[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.fields[name] = [] if "multiple" in attrs else None
        elif tag == "option" and self._select:
            self._option(attrs.get("value") or "", "selected" in attrs)
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def _check(self, name, kind, value):
        """Checked boxes sharing a name (a multiple choice) are all sent."""
        chosen = self.fields.get(name)
        if kind == "checkbox" and chosen is not None:
            self.fields[name] = [*(chosen if isinstance(chosen, list) else [chosen]), value]
        else:
            self.fields[name] = value

    def _option(self, value, selected):
        chosen = self.fields[self._select]
        if isinstance(chosen, list):
            if selected:
                chosen.append(value)
        elif selected or chosen is None:
            self.fields[self._select] = value

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "form":
            self.inside = False
        elif tag == "template":
            self.in_template -= 1
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self.inside and self._textarea:
            text = self.fields[self._textarea]
            self.fields[self._textarea] = text + (data if text else data.removeprefix("\n"))


def rendered_form(response, action=None):
    """The fields of the page's form (see _FormReader) as a dict to post."""
    assert response.status_code == 200, response.status_code
    reader = _FormReader(action)
    reader.feed(response.content.decode())
    assert reader.found, f"no POST form with action {action!r} on the page"
    return {name: value for name, value in reader.fields.items() if value is not None}


def submit(http, url, *, action=None, **changes):
    """Open `url`, fill the form (action `action`, else the page's) with `changes` (None
    unticks or empties a field) and post it where the form posts."""
    fields = rendered_form(http.get(url), action)
    for name, value in changes.items():
        if value is None:
            fields.pop(name, None)
        else:
            fields[name] = str(value)
    return http.post(action or url, fields)


def fill_line(fields, index, **values):
    """Set line `index` of a form's `lines` formset (adding the row if needed)."""
    if index >= int(fields["lines-TOTAL_FORMS"]):
        fields["lines-TOTAL_FORMS"] = str(index + 1)
    for key, value in values.items():
        fields[f"lines-{index}-{key}"] = str(value)
    return fields


def messages_of(response):
    return [str(message) for message in response.context["messages"]]
