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

// Issue 11: what cannot be undone (approve, reject, revoke, withdraw) asks once, in a dialog
// naming the consequence, without another page load. A button with data-confirm submits its
// form only after "Xác nhận"; without script it submits as a plain button.
function confirmDialog() {
  let dialog = document.querySelector("dialog[data-confirm-dialog]");
  if (dialog) return dialog;
  dialog = document.createElement("dialog");
  dialog.className = "confirm-dialog";
  dialog.dataset.confirmDialog = "";
  dialog.setAttribute("aria-labelledby", "confirm-dialog-title");
  dialog.innerHTML = '<form method="dialog"><h2 id="confirm-dialog-title"></h2><p data-consequence></p>'
    + '<div class="dialog-buttons"><button value="cancel" autofocus>Hủy</button>'
    + '<button value="ok" class="primary" data-confirm-ok></button></div></form>';
  document.body.appendChild(dialog);
  return dialog;
}

function initConfirm(button) {
  button.addEventListener("click", (event) => {
    const form = button.form;
    if (button.dataset.confirmed === "1") { delete button.dataset.confirmed; return; }
    event.preventDefault();
    if (!form.reportValidity()) return;
    const dialog = confirmDialog();
    dialog.querySelector("h2").textContent = button.dataset.confirmTitle || button.textContent.trim() + "?";
    dialog.querySelector("[data-consequence]").textContent = button.dataset.confirm;
    dialog.querySelector("[data-confirm-ok]").textContent = button.textContent.trim();
    dialog.querySelector("[data-confirm-ok]").className = button.classList.contains("danger") ? "danger-solid" : "primary";
    dialog.returnValue = "";
    dialog.addEventListener("close", () => {
      if (dialog.returnValue !== "ok") { button.focus(); return; }
      button.dataset.confirmed = "1";
      button.click();
    }, { once: true });
    dialog.showModal();
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("button[data-confirm]").forEach(initConfirm);
});
