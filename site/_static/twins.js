/* Kernel-free twins of the panels: sliders that swap between runs computed in advance.
 * Each <div class="nnf-twin"> holds its data in <script type="application/json" class="nnf-twin-data">
 * (written by scripts/site_pages.py from data/site/twins/NAME/twin.json): one slider per dimension;
 * moving one shows the picture, text alternative and numbers of the run with the chosen values. */
(function () {
  "use strict";

  function same(a, b) {
    return String(a) === String(b);
  }

  function setUp(root) {
    var data = JSON.parse(root.querySelector(".nnf-twin-data").textContent);
    var image = root.querySelector(".nnf-twin-image");
    var numbers = root.querySelector(".nnf-twin-numbers");
    var controls = root.querySelector(".nnf-twin-controls");
    var chosen = data.runs[data.start || 0].values;
    chosen = JSON.parse(JSON.stringify(chosen));
    var readouts = {};

    function show() {
      var run = data.runs.find(function (candidate) {
        return data.dimensions.every(function (dim) {
          return same(candidate.values[dim.name], chosen[dim.name]);
        });
      });
      if (!run) {
        numbers.textContent = "No run was computed for these values.";
        return;
      }
      image.src = data.base + run.image;
      image.alt = run.description;
      numbers.textContent = run.numbers;
      root.setAttribute("data-shown", run.image);
    }

    data.dimensions.forEach(function (dim, index) {
      var id = "twin-" + data.name + "-" + index;
      var label = document.createElement("label");
      label.setAttribute("for", id);
      label.textContent = dim.label + " ";
      var slider = document.createElement("input");
      slider.type = "range";
      slider.id = id;
      slider.min = "0";
      slider.max = String(dim.values.length - 1);
      slider.step = "1";
      slider.value = String(dim.values.findIndex(function (v) { return same(v, chosen[dim.name]); }));
      slider.setAttribute("data-dimension", dim.name);
      var readout = document.createElement("output");
      readout.setAttribute("for", id);
      readouts[dim.name] = readout;
      function update() {
        chosen[dim.name] = dim.values[Number(slider.value)];
        readout.textContent = String(chosen[dim.name]);
        slider.setAttribute("aria-valuetext", dim.label + " " + chosen[dim.name]);
        show();
      }
      slider.addEventListener("input", update);
      var row = document.createElement("div");
      row.className = "nnf-twin-row";
      row.appendChild(label);
      row.appendChild(slider);
      row.appendChild(readout);
      controls.appendChild(row);
      readout.textContent = String(chosen[dim.name]);
      slider.setAttribute("aria-valuetext", dim.label + " " + chosen[dim.name]);
    });
    show();
  }

  function start() {
    document.querySelectorAll(".nnf-twin").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
