/* Phrase coach: checks customer-facing text as it is typed. Warns, never blocks. */
(function () {
  "use strict";
  var strings = document.getElementById("coach-strings");
  if (!strings) return;
  var tokenInput = document.querySelector("input[name=csrfmiddlewaretoken]");

  function render(box, warnings) {
    box.innerHTML = "";
    if (!warnings.length) return;
    var wrap = document.createElement("div");
    wrap.className = "coach-warning";
    wrap.setAttribute("role", "status");
    var title = document.createElement("strong");
    title.textContent = strings.dataset.title;
    wrap.appendChild(title);
    var list = document.createElement("ul");
    warnings.forEach(function (w) {
      var li = document.createElement("li");
      var phrase = document.createElement("q");
      phrase.textContent = w.phrase;
      li.appendChild(phrase);
      li.appendChild(document.createTextNode(" " + strings.dataset.why + ": " + w.why + " " +
        strings.dataset.instead + ": " + w.suggestion));
      list.appendChild(li);
    });
    wrap.appendChild(list);
    var note = document.createElement("small");
    note.textContent = strings.dataset.note;
    wrap.appendChild(note);
    box.appendChild(wrap);
  }

  document.querySelectorAll("[data-coach-for]").forEach(function (box) {
    var field = document.getElementById(box.dataset.coachFor);
    if (!field) return;
    var timer = null;
    var latest = 0;
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var ticket = ++latest;
        fetch(strings.dataset.url, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", Accept: "application/json",
                     "X-CSRFToken": tokenInput ? tokenInput.value : "" },
          body: JSON.stringify({ text: field.value })
        }).then(function (r) { return r.ok ? r.json() : { warnings: [] }; })
          .then(function (data) { if (ticket === latest) render(box, data.warnings || []); })
          .catch(function () {});
      }, 400);
    });
  });
})();
