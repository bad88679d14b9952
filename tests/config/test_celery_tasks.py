"""Every task of ours is declared one way and scheduled one way."""

import pytest
from django_celery_beat.models import PeriodicTask

from config.celery import BaseTask, app

pytestmark = pytest.mark.django_db

OUR_APPS = ("teams.", "videos.", "billing.", "growth.", "insights.")


def test_every_task_of_ours_takes_the_retry_policy_of_base_task():
    app.loader.import_default_modules()
    ours = {name: task for name, task in app.tasks.items() if name.startswith(OUR_APPS)}
    assert ours
    assert [name for name, task in ours.items() if not isinstance(task, BaseTask)] == []


def test_every_periodic_task_is_seeded_in_beats_tables_and_names_a_task_of_ours():
    app.loader.import_default_modules()
    schedules = {p.task: (p.interval.every, p.interval.period) for p in PeriodicTask.objects.select_related("interval")}
    assert schedules == {
        "teams.emails_requeue_stale": (5, "minutes"),
        "billing.subscriptions_renew_due": (10, "minutes"),
        "videos.sweep_stalled_renders": (5, "minutes"),
        "videos.sweep_stalled_imports": (15, "minutes"),
        "videos.sweep_stalled_exports": (5, "minutes"),
        "videos.expire_exports": (60, "minutes"),
        "growth.experiment_verdicts_notify": (60, "minutes"),
        "growth.referral_rewards_catch_up": (60, "minutes"),
        "videos.publications_claim_due": (1, "minutes"),
        "videos.sweep_stalled_bulk_jobs": (5, "minutes"),
        "insights.webhook_deliveries_requeue_due": (1, "minutes"),
        "insights.health_history_record": (1, "minutes"),
        "insights.alerts_evaluate": (1, "minutes"),
        "insights.retrospective_send_weekly": (60, "minutes"),
        "insights.daily_snapshots_build": (60, "minutes"),
        "growth.campaigns_evaluate": (15, "minutes"),
        "growth.campaign_sends_deliver": (1, "minutes"),
        "insights.nps_survey_emails_send": (60, "minutes"),
        "teams.push_deliveries_requeue_stale": (5, "minutes"),
        "insights.incidents_escalate": (1, "minutes"),
        "insights.health_days_roll_up": (60, "minutes"),
        "insights.page_views_flush": (1, "minutes"),
        "insights.video_stats_fetch": (1440, "minutes"),
        "insights.customer_profiles_recompute": (1440, "minutes"),
    }
    assert set(schedules) <= set(app.tasks)
    # Beat no longer adds schedules of its own from code (they would overwrite staff's changes).
    assert not app.conf.beat_schedule


def test_bulk_tasks_go_to_their_own_queue_and_single_renders_stay_on_the_default_one(settings):
    router = app.amqp.router
    assert router.route({}, "videos.bulk_process_batch")["queue"].name == settings.VIDEO_BULK_QUEUE
    assert router.route({}, "videos.bulk_render_row")["queue"].name == settings.VIDEO_BULK_QUEUE
    assert router.route({}, "videos.render_version")["queue"].name == app.conf.task_default_queue == "celery"
