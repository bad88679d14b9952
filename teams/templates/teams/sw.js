// Video Creator's service worker: shows pushed notifications and reports "shown" and "clicked"
// with the payload's signed token. Served from /sw.js so its scope covers the whole site.
"use strict";
const BEACON_URL = "{% url 'api-push-beacons' %}";

function report(token, event) {
  if (!token) return Promise.resolve();
  return fetch(BEACON_URL, {
    method: "POST",
    credentials: "omit",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ token: token, event: event }),
  }).catch(() => undefined);
}

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = {};
  }
  const shown = self.registration.showNotification(data.title || "Video Creator", {
    body: data.body || "",
    tag: data.tag,
    data: { url: data.url || "/", token: data.token },
  });
  event.waitUntil(shown.then(() => report(data.token, "shown")));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const data = event.notification.data || {};
  // Only a page of this site is opened, whatever the payload says.
  let target = new URL("/", self.location.origin);
  try {
    const asked = new URL(data.url || "/", self.location.origin);
    if (asked.origin === self.location.origin) target = asked;
  } catch (error) {
    // keep the home page
  }
  const open = self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
    for (const client of windows) {
      if (client.url === target.href && "focus" in client) return client.focus();
    }
    return self.clients.openWindow(target.href);
  });
  event.waitUntil(Promise.all([report(data.token, "clicked"), open]));
});
