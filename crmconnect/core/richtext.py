"""Rich text typed by staff (a proposal's cover letter, a contract's content) kept to a small
set of formatting tags. Everything else is dropped or escaped: no scripts, no styles, no
images, no links other than http(s) and mailto — the text is shown to clients and rendered
into PDFs, so it must not be able to run code or make the renderer fetch anything."""

from html import escape
from html.parser import HTMLParser

ALLOWED_TAGS = {"p", "br", "b", "strong", "i", "em", "u", "s", "ul", "ol", "li", "h2", "h3",
                "h4", "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td", "hr"}
VOID_TAGS = {"br", "hr"}
SELF_CLOSING = {"p", "li", "tr", "td", "th"}
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "svg",
                        "math", "noscript", "textarea", "select", "title", "head"}
LINK_SCHEMES = ("http://", "https://", "mailto:")


class _Cleaner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.open = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in DROPPED_WITH_CONTENT:
            self.skipping += 1
            return
        if self.skipping or tag not in ALLOWED_TAGS:
            return
        if tag in SELF_CLOSING and self.open and self.open[-1] == tag:
            self.handle_endtag(tag)  # "<li>a<li>b": the second item closes the first
        if tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            if not href.lower().startswith(LINK_SCHEMES):
                return
            self.out.append(f'<a href="{escape(href)}" rel="noopener noreferrer">')
        else:
            self.out.append(f"<{tag}>")
        if tag not in VOID_TAGS:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS and self.open and self.open[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in DROPPED_WITH_CONTENT:
            self.skipping = max(0, self.skipping - 1)
            return
        if self.skipping or tag not in self.open:
            return
        while self.open:
            closing = self.open.pop()
            self.out.append(f"</{closing}>")
            if closing == tag:
                break

    def handle_data(self, data):
        if not self.skipping:
            self.out.append(escape(data, quote=False))

    def result(self):
        self.close()
        return "".join(self.out) + "".join(f"</{tag}>" for tag in reversed(self.open))


def clean_html(value):
    """`value` with only the allowed formatting kept; plain text comes back escaped."""
    if not value:
        return ""
    cleaner = _Cleaner()
    cleaner.feed(value)
    return cleaner.result().strip()
