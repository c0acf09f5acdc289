"""The pages service staff work in: the queue, intake, the complaint page. Thin: read with
selectors, write with services.

Who sees what (a team desk): every role may open any complaint, so colleagues can
cover for each other; staff and supervisors may act on any open complaint (the
services allow it, as the API does); managers read only - no forms are shown and
POSTs answer 403. Users without a role get 403 everywhere.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from customers.services import customer_create

from .. import access
from ..coaching import rules as coaching
from ..deadlines import outside
from ..deadlines.selectors import sweep_failures_recent
from ..escalations import compensation, redress
from ..escalations import services as escalation_services
from ..escalations.compensation import CompensationRequestForm
from ..escalations.forms import EscalateForm
from ..exceptions import Conflict
from ..models import (
    Category,
    Channel,
    Complaint,
    ComplaintHold,
    ComplaintRecord,
    ContactPreference,
    Department,
    Regime,
    Resolution,
    RootCause,
    Severity,
    Stage,
    deadline_now,
)
from ..notifications import messages as messages_to_customer
from ..systemic import selectors as systemic
from ..wording import moment_text
from ..workflow import (
    attachments,
    callbacks,
    holds,
    intake,
    moves,
    repeats,
    replies,
    satisfaction,
    search,
    similar,
    submissions,
    transitions,
)
from ..workflow.forms import (
    TRANSITION_FORMS,
    AttachForm,
    CallbackForm,
    CallbackFulfilForm,
    HoldForm,
    IntakeForm,
    ResumeForm,
    SatisfactionForm,
)
from ..workflow.selectors import complaint_list, queue_rows, records_for

STEPS = [Stage.CONTROL, Stage.LISTEN, Stage.ESTABLISH, Stage.APOLOGIZE, Stage.RESOLVE, Stage.CLOSED]


QUEUE_LIMIT = 50


def nearest_deadlines_first(qs, limit):
    """The `limit` complaints of `qs` whose deadline that applies now (models.deadline_now)
    comes first.

    Sorting every open complaint by that computed deadline reads them all (a third of a
    second at 100,000 open). The first `limit` of them are always among: the first
    `limit` in Control by response deadline, the first `limit` by resolution deadline
    (each an index scan that stops early), and those with an open callback promise (few).
    On PostgreSQL only those candidates are annotated and sorted, in the same single
    query; SQLite (one machine, small tables) sorts them all.

    Complaints on hold have no deadline now (their clocks are paused): they come last, and
    are candidates of their own (few, found through their open holds), so they never
    take the place of a complaint whose clock runs.
    """
    if connection.vendor == "postgresql":
        running = qs.filter(hold__isnull=True)
        on_hold = ComplaintHold.objects.filter(ended_at__isnull=True).values("complaint_id")
        candidates = (
            running.filter(stage=Stage.CONTROL)
            .order_by("respond_by", "id")
            .values("id")[:limit]
            .union(
                running.order_by("resolve_by", "id").values("id")[:limit],
                qs.filter(callback_due_at__isnull=False).order_by().values("id"),
                qs.filter(pk__in=on_hold).order_by().values("id"),
            )
        )
        qs = queue_rows().filter(pk__in=candidates)
    return qs.annotate(next_deadline=deadline_now()).order_by(F("next_deadline").asc(nulls_last=True), "id")[
        :limit
    ]


@access.desk_page
def home(request):
    """My queue: open complaints ordered by the nearest deadline, with filters and a search."""
    now = timezone.now()
    everyone = request.GET.get("scope") == "all" or not access.can_work_complaints(request.user)
    qs = queue_rows().exclude(stage=Stage.CLOSED)
    if not everyone:
        qs = qs.filter(Q(assignee=request.user) | Q(assignee__isnull=True, stage=Stage.CONTROL))
    stage = request.GET.get("stage", "")
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    severity = request.GET.get("severity", "")
    if severity in Severity.values:
        qs = qs.filter(severity=severity)
    category = request.GET.get("category", "")
    if category:
        qs = qs.filter(category__code=category)
    query = request.GET.get("q", "").strip()
    if query:
        match = search.complaint_match(query)
        if match is None:
            messages.info(request, search.TOO_SHORT)
        else:
            qs = qs.filter(match)
    rows = list(nearest_deadlines_first(qs, QUEUE_LIMIT + 1))
    for complaint in rows:
        complaint.overdue = complaint.is_overdue(now)
    context = {
        "complaints": rows[:QUEUE_LIMIT],
        "more": len(rows) > QUEUE_LIMIT,
        "limit": QUEUE_LIMIT,
        "now": now,
        "everyone": everyone,
        "stages": [(s, s.label) for s in STEPS if s != Stage.CLOSED],
        "severities": Severity.choices,
        "categories": list(Category.objects.filter(is_active=True)),
        "filters": {"stage": stage, "severity": severity, "category": category, "q": query},
    }
    return render(request, "complaints/home.html", context)


def _repeat_choice(request, form, customer):
    """What the person chose on intake's repeat warning: (action, earlier complaint, summaries).

    action is None while nothing was chosen yet; "new", "repeat" or "add" after. A choice
    that names a complaint no longer among the customer's recent ones is not taken: the
    warning is shown again with what is recent now.
    """
    data = form.cleaned_data
    found = (
        repeats.repeat_candidates(customer=customer, category=data["category"], user=request.user)
        if customer is not None
        else []
    )
    summaries = [repeats.summarise(c) for c in found]
    choice = request.POST.get("repeat", "")
    if not found:
        return "new", None, summaries
    if choice == "new":
        return "new", None, summaries
    action, _sep, pk = choice.partition(":")
    earlier = next((c for c in found if str(c.pk) == pk), None)
    if action in ("repeat", "add") and earlier is not None:
        return action, earlier, summaries
    if choice:
        form.add_error(
            None, _("That earlier complaint is not among this customer's recent ones; choose again.")
        )
    return None, None, summaries


@access.worker_page
def complaint_new(request):
    """Intake: find or create the customer and log the complaint; lands on the complaint page.

    When the customer complained about the same category lately (workflow.repeats), the
    form comes back once, with everything typed kept, to ask: add this contact to that
    complaint, or log a new one marked as its repeat (or as a new matter).
    """
    form = IntakeForm(
        request.POST or None, request.FILES or None, initial={"submission": submissions.new_page_token()}
    )
    chosen = None
    recent = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action, earlier, recent = _repeat_choice(request, form, data.get("existing_customer"))
        if action is None:
            return render(
                request,
                "complaints/new.html",
                {
                    "form": form,
                    "chosen": data.get("existing_customer"),
                    "channels": Channel.choices,
                    "repeats": recent,
                },
                status=409 if form.non_field_errors() else 200,
            )

        @transaction.atomic
        def create():
            if action == "add":
                added_to = repeats.complaint_add_contact(
                    complaint=earlier, channel=data["channel"], content=data["content"], by=request.user
                )
                if data["uploads"]:
                    attachments.attach_files(added_to, data["uploads"], by=request.user)
                return added_to
            customer = data.get("existing_customer") or customer_create(
                name=data["new_customer_name"],
                phone=data["new_customer_phone"],
                email=data["new_customer_email"],
            )
            complaint = intake.complaint_create(
                customer=customer,
                channel=data["channel"],
                category=data["category"],
                severity=data["severity"],
                content=data["content"],
                by=request.user,
                repeat_of=earlier if action == "repeat" else None,
            )
            if data["uploads"]:
                attachments.attach_files(complaint, data["uploads"], by=request.user)
            return complaint

        token = data["submission"] if submissions.is_page_token(data["submission"]) else ""
        payload = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "submission")}
        try:
            complaint, replayed = submissions.once(
                scope=f"intake:{request.user.pk}", key=token, payload=payload, create=create
            )
        except ValidationError as exc:
            form.phone_owner = getattr(exc, "customer", None)  # customers.services.PhoneTaken
            for field, errors in exc.message_dict.items():
                target = f"new_customer_{field}" if f"new_customer_{field}" in form.fields else None
                if field == attachments.FIELD:
                    target = "uploads"
                for error in errors:
                    form.add_error(target, error)
        except Conflict as exc:
            form.add_error(None, str(exc))
        except submissions.KeyReused as exc:
            # Sent again after a change: say what the first one logged, and let the next
            # press log a new complaint deliberately.
            fresh = request.POST.copy()
            fresh["submission"] = submissions.new_page_token()
            form = IntakeForm(fresh)
            form.is_valid()
            form.add_error(
                None,
                _(
                    "This form already logged complaint %(reference)s. "
                    "Press the button again to log another one."
                )
                % {"reference": exc.complaint},
            )
        else:
            if action == "add" and replayed:
                messages.info(
                    request,
                    _("This contact was already added to complaint %(reference)s; here it is.")
                    % {"reference": complaint},
                )
            elif action == "add":
                messages.success(request, _added_text(complaint))
            elif replayed:
                messages.info(
                    request,
                    _("Complaint %(reference)s was already logged from this form; here it is.")
                    % {"reference": complaint},
                )
            else:
                messages.success(
                    request,
                    _("Complaint %(reference)s logged. Take it from here.") % {"reference": complaint},
                )
            return redirect("complaint-detail", pk=complaint.pk)
    if form.is_bound:
        chosen = form.cleaned_data.get("existing_customer") if hasattr(form, "cleaned_data") else None
    return render(
        request,
        "complaints/new.html",
        {"form": form, "chosen": chosen, "channels": Channel.choices, "repeats": recent},
        status=400 if form.is_bound else 200,
    )


def _added_text(complaint):
    if complaint.is_open:
        return _(
            "Added to complaint %(reference)s: the customer contacted us again. No new complaint was logged."
        ) % {"reference": complaint}
    return _(
        "Added to complaint %(reference)s, which is closed: no new complaint was logged. "
        "If the problem is back, reopen it below and say why."
    ) % {"reference": complaint}


def _value_labels(keys):
    """Readable labels for the codes a record stores; one query per editable list it mentions."""
    lists = {"category": Category, "root_cause": RootCause, "responsible_department": Department}
    choices = {
        "channel": Channel,
        "severity": Severity,
        "resolution": Resolution,
        "contact_preference": ContactPreference,
    }
    shown = {key: dict(enum.choices) for key, enum in choices.items()}
    for key, model in lists.items():
        if key in keys:
            shown[key] = {entry.code: entry.display_label for entry in model.objects.all()}
    shown["customer_confirmed"] = {True: _("Yes")}
    shown["why"] = {
        messages_to_customer.WITHHELD_BY_PREFERENCE: _("The customer asked not to be emailed."),
    }
    if "kind" in keys:
        shown["kind"] = dict(ComplaintHold.Kind.choices)
    return shown


# How a hold ended, as the record's timeline names it.
HOLD_ENDINGS = {
    ComplaintHold.Ending.RESUMED: gettext_lazy("Resumed"),
    ComplaintHold.Ending.CUSTOMER_REPLIED: gettext_lazy("Resumed: the customer replied"),
    ComplaintHold.Ending.MOVED_ON: gettext_lazy("Resumed: moved to the next stage"),
    ComplaintHold.Ending.NO_ANSWER: gettext_lazy("Off hold: no answer in time"),
}

COMPENSATION_TITLES = {
    "compensation_request": gettext_lazy("Compensation approval requested"),
    "compensation_approved": gettext_lazy("Compensation approved"),
    "compensation_refused": gettext_lazy("Compensation refused"),
    "redress_offered": gettext_lazy("Redress offered"),
    "redress_accepted": gettext_lazy("Redress accepted by the customer"),
    "redress_declined": gettext_lazy("Redress declined by the customer"),
    "redress_paid": gettext_lazy("Redress paid"),
}


def customer_message_kinds():
    """What each message to the customer is called on the timeline."""
    return {
        "acknowledgement": _("acknowledgement"),
        "responded": _("someone took the complaint"),
        "proposed": _("working on the solution"),
        "on_hold": _("on hold"),
        "resumed": _("work resumed"),
        "final_response": _("final response"),
        "survey": _("satisfaction survey"),
    }


MOMENT_KEYS = ("due_at", "respond_by", "resolve_by")


SYSTEMIC_TITLES = {
    "systemic_issue_link": gettext_lazy("Linked to a systemic issue"),
    "systemic_issue_unlink": gettext_lazy("Removed from a systemic issue"),
}


def _readable(key, value, shown):
    if key in MOMENT_KEYS and isinstance(value, str) and (moment := parse_datetime(value)):
        return moment_text(moment)
    return shown.get(key, {}).get(value, value)


def _attachment_row(record, data, attachment):
    """A file attached: its name, type, size and digest, and the file (or its erasure)."""
    fields = [
        (_("File"), data.get("name", "")),
        (_("Type"), data.get("content_type", "")),
        (_("Size"), filesizeformat(data.get("size") or 0)),
        ("SHA-256", data.get("sha256", "")),
    ]
    if data.get("source") == "customer":
        fields.append((_("Sent by"), _("the customer")))
    return {
        "record": record,
        "title": _("File attached"),
        "fields": [(label, value) for label, value in fields if value],
        "warnings": [],
        "attachment": attachment,
    }


def _record_rows(records):
    """The filed record as timeline rows: what happened, with labelled values."""
    labels = {}
    for form_class in [*TRANSITION_FORMS.values(), EscalateForm, SatisfactionForm]:
        for name, field in form_class.base_fields.items():
            labels.setdefault(name, field.label)
    labels.update(
        {
            "content": _("What the customer says"),
            "channel": _("Channel"),
            "category": _("Category"),
            "severity": _("Severity"),
            "due_at": _("Call back by"),
            "note": _("Note"),
            "requested_remedy": _("What the customer asked for"),
            "subject": _("Subject"),
            "body": _("Text"),
            "to": _("To"),
            "why": _("Why not sent"),
            "text": _("What the customer wrote"),
            "files": _("Files"),
            "delivered": _("Delivered"),
            "respond_by": _("Answer by"),
            "resolve_by": _("Resolve by"),
            "systemic_issue_title": _("Systemic issue"),
            "repeat_of": _("Repeat of"),
        }
    )
    # A compensation entry's amount and reason, in the words of the form that asked.
    compensation_labels = {
        **labels,
        **{
            name: field.label
            for form_class in (CompensationRequestForm, *redress.STEP_FORMS.values())
            for name, field in form_class.base_fields.items()
        },
        "note": _("What the customer said"),
    }
    # A hold's entries in the words of the hold form.
    hold_labels = {
        **labels,
        **{name: field.label for name, field in HoldForm.base_fields.items()},
        **{name: field.label for name, field in ResumeForm.base_fields.items()},
    }
    hidden = {
        "transition",
        "from",
        "action",
        "warnings",
        "customer",
        "assignee",
        "promise",
        "request",
        "key",
        "message",
        "contact_preference",
        "hold",
        "how",
        "emailed",
        "systemic_issue",
        "redress",
    }
    records = list(records)
    # The files the record mentions, in one query (none without files).
    attachments_by_id = attachments.attachments_by_id(
        [r.data["attachment"] for r in records if (r.data or {}).get("action") == "attach"]
    )
    shown = _value_labels({key for record in records for key in (record.data or {})})
    rows = []
    for record in records:
        data = record.data or {}
        if data.get("action") == "attach":
            attachment = attachments_by_id.get(data.get("attachment"))
            rows.append(_attachment_row(record, data, attachment))
            continue
        if data.get("transition"):
            title = _("%(from)s → %(to)s") % {
                "from": Stage(data["from"]).label if data.get("from") in Stage.values else data.get("from"),
                "to": Stage(data["to"]).label if data.get("to") in Stage.values else data.get("to"),
            }
        elif data.get("action") == replies.CUSTOMER_REPLY:
            title = _("The customer added information")
        elif record.kind == ComplaintRecord.Kind.CONTENT:
            title = _("Complaint received")
        elif data.get("action") == "escalate":
            title = _("Escalated to a supervisor")
        elif data.get("action") == "promise_callback":
            title = _("Callback promised")
        elif data.get("action") == "fulfil_callback":
            title = _("Callback made")
        elif data.get("action") == "hold":
            title = _("Put on hold")
        elif data.get("action") == "resume":
            title = HOLD_ENDINGS.get(data.get("how"), _("Resumed"))
        elif data.get("action") == "hold_reminder":
            title = (
                _("Customer reminded of the hold")
                if data.get("emailed")
                else _("Hold reminder due (no email)")
            )
        elif data.get("action") == repeats.CONTACTED_AGAIN:
            title = _("Customer contacted again")
        elif data.get("action") == "merge_customer":
            title = _("Customer #%(merged)s merged into customer #%(kept)s") % {
                "merged": data.get("merged_customer"),
                "kept": data.get("kept_customer"),
            }
        elif data.get("action") in COMPENSATION_TITLES:
            title = COMPENSATION_TITLES[data["action"]]
        elif data.get("action") == messages_to_customer.CUSTOMER_MESSAGE:
            title = _("Message sent to the customer: %(kind)s") % {
                "kind": customer_message_kinds().get(data.get("message"), data.get("message"))
            }
        elif data.get("action") == messages_to_customer.CUSTOMER_MESSAGE_WITHHELD:
            title = _("No message sent to the customer: %(kind)s") % {
                "kind": customer_message_kinds().get(data.get("message"), data.get("message"))
            }
        elif data.get("action") in SYSTEMIC_TITLES:
            title = SYSTEMIC_TITLES[data["action"]]
        else:
            title = record.get_kind_display()
        row_labels = compensation_labels if data.get("action") in COMPENSATION_TITLES else labels
        if data.get("action") in ("hold", "resume"):
            row_labels = hold_labels
        fields = [
            (row_labels.get(key, key.replace("_", " ")), _readable(key, value, shown))
            for key, value in data.items()
            # "to" is the stage a transition went to; only a message's "to" (an address) is shown.
            if key not in hidden
            and not (key == "to" and data.get("action") != messages_to_customer.CUSTOMER_MESSAGE)
            and value not in ("", None, False)
        ]
        if data.get("action") == messages_to_customer.CUSTOMER_MESSAGE:
            delivered = getattr(record, "delivered_at", None)
            fields.append((labels["delivered"], moment_text(delivered) if delivered else _("not yet")))
        rows.append(
            {"record": record, "title": title, "fields": fields, "warnings": data.get("warnings", [])}
        )
    return rows


def _complaint_or_404(pk):
    # In the same query: the systemic issue it belongs to and the customer's vulnerability
    # flag (the page names the one and shows the other as a banner).
    return get_object_or_404(
        complaint_list().select_related("systemic_link__issue", "customer__vulnerability"), pk=pk
    )


def _compensation_panel(request, complaint, forms):
    """Resolve: the approval limit, the requests and their state, and asking for one."""
    state = compensation.compensation_state(complaint=complaint, by=request.user)
    form = forms.get("compensation")
    if form is None:
        # Refused a close above the limit: the request starts from the amount tried.
        tried = forms.get("close")
        amount = tried.cleaned_data.get("compensation") if tried is not None and tried.is_valid() else None
        initial = {"amount": amount} if amount is not None and amount > state.limit else {}
        form = CompensationRequestForm(prefix="compensation", initial=initial)
    return {"state": state, "form": form, "open": form.is_bound or bool(form.initial)}


REDRESS_STEP_LABELS = {
    redress.OFFER: gettext_lazy("Offer redress"),
    redress.ACCEPT: gettext_lazy("The customer accepts"),
    redress.DECLINE: gettext_lazy("The customer declines"),
    redress.PAY: gettext_lazy("Record the payment"),
}


def _redress_panel(request, complaint, forms, can_act):
    """The ledger of what was offered, answered and paid, and the steps possible now."""
    ledger = redress.redress_ledger(complaint)
    current = next((r for r in ledger if r.status in redress.Redress.IN_PLAY), None)
    if current is None:
        steps = [redress.OFFER]
    elif current.status == redress.Status.OFFERED:
        steps = [redress.ACCEPT, redress.DECLINE]
    else:
        steps = [redress.PAY]
    step_forms = []
    if can_act:
        for step in steps:
            form = forms.get(f"redress_{step}")
            if form is None:
                initial = {}
                if step == redress.OFFER and complaint.compensation:
                    initial["amount"] = complaint.compensation
                form = redress.STEP_FORMS[step](prefix=f"redress_{step}", initial=initial)
            step_forms.append({"step": step, "label": REDRESS_STEP_LABELS[step], "form": form})
    return {
        "ledger": ledger,
        "current": current,
        "forms": step_forms,
        "limit": compensation.approval_threshold(),
        "open": any(f["form"].is_bound for f in step_forms),
    }


# What a transition's `panels` may name: (template, context builder).
PANELS = {
    "compensation_approval": ("complaints/_compensation_panel.html", _compensation_panel),
}


def _stage_form(name, custom, complaint, forms, state):
    """The form of the transition that leaves the stage, starting from what it declares."""
    if name in forms:
        return forms[name]
    initial = {field: getattr(complaint, source) for field, source in custom.get("initial", {}).items()}
    if state is not None and state.approved_up_to is not None:
        initial.setdefault("compensation", state.approved_up_to)
    return TRANSITION_FORMS[name](prefix=name, initial=initial)


def _field_groups(form, complaint):
    """The stage form's fields under who reads them, when the form says (shown_to_customer)."""
    public = getattr(form, "shown_to_customer", None)
    if form is None or not public:
        return None
    language = complaint.customer.get_preferred_language_display()
    return [
        {
            "kind": "public",
            "legend": _("Shown to the customer"),
            "note": _(
                "The customer reads these on their tracking page and in the thank-you letter. "
                "Write in %(language)s, the language they chose."
            )
            % {"language": language},
            "fields": [form[name] for name in form.fields if name in public],
        },
        {
            "kind": "internal",
            "legend": _("Internal notes"),
            "note": _("Only staff see these; they are never shown to the customer."),
            "fields": [form[name] for name in form.fields if name not in public],
        },
    ]


