// Search as you type. The search form works without this script (a plain GET form); with it,
// the results are fetched as the user types and swapped in place, without reloading the page.
// The request says X-Requested-With, so the server's xhr=True view answers with only the
// results part of the same template.
"use strict";

const form = document.querySelector("form#search");
const results = document.getElementById("results");

if (form && results) {
  let timer;
  let latest = 0; // answers can arrive out of order; only the newest request's may show

  async function search() {
    const url = form.action + "?" + new URLSearchParams(new FormData(form));
    const ticket = ++latest;
    const response = await fetch(url, {
      headers: { "X-Requested-With": "XMLHttpRequest" },
      cache: "no-store", // keep the partial out of the cache the full page is stored in
    });
    if (response.ok && ticket === latest) {
      results.innerHTML = await response.text();
      history.replaceState(null, "", url); // a reload or a shared link shows the same search
    }
  }

  form.q.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    search();
  });
}
