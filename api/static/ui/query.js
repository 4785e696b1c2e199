/* The query page: YASGUI on our own endpoint, offline.
   - every tab queries this server's /sparql, whatever a stored tab or a shared link says;
   - results: the table (an IRI of this graph is a link to its page, shown by the label of
     its ?xLabel column), a chart, a heatmap and a graph (views.js), chosen from the
     query's "# view:" line or the result's shape, switchable with YASR's buttons;
   - a named query gets a form above the editor, one field per parameter (pickers fed by
     /api/suggest); a required parameter must be filled before running or downloading;
   - errors: the whole message, wrapped, with the line and column marked in the editor;
   - completion and tooltips from our ontology and data (complete.js), LOV stays off;
   - the ready-made queries in an examples dialog with search and tags;
   - shared links (/sparql#query=...) reopen a query and run it. */
(function () {
  "use strict";
  var host = document.getElementById("yasgui");
  var configElement = document.getElementById("query-config");
  if (!host || !configElement || typeof Yasgui === "undefined") {
    return;
  }
  var config = JSON.parse(configElement.textContent);
  // the service's root (a path-prefix deployment included): where this script came from;
  // every link of the config is root-relative and goes under it
  var script = document.currentScript && document.currentScript.src;
  var at = script ? script.lastIndexOf("/static/") : -1;
  var root = at >= 0 ? script.slice(0, at) : "";
  var links = {};
  Object.keys(config.links).forEach(function (name) {
    links[name] = root + config.links[name];
  });
  var endpoint = new URL(links.endpoint, window.location.href).href;
  var examples = config.examples;
  var byTitle = {};
  Object.keys(examples).forEach(function (name) { byTitle[examples[name].title] = name; });
  var openedFromLink = /(^|[#&])query=/.test(window.location.hash);

  function localHref(iri) {
    return iri.indexOf(config.base) === 0 ? links.idRoot + iri.slice(config.base.length) : null;
  }

  var namespaces = Object.keys(config.prefixes).map(function (p) { return [p, config.prefixes[p]]; })
    .sort(function (a, b) { return b[1].length - a[1].length; });
  function curie(iri) {
    for (var i = 0; i < namespaces.length; i += 1) {
      if (iri.indexOf(namespaces[i][1]) === 0 && iri.length > namespaces[i][1].length) {
        return namespaces[i][0] + ":" + iri.slice(namespaces[i][1].length);
      }
    }
    return iri;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* ---------------------------------------------------------------- YASQE / YASR setup */
  Yasgui.Yasqe.defaults.prefixCcApi = null;
  window.aseankgComplete.register(Yasgui.Yasqe, {
    terms: config.vocabulary,
    prefixes: config.prefixes,
    suggest: links.suggest,
    localHref: localHref,
  });
  var Yasr = Yasgui.Yasr;
  var plugins = Yasr.defaults.plugins || {};
  if (plugins.table) {
    // plain values ("1", not "1"^^xsd:integer) and whole cells, not "asean-c…"
    plugins.table.dynamicConfig = Object.assign({ compact: true, isEllipsed: false }, plugins.table.dynamicConfig);
  }
  window.aseankgViews.register(Yasr, { localHref: localHref, curie: curie });

  /* Labels of a result's IRIs: ?x's value -> ?xLabel's value, for every such pair. */
  var labelCache = new WeakMap();
  function labelsOf(results) {
    if (!results) {
      return {};
    }
    if (labelCache.has(results)) {
      return labelCache.get(results);
    }
    var vars = results.getVariables() || [];
    var map = {};
    vars.forEach(function (v) {
      if (vars.indexOf(v + "Label") < 0) {
        return;
      }
      (results.getBindings() || []).forEach(function (row) {
        if (row[v] && row[v].type === "uri" && row[v + "Label"]) {
          map[row[v].value] = row[v + "Label"].value;
        }
      });
    });
    labelCache.set(results, map);
    window.aseankgComplete.rememberLabels(map);
    return map;
  }

  var Table = Yasr.plugins.table;
  var cellContent = Table.prototype.getCellContent;
  Table.prototype.getCellContent = function (binding, prefixes) {
    var href = binding && binding.type === "uri" ? localHref(binding.value) : null;
    if (!href) {
      return cellContent.call(this, binding, prefixes);
    }
    var label = labelsOf(this.yasr.results)[binding.value] || curie(binding.value);
    return "<div><span><a class='iri entity-link' href='" + escapeHtml(href) + "' title='" +
      escapeHtml(binding.value) + "'>" + escapeHtml(label) + "</a></span></div>";
  };

  /* ---------------------------------------------------------------- readable errors */
  var marks = [];
  function clearMarks() {
    marks.forEach(function (clear) { clear(); });
    marks = [];
  }

  function problemOf(error) {
    var text = (error && (error.text || error.statusText)) || "The query failed.";
    var problem = { title: "", detail: text, status: error && error.status, kind: "" };
    try {
      var body = JSON.parse(text);
      if (body && typeof body === "object") {
        problem = {
          title: body.title || "",
          detail: body.detail || text,
          status: body.status || problem.status,
          kind: String(body.type || "").split("/").pop(),
        };
      }
    } catch (ignored) {
      // a plain-text error from YASGUI itself (the server is down ...)
    }
    var at = /\b(?:error )?at (\d+):(\d+)\b/.exec(problem.detail) || /line (\d+),? col(?:umn)? (\d+)/i.exec(problem.detail);
    problem.line = at ? Number(at[1]) : 0;
    problem.column = at ? Number(at[2]) : 0;
    return problem;
  }

  function markError(problem) {
    var tab = yasgui.getTab();
    var yasqe = tab && tab.getYasqe();
    if (!yasqe || !problem.line || problem.line > yasqe.lineCount()) {
      return null;
    }
    var line = problem.line - 1;
    var text = yasqe.getLine(line);
    var ch = Math.min(Math.max(problem.column - 1, 0), text.length);
    // the word at the position, or the last one before it when the position is past it
    var start = ch;
    while (start > 0 && /\s/.test(text.charAt(start)) ) {
      start -= 1;
    }
    while (start > 0 && /\S/.test(text.charAt(start - 1))) {
      start -= 1;
    }
    var end = start;
    while (end < text.length && /\S/.test(text.charAt(end))) {
      end += 1;
    }
    if (end === start) {
      end = Math.min(text.length, start + 1);
    }
    var handle = yasqe.addLineClass(line, "background", "query-error-line");
    var mark = yasqe.markText({ line: line, ch: start }, { line: line, ch: end }, {
      className: "query-error-mark",
      attributes: { title: problem.detail },
    });
    marks.push(function () {
      yasqe.removeLineClass(handle, "background", "query-error-line");
      mark.clear();
    });
    return { text: text, start: start, end: end };
  }

  function ReadableError(yasr) {
    this.yasr = yasr;
    this.priority = 20;
    this.hideFromSelection = true;
  }
  ReadableError.prototype.canHandleResults = function () {
    return Boolean(this.yasr.results) && Boolean(this.yasr.results.getError());
  };
  ReadableError.prototype.getIcon = function () {
    return document.createElement("span");
  };
  ReadableError.prototype.draw = function () {
    var problem = problemOf(this.yasr.results.getError());
    var box = document.createElement("div");
    box.className = "query-error";
    box.setAttribute("role", "alert");
    var heading = document.createElement("p");
    heading.className = "query-error-title";
    heading.textContent = (problem.title || "The query failed") + (problem.status ? " (HTTP " + problem.status + ")" : "");
    box.appendChild(heading);
    var detail = document.createElement("p");
    detail.className = "query-error-detail";
    detail.textContent = problem.detail;
    box.appendChild(detail);
    clearMarks();
    var marked = markError(problem);
    if (marked) {
      var where = document.createElement("p");
      where.className = "query-error-where";
      where.textContent = "Line " + problem.line + ", column " + problem.column + " (marked in the editor):";
      box.appendChild(where);
      var code = document.createElement("pre");
      code.className = "query-error-line-text";
      code.textContent = marked.text + "\n" + " ".repeat(marked.start) + "^".repeat(Math.max(1, marked.end - marked.start));
      box.appendChild(code);
    }
    if (problem.kind === "timeout" || /time limit/.test(problem.detail)) {
      var tips = document.createElement("ul");
      tips.className = "query-error-tips";
      [
        "add a LIMIT (LIMIT 100) to see the first rows",
        "bind a plan: VALUES ?plan { \"asean-canada-2021-2025\" } and ?line akg:plan/dct:identifier ?plan",
        "start from the most selective pattern (one named entity, one plan, one section)",
        "replace an open property path (org:subOrganizationOf*) by a fixed number of steps",
      ].forEach(function (text) {
        var li = document.createElement("li");
        li.textContent = text;
        tips.appendChild(li);
      });
      var lead = document.createElement("p");
      lead.textContent = "To narrow the query:";
      box.appendChild(lead);
      box.appendChild(tips);
    }
    this.yasr.resultsEl.appendChild(box);
  };
  Yasr.registerPlugin("error", ReadableError);

  /* ---------------------------------------------------------------- the YASGUI */
  var yasgui = new Yasgui(host, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    autofocus: false,
    persistenceId: "aseankg-query",
    populateFromUrl: true,
    endpointCatalogueOptions: {
      getData: function () {
        return [{ endpoint: endpoint }];
      },
    },
    yasqe: { value: config.defaultQuery, collapsePrefixesOnLoad: true },
  });

  function pinEndpoint() {
    var tab = yasgui.getTab();
    if (tab && tab.getEndpoint() !== endpoint) {
      tab.setEndpoint(endpoint);
    }
  }

  /* ---------------------------------------------------------------- parameter forms */
  var form = document.getElementById("query-params");
  var fields = form.querySelector(".query-params-fields");
  var formMessage = form.querySelector(".query-params-message");
  var formTitle = form.querySelector(".query-params-title");
  var formFor = null;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var tab = yasgui.getTab();
    if (tab) {
      tab.getYasqe().query();
    }
  });

  function exampleOf(text) {
    var title = /^#\s*title:\s*(.+?)\s*$/m.exec(text || "");
    return title && byTitle[title[1]] ? examples[byTitle[title[1]]] : null;
  }

  var LITERAL = '"(?:[^"\\\\]|\\\\.)*"(?:@[A-Za-z-]+|\\^\\^<[^>]*>)?';
  function valuesBlock(name) {
    return new RegExp("VALUES\\s+\\?" + name + "\\s*\\{((?:[^}\"]|" + LITERAL + ")*)\\}", "g");
  }

  function currentTerms(text, name) {
    var match = valuesBlock(name).exec(text);
    return match ? match[1].trim() : null;
  }

  function literal(value) {
    return '"' + value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t") + '"';
  }

  function unliteral(term) {
    var m = /^"((?:[^"\\]|\\.)*)"/.exec(term);
    return m ? m[1].replace(/\\(.)/g, function (all, c) { return { n: "\n", r: "\r", t: "\t" }[c] || c; }) : term;
  }

  /* The SPARQL terms of one field's value, as the query loader binds them. */
  function termsOf(param, input) {
    var value = input.value.trim();
    if (!value) {
      return { terms: "UNDEF" };
    }
    if (input.dataset.value && input.dataset.shown === value) {
      value = input.dataset.value;
    }
    if (param.type === "integer") {
      return /^[+-]?\d{1,18}$/.test(value)
        ? { terms: literal(String(parseInt(value, 10))) + "^^<http://www.w3.org/2001/XMLSchema#integer>" }
        : { error: param.name + " must be an integer" };
    }
    if (param.type === "iri" || (param.type === "name" && /^https?:\/\//.test(value))) {
      return /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>"{}|\\^`]+$/.test(value)
        ? { terms: "<" + value + ">" }
        : { error: param.name + " must be an absolute IRI" };
    }
    if (param.type === "words") {
      var words = value.toLowerCase().split(/\s+/).filter(function (w, i, all) { return all.indexOf(w) === i; });
      return { terms: words.map(literal).join(" ") };
    }
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(value)) {
      return { error: param.name + " may not hold control characters" };
    }
    return { terms: literal(value) };
  }

  function bindField(param, input) {
    var tab = yasgui.getTab();
    var yasqe = tab && tab.getYasqe();
    var bound = termsOf(param, input);
    input.setAttribute("aria-invalid", bound.error ? "true" : "false");
    if (bound.error || !yasqe) {
      formMessage.textContent = bound.error || "";
      return;
    }
    formMessage.textContent = "";
    var text = yasqe.getValue();
    var next = text.replace(valuesBlock(param.name), "VALUES ?" + param.name + " { " + bound.terms + " }");
    if (next !== text) {
      var scroll = yasqe.getScrollInfo();
      yasqe.setValue(next);
      yasqe.scrollTo(scroll.left, scroll.top);
    }
  }

  function picker(param, input, list) {
    var entity = param.picker === "actor" || param.picker === "instrument";
    window.aseankgCombobox(input, list, {
      openOnFocus: true,
      url: function (q) {
        if (entity && q.length < 1) {
          return null;
        }
        return links.suggest + "?" + new URLSearchParams({ q: q, kind: param.picker, limit: "12" });
      },
      render: function (s, li) {
        var name = document.createElement("span");
        name.className = "suggest-label";
        name.textContent = entity
          ? (s.acronym ? s.acronym + " — " : "") + s.label
          : s.value + " — " + s.label + (s.context ? " (" + s.context + ")" : "");
        li.appendChild(name);
      },
      choose: function (s) {
        var shown = s.acronym || (entity ? s.label : s.value);
        input.value = shown;
        input.dataset.value = s.value;
        input.dataset.shown = shown;
        bindField(param, input);
      },
    });
  }

  function renderForm(example, text) {
    formFor = example ? example.name : null;
    fields.innerHTML = "";
    formMessage.textContent = "";
    if (!example || !example.params.length) {
      form.hidden = true;
      return;
    }
    formTitle.textContent = example.title;
    example.params.forEach(function (param) {
      var id = "param-" + param.name;
      var field = document.createElement("div");
      field.className = "query-param";
      var label = document.createElement("label");
      label.setAttribute("for", id);
      label.textContent = param.name + (param.required ? " (required)" : "");
      field.appendChild(label);
      var input;
      var terms = currentTerms(text, param.name);
      var current = terms && terms !== "UNDEF" ? terms : "";
      if (param.choices.length) {
        input = document.createElement("select");
        var none = document.createElement("option");
        none.value = "";
        none.textContent = param.required ? "choose one" : "any";
        input.appendChild(none);
        param.choices.forEach(function (choice) {
          var option = document.createElement("option");
          option.value = choice;
          option.textContent = choice;
          input.appendChild(option);
        });
        input.value = unliteral(current);
      } else {
        input = document.createElement("input");
        input.type = "text";
        input.autocomplete = "off";
        if (/^<.*>$/.test(current)) {
          input.value = current.slice(1, -1);
        } else if (current) {
          input.value = current.split(/\s+(?=")/).map(unliteral).join(" ");
        }
      }
      input.id = id;
      input.name = param.name;
      input.required = param.required;
      var help = document.createElement("span");
      help.className = "query-param-help";
      help.id = id + "-help";
      help.textContent = param.description;
      input.setAttribute("aria-describedby", help.id);
      var wrap = document.createElement("div");
      wrap.className = "query-param-input";
      wrap.appendChild(input);
      if (param.picker && input.tagName === "INPUT") {
        var list = document.createElement("ul");
        list.id = id + "-options";
        list.className = "suggest-list";
        list.setAttribute("aria-label", param.name + " suggestions");
        wrap.appendChild(list);
        picker(param, input, list);
      }
      input.addEventListener("change", function () {
        if (input.dataset.shown !== input.value.trim()) {
          delete input.dataset.value;
        }
        bindField(param, input);
      });
      field.appendChild(wrap);
      field.appendChild(help);
      fields.appendChild(field);
    });
    form.hidden = false;
  }

  function updateForm() {
    var tab = yasgui.getTab();
    var yasqe = tab && tab.getYasqe();
    var text = yasqe ? yasqe.getValue() : "";
    var example = exampleOf(text);
    if ((example ? example.name : null) !== formFor) {
      renderForm(example, text);
    }
  }

  /* The required parameters still unbound (VALUES ?p { UNDEF }) in the open tab's text;
     says so in the form and focuses the first one. */
  function missingParams() {
    var tab = yasgui.getTab();
    var text = tab ? tab.getQuery() : "";
    var example = exampleOf(text);
    if (!example) {
      return [];
    }
    var missing = example.params.filter(function (p) {
      return p.required && currentTerms(text, p.name) === "UNDEF";
    });
    if (missing.length) {
      updateForm();
      formMessage.textContent = "Fill in " + missing.map(function (p) { return p.name; }).join(", ") +
        " first: " + (missing.length > 1 ? "they are" : "it is") + " required.";
      var first = document.getElementById("param-" + missing[0].name);
      if (first) {
        first.setAttribute("aria-invalid", "true");
        first.focus();
      }
    }
    return missing;
  }

  /* ---------------------------------------------------------------- tabs */
  function viewLine(text) {
    return /^#\s*view:\s*[a-z]+\s*$/m.test(text || "");
  }

  function prepare(tab) {
    if (!tab || tab.aseankgReady) {
      return;
    }
    var yasqe = tab.getYasqe();
    var yasr = tab.getYasr();
    if (!yasqe || !yasr) {
      return;
    }
    tab.aseankgReady = true;
    var query = yasqe.query.bind(yasqe);
    yasqe.query = function () {
      if (missingParams().length) {
        return Promise.resolve();
      }
      return query.apply(null, arguments);
    };
    var pending = false;
    yasqe.on("query", function () {
      clearMarks();
      pending = true;
      var choice = window.aseankgViews.chooseView(null, yasqe.getValue());
      if (viewLine(yasqe.getValue())) {
        yasr.selectedPlugin = choice.plugin;
        if (yasr.plugins.chart) {
          yasr.plugins.chart.mode = choice.mode;
        }
      }
    });
    yasr.on("drawn", function () {
      if (!pending) {
        return;
      }
      pending = false;
      if (viewLine(yasqe.getValue()) || !yasr.results || yasr.results.getError()) {
        return;
      }
      var choice = window.aseankgViews.chooseView(yasr.results, yasqe.getValue());
      if (choice.plugin !== yasr.drawnPlugin && yasr.plugins[choice.plugin] && yasr.plugins[choice.plugin].canHandleResults()) {
        yasr.selectPlugin(choice.plugin);
      }
    });
    var timer = null;
    yasqe.on("change", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(updateForm, 200);
    });
    window.aseankgComplete.tooltips(yasqe);
  }

  function onTab() {
    window.setTimeout(function () {
      pinEndpoint();
      prepare(yasgui.getTab());
      updateForm();
    }, 0);
  }
  yasgui.on("tabSelect", onTab);
  yasgui.on("tabAdd", onTab);
  pinEndpoint();
  prepare(yasgui.getTab());
  updateForm();

  function openExample(name) {
    var example = examples[name];
    if (!example) {
      return;
    }
    var tab = yasgui.addTab(
      true,
      { name: example.title, yasqe: { value: example.query }, requestConfig: { endpoint: endpoint } },
      { avoidDuplicateTabs: true }
    );
    yasgui.selectTabId(tab.getId());
    pinEndpoint();
    prepare(tab);
    renderForm(example, example.query);
    document.getElementById("query-top").scrollIntoView({ block: "start" });
    if (example.required) {
      var first = fields.querySelector("input, select");
      if (first) {
        first.focus();
      }
    } else {
      tab.getYasqe().query();
    }
  }

  /* ---------------------------------------------------------------- examples dialog */
  var section = document.getElementById("examples");
  var dialog = document.getElementById("examples-dialog");
  var opener = document.getElementById("open-examples");
  if (section && dialog && opener && typeof dialog.showModal === "function") {
    dialog.querySelector(".examples-dialog-body").appendChild(section);
    section.querySelector(".examples-tools").hidden = false;
    opener.hidden = false;
    var search = section.querySelector("#examples-search");
    var count = section.querySelector(".examples-count");
    var items = Array.prototype.slice.call(section.querySelectorAll("li.example"));
    items.forEach(function (li) {
      // what a search looks in: the title, the description and the tags, not the SPARQL
      li.dataset.search = [li.querySelector("h3"), li.querySelector("p"), li.querySelector(".example-meta")]
        .map(function (el) { return el ? el.textContent : ""; }).join(" ").toLowerCase();
    });
    var tagButtons = Array.prototype.slice.call(section.querySelectorAll("button[data-tag]"));
    var filter = function () {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      var tags = tagButtons.filter(function (b) { return b.getAttribute("aria-pressed") === "true"; })
        .map(function (b) { return b.dataset.tag; });
      var shownCount = 0;
      items.forEach(function (li) {
        var text = li.dataset.search;
        var mine = (li.dataset.tags || "").split(" ");
        var ok = words.every(function (w) { return text.indexOf(w) >= 0; })
          && tags.every(function (t) { return mine.indexOf(t) >= 0; });
        li.hidden = !ok;
        shownCount += ok ? 1 : 0;
      });
      count.textContent = shownCount + " of " + items.length + " queries";
    };
    search.addEventListener("input", filter);
    tagButtons.forEach(function (button) {
      button.addEventListener("click", function () {
        button.setAttribute("aria-pressed", String(button.getAttribute("aria-pressed") !== "true"));
        filter();
      });
    });
    filter();
    opener.addEventListener("click", function () {
      dialog.showModal();
      search.focus();
    });
    dialog.querySelector(".examples-close").addEventListener("click", function () {
      dialog.close();
    });
  }

  document.querySelectorAll("a.open-example").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      if (dialog && dialog.open) {
        dialog.close();
      }
      openExample(link.dataset.example);
    });
  });

  /* ---------------------------------------------------------------- downloads */
  var downloads = document.getElementById("downloads");
  if (downloads) {
    downloads.hidden = false;
    downloads.querySelectorAll("a[data-format]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (missingParams().length) {
          event.preventDefault();
          link.removeAttribute("href");
          return;
        }
        var tab = yasgui.getTab();
        var format = link.dataset.format;
        link.href = endpoint + "?" + new URLSearchParams({ query: tab.getQuery(), format: format });
        link.setAttribute("download", "results." + format);
      });
    });
  }

  // A shared link (or a picture's "Open the query") shows its results at once.
  if (openedFromLink) {
    window.setTimeout(function () {
      var tab = yasgui.getTab();
      if (tab && !missingParams().length) {
        tab.getYasqe().query();
      }
    }, 0);
  }
  window.aseankgYasgui = yasgui;
})();
