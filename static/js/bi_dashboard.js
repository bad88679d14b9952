// Draws the BI dashboard's six-month trend chart; the trends table below it carries the same figures.
(function () {
  const canvas = document.getElementById("bi-trend-chart");
  if (!canvas || !window.Chart) return;
  const data = JSON.parse(document.getElementById("bi-trend-data").textContent);
  const animation = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { type: "line", label: data.mrr_label, data: data.mrr, yAxisID: "money", borderColor: "#3730a3", backgroundColor: "#3730a3" },
        { type: "bar", label: data.signups_label, data: data.signups, yAxisID: "people", backgroundColor: "#a5b4fc" },
      ],
    },
    options: {
      animation,
      scales: {
        money: { position: "left", beginAtZero: true },
        people: { position: "right", beginAtZero: true, ticks: { precision: 0 }, grid: { drawOnChartArea: false } },
      },
    },
  });
})();
