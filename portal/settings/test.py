"""Settings for pytest: fast hasher, locmem email, eager Celery unless a test says otherwise.

DATABASE_URL and REDIS_URL still come from the environment, so the same suite runs on
SQLite (default) and on PostgreSQL/Redis in CI.
"""

import os

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = VAR_DIR / "test-media" / str(os.getpid())
SITE_URL = "http://testserver"
DEBUG = False

# A file-based SQLite test database (not :memory:) so that threads and a Celery worker
# subprocess see the same data as the test.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}

# Each test starts with an empty cache (rate-limit counters); the tests of the shared cache
# configure a Redis cache of their own.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
