"""Every creator page on a phone (390 by 844) and a laptop (1280 by 800), in real headless Chromium: the
document never scrolls sideways and axe-core finds no WCAG 2.0/2.1 A or AA violation.

The pages come from one list, PAGES, walked with the demo data (`manage.py load_demo`) plus the few
rows the demo does not make. A page a change adds joins the list in that same change.
"""

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from growth.email_links import unsubscribe_token
from growth.feature_models import FeatureRequest
from growth.services.waitlist import feature_flag_enable
from insights.services.status import subscriber_token
from insights.status_models import StatusSubscriber
from teams.models import Membership, Team, User
from tests.billing.factories import PaymentFactory
from tests.browser import browser_context_for
from tests.factories import UserFactory
from tests.teams.factories import make_invitation
from videos.models import BrandingProfile, ExportJob
from videos.publishing_models import Publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core-4.14.1" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}
# The narrowest phone the pages promise to fit; only the width is checked there (axe's verdict does
# not change between two phone widths, and it is the slow part).
SMALL_PHONE = {"width": 360, "height": 740}


@dataclass(frozen=True)
class Page:
    """A page to walk: a URL name, the names of the demo objects its URL takes, and who looks."""

    url_name: str
    args: tuple[str, ...] = ()
    signed_in: bool = True
    query: str = ""
    status: int = 200


# Every creator page, one line each. A change that adds a page adds its line here, in the same
# change (and, when the page needs data, a demo loader or a row in `walk_data` below).
PAGES = [
    # Signed out
    Page("landing", signed_in=False),
    Page("pricing", signed_in=False),
    Page("account_login", signed_in=False),
    Page("account_signup", signed_in=False),
    Page("account_reset_password", signed_in=False),
    Page("account_reset_password_done", signed_in=False),
    Page("account_reset_password_from_key", ("uidb36", "key"), signed_in=False),
    Page("account_reset_password_from_key_done", signed_in=False),
    Page("account_email_verification_sent", signed_in=False),
    Page("account_confirm_email", ("key",), signed_in=False),
    Page("account_inactive", signed_in=False),
    Page("invitation_accept", ("invitation_token",), signed_in=False),
    Page("invitation_accept", ("missing",), signed_in=False, status=404),
    # Signed in, as the demo creator
    Page("dashboard"),
    Page("videos:templates"),
    Page("videos:template_use", ("template_slug",)),
    Page("videos:template_use", ("pro_template_slug",)),
    Page("videos:list"),
    Page("videos:upload"),
    Page("videos:detail", ("video",)),
    Page("videos:edit", ("video",)),
    Page("videos:versions", ("video",)),
    Page("videos:branding"),
    Page("videos:branding_create"),
    Page("videos:branding_edit", ("branding_profile",)),
    Page("videos:exports"),
    Page("videos:export_detail", ("export",)),
    Page("videos:bulk_new", ("template_slug",)),
    Page("videos:bulk_list"),
    Page("videos:bulk_detail", ("bulk_job",)),
    Page("team_list"),
    Page("team_create"),
    Page("team_detail", ("team_slug",)),
    Page("team_delete", ("team_slug",)),
    Page("invitation_accept", ("invitation_token",)),
    Page("notification_list"),
    Page("notification_settings"),
    Page("webhook-endpoint-list"),
    Page("webhook-endpoint-detail", ("webhook_endpoint",)),
    Page("pricing"),
    Page("pricing", query="?interval=year"),
    Page("billing"),
    Page("billing_payment", ("payment",)),
    Page("account_settings"),
    Page("account_email"),
    Page("account_change_password"),
    Page("account_logout"),
    Page("onboarding"),
    Page("videos:detail", ("missing",), status=404),
    # Growth: referrals, the feature board, preview features
    Page("growth:referrals"),
    Page("growth:board"),
    Page("growth:board", signed_in=False),
    Page("growth:board", query="?sort=trending&category=ui_ux"),
    Page("growth:feature_new"),
    Page("growth:feature_detail", ("feature_request",)),
    Page("growth:feature_detail", ("feature_request",), signed_in=False),
    Page("growth:waitlists"),
    Page("growth:preview", ("preview_key",)),
    # Marketing e-mail: the categories a person gets, and the one-click unsubscribe page
    Page("growth:email_preferences"),
    Page("growth:email_unsubscribe", ("unsubscribe_token",), signed_in=False),
    # Publishing
    Page("videos:publication_schedule", ("video",)),
    Page("videos:publications"),
    Page("videos:publications", query="?when=past"),
    Page("videos:publication_calendar"),
    Page("videos:publishing_accounts"),
    Page("videos:publication_detail", ("publication",)),
    # NPS survey and the support inbox
    Page("nps-answer"),
    Page("nps-answer", query="?score=9"),
    Page("support-new"),
    Page("support-list"),
    Page("support-detail", ("support_request",)),
    # The public status page and its subscription links
    Page("status", signed_in=False),
    Page("status-confirm", ("status_confirm_token",), signed_in=False),
    Page("status-unsubscribe", ("status_unsubscribe_token",), signed_in=False),
]


