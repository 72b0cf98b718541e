"""docker-compose.yml, checked by parsing (no Docker engine runs here)."""

import re
from pathlib import Path

import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parents[2]
SERVICES = {"postgres", "redis", "web", "worker", "beat"}
# env.str("X", …), env.bool("X"), environ.Env().str("X") …
ENV_READ = re.compile(r"""(?:\benv|Env\(\))\.\w+\(\s*["']([A-Z0-9_]+)["']""")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text(encoding="utf-8"))


def _settings_env_names() -> set[str]:
    """Every environment variable the settings read (env.str("X"), env.bool("X") …)."""
    names = set()
    for path in (BASE_DIR / "portal" / "settings").glob("*.py"):
        names |= set(re.findall(ENV_READ, path.read_text()))
    return names


def test_the_five_services(compose):
    """Five services always; optional ones only behind a profile (the S3 store)."""
    always = {n for n, s in compose["services"].items() if not s.get("profiles")}
    assert always == SERVICES
    assert compose["services"]["minio"]["profiles"] == ["s3"]


def test_readiness_shared_cache_and_object_storage_are_configured(compose):
    """Issue 21: web's healthcheck asks /readyz; the rate limits share Redis; media may go
    to object storage; metrics are behind a token."""
    services = compose["services"]
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["CACHE_URL"].startswith("redis://redis:6379/")
        assert env["CACHE_URL"] != env["REDIS_URL"]  # its own database number
        assert "MEDIA_STORAGE_URL" in env
        assert "METRICS_TOKEN" in env


def test_each_service_has_a_healthcheck(compose):
    for name, service in compose["services"].items():
        check = service.get("healthcheck")
        assert check, name
        assert check["test"], name
        assert check["test"][0] in ("CMD", "CMD-SHELL"), name
        assert check.get("interval"), name


def test_app_services_wait_for_healthy_dependencies(compose):
    services = compose["services"]
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert isinstance(depends, dict), name
        assert "redis" in depends, name
        for dep in depends.values():
            assert dep["condition"] == "service_healthy", name
    assert set(services["web"]["depends_on"]) == {"postgres", "redis"}
    # Worker and beat start after web has migrated the database.
    assert services["worker"]["depends_on"]["web"]["condition"] == "service_healthy"
    assert services["beat"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_commands_run_gunicorn_celery_worker_and_beat(compose):
    services = compose["services"]
    web = " ".join(services["web"]["command"])
    assert "migrate" in web
    assert "collectstatic" in web
    assert "gunicorn portal.wsgi" in web
    assert services["worker"]["command"][:4] == ["celery", "-A", "portal", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "portal", "beat"]
    for name in ("web", "worker", "beat"):
        assert services[name]["build"] == "."


def test_environment_is_what_the_settings_read(compose):
    # The S3 credentials are read by boto3 itself (django-storages), not by the settings.
    read = _settings_env_names() | {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_URL"} <= read
    for name in ("web", "worker", "beat"):
        env = compose["services"][name]["environment"]
        assert set(env) <= read, set(env) - read
        assert env["DATABASE_URL"].startswith("postgres://")
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:6379")
        assert env["DEBUG"] == "false"
        for required in ("SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "EMAIL_URL", "USE_HTTPS"):
            assert required in env
        # No default secret: compose refuses to start without one.
        assert ":?" in env["SECRET_KEY"]


def test_named_volumes_for_database_and_media(compose):
    volumes = compose["volumes"]
    assert {"pgdata", "media"} <= set(volumes)
    services = compose["services"]
    assert "pgdata:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    media_root = services["web"]["environment"]["MEDIA_ROOT"]
    for name in ("web", "worker"):
        assert f"media:{media_root}" in services[name]["volumes"]


def test_dockerfile_has_weasyprint_libraries():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert dockerfile.startswith("#") or "FROM python:3.11-slim" in dockerfile
    assert "FROM python:3.11-slim" in dockerfile
    for package in (
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "libharfbuzz-subset0",
        "fonts-dejavu-core",
    ):
        assert package in dockerfile
    assert "requirements.lock" in dockerfile
