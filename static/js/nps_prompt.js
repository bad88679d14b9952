// The NPS prompt (templates/base.html's #nps-slot) is loaded once the page is there, so it costs the
// page nothing; people not due a survey get an empty answer and the slot simply goes. It is not an
// hx-get attribute on purpose: pages that stop polling when their work is done carry no hx-get.
document.addEventListener("DOMContentLoaded", function () {
  var slot = document.getElementById("nps-slot");
  if (!slot || !window.htmx) return;
  window.htmx.ajax("GET", slot.getAttribute("data-prompt-url"), { target: slot, swap: "outerHTML" });
});
