/* Drafts: what is typed in a form marked data-draft survives a reload or a lost connection.
   Kept in this browser (localStorage) per user, complaint and form; never hidden fields,
   passwords or the CSRF token. A submitted draft is dropped only when the next page says
   the save worked (a success message, shown after every successful POST); a failed POST
   re-renders the form with its errors, and a POST that never arrived leaves the draft. */
(function () {
  "use strict";
  var PREFIX = "clear-desk:draft:";
  var PENDING = "clear-desk:draft-pending";
  var MAX_AGE = 30 * 24 * 3600 * 1000;
  var store, tab;
  try {
    store = window.localStorage;
    tab = window.sessionStorage;
    store.getItem(PREFIX);
  } catch (e) {
    return;  // storage switched off: forms work as before
  }
  var strings = document.getElementById("draft-strings");
  var text = {
    restored: strings ? strings.dataset.restored : "Draft restored",
    discard: strings ? strings.dataset.discard : "Discard draft"
  };

  function kept(control) {
    var type = (control.type || "").toLowerCase();
    return control.name && !control.disabled && control.name !== "csrfmiddlewaretoken" &&
      ["hidden", "password", "file", "submit", "button", "reset"].indexOf(type) === -1;
  }

  function read(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (control) {
      if (!kept(control)) return;
      if (control.type === "checkbox" || control.type === "radio") {
        values[control.name] = values[control.name] || [];
        if (control.checked) values[control.name].push(control.value);
      } else {
        values[control.name] = control.value;
      }
    });
    return values;
  }

  function write(form, values) {
    Array.prototype.forEach.call(form.elements, function (control) {
      if (!kept(control) || !(control.name in values)) return;
      var value = values[control.name];
      if (control.type === "checkbox" || control.type === "radio") {
        control.checked = Array.isArray(value) && value.indexOf(control.value) !== -1;
      } else {
        control.value = value;
      }
    });
  }

  function load(key) {
    try {
      var draft = JSON.parse(store.getItem(PREFIX + key) || "null");
      return draft && Date.now() - draft.t < MAX_AGE ? draft : null;
    } catch (e) {
      return null;
    }
  }

  // Forget drafts nobody came back to.
  for (var i = store.length - 1; i >= 0; i--) {
    var name = store.key(i);
    if (name && name.indexOf(PREFIX) === 0 && !load(name.slice(PREFIX.length))) store.removeItem(name);
  }

  // The page after a submit: a success message means it was saved.
  var pending = tab.getItem(PENDING);
  tab.removeItem(PENDING);
  if (pending && document.querySelector(".messages .success, .messages .info")) {
    store.removeItem(PREFIX + pending);
  }

  document.querySelectorAll("form[data-draft]").forEach(function (form) {
    var key = form.dataset.draft;
    var initial = read(form);
    var same = function (values) { return JSON.stringify(values) === JSON.stringify(initial); };
    // Shown again with errors: the server filled in what was sent; keep the draft as it is.
    var bounced = form.querySelector(".has-error, .errorlist, .alert-bad");
    var draft = load(key);
    if (draft && !bounced && !same(draft.v)) {
      write(form, draft.v);
      var note = document.createElement("p");
      note.className = "draft-note";
      note.setAttribute("role", "status");
      note.appendChild(document.createTextNode(text.restored + " "));
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "link";
      discard.textContent = text.discard;
      discard.addEventListener("click", function () {
        write(form, initial);
        store.removeItem(PREFIX + key);
        note.remove();
      });
      note.appendChild(discard);
      form.insertBefore(note, form.firstChild);
    }

    function save() {
      var values = read(form);
      try {
        if (same(values)) store.removeItem(PREFIX + key);
        else store.setItem(PREFIX + key, JSON.stringify({ t: Date.now(), v: values }));
      } catch (e) { /* storage full: the form still works */ }
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    form.addEventListener("submit", function () {
      save();
      tab.setItem(PENDING, key);
    });
  });
})();
