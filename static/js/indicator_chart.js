// Draws revenue, R&D expense and net profit over the years on the enterprise page.
(function () {
  var el = document.getElementById("indicator-chart");
  var data = document.getElementById("indicator-data");
  if (!el || !data || !window.echarts) return;
  var d = JSON.parse(data.textContent);
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: ["营业收入", "研发费用", "净利润"] },
    grid: { left: 70, right: 20, top: 36, bottom: 28 },
    xAxis: { type: "category", data: d.years },
    yAxis: { type: "value", name: "万元" },
    series: [
      { name: "营业收入", type: "bar", data: d.revenue },
      { name: "研发费用", type: "line", data: d.rd },
      { name: "净利润", type: "line", data: d.profit }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
