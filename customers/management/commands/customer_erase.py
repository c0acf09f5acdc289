from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from customers.models import Customer
from customers.privacy import erase_customer


class Command(BaseCommand):
    help = (
        "Erase one customer's personal data wherever the desk holds it (every spelling of their name, "
        "phone and addresses becomes [erased]), keeping their complaints and the filed record."
    )

    def add_arguments(self, parser):
        parser.add_argument("customer_id", type=int)
        parser.add_argument("--reason", required=True, help="why (kept in the filed record)")
        parser.add_argument("--by", required=True, help="username of the supervisor who asked for it")

    def handle(self, customer_id, reason, by, **options):
        customer = Customer.objects.filter(pk=customer_id).first()
        if customer is None:
            raise CommandError(f"No customer with id {customer_id}.")
        user = get_user_model().objects.filter(username=by, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user called {by}.")
        try:
            erase_customer(customer=customer, reason=reason, by=user)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Personal data of customer {customer_id} erased."))
        # The erasure reaches the live database only.
        self.stdout.write("Backups taken before now still hold it until they are rotated out.")
