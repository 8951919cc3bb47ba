# Ninefold's image: the same install as the README's `make demo`, without the development
# extras, served by gunicorn. docker-compose.yml runs it as `web` and as `worker`.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STATIC_ROOT=/app/staticfiles
# WeasyPrint needs Pango; fonts for the PDF ship with the app.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
RUN pip install --no-cache-dir -c constraints.txt .
COPY . .

# Static files are collected (hashed, gzip and Brotli) once, when the image is built, not on
# every start: Brotli on plotly.js alone takes tens of seconds. The key exists only for this
# command; the running app takes its own SECRET_KEY from the environment.
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    DEBUG=false ALLOWED_HOSTS=build.invalid STATIC_MANIFEST=true \
    python manage.py collectstatic --no-input --verbosity 0

RUN useradd --system --home /app ninefold \
    && mkdir -p /app/var \
    && chown -R ninefold /app/var
USER ninefold
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]

# Starting serves at once. Migrations are a release step, run once before web and worker
# start (the `migrate` service in docker-compose.yml), so several web containers never race
# to migrate.
CMD ["gunicorn", "-c", "gunicorn.conf.py", "ninefold.wsgi"]
