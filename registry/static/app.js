// Progressive enhancements; every page also works without them (CSP forbids inline script).
"use strict";

// The page's words in the reader's language (templates/_messages_app.html, rendered with the
// page). t("key", {name: value}) fills the {name} marks; tn() picks the counted form. A key the
// page lacks is a bug and is named as one, never papered over with words of another language.
// Read on first use: a page without words to show (the printable sheet) needs no island.
let appMessages = null;
const PAGE_LOCALE = document.documentElement.lang === "en" ? "en-GB" : "vi-VN";

function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (mark, name) => (name in values ? String(values[name]) : mark));
}

function message(key) {
  if (appMessages === null) appMessages = JSON.parse(document.getElementById("app-messages").textContent);
  return appMessages[key];
}

function t(key, values = {}) {
  const text = message(key);
  if (typeof text !== "string") throw new Error(`app.js: the page has no message "${key}"`);
  return fill(text, values);
}

function tn(key, count, values = {}) {
  const forms = message(key);
  if (!forms || typeof forms !== "object") throw new Error(`app.js: the page has no message "${key}"`);
  return fill(count === 1 ? forms.one : forms.other, { n: count, ...values });
}

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
      text.textContent = t("upload_chosen", { name: input.files[0].name });
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (form.dataset.tusEndpoint && window.tus && window.tus.isSupported && window.hashwasm) {
      resumableUpload(form, bar, text);
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    bar.classList.remove("hidden");
    bar.value = 0;
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) {
        bar.value = Math.round((e.loaded / e.total) * 100);
        text.textContent = t("upload_progress", { percent: bar.value });
      }
    });
    xhr.upload.addEventListener("load", () => { text.textContent = t("upload_checking"); });
    xhr.addEventListener("load", () => {
      let answer = {};
      try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = {}; }
      const message = (answer.error && answer.error.message) || answer.message || t("error_status", { status: xhr.status });
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
    xhr.addEventListener("error", () => { text.textContent = t("upload_lost"); });
    xhr.send(new FormData(form));
  });
}

// Issue 17: resumable upload (tus-js-client, vendored). The file's SHA-256 is computed first
// (hash-wasm) and checked by the server at the end; the bytes go in chunks, a dropped connection
// resumes where it stopped (at once when the browser is back online), and picking the same file
// again after a reload or a closed laptop resumes the same upload (the client's fingerprint in
// localStorage). The finished uploads then become a version, as the plain form would.
const RESUMABLE_RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000, 30000, 60000];

async function fileSha256(file, onProgress) {
  const hasher = await window.hashwasm.createSHA256();
  const step = 8 * 1024 * 1024;
  for (let start = 0; start < file.size; start += step) {
    hasher.update(new Uint8Array(await file.slice(start, start + step).arrayBuffer()));
    onProgress(Math.min(file.size, start + step));
  }
  return hasher.digest("hex");
}

function answerMessage(response, fallback) {
  try {
    const answer = JSON.parse(response.getBody());
    return (answer.error && answer.error.message) || answer.message || fallback;
  } catch (e) { return fallback; }
}

function sendResumable(form, item, csrf, session, onBytes) {
  return new Promise((resolve, reject) => {
    const upload = new window.tus.Upload(item.file, {
      endpoint: new URL(form.dataset.tusEndpoint, window.location.href).href,
      chunkSize: Number(form.dataset.chunkSize) || 8 * 1024 * 1024,
      retryDelays: RESUMABLE_RETRY_DELAYS,
      removeFingerprintOnSuccess: true,
      metadata: { filename: item.file.name, filetype: item.file.type, kind: item.kind, sha256: item.sha256 },
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" },
      onProgress: (sent) => onBytes(sent),
      onSuccess: () => resolve(upload.url.split("/").pop()),
      onError: (error) => {
        const response = error.originalResponse;
        const status = response ? response.getStatus() : 0;
        if (session.cancelled) return;
        if (status >= 400 && status < 500 && status !== 409 && status !== 423) {
          reject(new Error(answerMessage(response, t("error_status", { status }))));
          return;
        }
        // Offline, or the retries ran out: wait for the network and carry on from the server's offset.
        session.waiting = () => upload.start();
        session.onLost();
      },
    });
    session.upload = upload;
    upload.findPreviousUploads().then((previous) => {
      if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    });
  });
}

async function postWhenOnline(url, init, text) {
  for (;;) {
    try { return await fetch(url, init); } catch (e) {
      text.textContent = t("upload_finish_lost");
      await new Promise((resolve) => {
        const timer = window.setTimeout(resolve, 30000);
        window.addEventListener("online", () => { window.clearTimeout(timer); resolve(); }, { once: true });
      });
    }
  }
}

