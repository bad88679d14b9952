"""Writes of the acquisition spend staff enter for CAC."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from config.errors import DomainError
from insights.models import AcquisitionSpend


@transaction.atomic
def acquisition_spend_save(
    *,
    spend: AcquisitionSpend | None = None,
    channel: str,
    month: date,
    amount_cents: int,
    note: str = "",
    actor: object = None,
) -> AcquisitionSpend:
    """Record (or correct) what one channel cost in one month; the month is stored as its first day."""
    if channel not in AcquisitionSpend.Channel.values:
        raise DomainError(_("Choose a channel from the list."), field="channel")
    if amount_cents < 0:
        raise DomainError(_("Spend cannot be negative."), field="amount_cents")
    month = month.replace(day=1)
    clash = AcquisitionSpend.objects.filter(channel=channel, month=month)
    if spend is not None and spend.pk:
        clash = clash.exclude(pk=spend.pk)
    if clash.exists():
        raise DomainError(_("That channel already has spend for that month: correct that row instead."), field="month")
    spend = spend or AcquisitionSpend()
    spend.channel, spend.month, spend.amount_cents, spend.note = channel, month, amount_cents, note
    spend.entered_by = actor if getattr(actor, "pk", None) else None
    spend.save()
    return spend


@transaction.atomic
def acquisition_spend_delete(*, spend: AcquisitionSpend) -> None:
    """Remove a spend row entered by mistake."""
    spend.delete()
