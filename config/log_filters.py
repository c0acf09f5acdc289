"""Logging filters used by settings.LOGGING."""

import logging


class ClientErrorsInOneLine(logging.Filter):
    """Drop the traceback of a record about a 4xx answer, keeping its one line.

    Django logs a PermissionDenied (403) or a disallowed Host (400) with the exception
    attached; the request was refused on purpose, so the stack says nothing useful. 5xx
    records keep their traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
