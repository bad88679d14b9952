"""Thin tasks: call a service. All are idempotent (see the services)."""

from celery import shared_task


# Runs on the schedule seeded by migration 0002 (see config/beat.py).
@shared_task(name="growth.experiment_verdicts_notify")
def experiment_verdicts_notify_task() -> int:
    from growth.services.experiments import experiment_verdicts_notify

    return experiment_verdicts_notify()


# Hourly, on the schedule seeded by migration 0002_feature_title_trigram_and_schedule.
@shared_task(name="growth.referral_rewards_catch_up")
def referral_rewards_catch_up_task() -> int:
    """Reward referrals whose referee paid but whose payment signal was lost (idempotent)."""
    from growth.services.referrals import referral_rewards_catch_up

    return referral_rewards_catch_up()
