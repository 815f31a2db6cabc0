"""`make run` ends in `manage.py devserver`: the web server and the Celery worker with beat
start together and a Ctrl-C leaves no process behind."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def processes_with(marker):
    """Pids of the processes whose environment holds `marker` (e.g. b"CRM_VAR_DIR=/tmp/x")."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                environ = (entry / "environ").read_bytes()
            except OSError:
                continue
            if marker in environ.split(b"\0"):
                pids.append(int(entry.name))
    return pids


def wait_until(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def answers(url):
    try:
        with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (a local http URL)
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def test_ctrl_c_stops_the_server_and_the_worker(tmp_path):
    port = free_port()
    log = tmp_path / "devserver.log"
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(CRM_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="crmconnect.settings.local",
               PYTHONUNBUFFERED="1")
    marker = f"CRM_VAR_DIR={tmp_path}".encode()
    with log.open("w") as output:
        devserver = subprocess.Popen(  # noqa: S603 (this interpreter, fixed arguments)
            [sys.executable, str(settings.BASE_DIR / "manage.py"), "devserver",
             f"127.0.0.1:{port}"],
            env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        assert wait_until(lambda: answers(f"http://127.0.0.1:{port}/accounts/login/")), \
            log.read_text()
        assert wait_until(lambda: "ready." in log.read_text()), log.read_text()
        started = processes_with(marker)
        assert len(started) >= 4, started  # devserver, reloader + server, worker (+ pool, beat)

        devserver.send_signal(signal.SIGINT)
        assert devserver.wait(timeout=30) == 0, log.read_text()
        assert wait_until(lambda: not processes_with(marker), timeout=5), processes_with(marker)
        assert not answers(f"http://127.0.0.1:{port}/accounts/login/")
        assert "Warm shutdown" in log.read_text()
    finally:
        for pid in processes_with(marker):
            os.kill(pid, signal.SIGKILL)