async function resumableUpload(form, bar, text) {
  const artwork = form.querySelector('input[type=file][name=file]').files[0];
  const printFile = form.querySelector('input[type=file][name=print_file]').files[0];
  const submit = form.querySelector("button[type=submit]");
  const cancel = form.querySelector("[data-upload-cancel]");
  text.classList.remove("error");
  if (!artwork) {
    text.textContent = t("upload_choose");
    text.classList.add("error");
    return;
  }
  const items = [{ file: artwork, kind: "artwork" }];
  if (printFile) items.push({ file: printFile, kind: "print_file" });
  const total = items.reduce((sum, item) => sum + item.file.size, 0) || 1;
  const csrf = form.querySelector("input[name=csrf_token]").value;
  const session = { cancelled: false, upload: null, waiting: null };
  let done = 0;
  const show = (sent) => {
    bar.value = Math.floor(((done + sent) / total) * 100);
    text.textContent = t("upload_resumable", { percent: bar.value });
  };
  session.onLost = () => {
    text.textContent = t("upload_lost_at", { percent: bar.value });
    window.clearTimeout(session.timer);
    session.timer = window.setTimeout(resume, 30000); // in case the browser never says "online"
  };
  const resume = () => {
    if (!session.waiting || session.cancelled) return;
    const again = session.waiting;
    session.waiting = null;
    text.textContent = t("upload_back_online");
    again();
  };
  window.addEventListener("online", resume);
  submit.disabled = true;
  cancel.classList.remove("hidden");
  cancel.onclick = () => {
    session.cancelled = true;
    if (session.upload) session.upload.abort(true).catch(() => {});
    text.textContent = t("upload_cancelled");
    submit.disabled = false;
    cancel.classList.add("hidden");
  };
  bar.classList.remove("hidden");
  bar.value = 0;
  try {
    for (const item of items) {
      item.sha256 = await fileSha256(item.file, (read) => {
        const percent = Math.floor((read / (item.file.size || 1)) * 100);
        text.textContent = t("upload_hashing", { name: item.file.name, percent });
      });
    }
    for (const item of items) {
      item.token = await sendResumable(form, item, csrf, session, show);
      done += item.file.size;
    }
    if (session.cancelled) return;
    text.textContent = t("upload_checking");
    cancel.classList.add("hidden");
    const body = new FormData();
    body.append("csrf_token", csrf);
    body.append("lock_version", form.querySelector("input[name=lock_version]").value);
    body.append("artwork", items[0].token);
    body.append("artwork_sha256", items[0].sha256);
    if (items[1]) {
      body.append("print_file", items[1].token);
      body.append("print_sha256", items[1].sha256);
    }
    const response = await postWhenOnline(form.dataset.complete, {
      method: "POST", body, headers: { "Accept": "application/json" }, credentials: "same-origin",
    }, text);
    let answer = {};
    try { answer = await response.json(); } catch (e) { answer = {}; }
    const message = (answer.error && answer.error.message) || answer.message || t("error_status", { status: response.status });
    text.textContent = message;
    if (response.ok) {
      bar.value = 100;
      form.dataset.uploaded = "1";
      window.setTimeout(() => window.location.assign(answer.redirect || window.location.href), 400);
    } else {
      text.classList.add("error");
      submit.disabled = false;
    }
  } catch (error) {
    if (session.cancelled) return;
    text.textContent = error.message;
    text.classList.add("error");
    submit.disabled = false;
    cancel.classList.add("hidden");
  } finally {
    window.removeEventListener("online", resume);
    window.clearTimeout(session.timer);
  }
}

// Zoom and pan of a preview; a click (not a drag) picks the point of a new annotation.
// The pins of the page's stage, whichever viewer draws them: add one, drop the unsaved one,
// list the saved ones in order (for "đã xử lý").
let stageBoard = null;

