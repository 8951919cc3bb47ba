/* Workshop mode: arrow keys move between steps; a full-screen button for projecting.
   Progressive enhancement only: every step is reachable by its links without this file. */
(function () {
  "use strict";

  function isTyping(target) {
    if (!target) return false;
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (isTyping(event.target)) return;
    // Fixed selectors only: no selector is ever built from a value (see respond.js).
    var link =
      event.key === "ArrowRight"
        ? document.querySelector('main a[rel="next"]')
        : event.key === "ArrowLeft"
          ? document.querySelector('main a[rel="prev"]')
          : null;
    if (link) {
      event.preventDefault();
      window.location.assign(link.href);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".js-only").forEach(function (el) {
      el.hidden = false;
    });

    var button = document.querySelector("[data-workshop-fullscreen]");
    if (button && document.documentElement.requestFullscreen) {
      button.hidden = false;
      button.addEventListener("click", function () {
        if (document.fullscreenElement) {
          document.exitFullscreen();
        } else {
          document.documentElement.requestFullscreen();
        }
      });
      document.addEventListener("fullscreenchange", function () {
        button.textContent = document.fullscreenElement ? "Leave full screen" : "Full screen";
      });
    }
  });
})();
