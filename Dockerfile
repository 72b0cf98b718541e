# Production image: gunicorn web, Celery worker and beat all run from it (docker-compose.yml).
FROM python:3.11-slim

# WeasyPrint needs Pango/HarfBuzz (libharfbuzz-subset0: without it WeasyPrint warns) and a font.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PORTAL_VAR_DIR=/app/var \
    MEDIA_ROOT=/data/media

WORKDIR /app
# Dependencies first (cached layer), pinned by the same lock file CI tests with.
COPY pyproject.toml requirements.lock ./
RUN pip install -c requirements.lock .
COPY . .
RUN python manage.py compilemessages --ignore=.venv -v 0 \
 && useradd --system --uid 1000 --home-dir /app portal \
 && mkdir -p /app/var /data/media \
 && chown -R portal:portal /app/var /data/media

USER portal
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
