// Small progressive enhancements; the portal works without JavaScript.
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
