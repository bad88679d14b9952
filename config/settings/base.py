"""Settings shared by every environment, read from environment variables only.

With nothing set, the embedded default runs anywhere: SQLite, local media files, a
file-based mail outbox and a Celery broker on the file system (no server needed).
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"  # embedded-default state: database, media, outbox, broker
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()

# A development key only; production.py refuses to start without DJANGO_SECRET_KEY.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="django-insecure-embedded-default-not-for-production")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
SITE_ID = 1

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_countries",
    "allauth",
    "allauth.account",
    # Linking publishing accounts (videos/publishing): connect only, never sign in or up with them.
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.instagram",
    "allauth.socialaccount.providers.tiktok",
    "allauth.socialaccount.providers.facebook",
    "allauth.socialaccount.providers.twitter_oauth2",
    "teams",
    "videos",
    "growth",
    "billing",
    "insights",
]

MIDDLEWARE = [
    # First, so its clock covers the whole stack (insights/request_timing.py).
    "insights.request_timing.RequestTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: the signed-in user's saved language and time zone win.
    "teams.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Sets the first-party visitor cookie when a page assigned a visitor to an experiment.
    "growth.middleware.ExperimentVisitorMiddleware",
    # Inside the visitor middleware (which sets the cookie a first page view may create): buffers
    # a page.viewed event per HTML page (insights/page_views.py).
    "insights.middleware.PageViewMiddleware",
    # Stores answers to POSTs with an Idempotency-Key and adds RateLimit-* headers (config/api_requests.py).
    "config.api_requests.ApiResponseMiddleware",
    # Last, so it is the first to see a view's exception: domain refusals become 404/403/4xx pages.
    "config.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "teams.context_processors.nav",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default has a web process, workers and beat writing to one file: WAL lets
    # readers and a writer work at once, and writers wait for each other instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
    # The list indexes carry the title (INCLUDE) for PostgreSQL's index-only reads; SQLite builds
    # them without it, which changes nothing there but speed, so its warning is silenced.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://video-creator")}

# --- Auth -----------------------------------------------------------------------------
AUTH_USER_MODEL = "teams.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "landing"
# A new account starts with the short onboarding tour (growth), then the dashboard.
ACCOUNT_SIGNUP_REDIRECT_URL = "onboarding"

ACCOUNT_ADAPTER = "teams.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Video Creator] "
ACCOUNT_FORMS = {
    "login": "teams.forms.LoginForm",
    "signup": "teams.forms.SignupForm",
}

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("de", _("German")),
    ("pt", _("Portuguese")),
    ("ja", _("Japanese")),
    ("ko", _("Korean")),
    ("zh-hans", _("Simplified Chinese")),
    ("hi", _("Hindi")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing folder
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
# How long a media URL works, on S3 (presigned) and locally (signed by config.storage) alike.
MEDIA_URL_EXPIRE_SECONDS = env.int("MEDIA_URL_EXPIRE_SECONDS", default=env.int("AWS_QUERYSTRING_EXPIRE", default=3600))
# Files per request: the largest form takes one per template slot (videos.render.spec.MAX_SLOTS, 8),
# plus a margin; Django's default of 100 let one request park 100 plan-sized files on the disk.
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# Files sent to any other view than the two upload routes are held in memory, this much in all per
# request (past it they are dropped), and never written to disk; staff get more for the admin's
# template import (a CSV or JSON file). The upload routes install the plan's limit instead.
FILE_UPLOAD_HANDLERS = [
    "videos.uploads.RequestUploadCapHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
UPLOAD_DEFAULT_MAX_REQUEST_BYTES = env.int("UPLOAD_DEFAULT_MAX_REQUEST_BYTES", default=2 * 1024 * 1024)
UPLOAD_STAFF_MAX_REQUEST_BYTES = env.int("UPLOAD_STAFF_MAX_REQUEST_BYTES", default=20 * 1024 * 1024)

AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    # S3 (or any S3-compatible endpoint); credentials come from the standard AWS_* variables.
    DEFAULT_STORAGE = {
        "BACKEND": "config.storage.MediaS3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": MEDIA_URL_EXPIRE_SECONDS,
            "signature_version": env("AWS_S3_SIGNATURE_VERSION", default="s3v4"),
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "config.storage.SignedFileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Every S3 object downloads as a file, never opens as a page (a player or <img> still shows it).
AWS_S3_OBJECT_PARAMETERS = {"ContentDisposition": "attachment"}
# Checking user media inside a request (videos/media.py): wall-clock limits for one ffprobe call and
# for the whole check of one file (probe, remux, decode), and how many seconds of a clip are decoded
# to find damaged frames.
MEDIA_PROBE_TIMEOUT_SECONDS = env.float("MEDIA_PROBE_TIMEOUT_SECONDS", default=20.0)
MEDIA_CHECK_TIMEOUT_SECONDS = env.float("MEDIA_CHECK_TIMEOUT_SECONDS", default=120.0)
MEDIA_DECODE_CHECK_SECONDS = env.int("MEDIA_DECODE_CHECK_SECONDS", default=120)

# --- E-mail ---------------------------------------------------------------------------
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = Path(env("EMAIL_FILE_PATH", default=str(VAR_DIR / "outbox")))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Video Creator <hello@videocreator.local>")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# --- Celery ---------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # A task not acknowledged within an hour is redelivered (acks_late).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Bulk jobs (one template, a sheet, many videos) make and render on a queue of their own, so a
# 1,000-row job never holds back anyone's single render: single renders and everything else stay on
# the default queue ("celery"). Run a worker for each (see the README), or one consuming both
# (`-Q celery,bulk`, as `make run` does), which takes from the two queues in turn.
VIDEO_BULK_QUEUE = env("VIDEO_BULK_QUEUE", default="bulk")
# Webhook deliveries have their own queue and workers too (`celery worker -Q webhooks -P threads -c 20`
# in production), so a slow receiver never delays other work.
CELERY_TASK_ROUTES = {
    "videos.bulk_*": {"queue": VIDEO_BULK_QUEUE},
    "insights.webhook_deliver": {"queue": "webhooks"},
}

# --- API ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: unauthenticated requests then get 401 with a WWW-Authenticate header.
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "config.api.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "config.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Signed-in callers get their plan's API rate (billing.limits); anonymous callers a fixed one.
    # IdempotencyThrottle limits nothing: it is where `Idempotency-Key` is honoured (config/api_requests.py).
    "DEFAULT_THROTTLE_CLASSES": [
        "billing.throttling.PlanRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
        "config.api_requests.IdempotencyThrottle",
    ],
    # api_tokens: creating and revoking API tokens, per person; webhooks: webhook writes, per person.
    "DEFAULT_THROTTLE_RATES": {
        "anon": "100/hour",
        "api_tokens": "30/hour",
        "exports": "30/hour",
        # bulk: creating, starting, cancelling and retrying bulk jobs, per person.
        "bulk": "30/hour",
        # previews: scene frames drawn for the live preview (cached frames are not counted), per person.
        "previews": "900/hour",
        # experiments: reading assignments and posting experiment goals, per person.
        "experiments": "1000/hour",
        "publications": "120/hour",
        "webhooks": "120/hour",
        # metrics: staff reading the metrics API, per person.
        "metrics": "600/hour",
        # email_tracking: opens and clicks recorded from marketing e-mails, per recipient.
        "email_tracking": "600/hour",
        # email_preferences: saving marketing e-mail choices and unsubscribing, per person.
        "email_preferences": "60/hour",
        # nps: answering the NPS survey, per person (one answer per period is the rule; this stops floods).
        "nps": "30/hour",
        # support: support requests and replies on their threads, per person.
        "support": "10/hour",
        # push_subscriptions: a browser allowing or stopping push, per person.
        "push_subscriptions": "30/hour",
        # push_beacons: "shown" and "clicked" reports of service workers, per client address.
        "push_beacons": "600/hour",
        # status: the public status JSON, per client address; status_pages: the status page, its
        # feeds and subscription links, per client address; status_subscriptions: subscribing,
        # per client address and (…_per_email) per e-mail address; prometheus: /metrics scrapes per address.
        "status": "1200/hour",
        "status_pages": "1200/hour",
        "status_subscriptions": "10/hour",
        "status_subscriptions_per_email": "3/day",
        "prometheus": "1200/hour",
        # player_beacons: view and watch-time beacons from our video player, per person.
        "player_beacons": "1200/hour",
    },
}
# API tokens (django-rest-knox): only a SHA-512 hash is stored; each token has an expiry and a
# name (teams.ApiTokenLabel).
# knox's own default, spelled out: migrations pointing at a swappable model need the setting to exist.
KNOX_TOKEN_MODEL = "knox.AuthToken"  # noqa: S105 (a model name, not a secret)
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=90),  # when the caller does not choose
    # Recognisable by secret scanners and people; clients send "Authorization: Token <key>" as before.
    "TOKEN_PREFIX": "vc_",
    "AUTH_HEADER_PREFIX": "Token",
}

# --- Client addresses -----------------------------------------------------------------
# How many proxies we run in front of the app (load balancer, ingress), each appending the address
# it saw to X-Forwarded-For. The client is the entry that many places from the end; anything before
# it was written by the client and may be forged. 0 trusts no header and uses the socket's address.
# One number for both readers of the address: the API's rate limits and allauth's sign-in limits.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT
SPECTACULAR_SETTINGS = {
    "TITLE": "Video Creator API",
    "DESCRIPTION": "Make, brand, version, export and publish short videos.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets named like another app's ("category", "status") get names of their own.
    "ENUM_NAME_OVERRIDES": {
        "FeatureRequestCategoryEnum": "growth.feature_models.FeatureRequest.Category",
        "FeatureRequestStatusEnum": "growth.feature_models.FeatureRequest.Status",
        "BulkJobStatusEnum": "videos.bulk_models.BulkJob.Status",
        "BulkRowStatusEnum": "videos.bulk_models.BulkRow.Status",
        "SupportRequestCategoryEnum": "insights.support_models.SupportRequest.Category",
        "SupportRequestStatusEnum": "insights.support_models.SupportRequest.Status",
        "StatusStateEnum": "insights.api.status.STATES",
    },
}

# --- Outbound HTTP to user-given URLs (config/safe_http.py) ---------------------------
# Plain HTTP and loopback receivers (127.0.0.1, ::1): tests and development only, never production.
SAFE_HTTP_ALLOW_LOOPBACK = env.bool("SAFE_HTTP_ALLOW_LOOPBACK", default=False)

# --- Web push (teams/push_keys.py, teams/services/push.py) ----------------------------
# VAPID (RFC 8292): the key pair that signs our pushes, base64url (the private key as its raw
# 32 bytes, the public key as the uncompressed point browsers take as applicationServerKey), and a
# contact for the push services (mailto: or https:). Push is on when a key is given.
VAPID_PRIVATE_KEY = env("VAPID_PRIVATE_KEY", default="")
VAPID_PUBLIC_KEY = env("VAPID_PUBLIC_KEY", default="")
VAPID_SUBJECT = env("VAPID_SUBJECT", default="")
# Development and tests only: with no key in the environment, one pair is generated into this file.
VAPID_LOCAL_KEYS_FILE = None
WEB_PUSH_ENABLED = env.bool("WEB_PUSH_ENABLED", default=bool(VAPID_PRIVATE_KEY))
WEB_PUSH_TIMEOUT_SECONDS = env.float("WEB_PUSH_TIMEOUT_SECONDS", default=10.0)

# --- Admin and logging ----------------------------------------------------------------
ADMIN_URL = env("DJANGO_ADMIN_URL", default="admin/")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}

# --- Health check ---------------------------------------------------------------------
HEALTHZ_TIMEOUT_SECONDS = env.float("HEALTHZ_TIMEOUT_SECONDS", default=2.0)
# The storage probe writes a file; its outcome is reused for this long.
HEALTHZ_STORAGE_PROBE_SECONDS = env.int("HEALTHZ_STORAGE_PROBE_SECONDS", default=30)

# --- Monitoring: request timings, alerts, retrospective (insights) ---------------------
# Share of requests whose timing is recorded (0…1); observers (add_observer) see every request.
REQUEST_TIMING_SAMPLE_RATE = env.float("REQUEST_TIMING_SAMPLE_RATE", default=1.0)
# Timings are summed in each process and written in bulk at most this often (seconds).
REQUEST_TIMING_FLUSH_SECONDS = env.float("REQUEST_TIMING_FLUSH_SECONDS", default=10.0)
# One aggregated row per route, method and period of this length (seconds).
REQUEST_TIMING_PERIOD_SECONDS = env.int("REQUEST_TIMING_PERIOD_SECONDS", default=300)
REQUEST_TIMING_KEEP_DAYS = env.int("REQUEST_TIMING_KEEP_DAYS", default=35)
HEALTH_HISTORY_KEEP_DAYS = env.int("HEALTH_HISTORY_KEEP_DAYS", default=92)
# Fired and resolved alerts are also POSTed here (signed like our webhooks); empty: not sent.
ALERT_WEBHOOK_URL = env("ALERT_WEBHOOK_URL", default="")
# A Standard Webhooks secret (whsec_…) for the alert webhook's signature.
ALERT_WEBHOOK_SECRET = env("ALERT_WEBHOOK_SECRET", default="")

# --- Metrics and daily snapshots (insights/metrics) -----------------------------------------
# How many finished days the hourly snapshot task looks back for days without snapshots (bounded,
# so a long outage is caught up over a few runs rather than in one).
INSIGHTS_SNAPSHOT_BACKFILL_DAYS = env.int("INSIGHTS_SNAPSHOT_BACKFILL_DAYS", default=35)
# --- Incidents, status page, Prometheus -------------------------------------------------
# How long the status page's snapshot is reused; incidents and maintenance clear it when they change.
STATUS_CACHE_SECONDS = env.int("STATUS_CACHE_SECONDS", default=30)
# `/metrics` accepts `Authorization: Bearer <this>` (or a signed-in staff session); empty: staff only.
METRICS_BEARER_TOKEN = env("METRICS_BEARER_TOKEN", default="")
# prometheus-client reads PROMETHEUS_MULTIPROC_DIR itself, from the environment (insights/prometheus.py).

# --- Demo data ----------------------------------------------------------------------------
# `manage.py load_demo` calls these in order, each with the demo creator and staff accounts; a
# loader may build on the ones before it (comments need the demo videos). A new app adds its own.
# Production turns demo data off: its staff account is a superuser with a well-known password.
DEMO_DATA_ALLOWED = True
DEMO_LOADERS = [
    "billing.demo.load",
    "teams.demo.load",
    "videos.demo.load",
    "videos.demo.load_branding_and_exports",
    "videos.publishing_demo.load",
    "teams.demo.load_comments",
    "growth.community_demo.load",
    "insights.demo.load",
    "insights.nps_demo.load",
    "insights.incidents_demo.load",
    "videos.demo.load_bulk",
    "insights.monitoring_demo.load",
    "growth.campaign_demo.load",
    "teams.push_demo.load",
    "insights.engagement_demo.load",
    # Snapshots are back-filled from the demo data the loaders above wrote.
    "insights.metrics_demo.load",
    "growth.demo.load_experiments",
]

# --- Growth: referrals, feature requests, waitlists -------------------------------------
# The referee's discount on their first invoice, and how long after signup a code can be applied.
GROWTH_REFERRAL_PERCENT_OFF = env.int("GROWTH_REFERRAL_PERCENT_OFF", default=20)
GROWTH_REFERRAL_APPLY_DAYS = env.int("GROWTH_REFERRAL_APPLY_DAYS", default=14)
# With Stripe: the id of a Stripe coupon with the same discount ("once"), used at Checkout for
# every referee's own single-use coupon. Empty: the discount applies to invoices we make ourselves.
GROWTH_REFERRAL_STRIPE_COUPON = env("GROWTH_REFERRAL_STRIPE_COUPON", default="")
# RICE reach "weighted by plan": a voter on a paid plan counts this many times.
GROWTH_RICE_PAID_VOTER_WEIGHT = env.int("GROWTH_RICE_PAID_VOTER_WEIGHT", default=2)

# --- Growth: lifecycle and one-off e-mail campaigns -----------------------------------------
# Marketing mail is sent only while the recipient's local clock is in [start, end) hours.
CAMPAIGN_SEND_WINDOW_HOURS = (
    env.int("CAMPAIGN_SEND_WINDOW_START", default=9),
    env.int("CAMPAIGN_SEND_WINDOW_END", default=18),
)
# A "day N" trigger whose moment passed longer ago than this is not made up for.
CAMPAIGN_CATCH_UP_DAYS = env.int("CAMPAIGN_CATCH_UP_DAYS", default=2)
# The sender's pace (all campaigns together) and how many mails one transaction queues.
CAMPAIGN_SEND_RATE_PER_MINUTE = env.int("CAMPAIGN_SEND_RATE_PER_MINUTE", default=600)
CAMPAIGN_SEND_BATCH_SIZE = env.int("CAMPAIGN_SEND_BATCH_SIZE", default=100)
# Hosts besides SITE_URL's that tracked links in campaign mail may lead to (e.g. a blog, docs).
CAMPAIGN_LINK_ALLOWED_HOSTS = env.list("CAMPAIGN_LINK_ALLOWED_HOSTS", default=[])

# --- Billing ----------------------------------------------------------------------------
# "manual" (built in: upgrades take effect at once, no card) or "stripe".
BILLING_PROVIDER = env("BILLING_PROVIDER", default="manual")
# A past_due subscription keeps its plan this many days after its payment failed.
BILLING_PAST_DUE_GRACE_DAYS = env.int("BILLING_PAST_DUE_GRACE_DAYS", default=7)
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
# Only set to talk to a Stripe-compatible server other than api.stripe.com (tests, stripe-mock).
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
# Price ids by "<plan code>_<interval>", used when a plan has no Stripe price id of its own.
STRIPE_PRICES = {
    "pro_month": env("STRIPE_PRICE_PRO_MONTHLY", default=""),
    "pro_year": env("STRIPE_PRICE_PRO_ANNUAL", default=""),
}

# --- Video rendering ------------------------------------------------------------------
# Longer side in pixels (1920 -> 1080x1920 for 9:16), frame rate and x264 preset of renders.
VIDEO_RENDER_LONG_SIDE = env.int("VIDEO_RENDER_LONG_SIDE", default=1920)
VIDEO_RENDER_FPS = env.int("VIDEO_RENDER_FPS", default=30)
VIDEO_RENDER_PRESET = env("VIDEO_RENDER_PRESET", default="veryfast")
# Every ffmpeg call of a render is killed after PER_SECOND x the video's duration + BASE seconds,
# and the version fails with a message saying so. Keep the longest render's limit below the stale time.
VIDEO_RENDER_TIMEOUT_PER_SECOND = env.float("VIDEO_RENDER_TIMEOUT_PER_SECOND", default=10.0)
VIDEO_RENDER_TIMEOUT_BASE_SECONDS = env.float("VIDEO_RENDER_TIMEOUT_BASE_SECONDS", default=120.0)
# A render claimed longer ago than this is considered lost with its worker and may be claimed again.
VIDEO_RENDER_STALE_AFTER_SECONDS = env.int("VIDEO_RENDER_STALE_AFTER_SECONDS", default=1800)
# Batch exports (videos/services/exports.py): a running export that showed no sign of life for this
# long lost its worker and is built again; a ready ZIP's link and the ZIP itself last this many days.
VIDEO_EXPORT_STALE_AFTER_SECONDS = env.int("VIDEO_EXPORT_STALE_AFTER_SECONDS", default=300)
VIDEO_EXPORT_LINK_DAYS = env.int("VIDEO_EXPORT_LINK_DAYS", default=7)

# --- Scheduled publishing (videos/publishing) --------------------------------------------
# Publishing accounts are linked with allauth's social providers; a provider whose client id and
# secret are not set is shown as "not configured" on the accounts page.
SOCIALACCOUNT_ADAPTER = "videos.platforms.accounts.SocialAccountAdapter"
SOCIALACCOUNT_STORE_TOKENS = True  # the upload needs them; allauth keeps them, we never show them
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_QUERY_EMAIL = False


def _social_app(prefix: str) -> dict[str, dict[str, str]]:
    client_id, secret = env(f"{prefix}_CLIENT_ID", default=""), env(f"{prefix}_CLIENT_SECRET", default="")
    return {"APP": {"client_id": client_id, "secret": secret}} if client_id and secret else {}


SOCIALACCOUNT_PROVIDERS = {
    "google": {
        **_social_app("YOUTUBE"),
        "SCOPE": [
            "profile",
            "https://www.googleapis.com/auth/youtube.upload",
            "https://www.googleapis.com/auth/youtube.readonly",
        ],
        # A refresh token, so scheduled uploads work long after the person linked the account.
        "AUTH_PARAMS": {"access_type": "offline", "prompt": "consent"},
    },
    "instagram": {
        **_social_app("INSTAGRAM"),
        "SCOPE": ["instagram_business_basic", "instagram_business_content_publish"],
    },
    "tiktok": {**_social_app("TIKTOK"), "SCOPE": ["user.info.basic", "video.upload", "video.publish"]},
    "facebook": {
        **_social_app("FACEBOOK"),
        "METHOD": "oauth2",
        "SCOPE": ["pages_show_list", "pages_read_engagement", "pages_manage_posts", "publish_video"],
    },
    "twitter_oauth2": {
        **_social_app("X"),
        "SCOPE": ["tweet.read", "tweet.write", "users.read", "media.write", "offline.access"],
    },
}
# Where each platform's API lives; tests point these at local servers.
PUBLISHING_YOUTUBE_BASE_URL = env("PUBLISHING_YOUTUBE_BASE_URL", default="https://www.googleapis.com")
PUBLISHING_INSTAGRAM_BASE_URL = env("PUBLISHING_INSTAGRAM_BASE_URL", default="https://graph.instagram.com/v21.0")
PUBLISHING_TIKTOK_BASE_URL = env("PUBLISHING_TIKTOK_BASE_URL", default="https://open.tiktokapis.com")
PUBLISHING_FACEBOOK_BASE_URL = env("PUBLISHING_FACEBOOK_BASE_URL", default="https://graph-video.facebook.com/v21.0")
PUBLISHING_X_BASE_URL = env("PUBLISHING_X_BASE_URL", default="https://api.x.com")
# Token refresh endpoints (OAuth 2 refresh_token grant; Instagram's long-lived token refresh).
PUBLISHING_TOKEN_URLS = {
    "google": env("PUBLISHING_GOOGLE_TOKEN_URL", default="https://oauth2.googleapis.com/token"),
    "tiktok": env("PUBLISHING_TIKTOK_TOKEN_URL", default="https://open.tiktokapis.com/v2/oauth/token/"),
    "twitter_oauth2": env("PUBLISHING_X_TOKEN_URL", default="https://api.x.com/2/oauth2/token"),
    "instagram": env("PUBLISHING_INSTAGRAM_TOKEN_URL", default="https://graph.instagram.com/refresh_access_token"),
}
PUBLISHING_HTTP_TIMEOUT_SECONDS = env.float("PUBLISHING_HTTP_TIMEOUT_SECONDS", default=60.0)
PUBLISHING_CHUNK_BYTES = env.int("PUBLISHING_CHUNK_BYTES", default=8 * 1024 * 1024)
PUBLISHING_POLL_SECONDS = env.float("PUBLISHING_POLL_SECONDS", default=5.0)
PUBLISHING_POLL_ATTEMPTS = env.int("PUBLISHING_POLL_ATTEMPTS", default=24)

# --- Insights: engagement and page views ----------------------------------------------------
# A watch-time beacon counts at most this many seconds (the player sends one every 15 s).
ENGAGEMENT_WATCH_BEACON_MAX_SECONDS = env.int("ENGAGEMENT_WATCH_BEACON_MAX_SECONDS", default=60)
# Watch time per visitor, video and day is capped at the video's length times this many replays
# (or ENGAGEMENT_WATCH_CAP_UNKNOWN_SECONDS when the length is unknown).
ENGAGEMENT_WATCH_REPLAYS = env.int("ENGAGEMENT_WATCH_REPLAYS", default=3)
ENGAGEMENT_WATCH_CAP_UNKNOWN_SECONDS = env.int("ENGAGEMENT_WATCH_CAP_UNKNOWN_SECONDS", default=3600)
# Buffered page views are also flushed by the request that buffers every this-many-th view.
PAGE_VIEWS_FLUSH_AT = env.int("PAGE_VIEWS_FLUSH_AT", default=500)
# A platform attempt silent this long lost its worker; the claim loop hands it to another one.
PUBLISHING_STALE_AFTER_SECONDS = env.int("PUBLISHING_STALE_AFTER_SECONDS", default=900)
# Transient failures are retried this many times per platform, with backoff (or Retry-After).
PUBLISHING_MAX_ATTEMPTS = env.int("PUBLISHING_MAX_ATTEMPTS", default=6)
# How many due publications one tick of the claim loop takes.
PUBLISHING_CLAIM_BATCH = env.int("PUBLISHING_CLAIM_BATCH", default=500)
# Bulk jobs (videos/services/bulk.py): rows made per task; render attempts per row before it is
# reported failed; a running job that showed no sign of life this long (no batch, no finished
# render) has its pending rows queued again by the sweeper; long enough for a job's batches to
# wait behind another job's renders on the bulk queue without being queued twice.
VIDEO_BULK_BATCH_SIZE = env.int("VIDEO_BULK_BATCH_SIZE", default=50)
VIDEO_BULK_RENDER_ATTEMPTS = env.int("VIDEO_BULK_RENDER_ATTEMPTS", default=2)
VIDEO_BULK_STALE_AFTER_SECONDS = env.int("VIDEO_BULK_STALE_AFTER_SECONDS", default=1800)
