"""Settings for the test suite: fast hashing, mail kept in memory."""

from .local import *  # noqa: F403 - settings modules extend the base namespace

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LANGUAGE_CODE = "en"
