// What-if page: qualifying enterprises per tier and award budget, baseline beside reform.
// Drawn when the page loads and again when htmx puts in the finished result (the page polls while
// the run is pending), so a person who waits on the page sees the charts too.
(function () {
  var LEGEND = { top: 0, data: ["现行参数", "调整后"] };

  function series(a, b) {
    return [{ name: "现行参数", type: "bar", data: a }, { name: "调整后", type: "bar", data: b }];
  }

  function start(id, categories) {
    var el = document.getElementById(id);
    if (!el || !categories.length || echarts.getInstanceByDom(el)) return null;
    return el;
  }

  function keepSized(chart) {
    window.addEventListener("resize", function () { chart.resize(); });
  }

  // Tiers: a handful of long names under the bars.  Each name wraps within its own column, so
  // neighbours never run into each other however narrow the page is.
  function tierBars(id, categories, a, b) {
    var el = start(id, categories);
    if (!el) return;
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: LEGEND,
      grid: { left: 60, right: 20, top: 40, bottom: 50 },
      xAxis: { type: "category", data: categories,
               axisLabel: { interval: 0, width: columnWidth(el, categories.length), overflow: "break", lineHeight: 14 } },
      yAxis: { type: "value", name: "家" },
      series: series(a, b)
    });
    chart.on("finished", function () { relabel(chart, el, categories.length); });
    keepSized(chart);
  }

  function columnWidth(el, count) {
    return Math.max(40, Math.floor((el.clientWidth - 80) / count) - 8);
  }

  function relabel(chart, el, count) {
    var width = columnWidth(el, count);
    if (chart.getOption().xAxis[0].axisLabel.width !== width) chart.setOption({ xAxis: { axisLabel: { width: width } } });
  }

  // Awards: a dozen long names.  Bars run across the page with the names on the left, one line each,
  // and the chart grows with the number of awards, so no name is slanted, cut or drawn over the table.
  function awardBars(id, categories, a, b) {
    var el = start(id, categories);
    if (!el) return;
    el.style.height = (categories.length * 44 + 90) + "px";
    // Names wider than the label column wrap onto a second line rather than run off the card.
    var labelWidth = Math.min(260, Math.floor(el.clientWidth * 0.4));
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: LEGEND,
      grid: { left: labelWidth + 16, right: 30, top: 40, bottom: 50 },
      xAxis: { type: "value", name: "万元", nameLocation: "middle", nameGap: 28 },
      yAxis: { type: "category", data: categories, inverse: true,
               axisLabel: { interval: 0, width: labelWidth, overflow: "break", lineHeight: 14, formatter: levelBelow } },
      series: series(a, b)
    });
    keepSized(chart);
  }

  // "某奖补（省级）": the funding level on a line of its own, so a wrapped name never leaves a lone "）".
  function levelBelow(name) {
    var at = name.lastIndexOf("（");
    return at > 0 ? name.slice(0, at) + "\n" + name.slice(at) : name;
  }

  function draw() {
    var data = document.getElementById("whatif-data");
    if (!data || !window.echarts) return;
    var d = JSON.parse(data.textContent);
    tierBars("whatif-chart", d.tiers, d.baseline, d.reform);
    awardBars("budget-chart", d.awards, d.budget_baseline, d.budget_reform);
  }

  draw();
  document.addEventListener("htmx:afterSettle", draw);
})();
