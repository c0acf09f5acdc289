"""Settings for the benchmark harness (`make bench`, bench/scaleout.sh); never for production.

Adds the bench app (its `bench` command) and a bench-only URL: a bare view doing one
INSERT, the yardstick intake throughput is compared with.
"""

from .local import *  # noqa: F403 - settings modules extend the base namespace
from .local import ALLOWED_HOSTS, INSTALLED_APPS, env

DEBUG = False
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOG_LEVEL = env("LOG_LEVEL", default="WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
# bench/scaleout.sh counts delivered mail: one file per message in EMAIL_FILE_PATH.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=None)
