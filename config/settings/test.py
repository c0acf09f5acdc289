"""Settings for the test suite: fast hashing, mail kept in memory."""

import tempfile

from .local import *  # noqa: F403 - settings modules extend the base namespace

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LANGUAGE_CODE = "en"
# Uploaded files go to a throwaway folder, never to var/media/.
STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tempfile.mkdtemp(prefix="clear-desk-test-media-")},
    },
}
