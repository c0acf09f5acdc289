from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import selectors, sla
        from .models import BusinessHours, CalendarDay, Category, SLAPolicy

        # Per-process copies (complaints.process_copy) and the rows whose change drops them.
        invalidation = {
            SLAPolicy: sla.forget_rules,
            CalendarDay: sla.forget_rules,
            BusinessHours: sla.forget_rules,
            Category: selectors.forget_categories,
        }
        for model, forget in invalidation.items():
            for name, signal in (("saved", post_save), ("deleted", post_delete)):
                signal.connect(
                    forget, sender=model, weak=False, dispatch_uid=f"forget-{name}-{model.__name__}"
                )
