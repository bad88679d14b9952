"""Linked publishing accounts: allauth's social accounts, their tokens (sealed at rest) and refresh.

People link accounts only while signed in (allauth's "connect" process); a social account never
signs anyone in or up. Tokens are encrypted before allauth's row is written and opened only here,
right before an upload; an expired access token is refreshed first (the refresh goes to a settings
URL, so tests talk to a local server).
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import requests
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter, get_adapter
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from teams.encryption import seal, unseal
from videos.platforms.base import RECONNECT, PermanentError, TransientError
from videos.publishing_models import Platform

PROVIDERS: dict[str, str] = {
    Platform.YOUTUBE: "google",
    Platform.INSTAGRAM: "instagram",
    Platform.TIKTOK: "tiktok",
    Platform.FACEBOOK: "facebook",
    Platform.X: "twitter_oauth2",
}
PLATFORM_FOR_PROVIDER = {provider: platform for platform, provider in PROVIDERS.items()}
SEALED = "sealed:"
PURPOSE = "social-token"
# Set in the account's extra data when the platform refused its token; allauth replaces the extra
# data when the person links the account again, which clears it.
RECONNECT_FLAG = "video_creator_needs_reconnect"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Social accounts only connect publishing accounts to a signed-in person."""

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        if not request.user.is_authenticated:
            raise ImmediateHttpResponse(redirect(settings.LOGIN_URL))

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return False

    def get_connect_redirect_url(self, request: HttpRequest, socialaccount: SocialAccount) -> str:
        from django.urls import reverse

        return reverse("videos:publishing_accounts")


def seal_token(sender: type, instance: SocialToken, **kwargs: Any) -> None:
    """pre_save of allauth's SocialToken: encrypt the access and refresh tokens."""
    for name in ("token", "token_secret"):
        value = getattr(instance, name)
        if value and not value.startswith(SEALED):
            setattr(instance, name, SEALED + seal(value, purpose=PURPOSE))


def _open(value: str) -> str:
    return unseal(value[len(SEALED) :], purpose=PURPOSE) if value.startswith(SEALED) else value


def provider_configured(provider: str) -> bool:
    """Whether the provider has a client id and secret (settings or the ops console's social apps)."""
    return bool(get_adapter().list_apps(None, provider=provider))


@dataclass(frozen=True)
class AccountStatus:
    platform: str
    label: str
    provider: str
    configured: bool
    account: SocialAccount | None
    working: bool


def account_status_for(*, user: Any) -> list[AccountStatus]:
    """One row per platform for the accounts page: configured or not, linked or not, working or not."""
    accounts = {a.provider: a for a in SocialAccount.objects.filter(user=user, provider__in=PROVIDERS.values())}
    with_token = set(SocialToken.objects.filter(account__in=accounts.values()).values_list("account_id", flat=True))
    rows = []
    for platform, provider in PROVIDERS.items():
        account = accounts.get(provider)
        working = account is not None and account.pk in with_token and not account.extra_data.get(RECONNECT_FLAG)
        rows.append(
            AccountStatus(
                platform=platform,
                label=str(Platform(platform).label),
                provider=provider,
                configured=provider_configured(provider),
                account=account,
                working=working,
            )
        )
    return rows


def mark_needs_reconnect(account_id: int) -> None:
    account = SocialAccount.objects.filter(pk=account_id).first()
    if account is not None and not account.extra_data.get(RECONNECT_FLAG):
        account.extra_data = {**account.extra_data, RECONNECT_FLAG: True}
        account.save(update_fields=["extra_data"])


def _client_credentials(provider: str) -> tuple[str, str]:
    apps = get_adapter().list_apps(None, provider=provider)
    if not apps:
        raise PermanentError(
            _("Publishing to this platform is not configured."),
            action=_("Ask the site's operators to set the platform's client id and secret."),
        )
    return apps[0].client_id, apps[0].secret


def access_token_for(*, account_id: int) -> str:
    """A working access token of the account, refreshed first if it has expired (or nearly)."""
    with transaction.atomic():
        # One refresh at a time per account: providers that rotate refresh tokens (X, TikTok)
        # would invalidate the second.
        token = SocialToken.objects.select_for_update().filter(account_id=account_id).order_by("-pk").first()
        if token is None:
            raise PermanentError(_("The account has no access token."), action=str(RECONNECT), status=401)
        soon = timezone.now() + timedelta(seconds=60)
        if token.expires_at is None or token.expires_at > soon:
            return _open(token.token)
        return _refresh(token)


def _refresh(token: SocialToken) -> str:
    provider = token.account.provider
    refresh_token = _open(token.token_secret)
    url = settings.PUBLISHING_TOKEN_URLS.get(provider)
    if not url or (not refresh_token and provider != "instagram"):
        raise PermanentError(_("The link to the account has expired."), action=str(RECONNECT), status=401)
    client_id, secret = ("", "") if provider == "instagram" else _client_credentials(provider)
    timeout = settings.PUBLISHING_HTTP_TIMEOUT_SECONDS
    try:
        if provider == "instagram":
            response = requests.get(
                url, params={"grant_type": "ig_refresh_token", "access_token": _open(token.token)}, timeout=timeout
            )
        elif provider == "twitter_oauth2":
            response = requests.post(
                url,
                data={"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": client_id},
                auth=(client_id, secret),
                timeout=timeout,
            )
        else:
            id_field = "client_key" if provider == "tiktok" else "client_id"
            response = requests.post(
                url,
                data={
                    "grant_type": "refresh_token",
                    "refresh_token": refresh_token,
                    id_field: client_id,
                    "client_secret": secret,
                },
                timeout=timeout,
            )
    except (requests.Timeout, requests.ConnectionError) as exc:
        raise TransientError(_("The platform's sign-in service could not be reached.")) from exc
    if response.status_code == 429 or response.status_code >= 500:
        raise TransientError(
            _("The platform's sign-in service is busy (HTTP %(status)d).") % {"status": response.status_code}
        )
    body = response.json() if response.content else {}
    body = body.get("data", body) if isinstance(body.get("data"), dict) else body
    if response.status_code >= 400 or not body.get("access_token"):
        # status 401: the caller marks the account as needing reconnection (outside this
        # transaction, which the error rolls back).
        raise PermanentError(
            _("The platform no longer accepts the link to your account."), action=str(RECONNECT), status=401
        )
    token.token = str(body["access_token"])
    if body.get("refresh_token"):
        token.token_secret = str(body["refresh_token"])
    expires_in = body.get("expires_in")
    token.expires_at = timezone.now() + timedelta(seconds=int(expires_in)) if expires_in else None
    token.save(update_fields=["token", "token_secret", "expires_at"])
    return str(body["access_token"])