def _page(request, complaint, *, forms=None, status=200, conflict=None):
    forms = forms or {}
    now = timezone.now()
    can_act = access.can_work_complaints(request.user)
    next_name, next_custom = Complaint.transition_leaving(complaint.stage)
    stage_form = None
    panels = []
    if can_act:
        for panel in next_custom.get("panels", ()):
            template, build = PANELS[panel]
            panels.append({"name": panel, "template": template, **build(request, complaint, forms)})
        state = next((p["state"] for p in panels if "state" in p), None)
        stage_form = _stage_form(next_name, next_custom, complaint, forms, state)
    current = STEPS.index(complaint.stage)
    steps = [
        {
            "stage": s,
            "letter": "CLEAR✓"[i],
            "label": s.label,
            "state": "done" if i < current else "current" if i == current else "todo",
        }
        for i, s in enumerate(STEPS)
    ]
    callbacks = list(complaint.callbacks.select_related("promised_by").order_by("due_at", "id"))
    callback_form = forms.get("callback") or CallbackForm(prefix="callback")
    callback_form.fields["due_at"].widget.input_type = "datetime-local"
    deadlines = [(_("Answer by"), complaint.respond_by, complaint.responded_at)]
    deadlines.append((_("Resolve by"), complaint.resolve_by, complaint.closed_at))
    # Outside deadlines (a regulator's clocks): one query when the complaint has a regime.
    outside_clocks = outside.clocks_of(complaint)
    regime = Regime.objects.filter(pk=complaint.regime_id).first() if complaint.regime_id else None
    regime_form = None
    if access.can_set_regime(request.user) and complaint.is_open:
        regime_form = forms.get("regime") or outside.RegimeChoiceForm(
            prefix="regime", initial={"regime": regime.code if regime else None}
        )
    context = {
        "complaint": complaint,
        "now": now,
        "overdue": complaint.is_overdue(now),
        "steps": steps,
        "can_act": can_act,
        "next_name": next_name,
        "next_transition": next_custom,
        "stage_form": stage_form,
        "stage_groups": _field_groups(stage_form, complaint),
        "panels": panels,
        "guidance": coaching.guidance_for(complaint.stage),
        "deadlines": deadlines,
        "outside_clocks": [(clock, clock.state(now)) for clock in outside_clocks],
        "regime": regime,
        "regime_form": regime_form,
        "timeline": _record_rows(records_for(complaint)),
        "attach_form": forms.get("attach") or AttachForm(prefix="attach"),
        "escalate_form": forms.get("escalate") or EscalateForm(prefix="escalate"),
        "satisfaction_form": forms.get("satisfaction") or SatisfactionForm(prefix="satisfaction"),
        "callbacks": callbacks,
        "callback_form": callback_form,
        "fulfil_form": forms.get("fulfil") or CallbackFulfilForm(prefix="fulfil"),
        "fulfil_for": forms.get("fulfil_for"),
        "hold_form": forms.get("hold") or HoldForm(prefix="hold"),
        "resume_form": forms.get("resume") or ResumeForm(prefix="resume"),
        "conflict": conflict,
        "unsaved_form": forms.get("unsaved"),
        "systemic_issue": systemic.issue_of(complaint),
        "redress": _redress_panel(request, complaint, forms, can_act),
        "similar": similar.similar_complaints(complaint=complaint, user=request.user),
        "repeat_of": (
            Complaint.objects.filter(pk=complaint.repeat_of_id).only("reference").first()
            if complaint.repeat_of_id
            else None
        ),
    }
    return render(request, "complaints/detail.html", context, status=status)


