"""The phrases the coach warns about, as administrators edit them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AvoidPhrase(models.Model):
    """A phrase the coach warns about in customer-facing text (editable in the admin).

    Rows that share a `rule` form one rule: its first row with a reason and an
    alternative supplies them; built-in rules (complaints.coaching.RULES) supply them
    for the rows the data migration seeded.
    """

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        CHINESE = "zh", _("Chinese (Simplified and Traditional)")
        ROMANIAN = "ro", _("Romanian")
        ANY = "any", _("Any language")

    rule = models.SlugField(
        _("rule"), max_length=50, help_text=_("Phrases with the same rule are reported once, as one warning.")
    )
    language = models.CharField(
        _("language"),
        max_length=3,
        choices=Language,
        default=Language.ENGLISH,
        help_text=_(
            "Chinese covers both scripts: a phrase written in Simplified or Traditional "
            "characters catches both."
        ),
    )
    pattern = models.CharField(
        _("phrase or pattern"),
        max_length=500,
        help_text=_(
            "A plain phrase matches whatever the case, spacing, accents or punctuation; "
            "tick “regular expression” to write a Python regular expression instead."
        ),
    )
    is_regex = models.BooleanField(_("regular expression"), default=False)
    why = models.CharField(_("why it hurts (English)"), max_length=300, blank=True)
    why_zh = models.CharField(_("why it hurts (Chinese)"), max_length=300, blank=True)
    suggestion = models.CharField(_("better alternative (English)"), max_length=300, blank=True)
    suggestion_zh = models.CharField(_("better alternative (Chinese)"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("phrase to avoid")
        verbose_name_plural = _("phrases to avoid")
        ordering = ["rule", "language", "id"]

    def __str__(self):
        return f"{self.rule}: {self.pattern}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from ..coaching import rules as coaching

        if self.is_regex:
            try:
                coaching.compile_pattern(self.pattern)
            except Exception as exc:  # re.error and friends: report them on the field
                raise ValidationError(
                    {"pattern": _("Not a valid regular expression: %(error)s") % {"error": exc}}
                ) from exc
        elif coaching.phrase_to_pattern(self.pattern) is None:
            raise ValidationError({"pattern": _("Type at least one word.")})
        known = {rule.code for rule in coaching.RULES}
        if self.rule not in known and not (self.why and self.suggestion):
            raise ValidationError(
                {"why": _("A new rule needs a reason and a better alternative (in English at least).")}
            )
