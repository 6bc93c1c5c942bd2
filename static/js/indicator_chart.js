// Draws revenue, R&D expense and net profit over the years on the enterprise page.
(function () {
  var el = document.getElementById("indicator-chart");
  var data = document.getElementById("indicator-data");
  if (!el || !data || !window.echarts) return;
  var d = JSON.parse(data.textContent);
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0, data: ["营业收入", "研发费用", "净利润"] },
    grid: { left: 70, right: 70, top: 48, bottom: 28 },
    xAxis: { type: "category", data: d.years },
    // R&D and profit are a few per cent of revenue: they get their own axis so that they stay readable.
    yAxis: [
      { type: "value", name: "营业收入（万元）" },
      { type: "value", name: "研发/利润（万元）", splitLine: { show: false } }
    ],
    series: [
      { name: "营业收入", type: "bar", barMaxWidth: 60, data: d.revenue },
      { name: "研发费用", type: "line", yAxisIndex: 1, data: d.rd },
      { name: "净利润", type: "line", yAxisIndex: 1, data: d.profit }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
