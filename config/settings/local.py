"""Settings for `make run` on one machine."""

from .base import *  # noqa: F403 - settings modules extend the base namespace
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-development-key-not-for-production")
STORAGES = {
    **STORAGES,  # noqa: F405 - uploads as base decides (var/media/ or S3)
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# SQLite (the embedded default) ignores the INCLUDE columns of the covering indexes that
# PostgreSQL uses; saying so on every command only buries what a newcomer should read.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
# Serve static files straight from the app folders while developing.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
