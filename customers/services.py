"""The only code that writes customers."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import Customer
from .phones import normalize_phone


def _check_contact(*, phone, email, exclude_id=None):
    if not (phone or "").strip() and not (email or "").strip():
        raise ValidationError({"phone": _("Give a phone number or an email address.")})
    normalized = normalize_phone(phone)
    if (phone or "").strip() and not normalized:
        raise ValidationError({"phone": _("A phone number needs at least one digit.")})
    if normalized:
        clash = Customer.objects.filter(phone_normalized=normalized).exclude(pk=exclude_id).first()
        if clash is not None:
            raise ValidationError(
                {
                    "phone": _("This phone number belongs to customer #%(id)s (%(name)s).")
                    % {"id": clash.pk, "name": clash.name}
                }
            )


def customer_create(*, name, phone="", email=""):
    _check_contact(phone=phone, email=email)
    try:
        with transaction.atomic():
            return Customer.objects.create(name=name.strip(), phone=phone.strip(), email=email)
    except IntegrityError as exc:  # two clerks typed the same new number at the same moment
        raise ValidationError({"phone": _("A customer with this phone number already exists.")}) from exc


def customer_update(*, customer, **fields):
    allowed = {"name", "phone", "email"}
    for key, value in fields.items():
        if key in allowed:
            setattr(customer, key, value.strip() if isinstance(value, str) else value)
    _check_contact(phone=customer.phone, email=customer.email, exclude_id=customer.pk)
    try:
        with transaction.atomic():
            customer.save()
    except IntegrityError as exc:
        raise ValidationError({"phone": _("A customer with this phone number already exists.")}) from exc
    return customer
