# syntax=docker/dockerfile:1
# One image for the web server, the Celery worker and Celery beat; docker-compose.yml picks the command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MDMHUB_VAR_DIR=/app/var

WORKDIR /app

# Dependencies get their own layer, so changing the code does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
RUN pip install . \
    && python manage.py collectstatic --noinput \
    && useradd --system --uid 10001 --no-create-home --home-dir /app mdmhub \
    && mkdir -p /app/var \
    && chown mdmhub /app/var

# Celery refuses to be comfortable as root, and nothing here needs it.
USER mdmhub
EXPOSE 8000

CMD ["sh", "-c", "python manage.py migrate --noinput && exec gunicorn mdmhub.wsgi -b 0.0.0.0:8000 --workers 3 --access-logfile -"]
