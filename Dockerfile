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

RUN useradd --system --home /app ninefold \
    && mkdir -p /app/staticfiles /app/var \
    && chown -R ninefold /app/staticfiles /app/var
USER ninefold
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]

# On every start: apply migrations, collect the static files (hashed and compressed), serve.
CMD ["sh", "-c", "python manage.py migrate --no-input && python manage.py createcachetable && python manage.py collectstatic --no-input && exec gunicorn -c gunicorn.conf.py ninefold.wsgi"]
