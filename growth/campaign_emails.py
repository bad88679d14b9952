"""A campaign's e-mail for one person, in their language, through the one e-mail entry point.

The texts come from the campaign's translated fields (the recipient's language, English where a
translation is missing); the `growth/email/campaign` template pair lays them out. Every mail carries
the RFC 8058 one-click unsubscribe headers, the open pixel and tracked links.
"""

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from growth.campaign_models import Campaign, CampaignSubject
from growth.email_links import click_url, open_pixel_url, unsubscribe_url
from teams.models import OutboundEmail, User
from teams.services.emails import RenderedEmail, email_queue, email_render

TEMPLATE = "growth/email/campaign"


def recipient_language(user: User) -> str:
    return user.language or settings.LANGUAGE_CODE


def campaign_headers(*, unsubscribe_link: str) -> dict[str, str]:
    """List-Unsubscribe (a signed https link, no mailto) and List-Unsubscribe-Post (RFC 8058)."""
    return {"List-Unsubscribe": f"<{unsubscribe_link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def campaign_context(
    *, campaign: Campaign, user: User, language: str, send_id: int | None, variant_id: int | None = None
) -> dict[str, Any]:
    """What the template pair shows; texts read in `language` (modeltranslation falls back to English)."""
    with translation.override(language):
        subject = campaign.subject
        if variant_id is not None:
            variant_subject = CampaignSubject.objects.filter(campaign=campaign, variant_id=variant_id).first()
            if variant_subject is not None and variant_subject.subject:
                subject = variant_subject.subject
        body = campaign.body.replace("{name}", user.name)
        cta_label = campaign.cta_label
    unsubscribe_link = unsubscribe_url(user_id=user.pk, category=campaign.category, send_id=send_id)
    return {
        "subject": subject,
        "body": body,
        "cta_label": cta_label,
        "cta_url": click_url(send_id, campaign.cta_path) if campaign.cta_path and cta_label else "",
        "home_url": click_url(send_id, "/"),
        "pixel_url": open_pixel_url(send_id) if send_id is not None else "",
        "unsubscribe_url": unsubscribe_link,
        "preferences_url": settings.SITE_URL.rstrip("/") + reverse("growth:email_preferences"),
        "category": campaign.get_category_display(),
    }


def campaign_render(*, campaign: Campaign, user: User, language: str) -> RenderedEmail:
    """The campaign as `user` would get it in `language` (the admin's preview; nothing is recorded)."""
    context = campaign_context(campaign=campaign, user=user, language=language, send_id=None)
    return email_render(template=TEMPLATE, context=context, language=language)


def campaign_email_queue(
    *, campaign: Campaign, user: User, send_id: int | None, variant_id: int | None = None, subject_prefix: str = ""
) -> OutboundEmail:
    """Queue the campaign's e-mail to `user` in the outbox (the caller holds the send's claim)."""
    language = recipient_language(user)
    context = campaign_context(campaign=campaign, user=user, language=language, send_id=send_id, variant_id=variant_id)
    return email_queue(
        to=user.email,
        template=TEMPLATE,
        context=context,
        language=language,
        subject_prefix=subject_prefix,
        headers=campaign_headers(unsubscribe_link=context["unsubscribe_url"]),
        category=campaign.category,
    )
