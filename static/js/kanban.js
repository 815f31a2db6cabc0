// The leads pages: Kanban drag-drop and the list's bulk selection.
(() => {
  "use strict";

  const FALLBACK_MESSAGES = {
    403: "You may not change this lead.",
    404: "This lead is not among the leads you may change (or it no longer exists).",
  };

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch {
      return "";
    }
  }

  function showAlert(message) {
    const area = document.getElementById("kanban-alerts");
    const alert = document.createElement("div");
    alert.className = "alert alert-danger alert-dismissible fade show";
    alert.setAttribute("role", "alert");
    alert.textContent = message;
    const close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.dataset.bsDismiss = "alert";
    close.setAttribute("aria-label", "Close");
    alert.appendChild(close);
    area.replaceChildren(alert);
  }

  // The column header's count, unless it is capped ("1,000+").
  function addToCount(list, delta) {
    const badge = list.closest(".kanban-column").querySelector(".kanban-count");
    if (badge.dataset.capped === "1") {
      return;
    }
    const count = Number(badge.dataset.count) + delta;
    badge.dataset.count = String(count);
    badge.textContent = count.toLocaleString("en-US");
  }

  async function refusal(response) {
    const type = response.headers.get("Content-Type") || "";
    if (type.startsWith("text/plain")) {
      return (await response.text()) || "The lead could not be moved.";
    }
    return FALLBACK_MESSAGES[response.status] || "The lead could not be moved.";
  }

  async function moved(event) {
    const { item, from, to, oldIndex } = event;
    if (from === to) {
      return;
    }
    // A fresh copy goes back: Sortable keeps state on the dragged element (its last pressed
    // element is ignored on the next press), which would make the card undraggable.
    const putBack = (message) => {
      const card = item.cloneNode(true);
      card.removeAttribute("draggable");
      card.removeAttribute("style");
      item.remove();
      from.insertBefore(card, from.children[oldIndex] || null);
      showAlert(message);
    };
    let response;
    try {
      response = await fetch(item.dataset.moveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" },
        body: new URLSearchParams({ status: to.dataset.status }),
      });
    } catch {
      putBack("The server could not be reached: the lead was not moved.");
      return;
    }
    if (!response.ok) {
      putBack(await refusal(response));
      return;
    }
    // Columns show the most recently moved first: the updated card goes to the top.
    const holder = document.createElement("div");
    holder.innerHTML = (await response.text()).trim();
    const card = holder.firstElementChild;
    item.remove();
    to.prepend(card);
    document.getElementById("kanban-alerts").replaceChildren();
    addToCount(from, -1);
    addToCount(to, 1);
  }

  function initBoard() {
    const board = document.querySelector(".kanban-board");
    if (!board || board.dataset.movable !== "true" || typeof Sortable === "undefined") {
      return;
    }
    board.querySelectorAll(".kanban-cards").forEach((list) => {
      Sortable.create(list, {
        group: `pipeline-${board.dataset.pipeline}`,
        draggable: ".kanban-card",
        animation: 150,
        onEnd: moved,
      });
    });
  }

  // The list: "select all on this page" and, per bulk action, only the choice it needs.
  function initBulk() {
    const form = document.getElementById("bulk-form");
    if (!form) {
      return;
    }
    form.querySelectorAll("[data-select-all]").forEach((box) => {
      box.addEventListener("change", () => {
        form.querySelectorAll(`input[name="${box.dataset.selectAll}"]`).forEach((each) => {
          each.checked = box.checked;
        });
      });
    });
    const action = form.querySelector('select[name="action"]');
    if (!action) {
      return;
    }
    const showChoices = () => {
      form.querySelectorAll("[data-bulk-for]").forEach((choice) => {
        choice.classList.toggle("d-none", choice.dataset.bulkFor !== action.value);
      });
    };
    action.addEventListener("change", showChoices);
    showChoices();
  }

  document.addEventListener("DOMContentLoaded", () => {
    initBoard();
    initBulk();
  });
})();
