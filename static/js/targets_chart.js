// 目标监测: one target's yearly actuals against the target with the trend projection (dashed, labelled as
// such), and the cities' actuals in the chosen year beside their shares where the province set them.
(function () {
  var data = document.getElementById("targets-data");
  if (!data || !window.echarts) return;
  var d = JSON.parse(data.textContent);

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var chart = echarts.init(el);
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }

  draw("trend-chart", {
    tooltip: { trigger: "axis" },
    legend: { top: 0, data: ["完成数", "目标值", "趋势预测"] },
    grid: { left: 70, right: 30, top: 40, bottom: 30 },
    xAxis: { type: "category", data: d.years },
    yAxis: { type: "value", name: d.unit },
    series: [
      { name: "完成数", type: "line", data: d.actual, connectNulls: false, label: { show: true } },
      { name: "目标值", type: "line", step: "middle", data: d.target, lineStyle: { type: "dotted" }, symbol: "none" },
      { name: "趋势预测", type: "line", data: d.projection, lineStyle: { type: "dashed" }, symbol: "emptyCircle" }
    ]
  });

  if (d.cities.length) {
    var shares = d.city_target.some(function (v) { return v !== null; });
    var series = [{ name: "完成数", type: "bar", data: d.city_actual, barMaxWidth: 28 }];
    if (shares) series.push({ name: "分解目标", type: "bar", data: d.city_target, barMaxWidth: 28 });
    draw("city-chart", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, data: shares ? ["完成数", "分解目标"] : ["完成数"] },
      grid: { left: 60, right: 20, top: 40, bottom: 50 },
      xAxis: { type: "category", data: d.cities, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value", name: d.unit },
      series: series
    });
  }
})();
