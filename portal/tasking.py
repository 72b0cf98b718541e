"""How a service enqueues a Celery task without importing the task module.

Task modules import their services (ids in, the service does the work); services never import
task modules, not even inside a function, so there is no import circle. A service that must
enqueue names the task by its dotted path and schedules it with ``transaction.on_commit``::

    transaction.on_commit(lambda: task("vouchers.tasks.send_feedback_request").delay(pk))
"""

from __future__ import annotations

import importlib


def task(dotted_name: str):
    """The Celery task object registered under ``dotted_name`` ("app.tasks.function")."""
    module_name, _, attribute = dotted_name.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute)
