"""Signals insights sends, so other modules react without insights reaching into them (DESIGN.md §4).

Both are sent on commit (`transaction.on_commit`), once per alert episode, never once per evaluation.

`alert_fired(sender, episode_id: int, rule_key: str, severity: str, title: str, started_at: datetime)`
    An alert rule's condition became true: a new episode started. `severity` is one of
    "P0", "P1", "P2", "P3" or "info".
`alert_resolved(sender, episode_id: int, resolved_at: datetime)`
    The condition of that episode cleared.
"""

from django.dispatch import Signal

alert_fired = Signal()
alert_resolved = Signal()
