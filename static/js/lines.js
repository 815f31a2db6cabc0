// The proposal form: the lines editor (add and remove rows, item search, the client's price
// from the item quote, a preview of the totals) and the client picker (search, the client's
// contacts). Without JavaScript the same form works as plain inputs; the server's totals are
// the ones that count.
(() => {
  const DEBOUNCE_MS = 250;
  const money = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  const debounce = (fn) => {
    let timer;
    return (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), DEBOUNCE_MS);
    };
  };

  const getJSON = async (url) => {
    const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    return response.ok ? response.json() : null;
  };

  const number = (value) => {
    const parsed = parseFloat(String(value || "").replace(",", "."));
    return Number.isFinite(parsed) ? parsed : 0;
  };

  // "21.0000" + "S" → "21:S", the value of the VAT options.
  const vatKey = (rate, category) => `${Number(rate)}:${category}`;

  const field = (scope, name) => scope.querySelector(`[data-line="${name}"]`);
  const formField = (form, name) => (form ? form.querySelector(`[name="${name}"]`) : null);

  function option(value, label, selected = false) {
    const element = document.createElement("option");
    element.value = value;
    element.textContent = label;
    element.selected = selected;
    return element;
  }

  // --- lines ---------------------------------------------------------------------------------

  function setupLines(table) {
    const form = table.closest("form");
    const prefix = table.dataset.prefix;
    const rows = table.querySelector("[data-line-rows]");
    const section = table.closest("section");
    const template = section.querySelector("[data-line-template]");
    const total = form.querySelector(`[name="${prefix}-TOTAL_FORMS"]`);
    const totalsBox = section.querySelector("[data-lines-totals]");
    const clientSelect = form.querySelector("[data-client-select]");

    const currency = () => (formField(form, "currency") || {}).value || "";

    function recompute() {
      const bases = new Map();
      let subtotalCents = 0;
      rows.querySelectorAll("[data-line-row]").forEach((row) => {
        const remove = row.querySelector('input[name$="-DELETE"]');
        const removed = Boolean(remove && remove.checked);
        row.classList.toggle("opacity-50", removed);
        const netCell = row.querySelector("[data-line-net]");
        const price = field(row, "unit_price").value;
        if (removed || price === "") {
          netCell.textContent = "—";
          return;
        }
        const cents = Math.round(number(field(row, "quantity").value) * number(price)
          * (100 - number(field(row, "discount_percent").value)));
        netCell.textContent = money.format(cents / 100);
        subtotalCents += cents;
        const rate = number((field(row, "vat").value || "0:").split(":")[0]);
        bases.set(rate, (bases.get(rate) || 0) + cents);
      });
      if (!totalsBox) return;
      const discount = number((formField(form, "discount_percent") || {}).value);
      let netCents = 0;
      let vatCents = 0;
      bases.forEach((base, rate) => {
        const discounted = base - Math.round(base * discount / 100);
        netCents += discounted;
        vatCents += Math.round(discounted * rate / 100);
      });
      const show = (key, cents) => {
        totalsBox.querySelector(`[data-total="${key}"]`).textContent = `${money.format(cents / 100)} ${currency()}`;
      };
      show("subtotal", subtotalCents);
      show("discount", subtotalCents - netCents);
      show("vat", vatCents);
      show("total", netCents + vatCents);
      totalsBox.classList.remove("d-none");
    }

    async function quote(row, { fillText }) {
      const item = field(row, "item").value;
      if (!item) return;
      const params = new URLSearchParams({ item, quantity: field(row, "quantity").value || "1", currency: currency() });
      if (clientSelect && clientSelect.value) params.set("client", clientSelect.value);
      const data = await getJSON(`${table.dataset.quoteUrl}?${params}`);
      if (!data || data.errors) return;
      if (fillText || !field(row, "description").value) field(row, "description").value = data.description;
      if (fillText || !field(row, "unit").value) field(row, "unit").value = data.unit;
      field(row, "unit_price").value = data.unit_price;
      field(row, "discount_percent").value = data.discount_percent;
      const vat = field(row, "vat");
      const key = vatKey(data.vat_rate, data.vat_category);
      if (![...vat.options].some((choice) => choice.value === key)) vat.append(option(key, `${Number(data.vat_rate)} % (${data.vat_category})`));
      vat.value = key;
      field(row, "price_source").value = data.price_source;
      row.querySelector("[data-line-source]").textContent = data.price_source;
      recompute();
    }

    function showSuggestions(row, items) {
      const box = row.querySelector("[data-line-suggestions]");
      box.replaceChildren();
      items.forEach((item) => {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "list-group-item list-group-item-action small";
        button.textContent = `${item.code} — ${item.name} (${item.unit_price} ${item.currency || ""})`;
        button.addEventListener("click", () => {
          field(row, "item").value = item.id;
          field(row, "item_label").value = `${item.code} — ${item.name}`;
          box.replaceChildren();
          quote(row, { fillText: true });
        });
        box.append(button);
      });
    }

    function bindRow(row) {
      const search = field(row, "item_label");
      const lookup = debounce(async () => {
        const text = search.value.trim();
        if (text.length < 2) {
          showSuggestions(row, []);
          return;
        }
        const data = await getJSON(`${table.dataset.autocompleteUrl}?${new URLSearchParams({ q: text })}`);
        showSuggestions(row, Array.isArray(data) ? data : (data && data.results) || []);
      });
      search.addEventListener("input", () => {
        if (!search.value) field(row, "item").value = "";
        lookup();
      });
      search.addEventListener("keydown", (event) => {
        if (event.key === "Escape") showSuggestions(row, []);
      });
      field(row, "quantity").addEventListener("change", () => quote(row, { fillText: false }));
      field(row, "unit_price").addEventListener("input", () => {
        // A price typed by hand no longer comes from the price list.
        field(row, "price_source").value = "";
        row.querySelector("[data-line-source]").textContent = "";
      });
    }

    rows.querySelectorAll("[data-line-row]").forEach(bindRow);
    form.addEventListener("input", recompute);
    form.addEventListener("change", recompute);

    const addButton = section.querySelector("[data-add-line]");
    addButton.classList.remove("d-none");
    section.querySelector("[data-no-js-hint]").classList.add("d-none");
    addButton.addEventListener("click", () => {
      const index = Number(total.value);
      const html = template.innerHTML.replaceAll("__prefix__", String(index));
      const holder = document.createElement("tbody");
      holder.innerHTML = html;
      const row = holder.querySelector("[data-line-row]");
      rows.append(row);
      total.value = String(index + 1);
      bindRow(row);
      field(row, "item_label").focus();
      recompute();
    });

    if (clientSelect) {
      // A new client may have other prices: quote again the lines priced from a list.
      clientSelect.addEventListener("change", () => {
        rows.querySelectorAll("[data-line-row]").forEach((row) => {
          if (field(row, "price_source").value) quote(row, { fillText: false });
        });
      });
    }
    recompute();
  }

  // --- the client picker ---------------------------------------------------------------------

  function setupClient(select) {
    const form = select.closest("form");
    const contactSelect = form.querySelector("[data-contact-select]");
    const recipientName = formField(form, "recipient_name");
    const recipientEmail = formField(form, "recipient_email");

    function fillRecipient(contactOption) {
      if (!contactOption || !contactOption.value) return;
      if (recipientName) recipientName.value = contactOption.dataset.name || contactOption.textContent;
      if (recipientEmail && contactOption.dataset.email) recipientEmail.value = contactOption.dataset.email;
    }

    async function loadContacts() {
      if (!contactSelect) return;
      contactSelect.replaceChildren(option("", "—"));
      if (!select.value) return;
      const data = await getJSON(select.dataset.contactsUrl.replace("/0/", `/${select.value}/`));
      if (!data) return;
      data.contacts.forEach((contact) => {
        const element = option(contact.id, contact.name, contact.primary);
        element.dataset.name = contact.name;
        element.dataset.email = contact.email;
        contactSelect.append(element);
      });
      const currency = formField(form, "currency");
      if (currency && data.currency) currency.value = data.currency;
      fillRecipient(contactSelect.selectedOptions[0]);
      form.dispatchEvent(new Event("change"));
    }

    select.addEventListener("change", loadContacts);
    if (contactSelect) {
      contactSelect.addEventListener("change", () => fillRecipient(contactSelect.selectedOptions[0]));
    }

    if (!select.dataset.searchUrl) return;
    const search = document.createElement("input");
    search.type = "search";
    search.className = "form-control mb-1";
    search.placeholder = "Search clients by name or CUI…";
    search.setAttribute("aria-label", "Search clients");
    search.autocomplete = "off";
    select.before(search);
    search.addEventListener("input", debounce(async () => {
      const text = search.value.trim();
      if (text.length < 2) return;
      const data = await getJSON(`${select.dataset.searchUrl}?${new URLSearchParams({ q: text })}`);
      if (!data) return;
      const current = select.selectedOptions[0];
      const keep = current && current.value ? [current] : [];
      select.replaceChildren(option("", `${data.results.length} found — choose…`), ...keep);
      data.results.forEach((client) => {
        if (!keep.length || String(client.id) !== keep[0].value) {
          select.append(option(client.id, client.hint ? `${client.name} · ${client.hint}` : client.name));
        }
      });
    }));
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-lines]").forEach(setupLines);
    document.querySelectorAll("[data-client-select]").forEach(setupClient);
  });
})();
