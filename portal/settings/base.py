"""Project settings, read from environment variables in this one place.

With nothing set the portal runs embedded: SQLite under ``var/``, Celery tasks eager,
emails written to ``var/mail``. Production sets ``DATABASE_URL``, ``REDIS_URL``,
``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``EMAIL_URL`` (see README).
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
# Only the embedded default may run without a secret; production must set one.
_DEV_SECRET = "insecure-dev-only-key-do-not-use-in-production-7f3a9c"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    SECRET_KEY = _DEV_SECRET
    _SECRET_MISSING = True
else:
    _SECRET_MISSING = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Links in emails point here; without SITE_URL it follows the port `make run` serves (PORT).
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}").rstrip(
    "/"
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "health_check",
    "django_prometheus",
    "rules.apps.AutodiscoverRulesConfig",
    "portal",
    "vouchers",
    "sessions_log",
    "agreements",
    "appointments",
    "programme_work",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.i18n.ChosenLanguageMiddleware",  # German unless English was chosen
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "portal.middleware.RuleViolationMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# SQLite in IMMEDIATE mode with a busy timeout: concurrent writers queue instead of
# failing with "database is locked" (Django's default deferred mode raises at once).
_SQLITE_DEFAULT = f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"
DATABASES = {"default": env.db_url("DATABASE_URL", default=_SQLITE_DEFAULT)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "start"
# Argon2id first (OWASP's first choice, far cheaper per login than PBKDF2 at a million
# iterations for the same protection); existing PBKDF2 hashes still work and are rewritten as
# Argon2id at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- i18n -----------------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
# German formats in one place (dates 22.11.2026, decimal comma) — see portal/formats/de.
FORMAT_MODULE_PATH = ["portal.formats"]

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Media (agreements, signed scans) live outside the web root and are only ever served
# through views that check permissions; there is deliberately no MEDIA_URL route.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-public/"


def _media_storage() -> dict:
    """Media on the local disk (embedded default), or on S3-compatible object storage when
    ``MEDIA_STORAGE_URL`` (``s3://bucket/prefix?endpoint_url=…&region_name=…``) or
    ``AWS_STORAGE_BUCKET_NAME`` is set; credentials from the usual AWS_* variables. Downloads
    still go through the permission-checking views, which stream from the storage (no
    pre-signed URL ever leaves the portal)."""
    url = env.str("MEDIA_STORAGE_URL", default="")
    bucket = env.str("AWS_STORAGE_BUCKET_NAME", default="")
    if not url and not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    from urllib.parse import parse_qs, urlsplit

    options = {"default_acl": None, "file_overwrite": False, "querystring_auth": True}
    if url:
        parts = urlsplit(url)
        if parts.scheme != "s3":
            raise ValueError("MEDIA_STORAGE_URL must start with s3://")
        options["bucket_name"] = parts.netloc
        options["location"] = parts.path.strip("/")
        for key, values in parse_qs(parts.query).items():
            if key in ("endpoint_url", "region_name", "signature_version", "addressing_style"):
                options[key] = values[-1]
    else:
        options["bucket_name"] = bucket
        options["endpoint_url"] = env.str("AWS_S3_ENDPOINT_URL", default="") or None
        options["region_name"] = env.str("AWS_S3_REGION_NAME", default="") or None
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": _media_storage(),
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
MAX_SIGNED_UPLOAD_BYTES = env.int("MAX_SIGNED_UPLOAD_BYTES", default=10 * 1024 * 1024)

# --- Email ----------------------------------------------------------------------------
_email = env.email_url("EMAIL_URL", default="") if env.str("EMAIL_URL", default="") else {}
if _email:
    vars().update(_email)
else:
    EMAIL_BACKEND = env.str(
        "EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend"
    )
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Programmbüro Prozessbegleitung <programmbuero@example.org>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 15

# --- Celery ---------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Enqueueing must fail fast when the broker is down: the outbox catches it.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "requeue-pending-feedback": {
        "task": "vouchers.tasks.requeue_pending_feedback",
        "schedule": timedelta(minutes=5),
    },
    "send-feedback-reminders": {
        "task": "vouchers.tasks.send_feedback_reminders",
        "schedule": timedelta(hours=6),
    },
}

# --- Forms ----------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Filters offer "alle" as their empty choice, not Django's "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("alle")

# --- The portal's own name (header, footer, account emails) -----------------------------
# Everything operator-specific (legal name, address, contact persons, sender name) is data of
# the operator (``portal.Operator``), edited in the admin; only the site-wide name stays here.
SITE_NAME = env.str("SITE_NAME", default="Portal Prozessbegleitung")
PROGRAMME_OFFICE = {
    "name": SITE_NAME,
    "organisation": "",
    "email": env.str("SITE_CONTACT_EMAIL", default="programmbuero@example.org"),
    "phone": "",
    "contacts": [],
}

# --- Security -------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind TLS by default when the site is served over https and not in DEBUG.
USE_HTTPS = env.bool(
    "USE_HTTPS",
    default=(not DEBUG and env.str("SITE_URL", default="").startswith("https://")),
)
if USE_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Logging (no personal data: ids and event names only) -----------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every rendering step at INFO; only its warnings matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Programme defaults ---------------------------------------------------------------
FEEDBACK_TOKEN_MAX_AGE_DAYS = env.int("FEEDBACK_TOKEN_MAX_AGE_DAYS", default=60)
PAGINATE_BY = 25

# --- Reports, exports and data protection (issue 7) -----------------------------------
# Closed cases keep their statistical core; contact data is anonymised this many days
# after closing by the periodic task ``reports.tasks.apply_retention``.
RETENTION_DAYS_AFTER_CLOSE = env.int("RETENTION_DAYS_AFTER_CLOSE", default=730)
# Case files with an accepted proof of use are kept this many years after its acceptance
# (ANBest-P: Aufbewahrung fünf Jahre nach Vorlage des Verwendungsnachweises) before the
# retention job anonymises them, whatever RETENTION_DAYS_AFTER_CLOSE says.
PROOF_OF_USE_RETENTION_YEARS = env.int("PROOF_OF_USE_RETENTION_YEARS", default=5)
# Exports with more rows than this run as a Celery task (progress page + download link).
REPORTS_EXPORT_ASYNC_THRESHOLD = env.int("REPORTS_EXPORT_ASYNC_THRESHOLD", default=50_000)
# Finished export files are deleted after this many days.
REPORTS_EXPORT_KEEP_DAYS = env.int("REPORTS_EXPORT_KEEP_DAYS", default=7)
CELERY_IMPORTS = (*globals().get("CELERY_IMPORTS", ()), "reports.tasks")
CELERY_BEAT_SCHEDULE["reports-apply-retention"] = {
    "task": "reports.tasks.apply_retention",
    "schedule": timedelta(days=1),
}
CELERY_BEAT_SCHEDULE["reports-delete-expired-exports"] = {
    "task": "reports.tasks.delete_expired_exports",
    "schedule": timedelta(hours=1),
}
# Two-sided hours (rule 10): deemed confirmation and the daily digest (one a day at most per
# organisation, whatever the schedule: the digest row is unique per organisation and day).
# Offers of freed places (rule 11): expired offers pass their place to the next in rank.
CELERY_BEAT_SCHEDULE["vouchers-expire-offers"] = {
    "task": "vouchers.tasks.expire_offers",
    "schedule": timedelta(minutes=15),
}
CELERY_BEAT_SCHEDULE["sessions-auto-confirm-entries"] = {
    "task": "sessions_log.tasks.auto_confirm_entries",
    "schedule": timedelta(hours=1),
}
CELERY_BEAT_SCHEDULE["sessions-send-confirmation-digests"] = {
    "task": "sessions_log.tasks.send_confirmation_digests",
    "schedule": timedelta(hours=3),
}

# --- Security hardening (issue 8; see SECURITY.md) -------------------------------------
# Middleware, callables and templates live in ``portal/security/``. Timeouts are seconds.
INSTALLED_APPS += [
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "portal.security",
]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "portal.security.middleware.SessionSecurityMiddleware",
)
# Second factor (TOTP) for office staff (optional) and admins (required); see SECURITY.md.
MIDDLEWARE.insert(
    MIDDLEWARE.index("portal.security.middleware.SessionSecurityMiddleware") + 1,
    "portal.security.two_factor.TwoFactorMiddleware",
)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Prozessbegleitung-Portal")
MIDDLEWARE += [
    "portal.security.middleware.NoStoreMiddleware",  # private, no-store on personal data
    "portal.security.middleware.SecurityEventMiddleware",  # 503 on database errors, logs 403/404
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    "axes.middleware.AxesMiddleware",  # must stay last (django-axes)
]
# Prometheus metrics at /metrics: with "Authorization: Bearer <METRICS_TOKEN>" or from one of
# METRICS_ALLOWED_IPS (e.g. the monitoring host); 404 for everyone else.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[])
PROMETHEUS_EXPORT_MIGRATIONS = False
# django-axes must be the first backend: it refuses locked-out logins before any other runs.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", *AUTHENTICATION_BACKENDS]

# Content Security Policy (django-csp 4): no inline scripts or styles, nothing third-party.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Behind a reverse proxy set TRUSTED_PROXY_COUNT to the number of proxies that append to
# X-Forwarded-For; the client address is then the entry that many hops from the right.
# 0 (default): X-Forwarded-For is ignored and REMOTE_ADDR is the client (cannot be spoofed).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# django-axes: lock out the combination of account and IP address. Five wrong passwords
# are answered normally; the sixth attempt (axes locks on the attempt that reaches the
# limit) gets a German 429 page, also with the right password, until the cool-off ends.
# Another IP address can still log in to the same account.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=6)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # the login form's field (it holds the email address)
AXES_USERNAME_CALLABLE = "portal.security.axes.username_from_request"
AXES_CLIENT_IP_CALLABLE = "portal.security.axes.client_ip"
AXES_LOCKOUT_CALLABLE = "portal.security.axes.lockout_response"
AXES_CLIENT_STR_CALLABLE = "portal.security.axes.client_str"  # pseudonymous in logs
AXES_DISABLE_ACCESS_LOG = True  # no table of every successful login (data minimisation)
AXES_HTTP_RESPONSE_CODE = 429

# Sessions: logged out after SESSION_IDLE_TIMEOUT without a request, and in any case
# SESSION_ABSOLUTE_TIMEOUT after the login (portal.security.middleware).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=10 * 60 * 60)

# Password reset requests per hour, per email address and per client IP (no enumeration:
# the limit applies whether or not the address has an account).
PASSWORD_RESET_LIMIT_PER_EMAIL = env.int("PASSWORD_RESET_LIMIT_PER_EMAIL", default=5)
PASSWORD_RESET_LIMIT_PER_IP = env.int("PASSWORD_RESET_LIMIT_PER_IP", default=20)
PASSWORD_RESET_WINDOW = 60 * 60
# Registrations (each creates a user, an organisation and an office email) per client
# address and per email domain, and failed logins per client address across all accounts
# (django-axes counts per account and address; this stops one address trying many accounts
# without locking the accounts themselves).
REGISTRATION_LIMIT_PER_IP = env.int("REGISTRATION_LIMIT_PER_IP", default=5)
REGISTRATION_LIMIT_PER_DOMAIN = env.int("REGISTRATION_LIMIT_PER_DOMAIN", default=10)
REGISTRATION_WINDOW = 60 * 60
LOGIN_FAILURE_LIMIT_PER_IP = env.int("LOGIN_FAILURE_LIMIT_PER_IP", default=20)
LOGIN_FAILURE_WINDOW = 60 * 60


# Counters of the rate limits live in the cache, which must be shared by every web process:
# Redis whenever REDIS_URL is set (the same server as the broker, its own database number
# CACHE_REDIS_DB, default 2), or whatever CACHE_URL names; process memory only in the
# embedded default (one process).
def _default_cache_url() -> str:
    redis_url = env.str("REDIS_URL", default="")
    if not redis_url:
        return "locmemcache://"
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(redis_url)
    return urlunsplit(parts._replace(path=f"/{env.int('CACHE_REDIS_DB', default=2)}"))


CACHES = {"default": env.cache_url("CACHE_URL", default=_default_cache_url())}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    CACHES["default"]["BACKEND"] = "django.core.cache.backends.redis.RedisCache"
    CACHES["default"].setdefault("KEY_PREFIX", "portal")

# A worker that dies mid-task leaves its message unacknowledged (acks_late); Redis hands it
# to another worker after this many seconds. Must exceed the longest task's time limit
# (the report export's hour).
CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = env.int(
    "CELERY_VISIBILITY_TIMEOUT", default=2 * 60 * 60
)

LOGGING["loggers"]["portal.security"] = {"level": "INFO"}
LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # its INFO lines repeat our own events

# --- Sparring calendar (issue 18): reminders 24 hours before, exactly once each ---------
CELERY_BEAT_SCHEDULE["appointments-send-reminders"] = {
    "task": "appointments.tasks.send_reminders",
    "schedule": timedelta(minutes=15),
}
