// Review comments on a video page: timestamp chips seek the player, the comment form follows
// the player's time, and "@" offers the team's members. Delegated listeners, because htmx
// replaces the comments panel (and the player's panel while a render runs).
(function () {
  "use strict";

  function player() {
    return document.querySelector("#video-status video.player") || document.querySelector("video.player");
  }

  document.addEventListener("click", function (event) {
    var chip = event.target.closest("[data-seek]");
    if (chip) {
      var video = player();
      if (video) {
        video.currentTime = parseFloat(chip.dataset.seek) || 0;
        video.scrollIntoView({ block: "nearest", behavior: "smooth" });
      }
      return;
    }
    if (event.target.closest("[data-use-player-time]")) {
      var input = document.querySelector("[data-follow-player]");
      var current = player();
      if (input && current) {
        input.value = current.currentTime.toFixed(1);
        delete input.dataset.pinned;
      }
    }
  });

  // The timestamp follows the player until the reviewer types one of their own.
  document.addEventListener("input", function (event) {
    if (event.target.matches("[data-follow-player]")) event.target.dataset.pinned = "1";
  });
  document.addEventListener(
    "timeupdate",
    function (event) {
      if (!event.target.matches || !event.target.matches("video.player")) return;
      var input = document.querySelector("[data-follow-player]");
      if (input && !input.dataset.pinned) input.value = event.target.currentTime.toFixed(1);
    },
    true
  );

  // @mentions: what is typed after "@" (or "@[") up to the caret asks the server for members.
  var MENTION = /(?:^|[\s(])@(\[[^\]\n]*|[\w.+-]*)$/;
  var pending = null;

  function closeSuggestions() {
    document.querySelectorAll(".mention-suggestions").forEach(function (list) {
      list.remove();
    });
  }

  function suggest(textarea) {
    var before = textarea.value.slice(0, textarea.selectionStart);
    var match = MENTION.exec(before);
    var body = textarea.closest("[data-mentions-url]");
    if (!match || !body) return closeSuggestions();
    var typed = match[1];
    clearTimeout(pending);
    pending = setTimeout(function () {
      fetch(body.dataset.mentionsUrl + "?q=" + encodeURIComponent(typed.replace(/^\[/, "")), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          closeSuggestions();
          if (!data.results.length) return;
          var list = document.createElement("ul");
          list.className = "mention-suggestions";
          list.setAttribute("role", "listbox");
          data.results.forEach(function (person) {
            var item = document.createElement("li");
            var button = document.createElement("button");
            button.type = "button";
            button.className = "linklike";
            button.textContent = person.name;
            button.addEventListener("click", function () {
              var start = before.length - typed.length - 1;
              var after = textarea.value.slice(textarea.selectionStart);
              textarea.value = textarea.value.slice(0, start) + person.insert + " " + after;
              var caret = start + person.insert.length + 1;
              textarea.focus();
              textarea.setSelectionRange(caret, caret);
              closeSuggestions();
            });
            item.appendChild(button);
            list.appendChild(item);
          });
          textarea.insertAdjacentElement("afterend", list);
        });
    }, 150);
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches("textarea[data-mentions]")) suggest(event.target);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeSuggestions();
  });

  // A notification links to #comment-<id>; the panel arrives after the page, so scroll then.
  document.addEventListener("htmx:afterSettle", function () {
    if (!location.hash.startsWith("#comment-")) return;
    var target = document.getElementById(location.hash.slice(1));
    if (target && !target.dataset.shown) {
      target.dataset.shown = "1";
      target.scrollIntoView({ block: "center" });
    }
  });
})();
