// Record page tabs: open the tab named in the address (#contacts, #activity) and keep the address
// in step, so that returning from a form lands on the same tab again.
document.addEventListener("DOMContentLoaded", () => {
  const tabs = document.querySelectorAll('[data-bs-toggle="tab"]');
  tabs.forEach((tab) => {
    if (location.hash && tab.dataset.bsTarget === location.hash) {
      window.bootstrap.Tab.getOrCreateInstance(tab).show();
    }
    tab.addEventListener("shown.bs.tab", () => history.replaceState(null, "", tab.dataset.bsTarget));
  });
});
