"""The lists administrators edit: categories, root causes, departments."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..wording import localised


class OptionEntry(models.Model):
    """An entry of a list that administrators edit (categories, root causes, departments)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    label = models.CharField(_("label (English)"), max_length=120)
    label_zh = models.CharField(_("label (Chinese)"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self):
        return self.display_label

    @property
    def display_label(self):
        return localised(self.label, self.label_zh)


class Category(OptionEntry):
    class Meta(OptionEntry.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class RootCause(OptionEntry):
    class Meta(OptionEntry.Meta):
        verbose_name = _("root cause")
        verbose_name_plural = _("root causes")


class Department(OptionEntry):
    class Meta(OptionEntry.Meta):
        verbose_name = _("department")
        verbose_name_plural = _("departments")
