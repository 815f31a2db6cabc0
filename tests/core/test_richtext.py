"""The allowlist sanitizer for rich text shown to clients and printed into PDFs."""

import pytest

from crmconnect.core.richtext import clean_html


@pytest.mark.parametrize(("dirty", "clean"), [
    ("", ""),
    (None, ""),
    ("1 < 2 & 3 > 2", "1 &lt; 2 &amp; 3 &gt; 2"),
    ("<p>Hello <b>world</b></p>", "<p>Hello <b>world</b></p>"),
    ('<p class="x" style="color:red" onclick="steal()">Hi</p>', "<p>Hi</p>"),
    ("<script>alert(1)</script>After", "After"),
    ("<style>body{display:none}</style>Text", "Text"),
    ("<svg><script>alert(1)</script></svg>ok", "ok"),
    ('<iframe src="https://evil.example"></iframe>x', "x"),
    ('<img src="file:///etc/passwd" onerror="alert(1)">x', "x"),
    ('<a href="javascript:alert(1)">click</a>', "click"),
    ('<a href=" JaVaScRiPt:alert(1)">click</a>', "click"),
    ('<a href="data:text/html,x">click</a>', "click"),
    ('<a href="https://example.com/?a=1&b=2" target="_top">site</a>',
     '<a href="https://example.com/?a=1&amp;b=2" rel="noopener noreferrer">site</a>'),
    ('<a href="mailto:ana@example.com">mail</a>',
     '<a href="mailto:ana@example.com" rel="noopener noreferrer">mail</a>'),
    ("<ul><li>one<li>two</ul>", "<ul><li>one</li><li>two</li></ul>"),
    ("<p>open <b>bold", "<p>open <b>bold</b></p>"),
    ("</p>stray</b>", "stray"),
    ("line<br>break<hr/>", "line<br>break<hr>"),
    ("<table><tr><td>a<td>b</table>", "<table><tr><td>a</td><td>b</td></tr></table>"),
    ("<unknown>kept text</unknown>", "kept text"),
    ("&lt;script&gt;", "&lt;script&gt;"),
    ('<p title="&quot;><script>x</script>">t</p>', "<p>t</p>"),
    ("<!-- <script>alert(1)</script> -->visible", "visible"),
])
def test_clean_html(dirty, clean):
    assert clean_html(dirty) == clean


def test_cleaning_twice_changes_nothing():
    once = clean_html('<h2>Offer</h2><p>A <a href="https://x.example">link</a> &amp; '
                      "<em>more</em></p><ol><li>1</li></ol><blockquote>q</blockquote>")
    assert clean_html(once) == once