function initStage(stage) {
  if (window.OpenSeadragon && stage.dataset.width) { initDeepZoom(stage); return; }
  const viewport = stage.querySelector("[data-viewport]");
  const inner = stage.querySelector("[data-pin-stage]");
  stageBoard = {
    add(marker) { inner.appendChild(marker); placePins(inner); },
    clearNew() { inner.querySelectorAll(".pin.new").forEach((old) => old.remove()); },
    pins() { return [...inner.querySelectorAll(".pin:not(.new)")]; },
  };
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

// Issue 11: the compare page's two viewers move together: a zoom or pan of one is copied to
// the other (in OpenSeadragon's coordinates, where both images are 1 wide).
function initSyncedViewers(box) {
  const stages = [...box.querySelectorAll("[data-stage]")];
  const viewers = stages.map((stage) => stage.viewer).filter(Boolean);
  if (viewers.length < 2) return;
  const hint = document.querySelector("[data-sync-hint]");
  if (hint) hint.hidden = false;
  let leader = null;
  viewers.forEach((viewer) => {
    const follow = () => {
      if (leader) return;
      leader = viewer;
      const zoom = viewer.viewport.getZoom(), centre = viewer.viewport.getCenter();
      viewers.filter((other) => other !== viewer).forEach((other) => {
        other.viewport.zoomTo(zoom, null, true);
        other.viewport.panTo(centre, true);
      });
      leader = null;
    };
    viewer.addHandler("zoom", follow);
    viewer.addHandler("pan", follow);
  });
  box.dataset.synced = "1";
}

function initOverlay(box) {
  const top = box.querySelector("[data-overlay-top]");
  const slider = document.querySelector("[data-overlay-slider]");
  const apply = () => { top.style.clipPath = `inset(0 ${100 - slider.value}% 0 0)`; };
  slider.addEventListener("input", apply);
  apply();
}

// Issue 11: "kích thước thật". A print W cm wide seen from D m covers the same angle as
// W × 0.6 / D cm on a screen seen from 60 cm (similar triangles). The screen's millimetres are
// CSS pixels × the calibration kept in localStorage (a bank card, 85.6 mm, matched on screen);
// uncalibrated, CSS's own 96 px per inch.
const EYE_TO_SCREEN_CM = 60;
const CARD_WIDTH_MM = 85.6;
const CSS_PX_PER_MM = 96 / 25.4;
const CALIBRATION_KEY = "registry.screen.pxPerMm";

function realSizeOnScreen(widthCm, heightCm, distanceM, pxPerMm) {
  const scale = EYE_TO_SCREEN_CM / (distanceM * 100);
  const onScreenWidthCm = widthCm * scale, onScreenHeightCm = heightCm * scale;
  return {
    widthCm: onScreenWidthCm, heightCm: onScreenHeightCm,
    widthPx: onScreenWidthCm * 10 * pxPerMm, heightPx: onScreenHeightCm * 10 * pxPerMm,
  };
}

function screenPxPerMm() {
  const kept = parseFloat(window.localStorage.getItem(CALIBRATION_KEY));
  return kept > 0 ? { value: kept, calibrated: true } : { value: CSS_PX_PER_MM, calibrated: false };
}

const decimal = (value, digits = 1) => value.toLocaleString(PAGE_LOCALE, { maximumFractionDigits: digits });

function initRealSize(stage, viewer, imageWidthPx) {
  const panel = stage.querySelector("[data-real-size]");
  const button = stage.querySelector("[data-zoom=real]");
  const none = { toggle() {}, leave() {} };
  if (!panel || !button) return none;
  const distance = panel.querySelector("[data-distance]");
  const text = panel.querySelector("[data-real-size-text]");
  const calibration = panel.querySelector("[data-calibration]");
  const slider = panel.querySelector("[data-px-per-mm]");
  const outline = panel.querySelector("[data-card-outline]");
  const widthCm = parseFloat(stage.dataset.printWidthCm), heightCm = parseFloat(stage.dataset.printHeightCm);
  const limits = { min: viewer.viewport.minZoomImageRatio, max: viewer.viewport.maxZoomPixelRatio };
  panel.querySelector("[data-distance-origin]").textContent = "(" + stage.dataset.distanceOrigin + ")";
  let active = false;
  const describe = () => {
    const screen = screenPxPerMm();
    panel.querySelector("[data-calibration-state]").textContent = screen.calibrated
      ? t("size_calibrated", { value: decimal(screen.value, 2) })
      : t("size_uncalibrated");
    return screen;
  };
  const apply = () => {
    const metres = parseFloat(distance.value);
    if (!(metres > 0)) { text.textContent = t("size_distance_needed"); return; }
    const screen = describe();
    const size = realSizeOnScreen(widthCm, heightCm, metres, screen.value);
    text.textContent = t("size_described", {
      format: stage.dataset.formatLabel, width: decimal(widthCm), height: decimal(heightCm),
      metres: decimal(metres), screen_width: decimal(size.widthCm), screen_height: decimal(size.heightCm),
      width_px: Math.round(size.widthPx), height_px: Math.round(size.heightPx),
    });
    // The angle a viewer sees may be smaller than "fit" or past the usual 4 × enlargement.
    viewer.viewport.minZoomImageRatio = 0.01;
    viewer.viewport.maxZoomPixelRatio = Math.max(limits.max, 1.2 * size.widthPx / imageWidthPx);
    viewer.viewport.zoomTo(size.widthPx / viewer.viewport.getContainerSize().x);
    stage.dataset.realWidthPx = size.widthPx.toFixed(1);
  };
  const leave = () => {
    if (!active) return;
    active = false;
    button.setAttribute("aria-pressed", "false");
    panel.hidden = true;
    viewer.viewport.minZoomImageRatio = limits.min;
    viewer.viewport.maxZoomPixelRatio = limits.max;
    delete stage.dataset.realWidthPx;
  };
  const enter = () => {
    active = true;
    button.setAttribute("aria-pressed", "true");
    panel.hidden = false;
    apply();
  };
  distance.addEventListener("input", () => { if (active) apply(); });
  panel.querySelector("[data-calibrate]").addEventListener("click", () => {
    calibration.hidden = !calibration.hidden;
    slider.value = screenPxPerMm().value;
    outline.style.width = (CARD_WIDTH_MM * slider.value) + "px";
    outline.style.height = (54 * slider.value) + "px";
  });
  slider.addEventListener("input", () => {
    outline.style.width = (CARD_WIDTH_MM * slider.value) + "px";
    outline.style.height = (54 * slider.value) + "px";
    window.localStorage.setItem(CALIBRATION_KEY, slider.value);
    if (active) apply();
  });
  panel.querySelector("[data-calibration-done]").addEventListener("click", () => { calibration.hidden = true; });
  panel.querySelector("[data-calibration-reset]").addEventListener("click", () => {
    window.localStorage.removeItem(CALIBRATION_KEY);
    calibration.hidden = true;
    if (active) apply(); else describe();
  });
  return { toggle() { if (active) { leave(); viewer.viewport.goHome(); } else enter(); }, leave };
}

// Issue 11: the artwork as it will be printed. OpenSeadragon over the version's tile pyramid
// (or its preview until the pyramid is cut): the wheel and pinch zoom toward the pointer, a drag
// pans, "100 %" shows one pixel of the original per screen pixel, pins are overlays that stay on
// their point at every zoom, and a click (not a drag) picks the point of a new pin.
function initDeepZoom(stage) {
  const width = parseFloat(stage.dataset.width), height = parseFloat(stage.dataset.height);
  const viewport = stage.querySelector("[data-viewport]");
  const fallback = stage.querySelector("[data-pin-stage]");
  const level = stage.querySelector("[data-zoom-level]");
  const box = document.createElement("div");
  box.className = "deep-zoom";
  box.dataset.deepZoom = "";
  viewport.classList.add("has-deep-zoom");
  viewport.appendChild(box);
  // As tall as the artwork's shape asks, between a strip and most of the screen.
  const fit = () => {
    const tall = box.clientWidth * height / width;
    box.style.height = Math.round(Math.max(220, Math.min(window.innerHeight * 0.62, tall))) + "px";
  };
  fit();
  window.addEventListener("resize", fit);
  const OSD = window.OpenSeadragon;
  // OpenSeadragon adds an inline <style> unless a style[data-openseadragon-mobile-css] exists;
  // the CSP (style-src 'self') refuses inline styles. A "style" element of no stylesheet
  // namespace stands in (never parsed as CSS); its one rule is in app.css.
  if (!document.querySelector("style[data-openseadragon-mobile-css]")) {
    const placeholder = document.createElementNS("urn:x-registry:placeholder", "style");
    placeholder.setAttribute("data-openseadragon-mobile-css", "");
    document.head.appendChild(placeholder);
  }
  const source = stage.dataset.dziUrl || { type: "image", url: stage.dataset.previewUrl, buildPyramid: false };
  const viewer = OSD({
    element: box,
    tileSources: source,
    showNavigationControl: false,
    gestureSettingsMouse: { clickToZoom: false, dblClickToZoom: true },
    gestureSettingsTouch: { clickToZoom: false },
    visibilityRatio: 0.5,
    minZoomImageRatio: 0.8,
    maxZoomPixelRatio: 4,
    zoomPerScroll: 1.25,
    animationTime: 0.4,
    crossOriginPolicy: false,
    preserveImageSizeOnResize: true,
    // A press shorter than this pins a comment; OpenSeadragon's 300 ms misses a slow tap on a
    // busy phone (or a busy test machine), which then reads as the start of a drag.
    clickTimeThreshold: 1000,
  });
  stage.viewer = viewer;
  // The text reader's boxes around differing words, on their words at every zoom.
  let wordOverlays = [];
  stage.placeWordBoxes = (boxes) => {
    wordOverlays.forEach((element) => viewer.removeOverlay(element));
    wordOverlays = boxes.map((b) => {
      const element = wordBox(b);
      viewer.addOverlay({
        element, location: new OSD.Rect(b.x, b.y * height / width, b.w, b.h * height / width),
      });
      return element;
    });
  };
  const pins = [];
  let pending = null;
  const point = (x, y) => new OSD.Point(x, y * height / width);
  const overlay = (marker) => viewer.addOverlay({
    element: marker, location: point(parseFloat(marker.dataset.x), parseFloat(marker.dataset.y)),
    placement: OSD.Placement.CENTER, checkResize: false,
  });
  // Screen pixels per pixel of the original: 1 is "100 %".
  const ratio = () => viewer.viewport.getZoom(true) * viewer.viewport.getContainerSize().x / width;
  viewer.addHandler("open", () => {
    fallback.querySelectorAll(".pin").forEach((marker) => { pins.push(marker); overlay(marker); });
    fallback.hidden = true;
    stage.querySelector("[data-zoom=actual]").hidden = false;
    if (stage.dataset.printWidthCm) stage.querySelector("[data-zoom=real]").hidden = false;
    stage.dataset.ready = "1";
    fallback.querySelectorAll(".word-box").forEach((box) => box.remove());
    stage.placeWordBoxes(wordBoxes);
    showLevel();
  });
  viewer.addHandler("open-failed", () => { box.remove(); viewport.classList.remove("has-deep-zoom"); });
  const showLevel = () => { level.textContent = Math.round(ratio() * 100) + " %"; };
  viewer.addHandler("animation", showLevel);
  viewer.addHandler("animation-finish", () => { showLevel(); stage.dataset.zoomed = ratio().toFixed(3); });
  const real = initRealSize(stage, viewer, width);
  stage.querySelectorAll("[data-zoom]").forEach((button) => button.addEventListener("click", () => {
    const kind = button.dataset.zoom;
    if (kind === "real") { real.toggle(); return; }
    real.leave();
    if (kind === "in") viewer.viewport.zoomBy(1.5);
    if (kind === "out") viewer.viewport.zoomBy(1 / 1.5);
    if (kind === "reset") viewer.viewport.goHome();
    if (kind === "actual") viewer.viewport.zoomTo(viewer.viewport.getZoom() / ratio());
    viewer.viewport.applyConstraints();
  }));
  const form = document.querySelector("[data-annotate-form]");
  viewer.addHandler("canvas-click", (event) => {
    if (!event.quick || !form) return;
    const at = viewer.viewport.pointFromPixel(event.position);
    const rx = at.x, ry = at.y * width / height;
    if (rx < 0 || rx > 1 || ry < 0 || ry > 1) return;
    form.querySelector("[data-x]").value = rx.toFixed(4);
    form.querySelector("[data-y]").value = ry.toFixed(4);
    if (pending) viewer.removeOverlay(pending);
    pending = document.createElement("span");
    pending.className = "pin new";
    pending.textContent = "+";
    pending.dataset.x = rx;
    pending.dataset.y = ry;
    overlay(pending);
    form.querySelector("textarea").focus({ preventScroll: true });
  });
  stageBoard = {
    add(marker) { pins.push(marker); overlay(marker); },
    clearNew() { if (pending) viewer.removeOverlay(pending); pending = null; },
    pins() { return pins; },
  };
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".pin-stage").forEach(placePins);
  document.querySelectorAll("form[data-upload]").forEach(initUpload);
  document.querySelectorAll("[data-stage]").forEach(initStage);
  document.querySelectorAll("[data-overlay]").forEach(initOverlay);
  document.querySelectorAll("[data-synced-viewers]").forEach(initSyncedViewers);
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
    + '<div class="dialog-buttons"><button value="cancel" autofocus data-confirm-cancel></button>'
    + '<button value="ok" class="primary" data-confirm-ok></button></div></form>';
  dialog.querySelector("[data-confirm-cancel]").textContent = t("dialog_cancel");
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

// Issue 11: nothing typed is lost. Checklist answers save one item at a time as the reviewer
// goes; pins are added and resolved without a reload; a refused save keeps what was typed and
// says why beside the item; a signed-out session or a stale form token keeps everything on the
// page until the reviewer has signed in again (in another tab), then sends it.
const workbench = { token: null, pending: new Map(), resending: false, form: null };

function currentToken(form) {
  return workbench.token || form.querySelector("input[name=csrf_token]").value;
}

async function postOnce(url, data, form) {
  data.set("csrf_token", currentToken(form));
  let response;
  try {
    response = await fetch(url, {
      method: "POST", body: data, credentials: "same-origin", redirect: "manual",
      headers: { Accept: "application/json" },
    });
  } catch (error) {
    return { kind: "offline" };
  }
  // Signed out: the page would be sent to the sign-in form.
  if (response.type === "opaqueredirect" || response.status === 401) return { kind: "signed_out" };
  let body = {};
  try { body = await response.json(); } catch (error) { body = {}; }
  const code = body.error && body.error.code;
  if (response.status === 400 && code === "csrf") return { kind: "csrf" };
  if (!response.ok) {
    return { kind: "refused", message: (body.error && body.error.message) || t("error_status", { status: response.status }) };
  }
  return { kind: "ok", body };
}

async function freshToken() {
  const form = workbench.form;
  try {
    const response = await fetch(form.dataset.tokenUrl, {
      credentials: "same-origin", redirect: "manual", headers: { Accept: "application/json" },
    });
    if (!response.ok || response.type === "opaqueredirect") return false;
    workbench.token = (await response.json()).csrf_token;
  } catch (error) {
    return false;
  }
  // Every form of the page (pins, the decision, the full save) carries the new token.
  document.querySelectorAll("input[name=csrf_token]").forEach((input) => { input.value = workbench.token; });
  return true;
}

async function sendKept(url, data, form) {
  let outcome = await postOnce(url, data, form);
  if (outcome.kind === "csrf") outcome = (await freshToken()) ? await postOnce(url, data, form) : { kind: "signed_out" };
  if (outcome.kind === "csrf") outcome = { kind: "signed_out" };
  return outcome;
}

function keepForLater(key, job, outcome) {
  workbench.pending.set(key, job);
  const banner = signedOutBanner();
  banner.querySelector("[data-why]").textContent = outcome.kind === "offline"
    ? t("session_offline")
    : t("session_expired");
  banner.querySelector("[data-relogin]").hidden = outcome.kind === "offline";
  banner.hidden = false;
}

function signedOutBanner() {
  let banner = document.querySelector("[data-signed-out]");
  if (banner) return banner;
  banner = document.createElement("div");
  banner.className = "flash flash-error signed-out";
  banner.setAttribute("role", "alert");
  banner.dataset.signedOut = "";
  banner.innerHTML = '<strong data-why></strong> <span data-kept></span> '
    + '<a target="_blank" rel="noopener" data-relogin></a><span data-after-relogin></span> '
    + '<button type="button" data-resend></button> <span data-resend-state></span>';
  banner.querySelector("[data-kept]").textContent = t("session_kept");
  banner.querySelector("[data-relogin]").textContent = t("session_relogin");
  banner.querySelector("[data-after-relogin]").textContent = t("session_after_relogin");
  banner.querySelector("[data-resend]").textContent = t("session_resend");
  banner.querySelector("[data-relogin]").href = workbench.form.dataset.loginUrl;
  banner.querySelector("[data-resend]").addEventListener("click", resendKept);
  window.addEventListener("focus", resendKept);
  document.body.appendChild(banner);
  return banner;
}

async function resendKept() {
  if (workbench.resending || !workbench.pending.size) return;
  workbench.resending = true;
  const banner = signedOutBanner();
  const state = banner.querySelector("[data-resend-state]");
  try {
    if (!(await freshToken())) {
      state.textContent = t("session_not_back");
      return;
    }
    banner.hidden = true;
    state.textContent = "";
    const jobs = [...workbench.pending.values()];
    workbench.pending.clear();
    for (const job of jobs) await job();
  } finally {
    workbench.resending = false;
  }
}

function setSaveState(item, kind, text) {
  const state = item.querySelector("[data-save-state]");
  item.dataset.saveState = kind;
  item.classList.toggle("has-error", kind === "error");
  state.className = "save-state small save-" + kind;
  state.textContent = text;
}

function initAutosave(form) {
  workbench.form = form;
  form.querySelectorAll(".check-item").forEach((item) => {
    const code = item.dataset.item;
    const textarea = item.querySelector("textarea");
    let timer = null;
    let chain = Promise.resolve();
    const save = async () => {
      clearTimeout(timer);
      timer = null;
      const data = new FormData();
      const checked = item.querySelector(`input[name="result-${code}"]:checked`);
      data.set(`result-${code}`, checked ? checked.value : "");
      data.set(`comment-${code}`, textarea.value);
      setSaveState(item, "saving", t("save_saving"));
      const outcome = await sendKept(form.action, data, form);
      if (outcome.kind === "ok") {
        setSaveState(item, "saved", t("save_saved"));
      } else if (outcome.kind === "refused") {
        setSaveState(item, "error", t("save_refused", { message: outcome.message }));
      } else {
        setSaveState(item, "waiting", t("save_waiting"));
        keepForLater(code, save, outcome);
      }
    };
    const queueSave = () => { chain = chain.then(save); return chain; };
    item.addEventListener("change", (event) => { if (event.target.type === "radio") queueSave(); });
    textarea.addEventListener("input", () => {
      setSaveState(item, "dirty", t("save_typing"));
      clearTimeout(timer);
      timer = setTimeout(queueSave, 700);
    });
    textarea.addEventListener("blur", () => { if (timer) queueSave(); });
  });
  // A form sent the ordinary way (the full save, the decision) carries what was typed.
  document.addEventListener("submit", (event) => {
    if (!event.defaultPrevented && event.target.method !== "dialog") workbench.leaving = true;
  });
  window.addEventListener("beforeunload", (event) => {
    if (workbench.leaving) return;
    const unsaved = workbench.pending.size || form.querySelector('[data-save-state="dirty"], [data-save-state="saving"]');
    if (unsaved) { event.preventDefault(); event.returnValue = ""; }
  });
}

function annotationLine(note, number) {
  const li = document.createElement("li");
  li.append(note.body + " ");
  const who = document.createElement("span");
  who.className = "muted small";
  who.textContent = "— " + note.author;
  li.append(who, " ");
  const resolve = document.createElement("form");
  resolve.method = "post";
  resolve.action = note.resolve_url;
  resolve.className = "inline";
  resolve.dataset.resolve = "";
  resolve.innerHTML = '<input type="hidden" name="csrf_token"><button type="submit" class="link"></button>';
  resolve.querySelector("button").textContent = t("pin_resolve");
  resolve.querySelector("input").value = currentToken(workbench.form || document);
  li.append(resolve);
  li.dataset.number = number;
  return li;
}

function initPinning(form) {
  const list = document.querySelector("[data-annotation-list]");
  const status = document.createElement("p");
  status.className = "small save-state";
  status.setAttribute("aria-live", "polite");
  form.append(status);
  const pin = async () => {
    const data = new FormData(form);
    status.textContent = t("pin_pinning");
    const outcome = await sendKept(form.action, data, form);
    if (outcome.kind === "ok") {
      const note = outcome.body;
      const number = list.children.length + 1;
      const marker = document.createElement("span");
      marker.className = "pin";
      marker.dataset.x = note.x;
      marker.dataset.y = note.y;
      marker.title = note.body;
      marker.textContent = number;
      stageBoard.clearNew();
      stageBoard.add(marker);
      list.appendChild(annotationLine(note, number));
      const none = document.querySelector("[data-no-annotations]");
      if (none) none.remove();
      form.querySelector("textarea").value = "";
      form.querySelector("[data-x]").value = "";
      form.querySelector("[data-y]").value = "";
      status.className = "small save-state save-saved";
      status.textContent = t("pin_pinned", { number });
    } else if (outcome.kind === "refused") {
      status.className = "small save-state save-error";
      status.textContent = t("pin_refused", { message: outcome.message });
    } else {
      status.className = "small save-state save-waiting";
      status.textContent = t("pin_waiting");
      keepForLater("pin", pin, outcome);
    }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (form.reportValidity()) pin();
  });
  list.addEventListener("submit", async (event) => {
    const resolve = event.target.closest("form[data-resolve]");
    if (!resolve) return;
    event.preventDefault();
    const line = resolve.closest("li");
    const number = [...list.children].indexOf(line) + 1;
    const run = async () => {
      const outcome = await sendKept(resolve.action, new FormData(resolve), resolve);
      if (outcome.kind === "ok") {
        const done = document.createElement("span");
        done.className = "muted";
        done.textContent = t("pin_resolved");
        resolve.replaceWith(done);
        const marker = stageBoard.pins()[number - 1];
        if (marker) marker.classList.add("resolved");
      } else if (outcome.kind === "refused") {
        resolve.append(" " + outcome.message);
      } else {
        keepForLater("resolve-" + resolve.action, run, outcome);
      }
    };
    run();
  });
}

