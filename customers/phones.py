"""Phone numbers as typed by people, reduced to one comparable form."""

import unicodedata


def normalize_phone(raw):
    """Keep the digits (and a leading +) so '+86 138-0013 8000' matches '+8613800138000'.

    Full-width digits and plus signs typed with a Chinese input method count too.
    """
    text = unicodedata.normalize("NFKC", raw or "").strip()
    digits = "".join(ch for ch in text if ch.isascii() and ch.isdigit())
    if not digits:
        return ""
    return ("+" if text.startswith("+") else "") + digits
