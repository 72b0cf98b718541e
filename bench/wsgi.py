"""WSGI entry point for the throughput benchmark: the portal with ``bench.urls``
(so the hello-world baseline runs in the same server). Used only by ``bench/run.py``."""

import os

import django
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup(set_prefix=False)
settings.ROOT_URLCONF = "bench.urls"

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
