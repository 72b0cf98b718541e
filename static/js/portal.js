// Small progressive enhancements; the portal works without JavaScript.
// The Content Security Policy allows no inline styles: htmx must not inject its indicator
// <style> element (the .htmx-indicator rules are in css/portal.css instead).
if (window.htmx) { window.htmx.config.includeIndicatorStyles = false; }
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to an error summary so screen readers announce it (GOV.UK pattern).
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
  // Confirm destructive steps: <form data-confirm="…">.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
});

// Registration: show only the organisation fields that belong to the chosen radio option
// (without JavaScript both groups stay visible).
document.addEventListener("DOMContentLoaded", function () {
  var radios = document.querySelectorAll("input[name='organisation_choice']");
  if (!radios.length) { return; }
  function update() {
    var chosen = document.querySelector("input[name='organisation_choice']:checked");
    document.querySelectorAll("[data-reveal-for]").forEach(function (block) {
      block.hidden = !chosen || block.getAttribute("data-reveal-for") !== chosen.value;
    });
  }
  radios.forEach(function (radio) { radio.addEventListener("change", update); });
  update();
});
