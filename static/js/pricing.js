// Item fields typed by code (<input list="item-options" data-autocomplete="/admin/items/autocomplete">):
// as the user types, the datalist offers the matching active items (code, name and price).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[data-autocomplete]").forEach((input) => {
    const options = document.getElementById(input.getAttribute("list"));
    if (!options) return;
    let timer;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const url = new URL(input.dataset.autocomplete, window.location.origin);
        url.searchParams.set("q", input.value.trim());
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (!response.ok) return;
        const items = await response.json();
        options.replaceChildren(...items.map((item) => {
          const option = document.createElement("option");
          option.value = item.code;
          option.label = `${item.name} · ${item.unit_price} ${item.currency} / ${item.unit}`;
          return option;
        }));
      }, 200);
    });
  });
});
