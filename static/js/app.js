// Confirmation before destructive actions: <form data-confirm="Delete this client?">.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// Close the header search results when clicking elsewhere.
document.addEventListener("click", (event) => {
  const results = document.getElementById("search-results");
  if (results && !results.parentElement.contains(event.target)) {
    results.innerHTML = "";
  }
});
