from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import selectors, sla
        from .models import BusinessHours, CalendarDay, Category, SLAPolicy

        for model in (SLAPolicy, CalendarDay, BusinessHours):
            post_save.connect(sla.forget_rules, sender=model, dispatch_uid=f"forget-rules-{model.__name__}")
            post_delete.connect(
                sla.forget_rules, sender=model, dispatch_uid=f"forget-rules-del-{model.__name__}"
            )
        post_save.connect(selectors.forget_categories, sender=Category, dispatch_uid="forget-categories")
        post_delete.connect(
            selectors.forget_categories, sender=Category, dispatch_uid="forget-categories-del"
        )
