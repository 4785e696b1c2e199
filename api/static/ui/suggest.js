/* Autocompletion: one ARIA combobox (window.aseankgCombobox) for the search boxes of
   every UI page and the parameter pickers of the query page. Arrows move through the
   suggestions, Enter takes one, Escape closes the list. The search boxes are a small
   enhancement over a plain GET form: without JavaScript the form still submits to
   /search. */
(function () {
  "use strict";
  var counter = 0;
  // the service's root (a path-prefix deployment included): where this script came from
  var script = document.currentScript && document.currentScript.src;
  var at = script ? script.lastIndexOf("/static/") : -1;
  var root = at >= 0 ? script.slice(0, at) : "";
  function local(path) {
    return path.charAt(0) === "/" && path.charAt(1) !== "/" ? root + path : path;
  }

  /* Make `input` a combobox over the listbox `list` (an empty <ul> with an id).
     options.url(q): the URL to fetch suggestions from for the typed text, or null to close;
     options.render(s, li): fill one option; options.choose(s): take a suggestion;
     options.openOnFocus: fetch as soon as the input gets the focus. */
  function combobox(input, list, options) {
    var items = [];
    var suggestions = [];
    var active = -1;
    var timer = null;
    var seq = 0;
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      items = [];
      suggestions = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function mark(index) {
      items.forEach(function (li, i) {
        li.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function take(s) {
      close();
      options.choose(s);
    }

    function show(found) {
      close();
      found.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        options.render(s, li);
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          take(s);
        });
        list.appendChild(li);
        items.push(li);
      });
      suggestions = found;
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", String(items.length > 0));
    }

    function load() {
      var url = options.url(input.value.trim());
      if (!url) {
        close();
        return;
      }
      seq += 1;
      var mine = seq;
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (body) {
          if (mine === seq && document.activeElement === input) {
            show(body.suggestions || []);
          }
        })
        .catch(close);
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(load, 120);
    });
    if (options.openOnFocus) {
      input.addEventListener("focus", load);
    }
    input.addEventListener("keydown", function (event) {
      if (list.hidden) {
        return;
      }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        mark((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        mark(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        take(suggestions[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
  }
  window.aseankgCombobox = combobox;

  // the site's search boxes: entities by name, Enter or a click opens the entity's page
  function enhance(input) {
    counter += 1;
    var list = document.createElement("ul");
    list.id = "suggest-list-" + counter;
    list.className = "suggest-list";
    list.setAttribute("aria-label", "Suggestions");
    input.insertAdjacentElement("afterend", list);
    combobox(input, list, {
      url: function (q) {
        return q.length < 2 ? null : root + "/api/suggest?q=" + encodeURIComponent(q);
      },
      render: function (s, li) {
        li.dataset.href = local(s.href);
        var name = document.createElement("span");
        name.className = "suggest-label";
        name.textContent = s.acronym ? s.label + " (" + s.acronym + ")" : s.label;
        var kind = document.createElement("span");
        kind.className = "kind kind-" + s.kind.toLowerCase();
        kind.textContent = s.kind;
        li.appendChild(name);
        li.appendChild(kind);
      },
      choose: function (s) {
        window.location.href = local(s.href);
      },
    });
  }

  document.querySelectorAll("input[data-suggest]").forEach(enhance);
})();
