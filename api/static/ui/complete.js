/* Completion and tooltips in the query editor, from this server only (LOV stays off):
   - classes after "a" / rdf:type, properties where a verb goes, and any other term of the
     ontology (concepts ...) at other positions: the project's vocabulary (prefixed names
     of akg: and the reused vocabularies, with their labels), offered while typing;
   - entity names inside a string ("aichr" + Ctrl+Space): /api/suggest, completed to the
     entity's IRI;
   - a tooltip with the label (and definition) of the term or entity under the mouse.
   window.aseankgComplete.register(Yasqe, options) adds the completers (before YASGUI is
   made); .tooltips(yasqe) attaches the tooltips to one editor. */
(function () {
  "use strict";
  var terms = [];
  var byIri = {};
  var options = { suggest: "/api/suggest", prefixes: {}, localHref: function () { return null; } };
  var entityLabels = {};

  function display(term) {
    return term.curie + (term.label && term.label !== term.curie.split(":")[1] ? "  — " + term.label : "");
  }

  function matching(kinds, token) {
    var wanted = token.autocompletionString || "";
    var namespace = token.tokenPrefixUri || "";
    var rest = namespace ? wanted.slice(namespace.length).toLowerCase() : "";
    return terms.filter(function (t) {
      if (kinds.indexOf(t.kind) < 0) {
        return false;
      }
      if (t.iri.indexOf(wanted) === 0) {
        return true;
      }
      // "akg:line" also finds akg:ActionLine (by its local name or label, in any case)
      return Boolean(namespace) && rest.length > 0 && t.iri.indexOf(namespace) === 0
        && (t.iri.slice(namespace.length).toLowerCase().indexOf(rest) >= 0 || t.label.toLowerCase().indexOf(rest) >= 0);
    }).slice(0, 60).map(function (t) { return t.iri; });
  }

  function labelled(yasqe, hints) {
    return hints.map(function (hint) {
      var iri = hint.text.charAt(0) === "<" ? hint.text.slice(1, -1) : expand(yasqe, hint.text);
      var term = byIri[iri];
      if (term) {
        hint.displayText = display(term);
        hint.className = "hint-" + term.kind;
      }
      return hint;
    });
  }

  function expand(yasqe, name) {
    var prefixes = Object.assign({}, options.prefixes, yasqe.getPrefixesFromQuery());
    var colon = name.indexOf(":");
    if (colon < 0 || name.charAt(0) === "<") {
      return name.replace(/^<|>$/g, "");
    }
    var ns = prefixes[name.slice(0, colon)];
    return ns ? ns + name.slice(colon + 1) : name;
  }

  function prefixed(token) {
    return /^[A-Za-z][\w-]*:/.test(token.string) && token.string.charAt(0) !== "<";
  }

  function classPosition(yasqe) {
    var token = yasqe.getCompleteToken();
    var previous = yasqe.getPreviousNonWsToken(yasqe.getDoc().getCursor().line, token);
    var last = previous && previous.state ? previous.state.lastProperty : "";
    return last === "a" || last === "rdf:type";
  }

  function propertyPosition(yasqe) {
    var token = yasqe.getCompleteToken();
    return token.string.length > 0 && token.string[0] !== "?" && token.string[0] !== "$"
      && Boolean(token.state && token.state.possibleCurrent) && token.state.possibleCurrent.indexOf("a") >= 0;
  }

  function inString(yasqe) {
    var token = yasqe.getCompleteToken();
    return /^["']/.test(token.string) && token.string.replace(/["']/g, "").trim().length >= 2;
  }

  function register(Yasqe, given) {
    options = Object.assign(options, given || {});
    terms = given.terms || [];
    terms.forEach(function (t) { byIri[t.iri] = t; });
    Yasqe.forkAutocompleter("class", {
      name: "ontology-classes",
      autoShow: true,
      get: function (yasqe, token) { return matching(["class"], token); },
      postprocessHints: labelled,
    });
    Yasqe.forkAutocompleter("property", {
      name: "ontology-properties",
      autoShow: true,
      isValidCompletionPosition: function (yasqe) { return propertyPosition(yasqe) && !classPosition(yasqe); },
      get: function (yasqe, token) { return matching(["property"], token); },
      postprocessHints: labelled,
    });
    Yasqe.forkAutocompleter("property", {
      name: "ontology-terms",
      autoShow: true,
      isValidCompletionPosition: function (yasqe) {
        var token = yasqe.getCompleteToken();
        return prefixed(token) && !propertyPosition(yasqe) && !classPosition(yasqe)
          && !/^\s*PREFIX\b/i.test(yasqe.getLine(yasqe.getDoc().getCursor().line));
      },
      get: function (yasqe, token) { return matching(["class", "property", "concept"], token); },
      postprocessHints: labelled,
    });
    Yasqe.registerAutocompleter({
      name: "entities",
      bulk: false,
      autoShow: false,
      isValidCompletionPosition: inString,
      preProcessToken: function (yasqe, token) {
        token.autocompletionString = token.string.replace(/["']/g, "").trim();
        return token;
      },
      get: function (yasqe, token) {
        var q = token.autocompletionString || "";
        return fetch(options.suggest + "?" + new URLSearchParams({ q: q, limit: "15" }), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
          .then(function (body) {
            return (body.suggestions || []).map(function (s) {
              entityLabels[s.iri] = s.acronym ? s.acronym + " — " + s.label : s.label;
              return "<" + s.iri + ">";
            });
          })
          .catch(function () { return []; });
      },
      postprocessHints: function (yasqe, hints) {
        return hints.map(function (hint) {
          var iri = hint.text.slice(1, -1);
          hint.displayText = (entityLabels[iri] || iri) + "  " + iri.replace(/^.*\/id\//, "");
          hint.className = "hint-entity";
          return hint;
        });
      },
    });
    Yasqe.defaults.autocompleters = Yasqe.defaults.autocompleters.filter(function (name) {
      return name !== "property" && name !== "class";
    });
  }

  /* Label of an entity IRI of this graph: from the results seen, else /api/suggest by its
     slug (the last segment of the IRI is its acronym or name, slugged). */
  function entityLabel(iri) {
    if (entityLabels[iri]) {
      return Promise.resolve(entityLabels[iri]);
    }
    var slug = iri.replace(/\/$/, "").split("/").pop().replace(/-/g, " ");
    return fetch(options.suggest + "?" + new URLSearchParams({ q: slug, limit: "50" }), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (body) {
        var hit = (body.suggestions || []).filter(function (s) { return s.iri === iri; })[0];
        if (hit) {
          entityLabels[iri] = hit.acronym ? hit.acronym + " — " + hit.label : hit.label;
        }
        return entityLabels[iri] || "";
      })
      .catch(function () { return ""; });
  }

  function rememberLabels(map) {
    Object.keys(map).forEach(function (iri) {
      if (!entityLabels[iri]) {
        entityLabels[iri] = map[iri];
      }
    });
  }

  function tooltips(yasqe) {
    var tip = document.getElementById("iri-tooltip");
    if (!tip) {
      tip = document.createElement("div");
      tip.id = "iri-tooltip";
      tip.className = "iri-tooltip";
      tip.setAttribute("role", "tooltip");
      tip.hidden = true;
      document.body.appendChild(tip);
    }
    var current = "";
    function hide() {
      tip.hidden = true;
      current = "";
    }
    function show(text, event) {
      tip.textContent = text;
      tip.hidden = false;
      var x = Math.min(event.clientX + 12, window.innerWidth - tip.offsetWidth - 8);
      tip.style.left = Math.max(4, x) + window.scrollX + "px";
      tip.style.top = event.clientY + 18 + window.scrollY + "px";
    }
    var wrapper = yasqe.getWrapperElement();
    wrapper.addEventListener("mousemove", function (event) {
      var pos = yasqe.coordsChar({ left: event.clientX, top: event.clientY }, "window");
      var token = yasqe.getTokenAt({ line: pos.line, ch: pos.ch + 1 }, true);
      var text = token && token.string ? token.string : "";
      var isIri = /^<[^<>\s]+>$/.test(text);
      if (!isIri && !prefixed({ string: text })) {
        hide();
        return;
      }
      var iri = expand(yasqe, text);
      if (iri === current) {
        return;
      }
      current = iri;
      var term = byIri[iri];
      if (term) {
        show(term.curie + " — " + term.label + (term.definition ? ": " + term.definition : ""), event);
        return;
      }
      if (options.localHref(iri)) {
        entityLabel(iri).then(function (label) {
          if (current === iri) {
            show(label ? label + " (" + iri + ")" : iri, event);
          }
        });
        return;
      }
      hide();
    });
    wrapper.addEventListener("mouseleave", hide);
  }

  window.aseankgComplete = { register: register, tooltips: tooltips, rememberLabels: rememberLabels };
})();