// An answer under a pin is added without a reload, kept through a lapsed session like the rest.
function initReplies() {
  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-reply]");
    if (!form) return;
    event.preventDefault();
    if (!form.reportValidity()) return;
    const textarea = form.querySelector("textarea");
    const run = async () => {
      const outcome = await sendKept(form.action, new FormData(form), form);
      if (outcome.kind === "ok") {
        const line = document.createElement("li");
        const who = document.createElement("span");
        who.className = "reply-author";
        who.textContent = outcome.body.author + ":";
        line.append(who, " " + outcome.body.body);
        form.closest("[data-pin-thread]").querySelector("[data-replies]").append(line);
        textarea.value = "";
        form.dataset.state = "saved";
      } else if (outcome.kind === "refused") {
        form.dataset.state = "error";
        textarea.setCustomValidity(outcome.message);
        textarea.reportValidity();
        textarea.addEventListener("input", () => textarea.setCustomValidity(""), { once: true });
      } else {
        form.dataset.state = "waiting";
        keepForLater("reply-" + form.action, run, outcome);
      }
    };
    run();
  }, true);
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-autosave]");
  if (!form) return;
  initAutosave(form);
  initReplies();
  const annotate = document.querySelector("form[data-annotate-form]");
  if (annotate) initPinning(annotate);
});

