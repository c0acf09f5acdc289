#!/bin/sh
# The scale-out shape on one machine: gunicorn x2, two Celery workers, two beats, Redis,
# PostgreSQL. Usage: bench/scaleout.sh [--seconds 300] [--rate 10] [--background 20000]
# Needs DATABASE_URL (a PostgreSQL database it may reset) and REDIS_URL (a database it may flush).
set -eu
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to a bench PostgreSQL database}"
: "${REDIS_URL:?set REDIS_URL, e.g. redis://127.0.0.1:6379/7}"
export DJANGO_SETTINGS_MODULE=config.settings.bench
.venv/bin/python manage.py migrate --noinput >/dev/null
exec .venv/bin/python -c '
import sys
import django
django.setup()
from bench import scaleout
sys.exit(0 if scaleout.main(sys.argv[1:]) else 1)
' "$@"
