/* Draw every chart on the page from the JSON Django put in a <script type="application/json">.
   The tables beside each chart carry the same figures, so without JavaScript (or without
   plotly) nothing is lost: charts stay hidden. No inline code, so a strict CSP holds. */
(function () {
  "use strict";
  if (!window.Plotly) {
    return;
  }
  var config = { displayModeBar: false, responsive: true, displaylogo: false, showTips: false };

  function fitted(layout, width) {
    // A radar is round: on a narrow screen a fixed height leaves empty bands above and below.
    if (layout.polar && width && width + 120 < layout.height) {
      return Object.assign({}, layout, { height: width + 120 });
    }
    return layout;
  }

  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var figure = JSON.parse(source.textContent);
    el.hidden = false;
    window.Plotly.newPlot(el, figure.data, fitted(figure.layout, el.clientWidth), config);
  });
  // Keys that only make sense next to a drawn chart.
  document.querySelectorAll(".chart-key").forEach(function (el) {
    el.hidden = false;
  });
})();