// Issue 11: the checklist's progress line, and decision buttons that say what is missing.
function initChecklistProgress(form) {
  const line = form.querySelector("[data-progress-line]");
  const decision = document.querySelector("form[data-decision]");
  const hint = decision && decision.querySelector("[data-decision-hint]");
  const items = [...form.querySelectorAll(".check-item")];
  const update = () => {
    const chosen = (item) => item.querySelector("input[type=radio]:checked");
    const open = items.filter((item) => !chosen(item));
    if (line) {
      line.textContent = open.length ? tn("checklist_open", open.length) : tn("checklist_done", items.length);
      line.classList.toggle("done", !open.length);
    }
    if (!decision) return;
    const notPassed = items.filter((item) => item.hasAttribute("data-required")
      && !(chosen(item) && ["pass", "na"].includes(chosen(item).value)));
    const failedWithComment = items.some((item) => chosen(item) && chosen(item).value === "fail"
      && item.querySelector("textarea").value.trim());
    const approve = decision.querySelector("button[value=approve], button[value=recommend_approval]");
    const others = decision.querySelectorAll("button[value=request_changes], button[value=reject], button[value=recommend_rejection]");
    const hints = [];
    if (approve) {
      approve.disabled = notPassed.length > 0;
      if (notPassed.length) {
        const codes = notPassed.slice(0, 6).map((item) => item.dataset.item).join(", ");
        hints.push(tn("checklist_approve_hint", notPassed.length, { codes: codes + (notPassed.length > 6 ? ", …" : "") }));
      }
    }
    others.forEach((button) => { button.disabled = !failedWithComment; });
    if (!failedWithComment) hints.push(t("checklist_decline_hint"));
    if (hint) hint.textContent = hints.join(" ");
  };
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  items.forEach((item) => item.querySelector(".criterion").addEventListener("click", () => item.classList.toggle("open")));
  update();
}

