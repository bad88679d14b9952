// "Copy link" on the referrals page: copies the share URL; no third-party script involved.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.querySelector(button.dataset.copy);
  if (!field) return;
  field.select();
  navigator.clipboard?.writeText(field.value);
  button.textContent = button.dataset.copied || button.textContent;
});
