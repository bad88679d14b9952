// "Allow browser notifications" on the notification settings page: registers the service worker,
// asks permission, subscribes with our VAPID public key and posts the subscription (session + CSRF).
(function () {
  "use strict";
  const box = document.getElementById("browser-push");
  if (!box || box.dataset.enabled !== "1") return;
  const messages = JSON.parse(document.getElementById("push-messages").textContent);
  const state = document.getElementById("push-state");
  const allow = document.getElementById("push-allow");
  const stop = document.getElementById("push-stop");

  function show(key, mode) {
    state.textContent = messages[key];
    box.dataset.state = mode || key;
    // Styled buttons ignore the `hidden` attribute; display is set directly.
    allow.style.display = key === "off" ? "" : "none";
    stop.style.display = key === "on" ? "" : "none";
  }

  const supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  if (!supported) {
    show("unsupported");
    return;
  }

  function csrfToken() {
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function keyBytes(base64url) {
    const padded = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    const raw = atob(padded);
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  }

  function send(method, body) {
    return fetch(box.dataset.subscriptionsUrl, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body),
    }).then((response) => {
      if (!response.ok && response.status !== 404) throw new Error("HTTP " + response.status);
      return response;
    });
  }

  let registration = null;

  function refresh() {
    if (Notification.permission === "denied") return show("blocked");
    return registration.pushManager.getSubscription().then((subscription) => {
      show(subscription && Notification.permission === "granted" ? "on" : "off");
    });
  }

  navigator.serviceWorker
    .register(box.dataset.workerUrl, { scope: "/" })
    .then((reg) => {
      registration = reg;
      return refresh();
    })
    .catch(() => show("unsupported"));

  allow.addEventListener("click", () => {
    show("working", "working");
    Notification.requestPermission()
      .then((permission) => {
        if (permission !== "granted") return refresh();
        return registration.pushManager
          .subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(box.dataset.vapidKey) })
          .then((subscription) => send("POST", subscription.toJSON()))
          .then(refresh);
      })
      .catch(() => show("failed", "failed"));
  });

  stop.addEventListener("click", () => {
    show("working", "working");
    registration.pushManager
      .getSubscription()
      .then((subscription) => {
        if (!subscription) return null;
        const endpoint = subscription.endpoint;
        return subscription.unsubscribe().then(() => send("DELETE", { endpoint: endpoint }));
      })
      .then(refresh)
      .catch(() => show("failed", "failed"));
  });
})();
