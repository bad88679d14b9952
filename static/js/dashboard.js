// Draws the dashboard's charts from the figures the page embeds as JSON; every chart has a table
// with the same figures next to it, so nothing depends on this script.
(function () {
  if (!window.Chart) return;
  const locale = document.documentElement.lang || undefined;
  // The bars grow in unless the person asked their system for less motion.
  const animation = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const dayLabel = (day) => new Date(day + "T00:00:00").toLocaleDateString(locale, { weekday: "short", day: "numeric" });
  const bars = (canvas, labels, data, label) =>
    new window.Chart(canvas, {
      type: "bar",
      data: { labels, datasets: [{ label, data, backgroundColor: "#6d28d9", borderRadius: 4 }] },
      options: { animation, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });

  const activity = document.getElementById("activity-chart");
  if (activity) {
    const labels = JSON.parse(document.getElementById("activity-labels").textContent);
    const counts = JSON.parse(document.getElementById("activity-counts").textContent);
    bars(activity, labels.map(dayLabel), counts);
  }

  const data = document.getElementById("engagement-data");
  if (!data) return;
  const figures = JSON.parse(data.textContent);
  const week = document.getElementById("views-7-chart");
  if (week) bars(week, figures.days.slice(-7).map(dayLabel), figures.views.slice(-7), figures.views_label);
  const month = document.getElementById("views-30-chart");
  if (month) {
    new window.Chart(month, {
      type: "line",
      data: { labels: figures.days.map(dayLabel), datasets: [{ label: figures.views_label, data: figures.views, borderColor: "#6d28d9", backgroundColor: "#6d28d9", tension: 0.25 }] },
      options: { animation, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }
  const platforms = document.getElementById("platform-chart");
  if (platforms) {
    new window.Chart(platforms, {
      type: "bar",
      data: { labels: figures.platforms, datasets: [{ label: figures.views_label, data: figures.platform_views, backgroundColor: ["#6d28d9", "#dc2626", "#0f766e", "#1d4ed8", "#b45309", "#111827"] }] },
      options: { animation, indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }
})();
