from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from customers.signals import tiers_changed, vulnerability_changed

        from .deadlines import outside, policies, schedule
        from .models import BusinessHours, CalendarDay, Category, Regime, RegimeClock, RegimeRule, SLAPolicy
        from .workflow import selectors

        # Per-process copies (complaints.process_copy) and the rows whose change drops them.
        invalidation = {
            SLAPolicy: policies.forget_rules,
            CalendarDay: policies.forget_rules,
            BusinessHours: policies.forget_rules,
            Category: selectors.forget_categories,
            Regime: outside.forget_regimes,
            RegimeClock: outside.forget_regimes,
            RegimeRule: outside.forget_regimes,
        }
        for model, forget in invalidation.items():
            for name, signal in (("saved", post_save), ("deleted", post_delete)):
                signal.connect(
                    forget, sender=model, weak=False, dispatch_uid=f"forget-{name}-{model.__name__}"
                )
        tiers_changed.connect(schedule.on_tiers_changed, weak=False, dispatch_uid="reschedule-on-tier-change")
        vulnerability_changed.connect(
            schedule.on_tiers_changed, weak=False, dispatch_uid="reschedule-on-vulnerability-change"
        )
        from django.contrib.auth.signals import user_logged_in

        from .time_zones import remember_at_login

        user_logged_in.connect(remember_at_login, weak=False, dispatch_uid="remember-time-zone-at-login")