def _prefixed(data, prefix):
    """The POSTed fields of one form without their prefix, as the services expect them."""
    start = f"{prefix}-"
    return {key[len(start) :]: data.get(key) for key in data if key.startswith(start)}


@access.desk_page
def complaint_detail(request, pk):
    complaint = _complaint_or_404(pk)
    if request.method != "POST":
        return _page(request, complaint)
    access.require_worker(request.user)
    action = request.POST.get("action", "")
    if action == "redress":
        return _redress_step(request, complaint)
    forms_by_action = {
        **TRANSITION_FORMS,
        "escalate": EscalateForm,
        "satisfaction": SatisfactionForm,
        "callback": CallbackForm,
        "fulfil": CallbackFulfilForm,
        "compensation": CompensationRequestForm,
        "hold": HoldForm,
        "resume": ResumeForm,
    }
    if action == "attach":
        return _attach(request, complaint)
    if action not in forms_by_action:
        raise Http404(_("There is no such action."))
    form = forms_by_action[action](request.POST, prefix=action)
    promise_id = request.POST.get("promise", "")
    bound = {action: form, "fulfil_for": promise_id}
    if action == "fulfil" and not promise_id.isdigit():
        raise Http404(_("No such callback promise."))
    if not form.is_valid():
        return _page(request, complaint, forms=bound, status=400)
    data = _prefixed(request.POST, action)
    try:
        if action in TRANSITION_FORMS:
            complaint, warnings = transitions.complaint_transition(
                complaint=complaint, name=action, data=data, by=request.user
            )
            for warning in warnings:
                messages.warning(
                    request,
                    _("Coach: “%(phrase)s” - %(why)s Try instead: %(suggestion)s")
                    % {k: warning[k] for k in ("phrase", "why", "suggestion")},
                )
            messages.success(request, _("Moved to “%(stage)s”.") % {"stage": complaint.get_stage_display()})
        elif action == "escalate":
            escalation_services.complaint_escalate(complaint=complaint, data=data, by=request.user)
            messages.success(request, _("Escalated: a supervisor will see it in the escalations list."))
        elif action == "satisfaction":
            satisfaction.complaint_record_satisfaction(complaint=complaint, data=data, by=request.user)
            messages.success(request, _("Satisfaction recorded. Thank you for following up."))
        elif action == "callback":
            promise = callbacks.complaint_promise_callback(complaint=complaint, data=data, by=request.user)
            messages.success(
                request,
                _("Callback promised by %(time)s. Keep it: it is a deadline now.")
                % {"time": moment_text(promise.due_at)},
            )
        elif action == "fulfil":
            callbacks.complaint_fulfil_callback(
                complaint=complaint, promise_id=int(promise_id), data=data, by=request.user
            )
            messages.success(request, _("Callback recorded as made."))
        elif action == "hold":
            holds.complaint_hold(complaint=complaint, data=data, by=request.user)
            messages.success(
                request, _("On hold: its deadlines are paused until you resume it or the customer replies.")
            )
        elif action == "resume":
            holds.complaint_resume(complaint=complaint, data=data, by=request.user)
            messages.success(request, _("Resumed: its deadlines run again with the time they had left."))
        elif action == "compensation":
            compensation.compensation_request(complaint=complaint, data=data, by=request.user)
            messages.success(
                request, _("Approval requested: a supervisor will see it in the escalations list.")
            )
    except Conflict as exc:
        fresh = _complaint_or_404(pk)
        if action in TRANSITION_FORMS and action != Complaint.transition_leaving(fresh.stage)[0]:
            # A colleague moved it first: say who and when, and keep what was typed on the page.
            bound["unsaved"] = form
            conflict = f"{moves.moved_text(fresh)} {exc}"
            return _page(request, fresh, forms=bound, status=409, conflict=conflict)
        return _page(request, fresh, forms=bound, status=409, conflict=str(exc))
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        return _page(request, complaint, forms=bound, status=400)
    return redirect("complaint-detail", pk=complaint.pk)


