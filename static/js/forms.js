/* Every page: after a failed submit, focus the first field with an error and tie each
   error to its field; long texts collapse behind a "Show all" button. */
(function () {
  "use strict";
  function ready(run) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
    else run();
  }
  ready(function () {
    var first = null;
    document.querySelectorAll(".field.has-error").forEach(function (field, n) {
      var errors = field.querySelector(".errorlist");
      field.querySelectorAll("input, textarea, select").forEach(function (control) {
        if (control.type === "hidden") return;
        control.setAttribute("aria-invalid", "true");
        if (errors) {
          if (!errors.id) errors.id = (control.id || "field-" + n) + "_errors";
          var described = (control.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
          if (described.indexOf(errors.id) === -1) described.push(errors.id);
          control.setAttribute("aria-describedby", described.join(" "));
        }
        if (!first) first = control;
      });
    });
    if (first) {
      var closed = first.closest("details:not([open])");
      if (closed) closed.open = true;
      first.focus();
    }

    document.querySelectorAll("[data-long-text]").forEach(function (box) {
      var button = box.nextElementSibling;
      if (!button || !button.hasAttribute("data-show-all")) return;
      var more = button.textContent;
      var less = button.dataset.less || more;
      box.classList.add("is-collapsed");
      button.hidden = false;
      button.addEventListener("click", function () {
        var open = !box.classList.toggle("is-collapsed");
        button.setAttribute("aria-expanded", open ? "true" : "false");
        button.textContent = open ? less : more;
      });
    });
  });
})();
