"""Print last week's retrospective, or e-mail it to staff (once per week) with --send."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from insights.retrospective import last_full_week, retrospective_build, retrospective_send


class Command(BaseCommand):
    help = "Print last week's retrospective report; --send e-mails it to staff (once per week)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--send", action="store_true", help="E-mail it to every active staff member.")

    def handle(self, *args: object, send: bool, **options: object) -> None:
        if send:
            sent = retrospective_send()
            self.stdout.write(f"{sent} e-mails queued" if sent else "This week's report was sent already.")
            return
        since, until = last_full_week(now=timezone.now())
        report = retrospective_build(since=since, until=until)
        self.stdout.write(f"Retrospective {since:%Y-%m-%d} - {until:%Y-%m-%d}")
        self.stdout.write("Quick wins:")
        for win in report.quick_wins or ["—"]:
            self.stdout.write(f"  - {win}")
        for section in report.sections:
            self.stdout.write(f"\n{section.title}")
            for row in section.rows or [{"—": ""}]:
                self.stdout.write("  " + ", ".join(f"{k}: {v}" for k, v in row.items()))
