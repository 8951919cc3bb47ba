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

  var drawn = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var figure = JSON.parse(source.textContent);
    el.hidden = false;
    window.Plotly.newPlot(el, figure.data, fitted(figure.layout, el.clientWidth), config);
    drawn.push(el);
  });

  // On paper. A chart keeps the width it was drawn at, so one drawn in a wide window would run
  // off the sheet (print.css then cuts it). Before printing, each chart is redrawn no wider
  // than the printable width of an A4 or Letter page (186 mm less the column's padding); after,
  // it goes back to following its box. Browsers announce printing as "beforeprint" or as the
  // print media query starting to match (Chromium sends both), so both are listened to.
  var PRINT_WIDTH = 680;
  var printing = false;
  var printMedia = window.matchMedia ? window.matchMedia("print") : null;

  function forPaper() {
    if (printing) {
      return;
    }
    printing = true;
    drawn.forEach(function (el) {
      var width = Math.min(el.parentElement.clientWidth, PRINT_WIDTH);
      window.Plotly.relayout(el, { width: width });
    });
  }

  function forScreen() {
    // Back on screen only once the print media query has stopped matching (a page shown as
    // printed, as in a browser's print emulation, can outlast "afterprint").
    if (!printing || (printMedia && printMedia.matches)) {
      return;
    }
    printing = false;
    drawn.forEach(function (el) {
      window.Plotly.relayout(el, { width: null, autosize: true });
    });
  }

  if (drawn.length) {
    window.addEventListener("beforeprint", forPaper);
    window.addEventListener("afterprint", forScreen);
    if (printMedia && printMedia.addEventListener) {
      printMedia.addEventListener("change", function (event) {
        if (event.matches) {
          forPaper();
        } else {
          forScreen();
        }
      });
    }
  }
  // Keys that only make sense next to a drawn chart.
  document.querySelectorAll(".chart-key").forEach(function (el) {
    el.hidden = false;
  });
})();
