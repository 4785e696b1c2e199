/* Result views beside YASR's table: a bar/line chart, a heatmap (pivot of two columns and
   a count) and a graph (CONSTRUCT/DESCRIBE triples, or a SELECT's pairs of entities), as
   YASR plugins drawn by the vendored ECharts (api/static/echarts/, SVG renderer: crisp,
   and its marks are DOM nodes a test can count).

   A result column ?x with a ?xLabel column beside it (the named queries' convention) is
   one dimension: shown by its label, linked by its IRI. A column is numeric when every
   value is a number literal. window.aseankgViews.register(Yasr, options) adds the
   plugins; chooseView(results, queryText) is the automatic choice: a "# view: NAME" line
   of the query wins, then CONSTRUCT/DESCRIBE results show as a graph, one category and
   numbers as a bar chart, two categories and one number as a heatmap, the rest as a table. */
(function () {
  "use strict";
  var NUMERIC = /#(integer|decimal|double|float|long|int|short|byte|nonNegativeInteger|positiveInteger)$/;
  var BLUES = ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"];
  var OKABE_ITO = ["#0072b2", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9", "#f0e442", "#000000"];
  var options = { localHref: function () { return null; }, curie: function (iri) { return iri; } };

  function numeric(binding) {
    if (!binding || binding.type === "uri" || binding.type === "bnode") {
      return false;
    }
    if (binding.datatype && NUMERIC.test(binding.datatype)) {
      return true;
    }
    return !binding.datatype && binding.type === "typed-literal" && /^-?\d+(\.\d+)?$/.test(binding.value);
  }

  /* The table of a SELECT result: {vars, rows, dims, numbers}; a dim is {name, label, values}. */
  function describe(results) {
    var vars = results.getVariables() || [];
    var rows = results.getBindings() || [];
    var labelOf = {};
    vars.forEach(function (v) {
      if (vars.indexOf(v + "Label") >= 0) {
        labelOf[v] = v + "Label";
      }
    });
    var isLabel = {};
    Object.keys(labelOf).forEach(function (v) { isLabel[labelOf[v]] = true; });
    var numbers = vars.filter(function (v) {
      return !isLabel[v] && rows.length > 0 && rows.every(function (r) { return r[v] === undefined || numeric(r[v]); })
        && rows.some(function (r) { return r[v] !== undefined; });
    });
    var dims = vars.filter(function (v) { return !isLabel[v] && numbers.indexOf(v) < 0; }).map(function (v) {
      var distinct = {};
      rows.forEach(function (r) { distinct[key(r, v)] = true; });
      return { name: v, label: labelOf[v] || null, count: Object.keys(distinct).length };
    });
    return { vars: vars, rows: rows, dims: dims, numbers: numbers };
  }

  function key(row, name) {
    return row[name] ? row[name].value : "";
  }

  function shown(row, dim) {
    if (dim.label && row[dim.label]) {
      return row[dim.label].value;
    }
    var b = row[dim.name];
    if (!b) {
      return "";
    }
    return b.type === "uri" ? options.curie(b.value) : b.value;
  }

  /* Dims that vary, without those that only restate another (a section's title beside
     its notation): the candidates for axes and series. */
  function varying(table) {
    var dims = table.dims.filter(function (d) { return d.count > 1 && d.count <= 400; });
    return dims.filter(function (d, i) {
      return !dims.slice(0, i).some(function (prev) { return dependsOn(table.rows, d, prev); });
    });
  }

  function dependsOn(rows, dim, on) {
    var seen = {};
    return rows.every(function (r) {
      var k = key(r, on.name);
      var v = key(r, dim.name);
      if (seen[k] === undefined) {
        seen[k] = v;
      }
      return seen[k] === v;
    });
  }

  function isSelect(results) {
    return Boolean(results) && !results.getError() && results.getType() !== "ttl"
      && results.getVariables().length > 0 && (results.getBindings() || []).length > 0;
  }

  function isGraph(results) {
    return Boolean(results) && !results.getError() && results.getType() === "ttl"
      && (results.getBindings() || []).length > 0;
  }

  function pairs(table) {
    var iris = table.dims.filter(function (d) {
      return table.rows.every(function (r) { return !r[d.name] || r[d.name].type === "uri"; });
    });
    return iris.length >= 2 ? iris.slice(0, 2) : null;
  }

  function chooseView(results, queryText) {
    var line = /^#\s*view:\s*([a-z]+)\s*$/m.exec(queryText || "");
    var wanted = line ? line[1] : "";
    var view = { table: "table", bar: "chart", line: "chart", heatmap: "heatmap", graph: "graph" }[wanted];
    if (view) {
      return { plugin: view, mode: wanted === "line" ? "line" : "bar" };
    }
    if (isGraph(results)) {
      return { plugin: "graph", mode: "" };
    }
    if (isSelect(results)) {
      var table = describe(results);
      var dims = varying(table);
      if (table.numbers.length >= 1 && dims.length === 1 && table.rows.length <= 60) {
        return { plugin: "chart", mode: "bar" };
      }
      if (table.numbers.length === 1 && dims.length === 2 && table.rows.length > 2) {
        return { plugin: "heatmap", mode: "" };
      }
    }
    return { plugin: "table", mode: "" };
  }

  function icon(text) {
    var span = document.createElement("span");
    span.className = "view-icon";
    span.setAttribute("aria-hidden", "true");
    span.textContent = text;
    return span;
  }

  function container(yasr, view, height) {
    var box = document.createElement("div");
    box.className = "result-view result-view-" + view;
    box.dataset.view = view;
    var plot = document.createElement("div");
    plot.className = "result-plot";
    plot.style.height = height + "px";
    box.appendChild(plot);
    yasr.resultsEl.appendChild(box);
    return { box: box, plot: plot };
  }

  function draw(plot, option) {
    var chart = echarts.init(plot, null, { renderer: "svg" });
    chart.setOption(Object.assign({ animation: false, textStyle: { fontFamily: "system-ui, sans-serif" } }, option));
    return chart;
  }

  function openOnClick(chart, hrefOf) {
    chart.on("click", function (params) {
      var href = hrefOf(params);
      if (href) {
        window.location.href = href;
      }
    });
  }

  function caption(box, text) {
    var p = document.createElement("p");
    p.className = "result-view-caption";
    p.textContent = text;
    box.insertBefore(p, box.firstChild);
  }

  /* ---- bar / line chart: one category axis, numbers as series, or a second category as
     stacked series. */
  function Chart(yasr) {
    this.yasr = yasr;
    this.priority = 5;
    this.label = "Chart";
    this.mode = "bar";
    this.chart = null;
  }
  Chart.prototype.canHandleResults = function () {
    if (!isSelect(this.yasr.results)) {
      return false;
    }
    var table = describe(this.yasr.results);
    return table.numbers.length >= 1 && table.dims.length >= 1;
  };
  Chart.prototype.getIcon = function () { return icon("▮▮"); };
  Chart.prototype.destroy = function () {
    if (this.chart) {
      this.chart.dispose();
      this.chart = null;
    }
  };
  Chart.prototype.draw = function () {
    var table = describe(this.yasr.results);
    var dims = varying(table);
    var category = dims[0] || table.dims[0];
    var split = dims[1] || null;
    var categories = [];
    var index = {};
    var hrefs = [];
    table.rows.forEach(function (r) {
      var k = key(r, category.name);
      if (index[k] === undefined) {
        index[k] = categories.length;
        var extra = table.dims.filter(function (d) {
          return d !== category && d !== split && d.count > 1 && dependsOn(table.rows, d, category) && !d.label
            && !(r[d.name] && r[d.name].type === "uri") && (r[d.name] ? r[d.name].value.length : 0) <= 60;
        })[0];
        var name = shown(r, category);
        categories.push(extra && r[extra.name] ? name + " " + r[extra.name].value : name);
        var b = r[category.name];
        hrefs.push(b && b.type === "uri" ? options.localHref(b.value) : null);
      }
    });
    var series = [];
    var self = this;
    if (split) {
      var byName = {};
      var value = table.numbers[0];
      table.rows.forEach(function (r) {
        var s = shown(r, split);
        if (!byName[s]) {
          byName[s] = { name: s, type: self.mode, stack: self.mode === "bar" ? "total" : undefined, data: categories.map(function () { return 0; }) };
          series.push(byName[s]);
        }
        byName[s].data[index[key(r, category.name)]] += Number(r[value] ? r[value].value : 0);
      });
    } else {
      table.numbers.forEach(function (n) {
        var data = categories.map(function () { return 0; });
        table.rows.forEach(function (r) { data[index[key(r, category.name)]] += Number(r[n] ? r[n].value : 0); });
        series.push({ name: n, type: self.mode, data: data });
      });
    }
    var horizontal = this.mode === "bar" && categories.length > 12;
    var height = horizontal ? Math.max(320, categories.length * 22 + 80) : 380;
    var parts = container(this.yasr, "chart", height);
    var toggle = document.createElement("div");
    toggle.className = "view-toggle";
    ["bar", "line"].forEach(function (mode) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = mode === "bar" ? "Bars" : "Lines";
      button.setAttribute("aria-pressed", String(mode === self.mode));
      button.addEventListener("click", function () {
        self.mode = mode;
        self.destroy();
        self.yasr.draw();
      });
      toggle.appendChild(button);
    });
    parts.box.insertBefore(toggle, parts.plot);
    caption(parts.box, (split ? table.numbers[0] + " by " + category.name + " and " + split.name : table.numbers.join(", ") + " by " + category.name));
    var categoryAxis = { type: "category", data: categories, axisLabel: { width: 160, overflow: "truncate" }, triggerEvent: true };
    if (horizontal) {
      categoryAxis.inverse = true;
    } else {
      categoryAxis.axisLabel = { rotate: categories.length > 6 ? 30 : 0, width: 120, overflow: "truncate", interval: 0 };
    }
    this.chart = draw(parts.plot, {
      color: OKABE_ITO,
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: horizontal ? 170 : 50, right: 20, top: 40, bottom: horizontal ? 20 : 90, containLabel: false },
      xAxis: horizontal ? { type: "value" } : categoryAxis,
      yAxis: horizontal ? categoryAxis : { type: "value" },
      series: series,
    });
    parts.box.dataset.categories = String(categories.length);
    parts.box.dataset.series = String(series.length);
    openOnClick(this.chart, function (p) {
      var i = p.componentType === "series" ? p.dataIndex : categories.indexOf(p.value);
      return i >= 0 ? hrefs[i] : null;
    });
  };

  /* ---- heatmap: the pivot of two categories and a count (summed over the other columns). */
  function Heatmap(yasr) {
    this.yasr = yasr;
    this.priority = 4;
    this.label = "Heatmap";
    this.chart = null;
  }
  Heatmap.prototype.canHandleResults = function () {
    if (!isSelect(this.yasr.results)) {
      return false;
    }
    var table = describe(this.yasr.results);
    return table.numbers.length >= 1 && varying(table).length >= 2;
  };
  Heatmap.prototype.getIcon = function () { return icon("▦"); };
  Heatmap.prototype.destroy = Chart.prototype.destroy;
  Heatmap.prototype.draw = function () {
    var table = describe(this.yasr.results);
    var dims = varying(table);
    // the dimension with fewer values across, the other down (sections across, actors down)
    var across = dims[0].count <= dims[1].count ? dims[0] : dims[1];
    var down = across === dims[0] ? dims[1] : dims[0];
    var value = table.numbers[0];
    var cols = [];
    var colIndex = {};
    var totals = {};
    var names = {};
    var hrefs = {};
    var cells = {};
    table.rows.forEach(function (r) {
      var c = key(r, across.name);
      var d = key(r, down.name);
      if (colIndex[c] === undefined) {
        colIndex[c] = cols.length;
        cols.push(shown(r, across));
      }
      var n = Number(r[value] ? r[value].value : 0);
      totals[d] = (totals[d] || 0) + n;
      names[d] = shown(r, down);
      var b = r[down.name];
      hrefs[d] = b && b.type === "uri" ? options.localHref(b.value) : null;
      cells[d + "\u0000" + c] = (cells[d + "\u0000" + c] || 0) + n;
    });
    var downKeys = Object.keys(totals).sort(function (a, b) {
      return totals[b] - totals[a] || names[a].localeCompare(names[b]);
    });
    var rowsShown = downKeys.slice(0, 60);
    var data = [];
    var max = 0;
    rowsShown.forEach(function (d, y) {
      Object.keys(colIndex).forEach(function (c) {
        var n = cells[d + "\u0000" + c];
        if (n) {
          data.push([colIndex[c], y, n]);
          max = Math.max(max, n);
        }
      });
    });
    var parts = container(this.yasr, "heatmap", Math.max(300, rowsShown.length * 22 + 110));
    caption(parts.box, value + " by " + down.name + " (rows" + (downKeys.length > rowsShown.length
      ? ", the " + rowsShown.length + " of " + downKeys.length + " with the most" : "") + ") and " + across.name + " (columns)");
    this.chart = draw(parts.plot, {
      tooltip: {
        position: "top",
        formatter: function (p) {
          return names[rowsShown[p.value[1]]] + " × " + cols[p.value[0]] + ": " + p.value[2] + " " + value;
        },
      },
      grid: { left: 180, right: 20, top: 10, bottom: 80 },
      xAxis: { type: "category", data: cols, splitArea: { show: true }, axisLabel: { interval: 0, width: 90, overflow: "truncate" } },
      yAxis: {
        type: "category", inverse: true, triggerEvent: true,
        data: rowsShown.map(function (d) { return names[d]; }),
        axisLabel: { width: 165, overflow: "truncate" },
      },
      visualMap: { min: 0, max: Math.max(max, 1), calculable: true, orient: "horizontal", left: "center", bottom: 0, inRange: { color: BLUES } },
      series: [{ type: "heatmap", name: value, data: data, label: { show: true }, emphasis: { itemStyle: { borderColor: "#333", borderWidth: 1 } } }],
    });
    parts.box.dataset.rows = String(rowsShown.length);
    parts.box.dataset.columns = String(cols.length);
    parts.box.dataset.cells = String(data.length);
    openOnClick(this.chart, function (p) {
      if (p.componentType === "yAxis") {
        var i = rowsShown.map(function (d) { return names[d]; }).indexOf(p.value);
        return i >= 0 ? hrefs[rowsShown[i]] : null;
      }
      return p.componentType === "series" ? hrefs[rowsShown[p.value[1]]] : null;
    });
  };

  /* ---- graph: triples (CONSTRUCT/DESCRIBE) or a SELECT's first two IRI columns as edges. */
  var NAME_PREDICATES = /(#|\/)(prefLabel|label|acronym|notation|title|name)$/;

  function Graph(yasr) {
    this.yasr = yasr;
    this.priority = 3;
    this.label = "Graph";
    this.chart = null;
  }
  Graph.prototype.canHandleResults = function () {
    var results = this.yasr.results;
    if (isGraph(results)) {
      return true;
    }
    return isSelect(results) && pairs(describe(results)) !== null;
  };
  Graph.prototype.getIcon = function () { return icon("⬡"); };
  Graph.prototype.destroy = Chart.prototype.destroy;
  Graph.prototype.edges = function () {
    var results = this.yasr.results;
    var rows = results.getBindings() || [];
    var nodes = {};
    var edges = [];
    function node(b, name) {
      var id = b.value;
      if (!nodes[id]) {
        nodes[id] = { id: id, name: name || (b.type === "uri" ? options.curie(id) : id), value: 0, href: b.type === "uri" ? options.localHref(id) : null, category: b.type === "uri" ? 0 : 1 };
      }
      if (name && nodes[id].named !== true) {
        nodes[id].name = name;
        nodes[id].named = true;
      }
      return nodes[id];
    }
    if (results.getType() === "ttl") {
      rows.forEach(function (r) {
        var s = r.subject;
        var p = r.predicate;
        var o = r.object;
        if (!s || !p || !o) {
          return;
        }
        var from = node(s);
        if (o.type === "literal" || o.type === "typed-literal") {
          if (NAME_PREDICATES.test(p.value) && (!o["xml:lang"] || o["xml:lang"] === "en") && !from.named) {
            from.name = o.value;
            from.named = /acronym$/.test(p.value);
          }
          return;
        }
        var to = node(o);
        edges.push({ source: from.id, target: to.id, name: options.curie(p.value) });
      });
    } else {
      var table = describe(results);
      var two = pairs(table);
      var weight = table.numbers[0];
      rows.forEach(function (r) {
        if (!r[two[0].name] || !r[two[1].name]) {
          return;
        }
        var a = node(r[two[0].name], two[0].label && r[two[0].label] ? r[two[0].label].value : "");
        var b = node(r[two[1].name], two[1].label && r[two[1].label] ? r[two[1].label].value : "");
        edges.push({ source: a.id, target: b.id, name: weight ? weight + ": " + r[weight].value : "", value: weight ? Number(r[weight].value) : 1 });
      });
    }
    edges.forEach(function (e) {
      nodes[e.source].value += e.value || 1;
      nodes[e.target].value += e.value || 1;
    });
    var list = Object.keys(nodes).map(function (id) { return nodes[id]; })
      .sort(function (a, b) { return b.value - a.value; }).slice(0, 250);
    var kept = {};
    list.forEach(function (n) { kept[n.id] = true; });
    return {
      nodes: list,
      edges: edges.filter(function (e) { return kept[e.source] && kept[e.target]; }).slice(0, 1000),
    };
  };
  Graph.prototype.draw = function () {
    var g = this.edges();
    var max = g.nodes.reduce(function (m, n) { return Math.max(m, n.value); }, 1);
    var parts = container(this.yasr, "graph", 520);
    caption(parts.box, g.nodes.length + " nodes, " + g.edges.length + " edges; drag to move, scroll to zoom, click a node to open its page");
    this.chart = draw(parts.plot, {
      color: OKABE_ITO,
      tooltip: {
        formatter: function (p) {
          return p.dataType === "edge" ? p.data.name : p.data.name + (p.data.href ? "" : "") + "<br>" + p.data.id;
        },
      },
      series: [{
        type: "graph", layout: "force", roam: true, draggable: true,
        categories: [{ name: "IRI" }, { name: "literal" }],
        force: { repulsion: 160, edgeLength: [40, 120], gravity: 0.08 },
        label: { show: true, position: "right", width: 140, overflow: "truncate" },
        edgeSymbol: ["none", "arrow"], edgeSymbolSize: 6,
        lineStyle: { color: "#8a8f98", opacity: 0.7, curveness: 0.1 },
        data: g.nodes.map(function (n) {
          return { id: n.id, name: n.name, value: n.value, href: n.href, category: n.category, symbolSize: 8 + 22 * Math.sqrt(n.value / max) };
        }),
        links: g.edges,
      }],
    });
    parts.box.dataset.nodes = String(g.nodes.length);
    parts.box.dataset.edges = String(g.edges.length);
    openOnClick(this.chart, function (p) { return p.dataType === "node" ? p.data.href : null; });
  };

  function register(Yasr, given) {
    options = Object.assign(options, given || {});
    Yasr.registerPlugin("chart", Chart);
    Yasr.registerPlugin("heatmap", Heatmap);
    Yasr.registerPlugin("graph", Graph);
    Yasr.defaults.pluginOrder = ["table", "chart", "heatmap", "graph", "response"];
  }

  window.aseankgViews = { register: register, chooseView: chooseView, describe: describe };
})();
