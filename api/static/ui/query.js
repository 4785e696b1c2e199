/* The query page: YASGUI on our own endpoint, offline.
   - remote autocompleters (LOV "property"/"class") are switched off; the prefix completer
     uses the list bundled in yasgui.min.js (prefixCcApi stays null);
   - every tab queries this server's /sparql, whatever a stored tab or a shared link says;
   - new tabs start with the project's prefixes; the ready-made queries open as tabs;
   - shared links (YASGUI's share button) reopen a query: /sparql#query=...;
   - the download links fetch the open tab's results in the chosen format. */
(function () {
  "use strict";
  var host = document.getElementById("yasgui");
  var configElement = document.getElementById("query-config");
  if (!host || !configElement || typeof Yasgui === "undefined") {
    return;
  }
  var config = JSON.parse(configElement.textContent);
  // the service's root (a path-prefix deployment included): where this script came from
  var script = document.currentScript && document.currentScript.src;
  var at = script ? script.lastIndexOf("/static/") : -1;
  var root = at >= 0 ? script.slice(0, at) : "";
  var endpoint = new URL(root + config.endpoint, window.location.href).href;

  Yasgui.Yasqe.defaults.autocompleters = Yasgui.Yasqe.defaults.autocompleters.filter(
    function (name) {
      return name !== "property" && name !== "class";
    }
  );
  Yasgui.Yasqe.defaults.prefixCcApi = null;
  // Show plain values ("1", not "1"^^xsd:integer) until the reader turns "Simple view" off.
  var plugins = Yasgui.Yasr.defaults.plugins || {};
  if (plugins.table) {
    plugins.table.dynamicConfig = Object.assign({ compact: true }, plugins.table.dynamicConfig);
  }

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
  pinEndpoint();
  yasgui.on("tabSelect", function () {
    window.setTimeout(pinEndpoint, 0);
  });
  yasgui.on("tabAdd", function () {
    window.setTimeout(pinEndpoint, 0);
  });

  function openExample(name, run) {
    var example = config.examples[name];
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
    host.scrollIntoView({ block: "start" });
    if (run) {
      tab.getYasqe().query();
    }
  }

  document.querySelectorAll("a.open-example").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var example = config.examples[link.dataset.example];
      openExample(link.dataset.example, Boolean(example) && !example.required);
    });
  });

  var downloads = document.getElementById("downloads");
  if (downloads) {
    downloads.hidden = false;
    downloads.querySelectorAll("a[data-format]").forEach(function (link) {
      link.addEventListener("click", function () {
        var tab = yasgui.getTab();
        var format = link.dataset.format;
        link.href = root + "/sparql?" + new URLSearchParams({ query: tab.getQuery(), format: format });
        link.setAttribute("download", "results." + format);
      });
    });
  }
  window.aseankgYasgui = yasgui;
})();
