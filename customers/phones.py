"""Phone numbers as typed by people, reduced to one comparable form: E.164.

The one rule is `parse_phone()`: the number is read with the phonenumbers package in the
region of `CLEAR_DESK["PHONE_DEFAULT_REGION"]` (a number typed without a country code is a
number of that region), full-width digits and plus signs from a Chinese input method count,
`00` in front is the international prefix, and spaces, dashes, dots and brackets are
ignored. A valid number comes back as E.164 ("+8613901012323"); anything else raises
`InvalidPhone`. `normalize_phone()` is the same rule for callers that would rather have ""
than an exception (a search box, where the text may be a name).
"""

import unicodedata

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class InvalidPhone(ValueError):
    """Not a phone number we can reach; `message` says so in the reader's language."""

    def __init__(self, message=None):
        self.message = message or _("This is not a valid phone number; please check it.")
        super().__init__(str(self.message))


def default_region() -> str:
    return (settings.CLEAR_DESK.get("PHONE_DEFAULT_REGION") or "CN").upper()


def _typed(raw) -> str:
    # NFKC turns full-width digits, plus signs, brackets and dashes into ASCII ones.
    return unicodedata.normalize("NFKC", raw or "").strip()


def parse_phone(raw, *, region: str | None = None) -> str:
    """The number `raw` in E.164, "" when `raw` is blank; raises InvalidPhone otherwise."""
    text = _typed(raw)
    if not text:
        return ""
    if not any(ch.isdigit() for ch in text):
        raise InvalidPhone()
    candidates = [text]
    if text.startswith("00"):  # the international prefix, whatever the default region dials
        candidates.append("+" + text[2:])
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, region or default_region())
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    raise InvalidPhone()


def normalize_phone(raw, *, region: str | None = None) -> str:
    """E.164 for a valid number however it is typed, "" for blank text or an invalid number.

    '+86 139-0101-2323', '0086 13901012323' and '139 0101 2323' all give '+8613901012323'.
    """
    try:
        return parse_phone(raw, region=region)
    except InvalidPhone:
        return ""


def phone_digits(raw) -> str:
    """Only the digits of `raw` (full-width ones too), with a leading + kept: what a search
    for part of a number compares, and the key of an old phone that is not a valid number."""
    text = _typed(raw)
    digits = "".join(ch for ch in text if ch.isascii() and ch.isdigit())
    if not digits:
        return ""
    return ("+" if text.startswith("+") else "") + digits


def phone_key(raw) -> str:
    """What Customer.phone_normalized holds: E.164 for a valid number; for an old phone
    that is not one (kept as it was typed) its digits, so it can still be found."""
    return normalize_phone(raw) or phone_digits(raw)
