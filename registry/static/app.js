// Progressive enhancements; every page also works without them (CSP forbids inline script).
"use strict";

function placePins(stage) {
  stage.querySelectorAll(".pin").forEach((pin) => {
    pin.style.left = (parseFloat(pin.dataset.x) * 100) + "%";
    pin.style.top = (parseFloat(pin.dataset.y) * 100) + "%";
  });
}

// Upload with drag-and-drop and a real progress bar (XHR upload events).
function initUpload(form) {
  const zone = form.querySelector("[data-dropzone]");
  const input = form.querySelector('input[type=file][name=file]');
  const bar = form.querySelector("[data-progress]");
  const text = form.querySelector("[data-progress-text]");
  ["dragenter", "dragover"].forEach((name) => zone.addEventListener(name, (event) => {
    event.preventDefault();
    zone.classList.add("dragover");
  }));
  ["dragleave", "drop"].forEach((name) => zone.addEventListener(name, () => zone.classList.remove("dragover")));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    if (event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      text.textContent = "Đã chọn: " + input.files[0].name;
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    bar.classList.remove("hidden");
    bar.value = 0;
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) {
        bar.value = Math.round((e.loaded / e.total) * 100);
        text.textContent = "Đang tải lên: " + bar.value + "%";
      }
    });
    xhr.upload.addEventListener("load", () => { text.textContent = "Đã gửi xong, đang kiểm tra tệp…"; });
    xhr.addEventListener("load", () => {
      let answer = {};
      try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = {}; }
      const message = (answer.error && answer.error.message) || answer.message || ("Lỗi " + xhr.status);
      if (xhr.status < 400) {
        bar.value = 100;
        text.textContent = message;
        form.dataset.uploaded = "1";
        // Let the finished bar be seen for a moment before the page shows the new version.
        window.setTimeout(() => window.location.assign(answer.redirect || window.location.href), 400);
      } else {
        text.textContent = message;
        text.classList.add("error");
      }
    });
    xhr.addEventListener("error", () => { text.textContent = "Mất kết nối khi tải lên. Vui lòng thử lại."; });
    xhr.send(new FormData(form));
  });
}

// Zoom and pan of a preview; a click (not a drag) picks the point of a new annotation.
function initStage(stage) {
  const viewport = stage.querySelector("[data-viewport]");
  const inner = stage.querySelector("[data-pin-stage]");
  let scale = 1, x = 0, y = 0, dragging = false, moved = false, startX = 0, startY = 0;
  const apply = () => { inner.style.transform = `translate(${x}px, ${y}px) scale(${scale})`; };
  stage.querySelectorAll("[data-zoom]").forEach((button) => button.addEventListener("click", () => {
    const kind = button.dataset.zoom;
    if (kind === "in") scale = Math.min(scale * 1.5, 12);
    if (kind === "out") scale = Math.max(scale / 1.5, 1);
    if (kind === "reset") { scale = 1; x = 0; y = 0; }
    apply();
  }));
  viewport.addEventListener("wheel", (event) => {
    event.preventDefault();
    scale = Math.min(Math.max(scale * (event.deltaY < 0 ? 1.2 : 1 / 1.2), 1), 12);
    apply();
  }, { passive: false });
  viewport.addEventListener("pointerdown", (event) => {
    dragging = true; moved = false; startX = event.clientX - x; startY = event.clientY - y;
  });
  window.addEventListener("pointermove", (event) => {
    if (!dragging) return;
    const nx = event.clientX - startX, ny = event.clientY - startY;
    if (Math.abs(nx - x) + Math.abs(ny - y) > 3) moved = true;
    x = nx; y = ny; apply();
  });
  window.addEventListener("pointerup", () => { dragging = false; });
  const form = document.querySelector("[data-annotate-form]");
  inner.addEventListener("click", (event) => {
    if (moved || !form) return;
    const rect = inner.getBoundingClientRect();
    const rx = (event.clientX - rect.left) / rect.width, ry = (event.clientY - rect.top) / rect.height;
    form.querySelector("[data-x]").value = rx.toFixed(4);
    form.querySelector("[data-y]").value = ry.toFixed(4);
    let marker = inner.querySelector(".pin.new");
    if (!marker) { marker = document.createElement("span"); marker.className = "pin new"; marker.textContent = "+"; inner.appendChild(marker); }
    marker.dataset.x = rx; marker.dataset.y = ry;
    placePins(inner);
    form.querySelector("textarea").focus();
  });
}

function initOverlay(box) {
  const top = box.querySelector("[data-overlay-top]");
  const slider = document.querySelector("[data-overlay-slider]");
  const apply = () => { top.style.clipPath = `inset(0 ${100 - slider.value}% 0 0)`; };
  slider.addEventListener("input", apply);
  apply();
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".pin-stage").forEach(placePins);
  document.querySelectorAll("form[data-upload]").forEach(initUpload);
  document.querySelectorAll("[data-stage]").forEach(initStage);
  document.querySelectorAll("[data-overlay]").forEach(initOverlay);
});

// Issue 5 (library): the "In phiếu" button of the approval sheet opens the print dialog.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-print]").forEach((button) => button.addEventListener("click", () => window.print()));
});

// Issue 12 (text on artwork): boxes of differing words on the image, and the reading's panel,
// polled until the worker has read the text (no reload).
function drawWordBoxes(boxes) {
  const inner = document.querySelector("[data-stage] [data-pin-stage]");
  if (!inner) return;
  inner.querySelectorAll(".word-box").forEach((old) => old.remove());
  boxes.forEach((b) => {
    const span = document.createElement("span");
    span.className = "word-box word-box-" + b.kind;
    span.title = b.label;
    span.style.left = (b.x * 100) + "%";
    span.style.top = (b.y * 100) + "%";
    span.style.width = (b.w * 100) + "%";
    span.style.height = (b.h * 100) + "%";
    inner.appendChild(span);
  });
}

function applyEvidence(fragments, results) {
  Object.entries(fragments).forEach(([code, html]) => {
    const item = document.querySelector(`.check-item[data-item="${code}"]`);
    if (!item) return;
    let box = item.querySelector("[data-evidence]");
    if (!box) {
      box = document.createElement("div");
      box.dataset.evidence = code;
      item.querySelector("p").after(box);
    }
    box.className = "evidence evidence-" + (results[code] || "check");
    box.innerHTML = html;
    // An answer the reviewer has not changed follows the new automatic result.
    if (item.hasAttribute("data-untouched")) {
      item.querySelectorAll(`input[name="result-${code}"]`).forEach((radio) => {
        radio.checked = radio.value === results[code];
      });
    }
  });
}

function initTextReading(section) {
  drawWordBoxes(JSON.parse(section.dataset.boxes || "[]"));
  if (!section.hasAttribute("data-pending")) return;
  let delay = 1500;
  const poll = () => fetch(section.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
    .then((data) => {
      if (data.pending) { delay = Math.min(delay * 1.3, 10000); setTimeout(poll, delay); return; }
      section.removeAttribute("data-pending");
      section.querySelector("[data-text-panel]").innerHTML = data.html;
      drawWordBoxes(data.boxes);
      applyEvidence(data.evidence, data.results || {});
    })
    .catch(() => { delay = Math.min(delay * 2, 30000); setTimeout(poll, delay); });
  setTimeout(poll, delay);
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-text-reading]").forEach(initTextReading);
});
