import json

from django.core.management.base import BaseCommand, CommandError

from customers.models import Customer
from customers.privacy import export_customer


class Command(BaseCommand):
    help = "Print (or write) everything held about one customer as JSON."

    def add_arguments(self, parser):
        parser.add_argument("customer_id", type=int)
        parser.add_argument("--out", help="write to this file instead of standard output")

    def handle(self, customer_id, out=None, **options):
        customer = Customer.objects.filter(pk=customer_id).first()
        if customer is None:
            raise CommandError(f"No customer with id {customer_id}.")
        text = json.dumps(export_customer(customer), ensure_ascii=False, indent=2)
        if out:
            with open(out, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stdout.write(self.style.SUCCESS(f"Wrote {out}"))
        else:
            self.stdout.write(text)
