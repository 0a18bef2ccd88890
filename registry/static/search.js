// Search as people type, and unit pickers narrowed by typing without diacritics.
// Progressive enhancements: without them the filter forms still submit as usual.
"use strict";

// The words this script shows, in the reader's language (_messages_search.html).
function searchMessages() {
  const island = document.getElementById("search-messages");
  try {
    return island ? JSON.parse(island.textContent) : {};
  } catch (error) {
    return {};
  }
}

// "Phường Long Xuyên" -> "phuong long xuyen": what people type, as registry.text.search_fold.
function foldText(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
}

// The list of a filter form refreshes a moment after the last key, without reloading the page.
function initLiveSearch(form) {
  const results = document.querySelector("[data-live-results]");
  if (!results) return;
  let timer = null, controller = null;
  const refresh = () => {
    const params = new URLSearchParams(new FormData(form));
    [...params.keys()].forEach((key) => { if (!params.get(key)) params.delete(key); });
    const query = params.toString();
    const url = window.location.pathname + (query ? "?" + query : "");
    if (controller) controller.abort();
    controller = new AbortController();
    results.setAttribute("aria-busy", "true");
    fetch(url, { signal: controller.signal, credentials: "same-origin" })
      .then((response) => response.text())
      .then((html) => {
        const fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-live-results]");
        if (fresh) {
          results.replaceChildren(...fresh.childNodes);
          window.history.replaceState(null, "", url);
        }
        results.removeAttribute("aria-busy");
      })
      .catch(() => results.removeAttribute("aria-busy"));
  };
  form.querySelectorAll("input[type=search]").forEach((input) => input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 250);
  }));
}

// A long list of units gets a box above it that narrows the options as people type.
function initUnitPicker(select) {
  const box = document.createElement("input");
  box.type = "search";
  box.className = "picker-search";
  const words = searchMessages();
  box.placeholder = words.unitPickerPlaceholder || "";
  box.setAttribute("aria-label", words.unitPickerLabel || select.name);
  select.before(box);
  const options = [...select.options];
  box.addEventListener("input", () => {
    const wanted = foldText(box.value.trim());
    let first = null;
    options.forEach((option) => {
      const shown = !wanted || !option.value || foldText(option.text).includes(wanted)
        || option.value.toLowerCase().includes(wanted);
      option.hidden = !shown;
      if (shown && option.value && !first) first = option;
    });
    if (first && select.selectedOptions[0] && select.selectedOptions[0].hidden) select.value = first.value;
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-live-search]").forEach(initLiveSearch);
  document.querySelectorAll("select[data-unit-picker]").forEach(initUnitPicker);
});
