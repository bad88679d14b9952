// Draws the incident response chart from the figures the report embeds; the table holds the same figures.
(function () {
  const canvas = document.getElementById("incident-report-chart");
  const data = document.getElementById("incident-report-data");
  if (!canvas || !data || !window.Chart) return;
  const chart = JSON.parse(data.textContent);
  const animation = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: chart.labels,
      datasets: [
        { label: "Acknowledge (min)", data: chart.ack, backgroundColor: "#6d28d9" },
        { label: "Resolve (min)", data: chart.resolve, backgroundColor: "#b45309" },
      ],
    },
    options: { animation, scales: { y: { beginAtZero: true } } },
  });
})();
