// Company settings: the sector field applies only to Bucharest (county RO-B).
document.addEventListener("DOMContentLoaded", () => {
  const county = document.getElementById("id_county");
  const sector = document.getElementById("id_sector");
  if (!county || !sector) {
    return;
  }
  const wrapper = sector.closest("[class^='col']");
  const toggle = () => {
    const bucharest = county.value === "RO-B";
    wrapper.classList.toggle("d-none", !bucharest && !sector.value);
  };
  county.addEventListener("change", toggle);
  toggle();
});
