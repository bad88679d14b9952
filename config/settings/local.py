"""The embedded default used by `make run`: debug on, everything local."""

from config.settings.base import *  # noqa: F403 (settings modules layer on each other)
from config.settings.base import VAR_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Webhooks may go to a receiver on this machine, over plain HTTP (config/safe_http.py).
SAFE_HTTP_ALLOW_LOOPBACK = env.bool("SAFE_HTTP_ALLOW_LOOPBACK", default=True)
# Web push works out of the box: a VAPID pair is generated once into var/ (never committed).
VAPID_LOCAL_KEYS_FILE = VAR_DIR / "vapid-keys.json"
VAPID_SUBJECT = env("VAPID_SUBJECT", default="mailto:ops@videocreator.local")
WEB_PUSH_ENABLED = env.bool("WEB_PUSH_ENABLED", default=True)
