/* Intake: "Use this customer" when the typed phone is already a customer's. It chooses that
   customer as a search result would; the complaint typed so far stays as it is. */
(function () {
  "use strict";
  var button = document.getElementById("use-phone-owner");
  if (!button) return;
  button.addEventListener("click", function () {
    document.getElementById("id_customer").value = button.dataset.customerId;
    document.getElementById("customer-chosen-name").textContent = button.dataset.customerLabel;
    document.getElementById("customer-chosen").hidden = false;
    document.getElementById("new-customer").hidden = true;
    document.getElementById("phone-owner").hidden = true;
    document.getElementById("id_channel").focus();
  });
})();