def _attach(request, complaint):
    """Files attached on the complaint page (any stage: evidence may arrive after closing)."""
    form = AttachForm(request.POST, request.FILES, prefix="attach")
    if form.is_valid():
        try:
            added = attachments.attach_files(complaint, form.cleaned_data["uploads"], by=request.user)
        except ValidationError as exc:
            for errors in exc.message_dict.values():
                for error in errors:
                    form.add_error("uploads", error)
        else:
            messages.success(
                request,
                ngettext("%(count)s file attached.", "%(count)s files attached.", len(added))
                % {"count": len(added)},
            )
            return redirect("complaint-detail", pk=complaint.pk)
    return _page(request, complaint, forms={"attach": form}, status=400)


@access.regime_page
def complaint_regime(request, pk):
    """A supervisor or manager puts the complaint under an outside deadline regime, or none."""
    if request.method != "POST":
        return redirect("complaint-detail", pk=pk)
    complaint = _complaint_or_404(pk)
    form = outside.RegimeChoiceForm(request.POST, prefix="regime")
    if not form.is_valid():
        return _page(request, complaint, forms={"regime": form}, status=400)
    data = _prefixed(request.POST, "regime")
    try:
        complaint = outside.complaint_set_regime(complaint=complaint, data=data, by=request.user)
    except Conflict as exc:
        return _page(request, _complaint_or_404(pk), forms={"regime": form}, status=409, conflict=str(exc))
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        return _page(request, complaint, forms={"regime": form}, status=400)
    messages.success(request, _("Outside deadlines changed."))
    return redirect("complaint-detail", pk=complaint.pk)


def _redress_step(request, complaint):
    """One step of the redress ledger from its form on the complaint page."""
    step = request.POST.get("step", "")
    if step not in redress.STEP_FORMS:
        raise Http404(_("There is no such step."))
    prefix = f"redress_{step}"
    form = redress.STEP_FORMS[step](request.POST, prefix=prefix)
    bound = {prefix: form}
    if not form.is_valid():
        return _page(request, complaint, forms=bound, status=400)
    try:
        redress.redress_step(
            complaint=complaint, data={**_prefixed(request.POST, prefix), "step": step}, by=request.user
        )
    except Conflict as exc:
        return _page(request, _complaint_or_404(complaint.pk), forms=bound, status=409, conflict=str(exc))
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        return _page(request, complaint, forms=bound, status=400)
    messages.success(request, _("Redress ledger updated."))
    return redirect("complaint-detail", pk=complaint.pk)


def health(request):
    """For load balancers and monitoring: the database answers, and how many complaints the
    deadline sweep had to set aside lately (each is listed for supervisors on /escalations/)."""
    try:
        failures = sweep_failures_recent().count()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse(
        {"status": "ok" if not failures else "degraded", "database": "ok", "sweep_failures": failures}
    )
