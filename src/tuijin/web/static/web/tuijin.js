// Behaviour every page shares. No inline scripts anywhere: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  function apply(root) {
    if (!root || !root.querySelectorAll) { return; }
    // Widths that depend on data (progress bars) come from data- attributes, not style="".
    root.querySelectorAll("[data-width-percent]").forEach(function (el) {
      var value = parseFloat(el.getAttribute("data-width-percent"));
      el.style.width = (isFinite(value) ? Math.max(0, Math.min(100, value)) : 0) + "%";
    });
  }

  document.addEventListener("DOMContentLoaded", function () { apply(document); });
  document.addEventListener("htmx:load", function (event) { apply(event.target); });

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) { el.form.submit(); }
    if (el.matches && el.matches("select[data-navigate]")) {
      window.location = el.getAttribute("data-navigate").replace("__value__", encodeURIComponent(el.value));
    }
  });

  document.addEventListener("click", function (event) {
    var back = event.target.closest && event.target.closest("[data-back]");
    if (back && window.history.length > 1) { event.preventDefault(); window.history.back(); }
  });

  // A refused inline edit (400/409) replaces the row with the server's rendering of it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if ((status === 400 || status === 409) && event.target.closest && event.target.closest("[data-swap-errors]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
