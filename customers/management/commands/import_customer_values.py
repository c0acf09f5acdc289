"""Load revenue and profit per customer and period from a CSV file."""

import csv
import datetime
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from customers.models import Customer
from customers.phones import phone_key
from customers.services import recompute_tiers, value_figures_import

HELP_COLUMNS = (
    "Columns: one of customer_id / phone / email to find the customer, period (YYYY-MM-DD or "
    "YYYY-MM, the first day of the period), revenue, profit. A row for an existing "
    "(customer, period) replaces its figures."
)


def _period(text):
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%Y-%m"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"period {text!r} is not YYYY-MM-DD or YYYY-MM")


def _amount(text, name):
    try:
        return Decimal((text or "0").strip().replace(",", "") or "0")
    except InvalidOperation as exc:
        raise ValueError(f"{name} {text!r} is not a number") from exc


class Command(BaseCommand):
    help = "Import customer value figures from CSV. " + HELP_COLUMNS

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV file with a header row")
        parser.add_argument("--recompute", action="store_true", help="recompute tiers afterwards")

    def handle(self, path, recompute=False, **options):
        try:
            with open(path, newline="", encoding="utf-8-sig") as handle:
                rows = list(csv.DictReader(handle))
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        # A customer merged into another: its figures go to the one that was kept.
        rows_by_id = Customer.objects.order_by("-id").values_list(
            "id", "phone_normalized", "email", "merged_into_id"
        )
        by_id, by_phone, by_email = {}, {}, {}
        for pk, phone, email, merged_into in rows_by_id:  # the oldest customer wins a shared phone
            by_id[pk] = merged_into or pk
            if phone:
                by_phone[phone] = merged_into or pk
            if email:
                by_email[email.lower()] = merged_into or pk
        figures, errors = {}, []
        for line, row in enumerate(rows, start=2):
            try:
                customer_id = self._customer(row, by_id, by_phone, by_email)
                period = _period(row.get("period") or "")
                figures[(customer_id, period)] = {
                    "customer_id": customer_id,
                    "period": period,
                    "revenue": _amount(row.get("revenue"), "revenue"),
                    "profit": _amount(row.get("profit"), "profit"),
                }
            except ValueError as exc:
                errors.append(f"line {line}: {exc}")
        if errors:
            raise CommandError("Nothing imported:\n" + "\n".join(errors[:50]))
        with transaction.atomic():
            count = value_figures_import(figures.values())
        self.stdout.write(f"Imported {count} figures.")
        if recompute:
            changed = recompute_tiers()
            self.stdout.write(f"Tiers recomputed: {len(changed)} customers changed tier.")

    @staticmethod
    def _customer(row, by_id, by_phone, by_email):
        raw_id = (row.get("customer_id") or "").strip()
        if raw_id:
            if raw_id.isdigit() and int(raw_id) in by_id:
                return by_id[int(raw_id)]
            raise ValueError(f"no customer with id {raw_id}")
        phone = phone_key(row.get("phone") or "")
        if phone:
            if phone in by_phone:
                return by_phone[phone]
            raise ValueError(f"no customer with phone {row.get('phone')!r}")
        email = (row.get("email") or "").strip().lower()
        if email:
            if email in by_email:
                return by_email[email]
            raise ValueError(f"no customer with email {email!r}")
        raise ValueError("give customer_id, phone or email")
