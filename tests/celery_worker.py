"""Real ``celery worker`` subprocesses for the tests marked ``redis``.

A worker runs ``portal.settings`` (not eager) against this test's database, consumes only
its test's own queue (so stale messages of other runs on the same Redis database are never
consumed) and writes its emails as files the test reads. The test process publishes for
real to the broker inside ``publishing_to``. Stopping drops the queue's Redis keys, so
repeated runs leave nothing behind."""

from __future__ import annotations

import email
import email.policy
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection
from kombu import pools

from portal.celery import app as celery_app

SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # Django's file email backend between messages
WAIT_SECONDS = 90


def database_url() -> str:
    """``DATABASE_URL`` of the database this test uses (the test database)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return "sqlite:///" + str(Path(db["NAME"]).resolve())
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = f"{auth}@" if auth else ""
    return f"postgres://{host}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def celery_binary() -> str:
    here = Path(sys.executable).with_name("celery")
    return str(here if here.exists() else Path(settings.BASE_DIR) / ".venv" / "bin" / "celery")


def new_queue(prefix: str) -> str:
    """A fresh queue name: ``prefix`` and a random suffix."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def drop_queue(redis_url: str, queue: str) -> None:
    """Delete ``queue`` and its bindings from Redis."""
    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"*{queue}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def _reset_publisher() -> None:
    """Forget pooled broker connections and cached routes (after changing the config)."""
    pools.reset()
    celery_app._pool = None
    amqp = celery_app.amqp
    amqp._producer_pool = None
    amqp._rtable = None
    amqp.__dict__.pop("router", None)


@contextmanager
def publishing_to(broker_url: str, queue: str, tasks: str) -> Iterator[None]:
    """This test process publishes for real (not eager) to ``broker_url``; the tasks whose
    names match ``tasks`` (a glob such as ``"vouchers.tasks.*"``) go to ``queue``."""
    conf = celery_app.conf
    saved = {k: conf[k] for k in ("broker_url", "task_always_eager", "task_routes")}
    conf.update(
        broker_url=broker_url,
        task_always_eager=False,
        task_routes={tasks: {"queue": queue}},
    )
    _reset_publisher()
    try:
        yield
    finally:
        conf.update(saved)
        _reset_publisher()


class Worker:
    """One ``celery worker`` subprocess (solo pool) on ``queue``, logging to ``log`` and
    writing emails into ``mail_dir``. ``media_root`` becomes its MEDIA_ROOT; ``env_extra``
    are further environment variables (e.g. ``CELERY_VISIBILITY_TIMEOUT``)."""

    def __init__(
        self,
        redis_url: str,
        queue: str,
        tmp_path: Path,
        name: str,
        *,
        media_root: Path | None = None,
        **env_extra: str,
    ):
        self.mail_dir = tmp_path / f"mail-{name}"
        self.mail_dir.mkdir()
        self.log = tmp_path / f"worker-{name}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "REDIS_URL": redis_url,
            "DATABASE_URL": database_url(),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "SITE_URL": "http://testserver",
            "PYTHONPATH": str(settings.BASE_DIR),
            **({"MEDIA_ROOT": str(media_root)} if media_root is not None else {}),
            **env_extra,
        }
        env.pop("EMAIL_URL", None)
        env.pop("CELERY_BROKER_URL", None)
        self._terminating = False
        self._log_file = self.log.open("wb")
        self.process = subprocess.Popen(
            [
                celery_binary(),
                "-A",
                "portal",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-Q",
                queue,
                "-n",
                f"{queue}-{name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )

    def messages(self) -> list[bytes]:
        """The emails written so far, raw, in file order."""
        found = []
        for path in sorted(self.mail_dir.glob("*.log")):
            found += [chunk for chunk in path.read_bytes().split(SEPARATOR) if chunk.strip()]
        return found

    def kill(self) -> None:
        self.process.kill()  # SIGKILL: no warm shutdown, no acknowledgement
        self.process.wait(timeout=10)

    def terminate(self) -> None:
        """Ask once for a warm shutdown (the current task is finished first)."""
        if not self._terminating and self.process.poll() is None:
            self.process.terminate()
            self._terminating = True

    def stop(self, timeout: float = 30) -> None:
        """Warm shutdown; killed if it takes longer than ``timeout`` seconds."""
        self.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self._log_file.close()

    def tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:]


class Workers:
    """``count`` workers sharing one fresh queue named ``prefix-…``; each writes its emails
    to its own directory. ``stop`` stops them all and drops the queue."""

    def __init__(
        self, redis_url: str, tmp_path: Path, prefix: str, count: int = 1, **worker_options
    ):
        self.redis_url = redis_url
        self.queue = new_queue(prefix)
        self.workers: list[Worker] = []
        try:
            for index in range(count):
                self.workers.append(
                    Worker(redis_url, self.queue, tmp_path, str(index), **worker_options)
                )
        except BaseException:
            self.stop()
            raise

    @property
    def processes(self) -> list[subprocess.Popen]:
        return [worker.process for worker in self.workers]

    @property
    def logs(self) -> list[Path]:
        return [worker.log for worker in self.workers]

    def log_tail(self) -> str:
        return "\n".join(f"--- {worker.log.name}\n{worker.tail()}" for worker in self.workers)

    def stop(self) -> None:
        for worker in self.workers:
            worker.terminate()  # all at once: each finishes its current task
        for worker in self.workers:
            worker.stop()
        drop_queue(self.redis_url, self.queue)

    def messages(self) -> list[email.message.EmailMessage]:
        """Every worker's emails so far, parsed."""
        return [
            email.message_from_bytes(chunk, policy=email.policy.default)
            for worker in self.workers
            for chunk in worker.messages()
        ]

    def wait_until_idle(self, timeout: float = WAIT_SECONDS) -> None:
        """Until the queue is empty and no message is unacknowledged (``acks_late``: a task
        is acknowledged only when it has finished)."""
        client = redis.Redis.from_url(self.redis_url)
        deadline, quiet = time.monotonic() + timeout, 0
        try:
            while quiet < 3:
                assert time.monotonic() < deadline, self.log_tail()
                busy = client.llen(self.queue) or client.hlen("unacked")
                quiet = 0 if busy else quiet + 1
                time.sleep(0.2)
        finally:
            client.close()

    def wait_for_messages(self, count: int, timeout: float = WAIT_SECONDS) -> list:
        """Until the workers have written ``count`` emails; fails if a worker exits."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(process.poll() is not None for process in self.processes):
                pytest.fail(f"a worker exited early:\n{self.log_tail()}")
            messages = self.messages()
            if len(messages) >= count:
                return messages
            time.sleep(0.25)
        pytest.fail(
            f"{len(self.messages())} of {count} emails after {timeout}s; worker logs:\n"
            + self.log_tail()
        )


@contextmanager
def running_workers(
    redis_url: str, tmp_path: Path, prefix: str, count: int = 1, **worker_options
) -> Iterator[Workers]:
    """``Workers`` for the duration of the block (for a fixture: ``with … as w: yield w``)."""
    workers = Workers(redis_url, tmp_path, prefix, count, **worker_options)
    try:
        yield workers
    finally:
        workers.stop()
