"""Signals videos sends to its own parts (the bulk jobs) without the renderer knowing about them."""

from django.dispatch import Signal

# Sent inside the transaction that finishes or fails a render, with `version_id`, `video_id` and
# `ready` (True: the version is ready; False: it failed). Receivers write in that same transaction.
render_settled = Signal()
