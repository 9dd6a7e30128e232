// The article form's live notices (templates/admin/articles/article/change_form.html):
// who else has the form open, and the editor's autosaved copy (articles/admin/live.py).
// A plain same-origin script: the admin's CSP runs nothing inline and nothing from elsewhere.
"use strict";

(() => {
  const SKIPPED = new Set(["csrfmiddlewaretoken"]);
  // Kept by inlines.js as it adds rows; writing them would desynchronise the formset.
  const MANAGEMENT = /-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$/;
  const UNSENT = new Set(["file", "submit", "button", "reset", "image"]);
  const KEEPALIVE_BYTES = 60000; // browsers refuse larger keepalive requests
  const RETRY_TEXT = "Chưa lưu tạm được, sẽ thử lại";

  async function post(url, token, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "Content-Type": "application/json" },
      body,
    });
    // A lapsed session answers with the login page: that is not a success.
    if (!response.ok || response.redirected) {
      const error = new Error(`HTTP ${response.status}`);
      error.refusal = response.status === 400 && (await response.json().catch(() => ({}))).error;
      throw error;
    }
    return response;
  }

  function watchPresence(box, token, interval) {
    const notice = box.querySelector(".antd-live-presence");
    // This opening of the form, named by the server: once it has left, a beat it
    // sent before leaving but that arrives after is ignored (newsroom/presence.py).
    let page = box.dataset.page;
    const beat = async () => {
      try {
        const answer = await (await post(box.dataset.presenceUrl, token, JSON.stringify({ page }))).json();
        notice.textContent = answer.notice;
        notice.hidden = !answer.notice;
      } catch (error) {
        // Offline or restarting: the notice stays as it was until the next beat.
      }
    };
    setInterval(beat, interval);
    window.addEventListener("pageshow", (event) => {
      if (!event.persisted) return;
      // Back from the bfcache: the page left, so it comes back under a new name.
      page = `${box.dataset.page}-${Date.now().toString(36)}`.slice(0, 40);
      beat();
    });
    window.addEventListener("pagehide", () => {
      const data = new FormData();
      data.append("csrfmiddlewaretoken", token); // a beacon cannot carry the header
      data.append("page", page);
      navigator.sendBeacon(box.dataset.leaveUrl, data);
    });
  }

  function sent(element) {
    return element.name && !element.disabled && !UNSENT.has(element.type)
      && !SKIPPED.has(element.name) && !element.name.includes("__prefix__");
  }

  // [name, value, label]: the label is an option's text, so that a select2 field
  // can show a choice the page has not loaded.
  function fieldsOf(form) {
    const fields = [];
    for (const element of Array.from(form.elements).filter(sent)) {
      if (element.type === "checkbox" || element.type === "radio") {
        fields.push([element.name, element.checked ? element.value : "", ""]);
      } else if (element.tagName === "SELECT") {
        const chosen = Array.from(element.selectedOptions);
        if (!chosen.length) fields.push([element.name, "", ""]); // so that "none" is restored too
        chosen.forEach((option) => fields.push([element.name, option.value, option.text]));
      } else {
        fields.push([element.name, element.value, ""]);
      }
    }
    return fields;
  }

  function keepCopies(box, form, token, interval) {
    const status = box.querySelector(".antd-live-status");
    const url = box.dataset.autosaveUrl;
    let changed = false;
    let sending = false;
    let submitting = false;
    const mark = () => { changed = true; };
    form.addEventListener("input", mark);
    form.addEventListener("change", mark);
    document.addEventListener("formset:added", mark);
    document.addEventListener("formset:removed", mark);
    // select2 announces its choices through jQuery only.
    if (window.django && window.django.jQuery) window.django.jQuery(form).on("change", mark);
    // A copy landing after the save would be offered again as unsaved work.
    form.addEventListener("submit", () => { submitting = true; });

    const tick = async () => {
      if (!changed || sending || submitting) return;
      changed = false;
      sending = true;
      try {
        await post(url, token, JSON.stringify(fieldsOf(form)));
        status.hidden = true;
      } catch (error) {
        // Refused as it is (too large): sending it again would be refused again.
        changed = !error.refusal;
        status.textContent = error.refusal || RETRY_TEXT;
        status.hidden = false;
      } finally {
        sending = false;
      }
    };
    setInterval(tick, interval);
    // The tab is closing: what was typed since the last tick goes too, if small enough.
    window.addEventListener("pagehide", () => {
      if (!changed || submitting) return;
      const body = JSON.stringify(fieldsOf(form));
      if (new Blob([body]).size > KEEPALIVE_BYTES) return;
      fetch(url, {
        method: "POST", keepalive: true, credentials: "same-origin",
        headers: { "X-CSRFToken": token, "Content-Type": "application/json" }, body,
      }).catch(() => {});
    });
    offerCopy(box, form, token);
  }

  function grouped(saved) {
    const byName = new Map();
    for (const [name, value, label] of saved) {
      if (!byName.has(name)) byName.set(name, []);
      byName.get(name).push({ value, label });
    }
    return byName;
  }

  // The copy had more photo rows than the page: add rows the way the editor would.
  function addInlineRows(form, byName) {
    for (const [name, entries] of byName) {
      const match = name.match(/^(.+)-TOTAL_FORMS$/);
      const total = match && form.querySelector(`[name="${CSS.escape(name)}"]`);
      const add = match && document.querySelector(`#${CSS.escape(match[1])}-group .add-row a`);
      if (!total || !add) continue;
      let count = Number(total.value);
      while (count < Number(entries[0].value)) {
        add.click();
        if (Number(total.value) === count) break; // the inline's maximum
        count = Number(total.value);
      }
    }
  }

  function restorable(element) {
    if (!sent(element) || MANAGEMENT.test(element.name)) return false;
    // Of the hidden fields only the edit token: it keeps the version check honest
    // (newsroom/editing.py); row ids and the like belong to the page as it is now.
    return element.type !== "hidden" || element.name === "edit_token";
  }

  function choose(select, entries) {
    const present = new Set(Array.from(select.options, (option) => option.value));
    for (const { value, label } of entries) {
      if (value && !present.has(value)) select.add(new Option(label || value, value));
    }
    const wanted = new Set(entries.map((entry) => entry.value));
    for (const option of select.options) option.selected = wanted.has(option.value);
  }

  function restore(form, saved) {
    const byName = grouped(saved);
    addInlineRows(form, byName);
    const used = new Map(); // the n-th field of a repeated name takes the n-th value
    for (const element of Array.from(form.elements).filter(restorable)) {
      const entries = byName.get(element.name);
      if (!entries) continue;
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = entries.some((entry) => entry.value === element.value);
      } else if (element.tagName === "SELECT") {
        choose(element, entries);
      } else {
        const index = used.get(element.name) || 0;
        used.set(element.name, index + 1);
        if (index >= entries.length) continue;
        element.value = entries[index].value;
      }
      // select2, the slug's prepopulation and the autosave itself listen for these.
      element.dispatchEvent(new Event("input", { bubbles: true }));
      element.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function offerCopy(box, form, token) {
    const offer = box.querySelector(".antd-live-offer");
    const data = document.getElementById("antd-autosave");
    if (!offer || !data) return;
    offer.querySelector(".antd-live-restore").addEventListener("click", () => {
      restore(form, JSON.parse(data.textContent));
      offer.hidden = true;
    });
    offer.querySelector(".antd-live-discard").addEventListener("click", async () => {
      const status = box.querySelector(".antd-live-status");
      try {
        await post(box.dataset.discardUrl, token, "");
        offer.hidden = true;
        status.hidden = true;
      } catch (error) {
        status.textContent = "Chưa bỏ được bản này, hãy thử lại";
        status.hidden = false;
      }
    });
  }

  function start() {
    const box = document.getElementById("antd-live");
    const form = box && box.closest("form");
    const tokenField = form && form.querySelector("[name=csrfmiddlewaretoken]");
    if (!tokenField) return;
    const interval = Math.max(1, Number(box.dataset.interval) || 10) * 1000;
    if (box.dataset.presenceUrl) watchPresence(box, tokenField.value, interval);
    if (box.dataset.autosaveUrl) keepCopies(box, form, tokenField.value, interval);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
