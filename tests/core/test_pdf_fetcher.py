"""The PDF renderer's URL fetcher: the project's static files and data: images, nothing
else — no local files, no network hosts (the SSRF class of CVE-2025-0474)."""

import base64
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from crmconnect.core.pdf import RefusedURL, StaticOnlyFetcher, render_pdf

PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")).decode()


@contextmanager
def probe_server():
    """An HTTP server on 127.0.0.1 recording every request it gets (`.requests`)."""
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server API)
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(base64.b64decode(PNG))

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url, server.requests = f"http://127.0.0.1:{server.server_port}", requests
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def http_probe():
    with probe_server() as server:
        yield server


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "FILE:///etc/passwd", "http://127.0.0.1:8000/admin",
    "https://169.254.169.254/latest/meta-data/", "//127.0.0.1/x", "ftp://example.com/a.png",
    "crmconnect-static:/../../etc/passwd", "crmconnect-static:/static/../../../etc/passwd",
    "crmconnect-static:/no/such/file.css", "data:text/html;base64,PHNjcmlwdD4=",
])
def test_everything_but_static_files_and_data_images_is_refused(url):
    with pytest.raises(RefusedURL):
        StaticOnlyFetcher().fetch(url)


def test_static_files_and_data_images_are_served():
    static = StaticOnlyFetcher().fetch("crmconnect-static:/static/favicon.svg")
    assert b"<svg" in static.read()
    assert static.headers["Content-Type"] == "image/svg+xml"
    assert StaticOnlyFetcher().fetch(f"data:image/png;base64,{PNG}").read().startswith(
        b"\x89PNG")


def test_rendering_a_document_with_local_urls_fetches_none_of_them(settings, tmp_path,
                                                                   http_probe):
    """Raw HTML straight to the renderer: images, stylesheets, fonts and backgrounds that
    point at a local server or a local file are skipped; the static file still loads."""
    (tmp_path / "probe.html").write_text(
        "<html><head>"
        f'<link rel="stylesheet" href="{http_probe.url}/style.css">'
        f"<style>@font-face {{ font-family: x; src: url({http_probe.url}/font.woff); }}"
        f"body {{ background: url({http_probe.url}/bg.png); font-family: x; }}</style>"
        "</head><body>"
        f'<img src="{http_probe.url}/img.png"><img src="file:///etc/passwd">'
        '<img src="/static/favicon.svg"><img src="data:image/png;base64,' + PNG + '">'
        "<p>Probe</p></body></html>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0],
                           "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    data = render_pdf("probe.html", {})
    assert data.startswith(b"%PDF-")
    assert http_probe.requests == []
