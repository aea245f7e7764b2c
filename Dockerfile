# syntax=docker/dockerfile:1
# Build: the project and its runtime dependencies only, in a venv that is copied whole.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY pyproject.toml README.md ./
COPY app ./app
RUN pip install .

# Run: no compilers, no test tools, no source tree; an unprivileged user.
FROM python:3.11-slim
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin app \
    && install -d -o app -m 0700 /var/lib/vot/documents  # the local document store (a volume)
COPY --from=build /opt/venv /opt/venv
WORKDIR /srv
COPY alembic.ini ./
COPY migrations ./migrations
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    APP_ENV=production \
    WEB_CONCURRENCY=4
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health/ready', timeout=4)"]
# WEB_CONCURRENCY worker processes share one database; behind the reverse proxy
# (deploy/nginx.conf), set APP_TRUSTED_PROXIES to its address so audit events record the real
# client address (no forwarded header is believed otherwise).
CMD ["python", "-m", "app", "serve", "--host", "0.0.0.0", "--port", "8000"]
