"""Per-person rate limits of growth's writes, counted in the shared cache, pages and API alike."""

from django.core.cache import cache

from config.errors import RateLimited

# (uses, window in seconds) per person.
RATES = {
    "feature_create": (10, 3600),
    "feature_comment": (30, 3600),
    "feature_vote": (120, 3600),
    "referral_apply": (10, 3600),
    "waitlist_join": (30, 3600),
    "feature_similar": (300, 3600),
    # Share-link visits counted from one client address a day: a script that drops its cookies
    # cannot inflate a code's clicks (the visit still leads to the signup page).
    "referral_visit_address": (20, 24 * 3600),
}


def rate_allows(*, scope: str, key: object) -> bool:
    """Count one use of `scope` by `key`; False once past the scope's rate in its window."""
    limit, window = RATES[scope]
    cache_key = f"growth-rate:{scope}:{key}"
    cache.add(cache_key, 0, timeout=window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the window ended between add() and incr(): this use starts a new one
        cache.set(cache_key, 1, timeout=window)
        count = 1
    return count <= limit


def rate_count(*, scope: str, key: object) -> None:
    """Count one use of `scope` by `key`; RateLimited once past the scope's rate in its window."""
    if not rate_allows(scope=scope, key=key):
        raise RateLimited(code="throttled")
