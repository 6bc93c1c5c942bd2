// 金融服务 · 专项信贷: the year's 专项贷款 of each city and of each partner bank (万元), as bars.
(function () {
  var data = document.getElementById("credit-data");
  if (!data || !window.echarts) return;
  var d = JSON.parse(data.textContent);

  function draw(id, names, values, rotate) {
    var el = document.getElementById(id);
    if (!el || !names.length) return;
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 80, right: 20, top: 30, bottom: rotate ? 60 : 30 },
      xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: rotate } },
      yAxis: { type: "value", name: "万元" },
      series: [{ name: "专项贷款", type: "bar", data: values, barMaxWidth: 28 }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  draw("credit-city-chart", d.cities, d.city_special, 30);
  draw("credit-bank-chart", d.banks, d.bank_special, 20);
})();
