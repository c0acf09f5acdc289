"""What the final response tells a customer who is not happy with it (where to go next)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..wording import localised
from .options import Category


class ReferralText(models.Model):
    """Where a customer can turn if they are not happy with the final response: an
    ombudsman, the consumer association, the 12315 hotline... One for the company (no
    category) and, where a kind of complaint has its own body, one per category.

    The final response takes the active text of the complaint's category, else the active
    one without a category, else CLEAR_DESK["REFERRAL_TEXT"] (letters.referral_text_for).
    """

    category = models.ForeignKey(
        Category,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
        help_text=_("Leave empty for the text every other complaint gets."),
    )
    text = models.TextField(_("text (English)"))
    text_zh = models.TextField(_("text (Chinese)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("referral text")
        verbose_name_plural = _("referral texts")
        ordering = ["category__position", "category__code", "id"]
        constraints = [
            # One active text per category and one company-wide, so the letter never has to choose.
            models.UniqueConstraint(
                fields=["category"],
                condition=Q(is_active=True, category__isnull=False),
                name="referral_text_one_active_per_category",
                violation_error_message=_("This category already has an active referral text."),
            ),
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True, category__isnull=True),
                name="referral_text_one_active_default",
                violation_error_message=_("There is already an active referral text for every category."),
            ),
        ]

    def __str__(self):
        return self.text[:60]

    @property
    def display_text(self):
        return localised(self.text, self.text_zh)
