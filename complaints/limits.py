"""How long each kind of text may be, the same on every page, the API and the admin.

Long texts (what the customer says, what happened, restatements, apologies, remedies,
reasons) take up to LONG_TEXT characters; notes and comments NOTE; single lines LINE. A
longer text is a field error where it is typed, before anything reaches the filed
record (which keeps whatever it is given, for ever).
"""

LONG_TEXT = 20_000
NOTE = 5_000
LINE = 200
