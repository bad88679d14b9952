// The top bar's two behaviours. The stylesheet and the markup work without this file: the menu
// stays open and each switcher has its submit button.
(() => {
  // The phone menu: the button shows and hides the navigation (the stylesheet only hides it on
  // narrow screens, and only once the page carries the "js" class). Escape closes it.
  const button = document.querySelector("[data-menu-button]");
  const menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (menu) {
    const isOpen = () => button.getAttribute("aria-expanded") === "true";
    const setOpen = (open) => button.setAttribute("aria-expanded", String(open));
    button.addEventListener("click", () => setOpen(!isOpen()));
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && isOpen()) {
        setOpen(false);
        button.focus();
      }
    });
  }

  // The language and workspace switchers submit as soon as a choice is picked with the pointer.
  // Arrow keys change a closed select's value too, one step at a time: moving through the list
  // must not reload the page at every step (WCAG 3.2.2), so after a key a submit button appears
  // (labelled by the attribute's value; without scripts it is always there) and Enter or the
  // button submits.
  for (const select of document.querySelectorAll("select[data-submit-on-change]")) {
    let lastKey = null;
    select.addEventListener("keydown", (event) => {
      lastKey = event.key;
      if (event.key === "Enter") select.form.requestSubmit();
    });
    select.addEventListener("pointerdown", () => (lastKey = null));
    select.addEventListener("change", () => {
      if (lastKey === null) {
        select.form.requestSubmit();
      } else {
        if (!select.form.querySelector("[data-submit-button]")) {
          const submit = document.createElement("button");
          submit.type = "submit";
          submit.className = "button button-small";
          submit.dataset.submitButton = "";
          submit.textContent = select.dataset.submitOnChange;
          select.after(submit);
        }
      }
    });
  }
})();
