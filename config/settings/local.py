"""The embedded default used by `make run`: debug on, everything local."""

from config.settings.base import *  # noqa: F403 (settings modules layer on each other)
from config.settings.base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Webhooks may go to a receiver on this machine, over plain HTTP (config/safe_http.py).
SAFE_HTTP_ALLOW_LOOPBACK = env.bool("SAFE_HTTP_ALLOW_LOOPBACK", default=True)
