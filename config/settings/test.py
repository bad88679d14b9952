"""Fast, isolated test settings; DATABASE_URL and CELERY_BROKER_URL still come from the environment."""

import uuid
from pathlib import Path

from config.settings.base import *  # noqa: F403 (settings modules layer on each other)
from config.settings.base import BASE_DIR, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "var" / "test-media")))
# Tasks run in-process unless a test starts a real worker; on_commit still applies.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# Serve static files straight from the app folders, as runserver does, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Each run gets its own cache namespace, so a shared Redis never carries rate limits or cached
# answers from one run (or one developer's run) into another.
CACHES["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex[:12]}"
# Tiny, fast renders: 160x284 portrait at 10 frames per second.
VIDEO_RENDER_LONG_SIDE = 284
VIDEO_RENDER_FPS = 10
VIDEO_RENDER_PRESET = "ultrafast"
# Publishing: small chunks so tests see several, no waiting between status polls.
PUBLISHING_CHUNK_BYTES = env.int("PUBLISHING_CHUNK_BYTES", default=256 * 1024)
PUBLISHING_POLL_SECONDS = 0.0
PUBLISHING_HTTP_TIMEOUT_SECONDS = env.float("PUBLISHING_HTTP_TIMEOUT_SECONDS", default=2.0)
# Webhook tests talk to receivers on 127.0.0.1 over plain HTTP (config/safe_http.py).
SAFE_HTTP_ALLOW_LOOPBACK = True
# Request timings are written only when a test flushes them, so no request's query count ever
# includes another request's timings.
REQUEST_TIMING_FLUSH_SECONDS = 10**9
# Web push against a push service on 127.0.0.1: a VAPID pair generated once into var/.
VAPID_LOCAL_KEYS_FILE = BASE_DIR / "var" / "vapid-keys.json"
VAPID_SUBJECT = "mailto:ops@videocreator.local"
WEB_PUSH_ENABLED = True
WEB_PUSH_TIMEOUT_SECONDS = 3.0
