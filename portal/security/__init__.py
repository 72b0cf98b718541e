"""Security hardening (issue 8): session timeouts, deactivated-user logout, rate limits,
django-axes callables, a 503 page on database errors, and auth-event logging without
personal data. See ``SECURITY.md``."""
