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


# Every 15 minutes (migration 0006): claim the recipients of the lifecycle campaigns.
@shared_task(name="growth.campaigns_evaluate")
def campaigns_evaluate_task() -> dict[str, int]:
    from growth.services.campaigns import campaigns_evaluate

    return campaigns_evaluate()


# Every minute (migration 0006), and after each evaluation or "send now": start the scheduled one-off
# campaigns that are due and mail pending sends, within CAMPAIGN_SEND_RATE_PER_MINUTE.
@shared_task(name="growth.campaign_sends_deliver")
def campaign_sends_deliver_task() -> int:
    from growth.services.campaigns import campaign_sends_deliver, campaigns_start_due

    campaigns_start_due()
    return campaign_sends_deliver()
