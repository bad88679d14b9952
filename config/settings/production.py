"""Production: every secret and endpoint comes from the environment; HTTPS everywhere."""

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403 (settings modules layer on each other)
from config.settings.base import env

DEBUG = False
# No defaults below: production refuses to start rather than fall back to a local stand-in.
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
SITE_URL = env("SITE_URL")  # links in e-mails (invitations, exports) must not point at localhost
# A shared cache: API rate limits and allauth's counters must hold across processes.
CACHES = {"default": env.cache("CACHE_URL")}
# Chosen explicitly: with the wrong count every visitor shares the balancer's rate-limit bucket
# (too few) or an attacker picks their own address by forging X-Forwarded-For (too many).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT")
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT
# Webhooks: HTTPS to public addresses only, whatever the environment says (config/safe_http.py).
SAFE_HTTP_ALLOW_LOOPBACK = False
DEMO_DATA_ALLOWED = False  # load_demo would create a superuser with a well-known password
# Chosen explicitly: the built-in manual provider upgrades without payment.
BILLING_PROVIDER = env("BILLING_PROVIDER")
# Web push: all three VAPID values when it is on, never a generated stand-in.
VAPID_LOCAL_KEYS_FILE = None
if WEB_PUSH_ENABLED and not (VAPID_PRIVATE_KEY and VAPID_PUBLIC_KEY and VAPID_SUBJECT):
    raise ImproperlyConfigured(
        "Web push is on (WEB_PUSH_ENABLED): set VAPID_PRIVATE_KEY, VAPID_PUBLIC_KEY and VAPID_SUBJECT "
        "(generate a pair with `python manage.py vapid_keys`), or set WEB_PUSH_ENABLED=false."
    )
if not AWS_STORAGE_BUCKET_NAME:
    # Media is served through presigned S3 URLs; local files would be neither shared nor protected.
    raise ImproperlyConfigured("Set AWS_STORAGE_BUCKET_NAME: production keeps media on S3.")

# TLS is terminated by the load balancer, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
