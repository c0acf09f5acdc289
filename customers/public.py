"""The customer's side: filing through the public form and answering the survey.

It sits above the complaints app (it files complaints and answers surveys through its
workflow), while customers.services stays below it.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from complaints.notifications.letters import final_response_blocks
from complaints.workflow import attachments, holds, intake, replies, satisfaction

from .models import SurveyInvitation
from .services import customer_for_public_intake


def public_file_complaint(
    *, name, phone, email, what_happened, desired_outcome, language, files=(), now=None
):
    """Find or create the customer and file the complaint with its files, all or nothing
    (intake acknowledges it)."""
    now = now or timezone.now()
    with transaction.atomic():
        customer = customer_for_public_intake(name=name, phone=phone, email=email, language=language)
        complaint = intake.complaint_create_public(
            customer=customer,
            what_happened=what_happened,
            desired_outcome=desired_outcome,
            email=email,
            now=now,
        )
        if files:
            attachments.attach_files(complaint, files, source=attachments.CUSTOMER, now=now)
    return complaint


def public_attach_files(*, complaint, files):
    """The customer adds files on their tracking page (workflow.attachments.attach_files);
    a complaint waiting for them runs again."""
    with transaction.atomic():
        added = attachments.attach_files(complaint, files, source=attachments.CUSTOMER)
        holds.resume_if_on_hold(complaint, how=holds.Ending.CUSTOMER_REPLIED)
    return added


def public_reply(*, complaint, text, files=()):
    """The customer adds information on their tracking page, with files if they sent some:
    both are filed together or not at all (workflow.replies.customer_reply)."""
    with transaction.atomic():
        entry = replies.customer_reply(complaint, text, files=files)
        if files:
            attachments.attach_files(complaint, files, source=attachments.CUSTOMER)
    return entry


def customer_files(complaint):
    """The files the customer sent, for their tracking page (staff files stay internal)."""
    return attachments.attachments_of(complaint, source=attachments.CUSTOMER)


def customer_file_response(complaint, pk):
    """The customer's own file behind their tracking link, or None."""
    attachment = customer_files(complaint).kept().filter(pk=pk).first()
    return None if attachment is None else attachments.download_response(attachment)


def survey_for_token(token):
    return (
        SurveyInvitation.objects.select_related("complaint", "complaint__customer")
        .filter(token=token)
        .first()
    )


def survey_answer(*, token, score, comment, now=None):
    """Take the customer's answer once; a low score puts the complaint before a supervisor
    (workflow.satisfaction).

    Returns the invitation, or None when the link is unknown or was already used.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Compare-and-set: of two submissions of the same link only one wins.
        claimed = SurveyInvitation.objects.filter(token=token, answered_at__isnull=True).update(
            answered_at=now, score=score, comment=comment
        )
        if not claimed:
            return None
        invitation = survey_for_token(token)
        complaint = invitation.complaint
        satisfaction.complaint_record_customer_satisfaction(
            complaint=complaint, data={"score": score, "comment": comment}, source="survey", now=now
        )
    return invitation


def letter_context(complaint):
    """The letter page: the final response's blocks and the thank-you around them (call it in
    the customer's language)."""
    desk = settings.CLEAR_DESK
    return {
        "final": final_response_blocks(complaint),
        "complaint": complaint,
        "customer": complaint.customer,
        "signatory": desk["LETTER_SIGNATORY"],
        "signatory_title": desk["LETTER_SIGNATORY_TITLE"],
        "company": desk["COMPANY_NAME"],
    }
