"""Keeping a web process's long-lived objects out of the garbage collector's way.

A full (oldest-generation) collection walks every object the collector tracks, and a warmed web process
holds some 200,000 that live as long as it does: modules, classes and functions, models, URL patterns,
compiled templates, the admin site's forms and widgets. Such a collection takes 50-90 ms on an idle CPU
(more on a busy one) and falls on whichever request happens to allocate past the collector's threshold:
the 100-250 ms tail of single ops-console requests whose median is 20-40 ms (bench/lists.py measures
both ways).

`gc.freeze()` moves every tracked object into a permanent generation that collections skip, so a full
collection walks only what was made since. The process freezes when it starts and again after its first
requests, which load lazily what a server keeps (URL resolvers, templates, translation catalogs, the
admin's model pages). Garbage is collected before each freeze, so what is frozen is reachable; an object
frozen and dropped later is not reclaimed, which for a process's start-up objects costs little memory.
"""

import gc
from typing import Any

from django.core.signals import request_finished

# After these numbers of requests the process freezes again (and then stops counting).
FREEZE_AFTER_REQUESTS = (1, 10, 100)

_served = 0


def freeze_long_lived() -> None:
    """Collect the garbage there is, then exempt every surviving object from later collections."""
    gc.collect()
    gc.freeze()


def freeze_after_warm_up() -> None:
    """Freeze now and after the first requests (FREEZE_AFTER_REQUESTS): what a web server calls once."""
    freeze_long_lived()
    request_finished.connect(_request_finished, dispatch_uid="config.heap")


def _request_finished(**kwargs: Any) -> None:
    global _served
    _served += 1
    if _served in FREEZE_AFTER_REQUESTS:
        freeze_long_lived()
    if _served >= FREEZE_AFTER_REQUESTS[-1]:
        request_finished.disconnect(dispatch_uid="config.heap")
