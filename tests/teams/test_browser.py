"""In real headless Chromium: an owner creates a team and invites someone; the invitee accepts."""

import re

import pytest
from django.core import mail

from teams.models import Invitation, Membership
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser]


def sign_in(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r".*/dashboard/$"))


def test_create_a_team_invite_someone_and_they_join(transactional_db, live_server, browser):
    UserFactory(email="owner@example.com", display_name="Olive Owner")
    invitee = UserFactory(email="guest@example.com", display_name="Gus Guest")

    owner = browser.new_context(locale="en-US").new_page()
    sign_in(owner, live_server, "owner@example.com")
    owner.click("nav >> text=Teams")
    assert owner.locator("text=You are not in a team yet.").is_visible()
    owner.click("text=Create a team")
    owner.fill("input[name=name]", "Launch Squad")
    owner.click("button:has-text('Create team')")
    owner.wait_for_url(re.compile(r".*/teams/launch-squad/$"))
    # The switcher now shows the team as the current workspace.
    assert owner.locator("#workspace-select option:checked").inner_text() == "Launch Squad"

    form = owner.locator("[data-testid=invite-form]")
    form.locator("input[name=email]").fill("guest@example.com")
    form.locator("select[name=role]").select_option("editor")
    form.locator("button[type=submit]").click()
    owner.wait_for_selector("text=Invitation sent to guest@example.com.")
    pending = owner.locator("[data-testid=pending-invitations]")
    assert "guest@example.com" in pending.inner_text()
    assert "Pending" in pending.inner_text()

    # The e-mail was sent by the (eager) worker; its link brings the invitee in.
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    accept_path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    guest = browser.new_context(locale="en-US").new_page()
    guest.goto(f"{live_server.url}{accept_path}")
    assert "Launch Squad" in guest.locator("[data-testid=invitation]").inner_text()
    guest.click("text=Sign in and join")
    guest.fill("input[name=login]", "guest@example.com")
    guest.fill("input[name=password]", PASSWORD)
    guest.click("form button[type=submit]")
    guest.wait_for_url(re.compile(r".*/invitations/.+"))
    guest.click("button:has-text('Join Launch Squad')")
    guest.wait_for_url(re.compile(r".*/teams/launch-squad/$"))
    assert guest.locator("text=Welcome to Launch Squad!").is_visible()
    assert "Gus Guest" in guest.locator("[data-testid=member-list]").inner_text()
    assert Membership.objects.get(user=invitee).role == Membership.Role.EDITOR
    assert Invitation.objects.get().status == Invitation.Status.ACCEPTED

    # The owner's bell shows the new member; marking all read (htmx) clears it without a reload.
    owner.reload()
    bell = owner.locator("[data-testid=notification-bell]")
    assert bell.locator(".badge-count").inner_text() == "1"
    bell.click()
    assert owner.locator("text=Gus Guest joined Launch Squad.").is_visible()
    owner.click("[data-testid=mark-all-read]")
    owner.wait_for_selector("[data-testid=inbox] li:not(.unread)")
    # The bell in the nav was swapped out-of-band by the same htmx response.
    owner.wait_for_selector("[data-testid=notification-bell] .badge-count", state="detached")
