// Draws the 7-day activity chart from the figures the page embeds as JSON.
(function () {
  const canvas = document.getElementById("activity-chart");
  if (!canvas || !window.Chart) return;
  const labels = JSON.parse(document.getElementById("activity-labels").textContent);
  const counts = JSON.parse(document.getElementById("activity-counts").textContent);
  const locale = document.documentElement.lang || undefined;
  // The bars grow in unless the person asked their system for less motion.
  const animation = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: labels.map((day) => new Date(day + "T00:00:00").toLocaleDateString(locale, { weekday: "short", day: "numeric" })),
      datasets: [{ data: counts, backgroundColor: "#6d28d9", borderRadius: 4 }],
    },
    options: {
      animation,
      plugins: { legend: { display: false } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
})();
