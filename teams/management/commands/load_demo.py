"""Load a demo creator and a staff account so a newcomer sees a living product."""

import os

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from insights.event_names import EventName
from insights.events import record_event
from teams.models import User

DEMO_CREATOR_EMAIL = "demo@videocreator.local"
DEMO_STAFF_EMAIL = "ops@videocreator.local"


class Command(BaseCommand):
    help = "Create (or refresh) the demo creator and the demo staff account, and print their logins."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_PASSWORD", "demo-password-123"),
            help="Password for both demo accounts (default: $DEMO_PASSWORD or demo-password-123).",
        )

    @transaction.atomic
    def handle(self, *args: object, password: str, **options: object) -> None:
        if not settings.DEMO_DATA_ALLOWED:
            # The demo staff account is a superuser with a well-known password.
            raise CommandError("Demo data is off here (DEMO_DATA_ALLOWED is false, as in production).")
        creator = self._account(DEMO_CREATOR_EMAIL, password, display_name="Demo Creator", staff=False)
        staff = self._account(DEMO_STAFF_EMAIL, password, display_name="Ops", staff=True)
        if not creator.events.exists():
            record_event(name=EventName.USER_SIGNED_UP, actor=creator, subject=creator)
        # Each app loads its own demo data; the setting orders them.
        for path in settings.DEMO_LOADERS:
            import_string(path)(creator=creator, staff=staff)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"  Creator login: {DEMO_CREATOR_EMAIL} / {password}")
        self.stdout.write(f"  Ops console (staff) login: {DEMO_STAFF_EMAIL} / {password}")

    def _account(self, email: str, password: str, *, display_name: str, staff: bool) -> User:
        user, _ = User.objects.get_or_create(email=email, defaults={"display_name": display_name})
        user.display_name = display_name
        user.is_staff = user.is_superuser = staff
        user.set_password(password)
        user.save()
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        return user
