"""Print a new VAPID key pair for web push, as the environment variables production reads."""

from typing import Any

from django.core.management.base import BaseCommand

from teams.push_keys import keys_generate


class Command(BaseCommand):
    help = "Generate a VAPID key pair for web push (VAPID_PRIVATE_KEY, VAPID_PUBLIC_KEY)."

    def handle(self, *args: Any, **options: Any) -> None:
        private, public = keys_generate()
        self.stdout.write(f"VAPID_PRIVATE_KEY={private}\nVAPID_PUBLIC_KEY={public}\n")
