/* Intake: find the customer by phone or name as you type (session-authenticated API). */
(function () {
  "use strict";
  var input = document.getElementById("customer-search");
  if (!input) return;
  var results = document.getElementById("customer-results");
  var hidden = document.getElementById("id_customer");
  var chosen = document.getElementById("customer-chosen");
  var chosenName = document.getElementById("customer-chosen-name");
  var newCustomer = document.getElementById("new-customer");
  var timer = null;
  var latest = 0;

  function choose(customer) {
    hidden.value = customer.id;
    chosenName.textContent = customer.name + " " + (customer.phone || "");
    chosen.hidden = false;
    newCustomer.hidden = true;
    results.innerHTML = "";
    document.getElementById("id_channel").focus();
  }

  document.getElementById("customer-clear").addEventListener("click", function () {
    hidden.value = "";
    chosen.hidden = true;
    newCustomer.hidden = false;
    input.focus();
  });

  function show(list, query) {
    results.innerHTML = "";
    if (!list.length) {
      var li = document.createElement("li");
      li.className = "muted";
      li.textContent = input.dataset.none;
      results.appendChild(li);
      if (/\d/.test(query)) document.getElementById("id_new_customer_phone").value = query;
      else document.getElementById("id_new_customer_name").value = query;
      return;
    }
    list.slice(0, 8).forEach(function (customer) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "result";
      button.textContent = customer.name + " · " + (customer.phone || customer.email || "");
      if (customer.tier === "A") {
        var badge = document.createElement("span");
        badge.className = "badge badge-vip";
        badge.textContent = input.dataset.vip;
        button.appendChild(document.createTextNode(" "));
        button.appendChild(badge);
      }
      button.addEventListener("click", function () { choose(customer); });
      li.appendChild(button);
      results.appendChild(li);
    });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    var query = input.value.trim();
    if (query.length < 3) { results.innerHTML = ""; return; }
    timer = setTimeout(function () {
      var ticket = ++latest;
      fetch(input.dataset.searchUrl + "?search=" + encodeURIComponent(query), {
        credentials: "same-origin", headers: { Accept: "application/json" }
      }).then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { if (ticket === latest) show(data.results || data, query); })
        .catch(function () {});
    }, 250);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {  // never submit the whole form from the search box
      event.preventDefault();
      var first = results.querySelector("button.result");
      if (first) first.click();
    }
  });
})();
