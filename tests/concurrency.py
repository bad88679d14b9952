"""Racing two calls against one lock, for the PostgreSQL concurrency tests of every app."""

import threading
import time
from collections.abc import Callable

from django.db import connection, transaction

from config.errors import DomainError


def run_while_first_holds_the_lock(first: Callable[[], object], second: Callable[[], object]) -> dict[str, str]:
    """Run `first` in a transaction that stays open while `second` starts, then let it commit."""
    results: dict[str, str] = {}
    first_done, release = threading.Event(), threading.Event()

    def outcome(name, call) -> None:
        try:
            call()
            results[name] = "ok"
        except DomainError as exc:
            results[name] = exc.code

    def run_first() -> None:
        def call() -> None:
            with transaction.atomic():
                first()
                first_done.set()
                release.wait(5)

        try:
            outcome("first", call)
        finally:
            first_done.set()
            connection.close()

    def run_second() -> None:
        first_done.wait(5)
        try:
            outcome("second", second)
        finally:
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # the second call is now waiting for the team lock
    release.set()
    for thread in threads:
        thread.join(10)
    return results
