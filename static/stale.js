(() => {
  const run = document.getElementById("last-run"), stale = document.getElementById("stale");
  if (!run || !stale) return;
  const min = Math.floor((Date.now() - Date.parse(run.dateTime)) / 60000);
  if (!(min >= 0)) return;
  const h = Math.floor(min / 60), n = (v, unit) => v + " " + unit + (v === 1 ? "" : "s");
  const ago = min < 1 ? "less than a minute" : min < 120 ? n(min, "minute") : h < 48 ? n(h, "hour") : n(Math.floor(h / 24), "day");
  run.after(" (" + ago + " ago)");
  if (min > 180) {
    stale.querySelector(".age").textContent = ago;
    stale.hidden = false;
  }
})();
