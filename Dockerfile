# The same install the README's `make demo` does, without the development extras.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# WeasyPrint needs Pango; fonts for the PDF ship with the app.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
RUN pip install --no-cache-dir -c constraints.txt .
COPY . .
RUN DEBUG=true python manage.py collectstatic --no-input

RUN useradd --system --home /app ninefold && chown -R ninefold /app
USER ninefold
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --no-input && gunicorn ninefold.wsgi --bind 0.0.0.0:8000 --workers 2 --access-logfile -"]
