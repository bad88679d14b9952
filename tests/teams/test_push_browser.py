"""In real headless Chromium: the notification settings page (channel switches, the browser's push
state and its fallback) and the service worker, which shows a pushed message and reports it."""

import json
import time

import pytest

from teams.models import NotificationPreference, PushDelivery, PushSubscription
from teams.notification_kinds import NotificationKind
from teams.push_keys import b64url_decode, vapid_keys
from teams.services.push import push_token_for
from tests.browser import browser_context_for
from tests.teams.push_service import Browser

pytestmark = [pytest.mark.browser]


def test_the_channel_switches_save_per_kind(transactional_db, live_server, browser, creator):
    context = browser_context_for(browser, live_server, creator)
    page = context.new_page()
    page.goto("/account/settings/notifications/")
    table = page.locator("[data-testid=notification-channels]")
    assert table.locator("#push-mention").is_checked()
    assert table.locator("#push-member_joined").count() == 0  # cannot be pushed: no switch
    table.locator("#push-mention").uncheck()
    table.locator("#in_app-render_finished").uncheck()
    table.locator("#email-render_finished").check()
    page.click("main button:has-text('Save')")
    page.wait_for_selector("text=Your notification settings were saved.")
    mention = NotificationPreference.objects.get(user=creator, kind=NotificationKind.MENTION)
    render = NotificationPreference.objects.get(user=creator, kind=NotificationKind.RENDER_FINISHED)
    assert (mention.push, render.in_app, render.email) == (False, False, True)
    assert not page.locator("#push-mention").is_checked()
    context.close()


def test_the_page_shows_this_browsers_state(transactional_db, live_server, browser, creator):
    context = browser_context_for(browser, live_server, creator)
    page = context.new_page()
    page.goto("/account/settings/notifications/")
    page.wait_for_selector("#browser-push[data-state=off]")
    assert page.locator("#push-allow").is_visible()
    assert page.locator("#push-stop").is_hidden()
    assert "off on this browser" in page.locator("#push-state").inner_text()
    context.close()


def test_a_browser_without_push_gets_a_clear_fallback(transactional_db, live_server, browser, creator):
    context = browser_context_for(browser, live_server, creator)
    context.add_init_script("delete window.PushManager;")
    page = context.new_page()
    page.goto("/account/settings/notifications/")
    page.wait_for_selector("#browser-push[data-state=unsupported]")
    assert "cannot show notifications" in page.locator("#push-state").inner_text()
    assert page.locator("#push-allow").is_hidden()
    context.close()


def test_the_service_worker_shows_a_push_and_reports_it_shown(transactional_db, live_server, browser, creator):
    delivery = PushDelivery.objects.create(user=creator, kind=NotificationKind.MENTION, status="sent")
    context = browser_context_for(browser, live_server, creator)
    context.grant_permissions(["notifications"], origin=live_server.url)
    page = context.new_page()
    page.goto("/account/settings/notifications/")
    page.wait_for_selector("#browser-push[data-state=off]")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    session = context.new_cdp_session(page)
    session.send("ServiceWorker.enable")
    registrations = []
    session.on("ServiceWorker.workerRegistrationUpdated", lambda e: registrations.extend(e["registrations"]))
    deadline = time.monotonic() + 10
    while not registrations and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    payload = {
        "title": "Video Creator",
        "body": "Mia mentioned you.",
        "url": "/notifications/",
        "tag": "mention-1",
        "token": push_token_for(delivery_id=delivery.pk),
    }
    session.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registrations[0]["registrationId"],
            "data": json.dumps(payload),
        },
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        delivery.refresh_from_db()
        if delivery.shown_at:
            break
        time.sleep(0.1)
    assert delivery.shown_at is not None
    assert delivery.clicked_at is None
    context.close()


# The browser's own push service (Google's, for Chromium) is out of reach here, so the subscription
# it would return is made in the page, from keys the test made as a browser does.
FAKE_PUSH_MANAGER = """
(() => {
  let current = null;
  PushManager.prototype.getSubscription = function () { return Promise.resolve(current); };
  PushManager.prototype.subscribe = function (options) {
    window.__applicationServerKey = Array.from(new Uint8Array(options.applicationServerKey));
    window.__userVisibleOnly = options.userVisibleOnly;
    const json = %s;
    current = {
      endpoint: json.endpoint,
      toJSON: () => json,
      unsubscribe: () => { current = null; return Promise.resolve(true); },
    };
    return Promise.resolve(current);
  };
})();
"""


def test_allowing_subscribes_with_our_key_and_turning_off_forgets_the_browser(
    transactional_db, live_server, browser, creator
):
    laptop = Browser(endpoint="http://127.0.0.1:9/push/laptop")
    context = browser_context_for(browser, live_server, creator)
    context.grant_permissions(["notifications"], origin=live_server.url)
    context.add_init_script(FAKE_PUSH_MANAGER % json.dumps(laptop.subscription()))
    page = context.new_page()
    page.goto("/account/settings/notifications/")
    page.wait_for_selector("#browser-push[data-state=off]")
    page.click("#push-allow")
    page.wait_for_selector("#browser-push[data-state=on]")
    assert "on for this browser" in page.locator("#push-state").inner_text()
    # The page subscribed with our VAPID public key, for visible notifications only ...
    assert bytes(page.evaluate("window.__applicationServerKey")) == b64url_decode(vapid_keys().public_key)
    assert page.evaluate("window.__userVisibleOnly") is True
    # ... and posted the subscription (session and CSRF token).
    subscription = PushSubscription.objects.get(user=creator)
    assert (subscription.endpoint, subscription.p256dh, subscription.auth) == (
        laptop.endpoint,
        laptop.p256dh,
        laptop.auth,
    )
    page.click("#push-stop")
    page.wait_for_selector("#browser-push[data-state=off]")
    assert not PushSubscription.objects.exists()
    context.close()
