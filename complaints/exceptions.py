"""The desk's own errors, raised by every area and turned into answers by the HTTP layers.

- Conflict: the complaint (or request, action, report) is not in a state that allows
  this now; the API answers 409, the pages show the message.
- Django's ValidationError (400, with a message per field) and PermissionDenied (403)
  are used as they are.
"""


class Conflict(Exception):
    """Not possible in the current state; the API answers 409."""
