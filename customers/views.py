"""Pages: the staff page about a customer, the thank-you letter, and the public side."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from complaints import access
from complaints.exceptions import Conflict
from complaints.models import Complaint, Stage
from complaints.notifications.messages import customer_messages
from complaints.wording import prefers_chinese, prefers_traditional
from complaints.workflow import submissions

from . import public, ratelimit, selectors, services
from .forms import (
    CustomerReplyForm,
    MergeForm,
    PublicComplaintForm,
    SurveyForm,
    TierOverrideForm,
    TrackingFilesForm,
)
from .models import Customer, Language
from .vulnerability_forms import VulnerabilityForm


def _vulnerability_form(customer):
    flag = customer.vulnerability
    if flag is None:
        return VulnerabilityForm()
    return VulnerabilityForm(
        initial={
            "kind": flag.kind,
            "permanent": flag.permanent,
            "review_by": flag.review_by,
            "note": flag.note,
        }
    )


def _customer_page(
    request, pk, override_form=None, status=200, merge_form=None, vulnerability_form=None, conflict=None
):
    customer, complaints, open_callbacks, history = selectors.customer_page(pk)
    context = {
        "may_work": access.can_work_complaints(request.user),
        "vulnerability_form": vulnerability_form or _vulnerability_form(customer),
        "conflict": conflict,
        "customer": customer,
        "complaints": complaints,
        "open_callbacks": open_callbacks,
        "history": history,
        "lifetime_value": services.customer_lifetime_value(customer),
        "yearly_profit": selectors.yearly_profit(customer),
        "churn": settings.CLEAR_DESK["LTV_YEARLY_CHURN"],
        "may_override": access.is_supervisor(request.user),
        "merge_form": merge_form or MergeForm(),
        "override_form": override_form
        or TierOverrideForm(
            initial={"tier": customer.tier_override, "reason": customer.tier_override_reason}
        ),
    }
    return render(request, "customers/detail.html", context, status=status)


@access.desk_page
def customer_detail(request, pk):
    return _customer_page(request, pk)


@access.desk_page
@require_http_methods(["POST"])
def customer_tier(request, pk):
    customer = get_object_or_404(Customer, pk=pk)
    form = TierOverrideForm(request.POST)
    if form.is_valid():
        try:
            services.customer_set_tier(
                customer=customer,
                tier=form.cleaned_data["tier"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return redirect("customer-detail", pk=customer.pk)
    return _customer_page(request, pk, override_form=form, status=400)


@access.desk_page
@require_http_methods(["POST"])
def customer_vulnerability(request, pk):
    """Set or change the vulnerability flag; a form with errors keeps what was typed."""
    access.require_worker(request.user)
    customer = get_object_or_404(Customer, pk=pk)
    form = VulnerabilityForm(request.POST)
    if form.is_valid():
        try:
            services.customer_set_vulnerability(customer=customer, data=request.POST, by=request.user)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except Conflict as exc:
            return _customer_page(request, pk, vulnerability_form=form, status=409, conflict=str(exc))
        else:
            messages.success(
                request, _("Vulnerability saved: this customer's complaints get shorter deadlines.")
            )
            return redirect("customer-detail", pk=customer.pk)
    return _customer_page(request, pk, vulnerability_form=form, status=400)


@access.desk_page
@require_http_methods(["POST"])
def customer_vulnerability_clear(request, pk):
    access.require_worker(request.user)
    customer = get_object_or_404(Customer, pk=pk)
    try:
        services.customer_clear_vulnerability(customer=customer, by=request.user)
    except Conflict as exc:
        return _customer_page(request, pk, status=409, conflict=str(exc))
    messages.success(request, _("Vulnerability cleared: the usual deadlines apply again."))
    return redirect("customer-detail", pk=customer.pk)


@access.supervisor_page
@require_http_methods(["POST"])
def customer_merge(request, pk):
    """Merge a duplicate into this customer: name it, see what moves, confirm."""
    kept = get_object_or_404(Customer, pk=pk)
    form = MergeForm(request.POST)
    if form.is_valid():
        try:
            duplicate = services.customer_to_merge(form.cleaned_data["duplicate"], into=kept)
            if not form.cleaned_data["confirm"]:
                context = {
                    "kept": kept,
                    "duplicate": duplicate,
                    "complaint_count": duplicate.complaints.count(),
                    "figure_count": duplicate.value_figures.count(),
                    "form": MergeForm(initial={"duplicate": f"#{duplicate.pk}", "confirm": True}),
                }
                return render(request, "customers/merge_confirm.html", context)
            summary = services.customer_merge(duplicate=duplicate, into=kept, by=request.user)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            moved = ngettext(
                "Customer #%(merged)s is merged into this customer: %(count)s complaint moved.",
                "Customer #%(merged)s is merged into this customer: %(count)s complaints moved.",
                summary.complaints,
            )
            messages.success(request, moved % {"merged": summary.merged.pk, "count": summary.complaints})
            return redirect("customer-detail", pk=kept.pk)
    return _customer_page(request, pk, merge_form=form, status=400)


@access.desk_page
def complaint_letter(request, pk):
    complaint = get_object_or_404(Complaint.objects.select_related("customer"), pk=pk)
    if complaint.stage != Stage.CLOSED:
        raise Http404(_("The thank-you letter is ready once the complaint is closed."))
    with translation.override(complaint.customer.preferred_language):
        response = render(request, "customers/letter.html", public.letter_context(complaint))
    return response


# --- Public pages (no login) ---------------------------------------------------------


def _language():
    """The language the customer wrote in (the page's), as their preferred language."""
    if prefers_traditional():
        return Language.ZH_HANT
    return Language.ZH_HANS if prefers_chinese() else Language.EN


def submit(request):
    form = PublicComplaintForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"submission": submissions.new_page_token()},
    )
    if request.method == "POST":
        desk = settings.CLEAR_DESK
        allowed = ratelimit.hit(
            f"submit:{ratelimit.client_ip(request)}",
            limit=desk["PUBLIC_SUBMIT_LIMIT"],
            window=desk["PUBLIC_SUBMIT_WINDOW"],
            now=timezone.now(),
        )
        if not allowed:
            return render(request, "public/submit.html", {"form": form, "limited": True}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            token = data.pop("submission")
            files = data.pop("uploads")
            try:
                complaint, _replayed = submissions.once(
                    scope="public",
                    key=token if submissions.is_page_token(token) else "",
                    payload=data,
                    create=lambda: public.public_file_complaint(**data, files=files, language=_language()),
                )
            except ValidationError as exc:
                # The complaint's files would pass their total: nothing was filed.
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error("uploads" if field == "file" else None, error)
                return render(request, "public/submit.html", {"form": form}, status=400)
            except submissions.KeyReused:
                # The same page sent again with other text: file it only when asked once more.
                fresh = request.POST.copy()
                fresh["submission"] = submissions.new_page_token()
                form = PublicComplaintForm(fresh)
                form.is_valid()
                form.add_error(
                    None,
                    _("This form was already sent. Press the button again to send this as a new complaint."),
                )
                return render(request, "public/submit.html", {"form": form}, status=400)
            return redirect(f"/track/{complaint.tracking_token}/?filed=1")
        return render(request, "public/submit.html", {"form": form}, status=400)
    return render(request, "public/submit.html", {"form": form})


# What the customer reads for each stage: plain words, no internal vocabulary.
def _public_stage(stage):
    return {
        Stage.CONTROL: (_("Received"), _("We have your complaint and someone will pick it up shortly.")),
        Stage.LISTEN: (_("Being looked into"), _("A member of our team is looking into what happened.")),
        Stage.ESTABLISH: (_("Being looked into"), _("A member of our team is looking into what happened.")),
        Stage.APOLOGIZE: (_("Working on a solution"), _("We understand the problem and are working on it.")),
        Stage.RESOLVE: (_("Working on a solution"), _("We are putting the solution in place.")),
        Stage.CLOSED: (_("Closed"), _("We have finished handling your complaint.")),
    }[stage]


def _too_many_misses():
    return HttpResponse(_("Too many wrong links from your address; please wait a few minutes."), status=429)


def _desk_contact():
    desk = settings.CLEAR_DESK
    return {
        "phone": desk["DESK_PHONE"],
        "email": desk["DESK_EMAIL"] or settings.DEFAULT_FROM_EMAIL,
    }


def _tracked(request, token):
    """The complaint behind the link; unknown links count against the address (429 when too many)."""
    guard = ratelimit.LookupGuard(request, timezone.now())
    if guard.blocked():
        return None, _too_many_misses()
    try:
        return selectors.complaint_for_tracking(token), None
    except Http404:
        guard.miss()
        raise


def track(request, token):
    complaint, refusal = _tracked(request, token)
    if refusal:
        return refusal
    posted = request.method == "POST"
    reply_form = CustomerReplyForm(
        request.POST if posted else None, request.FILES if posted else None, prefix="reply"
    )
    status = 200
    limited = False
    if posted:
        status, limited = _reply(request, complaint, reply_form)
        if status == 302:
            return redirect(f"/track/{complaint.tracking_token}/?replied=1")
        if status == 409:  # closed meanwhile: show it as it is now
            complaint = selectors.complaint_for_tracking(token)
    return _track_page(request, complaint, reply_form=reply_form, status=status, limited=limited)


def _track_page(request, complaint, *, files_form=None, reply_form=None, status=200, limited=False):
    label, explanation = _public_stage(complaint.stage)
    callbacks = [c for c in complaint.callbacks.all() if c.is_open]
    survey = complaint.surveys.filter(answered_at__isnull=True).first() if not complaint.is_open else None
    context = {
        "complaint": complaint,
        "stage_label": label,
        "stage_explanation": explanation,
        "callbacks": callbacks,
        "survey": survey,
        "just_filed": request.GET.get("filed") == "1",
        "just_replied": request.GET.get("replied") == "1",
        "link": request.build_absolute_uri(f"/track/{complaint.tracking_token}/"),
        "files": list(public.customer_files(complaint)),
        "files_form": files_form or (TrackingFilesForm() if complaint.is_open else None),
        "sent_messages": customer_messages(complaint),
        "reply_form": reply_form or CustomerReplyForm(prefix="reply"),
        "reply_limited": limited,
        "desk_contact": _desk_contact(),
    }
    response = render(request, "public/track.html", context, status=status)
    # The private link never leaves the site. Not "no-referrer": with it browsers send
    # "Origin: null" with the page's own forms, which CSRF protection must refuse.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["POST"])
def track_files(request, token):
    """The customer adds files on their tracking page, while the complaint is open."""
    complaint, refusal = _tracked(request, token)
    if refusal:
        return refusal
    form = TrackingFilesForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            added = public.public_attach_files(complaint=complaint, files=form.cleaned_data["uploads"])
        except ValidationError as exc:
            for errors in exc.message_dict.values():
                for error in errors:
                    form.add_error("uploads", error)
        else:
            messages.success(
                request,
                ngettext(
                    "Thank you, we have your file.", "Thank you, we have your %(count)s files.", len(added)
                )
                % {"count": len(added)},
            )
            return redirect("public-track", token=token)
    return _track_page(request, complaint, files_form=form, status=400)


def track_file(request, token, pk):
    """One of the customer's own files, through their private link."""
    complaint, refusal = _tracked(request, token)
    if refusal:
        return refusal
    response = public.customer_file_response(complaint, pk)
    if response is None:
        raise Http404(_("There is no such file."))
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def _reply(request, complaint, form):
    """The customer adds information, and files with it: (status, rate-limited?); 302 when
    it was filed."""
    desk = settings.CLEAR_DESK
    allowed = ratelimit.hit(
        f"reply:{ratelimit.client_ip(request)}",
        limit=desk["PUBLIC_REPLY_LIMIT"],
        window=desk["PUBLIC_REPLY_WINDOW"],
        now=timezone.now(),
    )
    if not allowed:
        return 429, True
    if not form.is_valid():
        return 400, False
    try:
        public.public_reply(
            complaint=complaint, text=form.cleaned_data["text"], files=form.cleaned_data["uploads"]
        )
    except Conflict as exc:
        form.add_error(None, str(exc))
        return 409, False
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error("uploads" if field == "file" else "text", error)
        return 400, False
    return 302, False


def survey(request, token):
    guard = ratelimit.LookupGuard(request, timezone.now())
    if guard.blocked():
        return _too_many_misses()
    invitation = public.survey_for_token(token)
    if invitation is None:
        guard.miss()
        raise Http404(_("This survey link is not valid."))
    if invitation.is_answered:
        return render(request, "public/survey.html", {"invitation": invitation, "used": True}, status=410)
    form = SurveyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            answered = public.survey_answer(
                token=token, score=form.cleaned_data["score"], comment=form.cleaned_data["comment"]
            )
            if answered is None:
                return render(
                    request, "public/survey.html", {"invitation": invitation, "used": True}, status=410
                )
            return render(request, "public/survey_thanks.html", {"invitation": answered})
        return render(request, "public/survey.html", {"invitation": invitation, "form": form}, status=400)
    return render(request, "public/survey.html", {"invitation": invitation, "form": form})
