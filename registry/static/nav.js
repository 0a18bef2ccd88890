// The navigation folds behind a menu button on a phone (app.css, "Phones"). Loaded before the
// page is drawn so that a phone never shows the unfolded menu first; without script the menu
// simply stays unfolded.
"use strict";
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector("[data-menu-toggle]");
  if (!button) return;
  const bar = button.closest(".topbar");
  button.hidden = false;
  button.addEventListener("click", () => {
    const open = bar.classList.toggle("menu-open");
    button.setAttribute("aria-expanded", String(open));
  });
});