def walk_data(creator: User) -> dict[str, Any]:
    """The objects the pages' URLs name: the demo's, and the few rows the demo does not make."""
    video = creator.videos.filter(team__isnull=True).order_by("created_at", "pk").first()
    other_team = Team.objects.create(name="Night Shift", slug="night-shift")
    Membership.objects.create(team=other_team, user=UserFactory(), role=Membership.Role.OWNER)
    _invitation, token = make_invitation(team=other_team, email=creator.email)
    profile = BrandingProfile.objects.create(
        owner=creator, name="Studio logo", logo="branding/demo-logo.png", logo_width=64, logo_height=64
    )
    export = ExportJob.objects.create(owner=creator, video_count=2)
    payment = PaymentFactory(user=creator)
    feature_flag_enable(user=creator, key="ai-voiceover")
    # Due an NPS survey: its prompt is loaded into every page walked, and the survey page shows its form.
    User.objects.filter(pk=creator.pk).update(date_joined=timezone.now() - timedelta(days=45))
    follower = StatusSubscriber.objects.create(email="follower@example.com")
    return {
        "video": video.pk,
        "template_slug": "youtube-short-quote-animation",
        "team_slug": creator.memberships.filter(role=Membership.Role.OWNER).first().team.slug,
        "invitation_token": token,
        "branding_profile": profile.pk,
        "export": export.pk,
        "bulk_job": creator.bulk_jobs.order_by("pk").first().pk,
        "payment": payment.pk,
        "webhook_endpoint": creator.webhook_endpoints.get().pk,  # the demo's
        "pro_template_slug": "brand-story",
        "missing": 999_999,
        "feature_request": FeatureRequest.objects.order_by("pk").first().pk,
        "preview_key": "ai-voiceover",
        "unsubscribe_token": unsubscribe_token(user_id=creator.pk, category="newsletter", send_id=None),
        "publication": Publication.objects.filter(owner=creator).order_by("pk").first().pk,
        "support_request": creator.support_requests.order_by("pk").first().pk,  # the demo's thread
        "uidb36": "zz",
        "key": "not-a-key",
        "status_confirm_token": subscriber_token(subscriber=follower, purpose="confirm"),
        "status_unsubscribe_token": subscriber_token(subscriber=follower, purpose="unsubscribe"),
    }