// Issue 12 (text on artwork): boxes of differing words on the image, and the reading's panel,
// polled until the worker has read the text (no reload).
// The deep-zoom viewer shows them as overlays once it is open (see initDeepZoom).
let wordBoxes = [];

function wordBox(b) {
  const span = document.createElement("span");
  span.className = "word-box word-box-" + b.kind;
  span.title = b.label;
  return span;
}

function drawWordBoxes(boxes) {
  wordBoxes = boxes;
  const stage = document.querySelector("[data-stage]");
  const inner = stage && stage.querySelector("[data-pin-stage]");
  if (!inner) return;
  inner.querySelectorAll(".word-box").forEach((old) => old.remove());
  if (stage.placeWordBoxes && stage.dataset.ready) { stage.placeWordBoxes(boxes); return; }
  boxes.forEach((b) => {
    const span = wordBox(b);
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
      (item.querySelector(".legal") || item.querySelector(".check-head")).after(box);
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
  // The progress line and the decision's hints count the new automatic answers (an event on
  // the form itself, so no item's autosave takes them for the reviewer's own).
  const form = document.querySelector("form[data-autosave]");
  if (form) form.dispatchEvent(new Event("input"));
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

// A version's preview is made by the worker after the upload: ask until it is ready or failed,
// then put the thumbnail (or the failure and its retry button) in place of the notice.
function initRenditions(notice) {
  let delay = 1500;
  const poll = () => fetch(notice.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
    .then((data) => {
      if (data.pending) { delay = Math.min(delay * 1.3, 10000); setTimeout(poll, delay); return; }
      if (notice.hasAttribute("data-reload")) { window.location.reload(); return; }  // the review stage
      notice.outerHTML = data.html;
    })
    .catch(() => { delay = Math.min(delay * 2, 30000); setTimeout(poll, delay); });
  setTimeout(poll, delay);
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-renditions]").forEach(initRenditions);
  const form = document.querySelector("form[data-autosave]");
  if (form) initChecklistProgress(form);
  document.querySelectorAll("[data-text-reading]").forEach(initTextReading);
});

// Issue 11: the checklist by keyboard. J / K move to the next / previous item (only the items
// on screen: a folded group opens when asked for), 1 / 2 / 3 answer Đạt / Không đạt / Không áp
// dụng (a pass or "not applicable" moves on; a fail opens its comment), C writes a comment and
// Esc leaves it. Keys typed into a text field stay text.
const ANSWER_KEYS = { 1: "pass", 2: "fail", 3: "na" };

function initChecklistKeys(form) {
  const hint = form.querySelector("[data-key-hint]");
  if (hint) hint.hidden = false;
  const visible = () => [...form.querySelectorAll(".check-item")].filter((item) => item.offsetParent !== null);
  let current = null;
  const select = (item) => {
    if (!item) return;
    if (current) current.classList.remove("current");
    current = item;
    item.classList.add("current");
    item.tabIndex = -1;
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
  };
  const move = (step) => {
    const items = visible();
    const at = items.indexOf(current);
    if (at === -1) { select(step > 0 ? items[0] : items[items.length - 1]); return; }
    const next = items[at + step];
    if (next) { select(next); return; }
    // Past the last item on screen: open the next folded group, if any.
    const folded = step > 0 && [...form.querySelectorAll("details.auto-passed:not([open])")]
      .find((details) => current.compareDocumentPosition(details) & Node.DOCUMENT_POSITION_FOLLOWING);
    if (folded) { folded.open = true; select(folded.querySelector(".check-item")); }
  };
  form.addEventListener("focusin", (event) => {
    const item = event.target.closest(".check-item");
    if (item && item !== current) { if (current) current.classList.remove("current"); current = item; item.classList.add("current"); }
  });
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    const typing = event.target.closest && event.target.closest("textarea, input:not([type=radio]), select, [contenteditable]");
    if (typing) {
      if (event.key === "Escape" && current && current.contains(event.target)) {
        event.target.blur();
        select(current);
      }
      return;
    }
    if (document.querySelector("dialog[open]")) return;
    const key = event.key.toLowerCase();
    if (key === "j") { event.preventDefault(); move(1); return; }
    if (key === "k") { event.preventDefault(); move(-1); return; }
    if (!current) return;
    if (key === "c") { event.preventDefault(); current.querySelector("textarea").focus(); return; }
    const result = ANSWER_KEYS[event.key];
    if (!result) return;
    const radio = current.querySelector(`input[type=radio][value=${result}]`);
    if (!radio || radio.disabled) return;
    event.preventDefault();
    radio.checked = true;
    radio.dispatchEvent(new Event("change", { bubbles: true }));
    if (result === "fail") current.querySelector("textarea").focus();
    else move(1);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-autosave]");
  if (form) initChecklistKeys(form);
});

