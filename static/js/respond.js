// The respondent's form: live progress, character counts and autosave of drafts.
// Everything here is an extra: without JavaScript the buttons do all of it.
(function () {
  "use strict";

  var form = document.getElementById("respond-form");
  if (!form) return;

  var AUTOSAVE_DELAY_MS = 3000;
  var COUNT_ANNOUNCE_DELAY_MS = 1000;

  // --- Progress: "N of M answered" (M items in the round's framework) -------------------------------------------
  var answeredOut = form.querySelector("[data-answered]");
  var progressBar = document.getElementById("progress-bar");
  var groups = form.querySelectorAll("fieldset.choice-group");

  function updateProgress() {
    var answered = 0;
    groups.forEach(function (group) {
      if (group.querySelector("input[type=radio]:checked")) answered += 1;
    });
    if (answeredOut) answeredOut.textContent = String(answered);
    if (progressBar) {
      progressBar.value = answered;
      progressBar.textContent = answered + " of " + groups.length;
    }
  }

  // --- Character counts ---------------------------------------------------------
  // The visible count changes as you type; a hidden live region repeats it once
  // typing pauses, so that screen readers are told without being flooded.
  var announcer = document.createElement("p");
  announcer.className = "visually-hidden";
  announcer.setAttribute("aria-live", "polite");
  form.appendChild(announcer);
  var announceTimer = null;

  function countText(field) {
    var limit = parseInt(field.getAttribute("data-limit"), 10);
    var used = field.value.replace(/\r\n/g, "\n").length;
    var left = limit - used;
    if (left < 0) {
      var over = -left;
      return { over: true, text: over + " character" + (over === 1 ? "" : "s") + " too many (the limit is " + limit + ")" };
    }
    return { over: false, text: left + " of " + limit + " characters left" };
  }

  // The counter whose data-count-for names this field. Matched by comparing attributes, never
  // by building a selector from the id: ids carry the framework's item codes.
  function counterFor(field) {
    var counters = form.querySelectorAll("[data-count-for]");
    for (var i = 0; i < counters.length; i += 1) {
      if (counters[i].getAttribute("data-count-for") === field.id) return counters[i];
    }
    return null;
  }

  function updateCount(field, announce) {
    var out = counterFor(field);
    if (!out) return;
    var result = countText(field);
    out.textContent = result.text;
    out.classList.toggle("is-over", result.over);
    if (announce) {
      clearTimeout(announceTimer);
      announceTimer = setTimeout(function () {
        announcer.textContent = result.text;
      }, COUNT_ANNOUNCE_DELAY_MS);
    }
  }

  form.querySelectorAll("textarea[data-limit]").forEach(function (field) {
    updateCount(field, false);
  });

  // --- Autosave ----------------------------------------------------------------
  var autosaveUrl = form.getAttribute("data-autosave-url");
  var status = document.getElementById("save-status");
  var versionInput = form.querySelector("input[name=version]");
  var csrfInput = form.querySelector("input[name=csrfmiddlewaretoken]");
  var timer = null;
  var inFlight = null;
  var stopped = false;
  var dirty = false;
  var leaving = false;

  function say(text) {
    if (status) status.textContent = text;
  }

  function autosave() {
    timer = null;
    if (!autosaveUrl || stopped || leaving || !dirty) return Promise.resolve();
    if (inFlight) {
      // Save again once the running request ends, with the version it returns.
      return inFlight.then(autosave);
    }
    dirty = false;
    say("Saving…");
    var body = new FormData(form);
    inFlight = fetch(autosaveUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfInput ? csrfInput.value : "", Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().catch(function () {
          return { status: "error" };
        });
      })
      .then(function (data) {
        if (data.status === "saved") {
          if (versionInput) versionInput.value = String(data.version);
          say("Saved automatically at " + data.saved_at + ".");
        } else if (data.status === "stale" || data.status === "closed" || data.status === "refused") {
          stopped = true;
          say(data.message);
        } else if (data.status === "invalid") {
          say(data.message || "Not saved automatically: please check your answers.");
        } else {
          dirty = true;
          say("Not saved automatically. Use “Save and come back later” to save.");
        }
      })
      .catch(function () {
        dirty = true;
        say("Not saved automatically (no connection?). Use “Save and come back later” to save.");
      })
      .then(function () {
        inFlight = null;
      });
    return inFlight;
  }

  function changed() {
    updateProgress();
    if (!autosaveUrl || stopped) return;
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(autosave, AUTOSAVE_DELAY_MS);
  }

  form.addEventListener("change", changed);
  form.addEventListener("input", function (event) {
    if (event.target.matches("textarea[data-limit]")) updateCount(event.target, true);
    changed();
  });

  // A button press must not race an autosave: wait for it, then send the form
  // with the version the autosave returned.
  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    if (inFlight) {
      event.preventDefault();
      var submitter = event.submitter;
      inFlight.then(function () {
        leaving = true;
        if (form.requestSubmit) {
          form.requestSubmit(submitter || undefined);
        } else {
          form.submit();
        }
      });
      return;
    }
    leaving = true;
  });

  // Switching between easy-read and standard texts: save what is typed first.
  document.querySelectorAll("a[data-read-switch]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (!autosaveUrl || stopped || (!dirty && !inFlight)) return;
      event.preventDefault();
      clearTimeout(timer);
      autosave().then(function () {
        if (dirty || stopped) {
          say("Not saved, so the page was not switched. Use “Save and come back later” first.");
          return;
        }
        window.location.href = link.href;
      });
    });
  });

  updateProgress();

  // After a failed or stale save, start where the explanation is (as GOV.UK does).
  var summary = document.getElementById("error-summary") || document.getElementById("stale-summary");
  if (summary) summary.focus();
})();
