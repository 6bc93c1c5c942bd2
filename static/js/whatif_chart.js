// What-if page: qualifying enterprises per tier and award budget, baseline beside reform.
// Drawn when the page loads and again when htmx puts in the finished result (the page polls while
// the run is pending), so a person who waits on the page sees the charts too.
(function () {
  function bars(id, categories, a, b, unit) {
    var el = document.getElementById(id);
    if (!el || !categories.length || echarts.getInstanceByDom(el)) return;
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: ["现行参数", "调整后"] },
      grid: { left: 80, right: 20, top: 40, bottom: 60 },
      xAxis: { type: "category", data: categories, axisLabel: { interval: 0, rotate: categories.length > 6 ? 20 : 0 } },
      yAxis: { type: "value", name: unit },
      series: [{ name: "现行参数", type: "bar", data: a }, { name: "调整后", type: "bar", data: b }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function draw() {
    var data = document.getElementById("whatif-data");
    if (!data || !window.echarts) return;
    var d = JSON.parse(data.textContent);
    bars("whatif-chart", d.tiers, d.baseline, d.reform, "家");
    bars("budget-chart", d.awards, d.budget_baseline, d.budget_reform, "万元");
  }

  draw();
  document.addEventListener("htmx:afterSettle", draw);
})();
