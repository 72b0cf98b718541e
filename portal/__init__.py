"""The Prozessbegleitung portal project package (settings, users, programmes, reports)."""

from .celery import app as celery_app

__all__ = ("celery_app",)
