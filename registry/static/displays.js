// Display pages: the browser's location offered with a site photo, and the map (Leaflet).
"use strict";

// The page's words (templates/displays/_messages.html); {name} marks a value filled in here.
const MESSAGES = JSON.parse(document.getElementById("displays-messages")?.textContent || "{}");

function say(key, values = {}) {
  return (MESSAGES[key] || key).replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

function initLocate(form) {
  const button = form.querySelector("[data-locate]");
  const status = form.querySelector("[data-locate-status]");
  const lat = form.querySelector("[data-lat]");
  const lon = form.querySelector("[data-lon]");
  if (!button || !("geolocation" in navigator)) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    status.textContent = say("locating");
    navigator.geolocation.getCurrentPosition((pos) => {
      lat.value = pos.coords.latitude.toFixed(6);
      lon.value = pos.coords.longitude.toFixed(6);
      status.textContent = say("located", {
        lat: lat.value, lon: lon.value, accuracy: Math.round(pos.coords.accuracy),
      });
    }, (err) => {
      status.textContent = say("locate_failed", { error: err.message });
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
}

const STATE_COLOURS = { approved: "#1d3f8f", installed: "#1b6e3a", overdue: "#b3261e", removed: "#8d8582" };

function popupContent(p) {
  // Built from DOM nodes: every text is set as text, never parsed as HTML.
  const box = document.createElement("div");
  box.className = "map-popup";
  const title = document.createElement("a");
  title.href = p.url;
  title.textContent = p.address;
  title.className = "popup-title";
  box.appendChild(title);
  const facts = document.createElement("div");
  facts.textContent = p.state_label + (p.is_bad ? " · " + p.condition_label : "") + " · " +
    p.format_label + " · " + p.unit_name;
  box.appendChild(facts);
  const period = document.createElement("div");
  period.className = "muted";
  period.textContent = p.period_label;
  box.appendChild(period);
  if (p.photo_url) {
    const link = document.createElement("a");
    link.href = p.url;
    const img = document.createElement("img");
    img.src = p.photo_url;
    img.alt = say("latest_photo");
    link.appendChild(img);
    box.appendChild(link);
  }
  const links = document.createElement("div");
  if (p.asset_url) {
    const asset = document.createElement("a");
    asset.href = p.asset_url;
    asset.textContent = say("asset", { code: p.asset_code });
    links.appendChild(asset);
    links.appendChild(document.createTextNode(" · "));
  }
  const more = document.createElement("a");
  more.href = p.url;
  more.textContent = say("photos_and_history");
  links.appendChild(more);
  box.appendChild(links);
  return box;
}

function initMap(el) {
  const status = document.querySelector("[data-map-status]");
  const map = L.map(el).setView([10.38, 105.43], 9);
  el.dataset.ready = "0";
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);
  } else {
    el.classList.add("no-tiles");
  }
  fetch(el.dataset.geojson, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
    .then((r) => { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
    .then((data) => {
      const layer = L.geoJSON(data, {
        pointToLayer: (feature, latlng) => L.circleMarker(latlng, {
          radius: 8,
          color: feature.properties.is_bad ? "#000" : "#fff",
          weight: feature.properties.is_bad ? 3 : 1.5,
          fillColor: STATE_COLOURS[feature.properties.state] || "#555",
          fillOpacity: 0.9,
        }),
        onEachFeature: (feature, marker) => {
          marker.bindPopup(() => popupContent(feature.properties));
          marker.feature = feature;
        },
      }).addTo(map);
      const count = data.features.length;
      const points = count === 1 ? say("one_point") : say("points", { n: count });
      status.textContent = count ? points + (data.truncated ? " " + say("truncated") : "") + "." : say("no_points");
      el.dataset.points = String(count);
      if (count) map.fitBounds(layer.getBounds(), { padding: [30, 30], maxZoom: 16 });
      const focus = el.dataset.focus;
      if (focus) {
        layer.eachLayer((m) => {
          if (String(m.feature.id) === focus) { map.setView(m.getLatLng(), 16); m.openPopup(); }
        });
      }
      el.dataset.ready = "1";
    })
    .catch((err) => { status.textContent = say("load_failed", { error: err.message }); });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-site-form]").forEach(initLocate);
  const map = document.getElementById("map");
  if (map && window.L) initMap(map);
});