def width(page: Any) -> tuple[int, int]:
    """The document's width and the viewport's: a page that scrolls sideways has the first larger."""
    return page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """What axe-core (vendored, injected here only) finds against WCAG 2.0 and 2.1, levels A and AA."""
    if not page.evaluate("!!window.axe"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, count: v.nodes.length, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5),
            }));
        }""",
        AXE_TAGS,
    )


def problems_on(page: Any, label: str, *, axe: bool = True) -> list[str]:
    scroll_width, client_width = width(page)
    problems = []
    if scroll_width > client_width:
        problems.append(f"{label}: {scroll_width} px wide in a {client_width} px viewport")
    if axe:
        problems += [f"{label}: axe {v['id']} on {v['count']} {v['nodes']}" for v in axe_violations(page)]
    return problems


def test_every_creator_page_fits_a_phone_and_a_laptop_and_passes_axe(browser, live_server, tmp_path):
    call_command("load_demo", password="demo-password-123", stdout=open(os.devnull, "w"))  # noqa: SIM115
    creator = User.objects.get(email="demo@videocreator.local")
    data = walk_data(creator)
    problems = []
    # One signed-out and one signed-in tab, resized for each viewport in turn.
    tabs = {
        signed_in: browser_context_for(browser, live_server, creator if signed_in else None).new_page()
        for signed_in in (False, True)
    }
    for viewport_name, viewport in [*VIEWPORTS.items(), ("small-phone", SMALL_PHONE)]:
        for tab in tabs.values():
            tab.set_viewport_size(viewport)
        for number, spec in enumerate(PAGES):
            url = reverse(spec.url_name, args=[data[name] for name in spec.args]) + spec.query
            tab = tabs[spec.signed_in]
            response = tab.goto(url, wait_until="load")
            label = f"{viewport_name} {'in' if spec.signed_in else 'out'} {url}"
            if response is None or response.status != spec.status:
                problems.append(f"{label}: answered {response and response.status}")
                continue
            # What htmx loads by itself (previews, status panels) is part of the page.
            tab.wait_for_function("!document.querySelector('.htmx-request')")
            found = problems_on(tab, label, axe=viewport_name in VIEWPORTS)
            if found:  # a picture of what went wrong, under pytest's tmp_path
                tab.screenshot(path=str(tmp_path / f"{viewport_name}-{number:02d}.png"), full_page=True)
            problems += found
    for tab in tabs.values():
        tab.context.close()
    assert problems == [], "\n".join(problems)


def test_on_a_phone_the_navigation_folds_into_a_menu_button_that_keyboards_and_screen_readers_can_use(
    browser, live_server, creator, team, tmp_path
):
    context = browser_context_for(browser, live_server, creator)
    phone = context.new_page()
    phone.set_viewport_size(VIEWPORTS["phone"])
    phone.goto(reverse("dashboard"))
    menu_button = phone.get_by_role("button", name="Menu")
    navigation = phone.get_by_role("navigation", name="Main")
    assert menu_button.get_attribute("aria-expanded") == "false"
    assert menu_button.get_attribute("aria-controls") == "site-menu"
    assert not navigation.is_visible()

    # From the keyboard: past the skip link and the brand to the button, Enter opens the menu.
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    assert phone.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"  # focus shows
    phone.keyboard.press("Tab")
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.getAttribute('aria-controls')") == "site-menu"
    phone.keyboard.press("Enter")
    assert menu_button.get_attribute("aria-expanded") == "true"
    for link in ("Dashboard", "Videos", "Templates", "Teams", "Pricing"):
        assert navigation.get_by_role("link", name=link, exact=True).is_visible()
    # The switchers and the bell are in the open menu too.
    assert phone.get_by_label("Language").is_visible()
    assert phone.get_by_label("Workspace").is_visible()
    assert phone.get_by_test_id("notification-bell").is_visible()
    phone.get_by_text("Cora Creator", exact=True).click()  # the user menu, inside the open menu
    assert phone.get_by_role("link", name="Billing").is_visible()
    phone.screenshot(path=str(tmp_path / "phone-menu-open.png"), full_page=True)
    assert problems_on(phone, "open menu") == []
    phone.get_by_text("Cora Creator", exact=True).click()
    menu_button.focus()
    # The next Tab goes into the menu, not past it.
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.textContent.trim()") == "Dashboard"

    # Escape closes it and gives focus back to the button; a click opens and closes it again.
    phone.keyboard.press("Escape")
    assert menu_button.get_attribute("aria-expanded") == "false"
    assert not navigation.is_visible()
    assert phone.evaluate("document.activeElement.getAttribute('aria-controls')") == "site-menu"
    menu_button.click()
    phone.get_by_role("link", name="Teams", exact=True).click()
    phone.wait_for_url("**/teams/")

    # On a laptop there is no button: the navigation is always there.
    laptop = context.new_page()
    laptop.set_viewport_size(VIEWPORTS["laptop"])
    laptop.goto(reverse("dashboard"))
    assert not laptop.get_by_role("button", name="Menu").is_visible()
    assert laptop.get_by_role("navigation", name="Main").is_visible()
    laptop.get_by_text("Cora Creator", exact=True).click()
    assert laptop.get_by_role("link", name="Billing").is_visible()
    assert problems_on(laptop, "open user menu") == []
    context.close()

    # Without JavaScript the menu cannot fold: it stays open, and there is no button that does nothing.
    no_script = browser.new_context(base_url=live_server.url, java_script_enabled=False, viewport=VIEWPORTS["phone"])
    page = no_script.new_page()
    page.goto(reverse("pricing"))
    assert page.get_by_role("navigation", name="Main").is_visible()
    assert not page.get_by_role("button", name="Menu").is_visible()
    no_script.close()


def test_the_menu_does_not_animate_for_people_who_ask_for_reduced_motion(browser, live_server, creator):
    context = browser_context_for(browser, live_server, creator)
    page = context.new_page()
    page.set_viewport_size(VIEWPORTS["phone"])
    page.emulate_media(reduced_motion="reduce")
    page.goto(reverse("dashboard"))
    page.get_by_role("button", name="Menu").click()
    duration = page.evaluate("parseFloat(getComputedStyle(document.getElementById('site-menu')).animationDuration)")
    assert duration < 0.001
    # Nor does the dashboard's chart.
    assert page.evaluate("Chart.getChart('activity-chart').options.animation") is False
    page.emulate_media(reduced_motion="no-preference")
    duration = page.evaluate("parseFloat(getComputedStyle(document.getElementById('site-menu')).animationDuration)")
    assert duration > 0.1
    context.close()


def test_arrow_keys_on_a_switcher_do_not_reload_the_page_at_every_step(browser, live_server, creator, team):
    context = browser_context_for(browser, live_server, creator)
    page = context.new_page()
    page.set_viewport_size(VIEWPORTS["laptop"])
    page.goto(reverse("dashboard"))
    switch = page.get_by_role("button", name="Switch")
    assert not switch.is_visible()
    workspace = page.get_by_label("Workspace")
    workspace.focus()
    page.keyboard.press("ArrowDown")  # moves the choice to the team; the page stays
    assert workspace.input_value() == str(team.pk)
    assert page.url.endswith(reverse("dashboard"))
    assert switch.is_visible()
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Enter (or the button) switches
    assert page.locator("#workspace-select option:checked").inner_text() == team.name

    # Picked with the pointer, a choice applies at once.
    with page.expect_navigation():
        page.get_by_label("Language").select_option("de")
    assert page.locator("html").get_attribute("lang") == "de"
    context.close()
