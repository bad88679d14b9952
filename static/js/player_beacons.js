// Tells Video Creator that a video in our player was watched: one "view" beacon when playback
// first starts, then the seconds actually played, sent every 15 s and when the page is left.
// The server counts a view once per person, video and day and bounds the watch time.
(function () {
  const FLUSH_EVERY = 15;
  const state = new WeakMap();

  function send(url, fields) {
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) form.append(key, value);
    if (navigator.sendBeacon) navigator.sendBeacon(url, form);
    else fetch(url, { method: "POST", body: form, credentials: "same-origin", keepalive: true });
  }

  function flush(video) {
    const s = state.get(video);
    if (!s || s.pending < 1) return;
    const seconds = Math.floor(s.pending);
    s.pending -= seconds;
    send(video.dataset.beaconWatch, { csrfmiddlewaretoken: video.dataset.csrf, seconds: String(seconds) });
  }

  document.addEventListener("play", function (event) {
    const video = event.target;
    if (!(video instanceof HTMLVideoElement) || !video.dataset.beaconView) return;
    if (!state.has(video)) {
      state.set(video, { pending: 0, last: video.currentTime });
      send(video.dataset.beaconView, { csrfmiddlewaretoken: video.dataset.csrf });
    }
    state.get(video).last = video.currentTime;
  }, true);

  document.addEventListener("timeupdate", function (event) {
    const video = event.target;
    const s = state.get(video);
    if (!s) return;
    const step = video.currentTime - s.last;
    s.last = video.currentTime;
    // Only forward playback counts; a seek jumps more than a second between updates.
    if (step > 0 && step < 1.5) s.pending += step;
    if (s.pending >= FLUSH_EVERY) flush(video);
  }, true);

  for (const name of ["pause", "ended"]) {
    document.addEventListener(name, function (event) { flush(event.target); }, true);
  }
  window.addEventListener("pagehide", function () {
    document.querySelectorAll("video[data-beacon-watch]").forEach(flush);
  });
})();
