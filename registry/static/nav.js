// Phones (app.css, "Phones"). Loaded before the page is drawn so that a phone never shows the
// unfolded menu first; without script the menu simply stays unfolded.
"use strict";
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
  // The navigation folds behind a menu button.
  const button = document.querySelector("[data-menu-toggle]");
  if (button) {
    const bar = button.closest(".topbar");
    button.hidden = false;
    button.addEventListener("click", () => {
      const open = bar.classList.toggle("menu-open");
      button.setAttribute("aria-expanded", String(open));
    });
  }
  // A list table whose template gives its cells no data-label takes them from its headings,
  // so that it too reads as cards on a phone.
  document.querySelectorAll("table.list").forEach((table) => {
    const headings = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    if (!headings.length) return;
    table.querySelectorAll("tbody tr").forEach((row) => {
      if (row.querySelector("td[colspan]")) return;
      [...row.children].forEach((cell, i) => {
        if (cell.tagName === "TD" && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", headings[i] || "");
        }
      });
    });
  });
});
