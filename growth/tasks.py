"""Thin tasks: call a service. All are idempotent (see the services)."""

from celery import shared_task


# Runs on the schedule seeded by migration 0002 (see config/beat.py).
@shared_task(name="growth.experiment_verdicts_notify")
def experiment_verdicts_notify_task() -> int:
    from growth.services.experiments import experiment_verdicts_notify

    return experiment_verdicts_notify()
