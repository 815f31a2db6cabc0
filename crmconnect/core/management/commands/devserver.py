"""`make run`: the development web server and a Celery worker with beat, started and
stopped together.

Each child runs in its own process group, so that a stop reaches everything it started (the
autoreloader's server process, the worker's pool and beat). Ctrl-C, SIGTERM or the exit of
either child forwards SIGINT to both groups, as a terminal would, and anything still running
after STOP_TIMEOUT seconds is killed."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

STOP_TIMEOUT = 10


class Command(BaseCommand):
    help = "Serve the site and run a Celery worker with beat; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        make_broker_folders()
        commands = {
            "web": [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "runserver",
                    addrport],
            "worker": [sys.executable, "-m", "celery", "-A", "crmconnect", "worker", "-B",
                       "--loglevel=info", "--concurrency=2"],
        }
        self.stdout.write(self.style.SUCCESS(
            f"CRMconnect on http://{addrport}/admin (Django admin: http://{addrport}/django-admin/)"
            " with a Celery worker and beat. Ctrl-C stops both."))
        stop_requests = []

        def request_stop(signum, frame):
            stop_requests.append(signum)

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        children = {}
        exited = []
        try:
            for name, command in commands.items():
                children[name] = spawn(command)
            while not stop_requests and not exited:
                time.sleep(0.5)
                exited = [name for name, child in children.items() if child.poll() is not None]
        finally:
            stop(children.values())
        if exited:
            raise CommandError(f"{exited[0]} exited with code {children[exited[0]].returncode}; "
                               "stopped the others.")


def make_broker_folders():
    """The filesystem broker reads folders that must exist (a no-op with Redis)."""
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if key in options:
            Path(options[key]).mkdir(parents=True, exist_ok=True)


def spawn(command):
    return subprocess.Popen(command, cwd=settings.BASE_DIR,  # noqa: S603 (fixed argv)
                            start_new_session=True)


def stop(children):
    children = list(children)
    for child in children:
        signal_group(child, signal.SIGINT)
    deadline = time.monotonic() + STOP_TIMEOUT
    for child in children:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
    for child in children:
        # Also reaches processes of the group that outlived their leader.
        signal_group(child, signal.SIGKILL)
        child.wait()


def signal_group(child, signum):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signum)
