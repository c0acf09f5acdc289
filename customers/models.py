from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .phones import normalize_phone


class Customer(models.Model):
    class Tier(models.TextChoices):
        A = "A", _("A - VIP")
        B = "B", _("B - major")
        C = "C", _("C - ordinary")
        D = "D", _("D - small")

    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # The phone as digits only, so a search finds the customer however it was typed.
    phone_normalized = models.CharField(max_length=40, blank=True, editable=False, db_index=True)
    email = models.EmailField(_("email"), blank=True)
    # Computed from revenue or profit ranking; never typed in by hand.
    tier = models.CharField(_("value tier"), max_length=1, choices=Tier, default=Tier.D)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["phone_normalized"],
                condition=~Q(phone_normalized=""),
                name="customer_unique_phone",
                violation_error_message=_("A customer with this phone number already exists."),
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.phone_normalized = normalize_phone(self.phone)
        if kwargs.get("update_fields") is not None and "phone" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "phone_normalized"}
        super().save(*args, **kwargs)

    @property
    def is_vip(self):
        return self.tier == self.Tier.A