// Issue 11: the designer's forms never lose typing either (the submission, a placement, the
// note of what changed when resubmitting). What is typed is kept in localStorage, one draft per
// form, and put back if the page is opened again before it was saved; leaving with unsaved
// typing asks first. Sending first asks for a fresh form token: a lapsed session keeps the
// page as it is, says so (the review page's banner), and sends the form once the designer has
// signed in again in another tab. The draft goes when the save has led to another page.
const DRAFT_PREFIX = "registry.draft:";
const DRAFT_SENT = "registry.draft-sent";
const SKIPPED = ["hidden", "file", "submit", "button", "password"];

function draftFields(form) {
  return [...form.elements].filter((field) => field.name && field.name !== "csrf_token"
    && !SKIPPED.includes(field.type) && !field.disabled);
}

function readDraft(form) {
  const values = {};
  draftFields(form).forEach((field) => {
    if (field.type === "checkbox" || field.type === "radio") {
      values[field.name] = values[field.name] || [];
      if (field.checked) values[field.name].push(field.value);
    } else if (field.multiple) {
      values[field.name] = [...field.selectedOptions].map((option) => option.value);
    } else {
      values[field.name] = field.value;
    }
  });
  return values;
}

function writeDraft(form, values) {
  let changed = false;
  draftFields(form).forEach((field) => {
    if (!(field.name in values)) return;
    const kept = values[field.name];
    if (field.type === "checkbox" || field.type === "radio") {
      const checked = kept.includes(field.value);
      changed = changed || checked !== field.checked;
      field.checked = checked;
    } else if (field.multiple) {
      [...field.options].forEach((option) => {
        const selected = kept.includes(option.value);
        changed = changed || selected !== option.selected;
        option.selected = selected;
      });
    } else if (field.value !== kept) {
      changed = true;
      field.value = kept;
    }
  });
  return changed;
}

