"""The Celery app. Every task of ours inherits the retry and acknowledgement policy below."""

import os

from celery import Celery, Task
from django.db import InterfaceError, OperationalError

# Deployed processes (workers, beat, and gunicorn through config.wsgi, which imports this package
# first) default to production; manage.py and `make run` choose the local settings themselves.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")


class TransientError(Exception):
    """Raise from a task for a failure worth retrying (a remote 5xx, a timeout)."""


class BaseTask(Task):
    # Acknowledge after the work is done, so a crashed worker's task is redelivered;
    # that is safe because every task of ours is idempotent.
    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = (TransientError, OperationalError, InterfaceError, ConnectionError, TimeoutError)
    retry_backoff = 5
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 6


app = Celery("video_creator", task_cls=BaseTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _make_filesystem_broker_folders(sender: Celery, **kwargs: object) -> None:
    # kombu's filesystem transport expects its folders to exist.
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            os.makedirs(options[key], exist_ok=True)
