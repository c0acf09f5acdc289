"""The beat's task for systemic-issue suggestions: a thin wrapper over the service."""

from celery import shared_task

from . import suggestions


@shared_task(name="complaints.tasks.suggest_systemic_issues", ignore_result=True)
def suggest_systemic_issues():
    """Suggest each new cluster of similar complaints once (safe to run twice, or at once)."""
    return {"suggested": len(suggestions.suggest_systemic_issues())}