function initKeptForm(form) {
  const key = DRAFT_PREFIX + window.location.pathname + "#" + (form.id || new URL(form.action).pathname);
  let dirty = false, timer = null;
  const store = () => {
    clearTimeout(timer);
    try {
      window.localStorage.setItem(key, JSON.stringify({ at: Date.now(), values: readDraft(form) }));
    } catch (error) { /* storage full or refused: the beforeunload warning still guards */ }
  };
  const kept = JSON.parse(window.localStorage.getItem(key) || "null");
  if (kept && writeDraft(form, kept.values)) {
    dirty = true;
    const note = document.createElement("p");
    note.className = "flash flash-info draft-restored";
    note.setAttribute("role", "status");
    const at = new Date(kept.at).toLocaleString(PAGE_LOCALE, { hour: "2-digit", minute: "2-digit", day: "2-digit", month: "2-digit" });
    note.append(t("draft_restored", { at }) + " ");
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "link";
    discard.textContent = t("draft_discard");
    discard.addEventListener("click", () => {
      window.localStorage.removeItem(key);
      form.reset();
      dirty = false;
      note.remove();
    });
    note.append(discard);
    form.prepend(note);
    form.dispatchEvent(new Event("input"));
  }
  const changed = () => { dirty = true; clearTimeout(timer); timer = setTimeout(store, 300); };
  form.addEventListener("input", (event) => { if (event.isTrusted) changed(); });
  form.addEventListener("change", (event) => { if (event.isTrusted) changed(); });
  window.addEventListener("beforeunload", (event) => {
    if (!dirty || workbench.leaving) return;
    store();  // typed faster than the pause that stores it
    event.preventDefault();
    event.returnValue = "";
  });
  const send = async () => {
    store();
    if (!(await freshToken())) {
      keepForLater(key, send, { kind: "signed_out" });
      return;
    }
    workbench.leaving = true;
    window.sessionStorage.setItem(DRAFT_SENT, key);
    HTMLFormElement.prototype.submit.call(form);
  };
  form.addEventListener("submit", (event) => {
    if (event.defaultPrevented) return;
    event.preventDefault();
    if (!form.noValidate && !form.reportValidity()) return;
    send();
  });
  return key;
}

document.addEventListener("DOMContentLoaded", () => {
  const forms = [...document.querySelectorAll("form[data-keep-typing]")];
  if (forms.length && !workbench.form) workbench.form = forms[0];
  const keys = forms.map(initKeptForm);
  // The last page sent a kept form: if this page is not that form again (shown with its
  // errors) nor an error page, the save went through and its draft is no longer needed.
  const sent = window.sessionStorage.getItem(DRAFT_SENT);
  if (sent) {
    window.sessionStorage.removeItem(DRAFT_SENT);
    const navigation = window.performance.getEntriesByType("navigation")[0];
    const status = (navigation && navigation.responseStatus) || 200;
    if (!keys.includes(sent) && status < 400) window.localStorage.removeItem(sent);
  }
});
