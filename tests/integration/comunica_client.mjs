// Comunica as a long-lived test client: one JSON request per stdin line, one JSON answer
// per stdout line, so the tests start Node once per session.
//   request:  {"query": "...", "sources": ["http://..." | {"type": "sparql", "value": "..."}]}
//   answer:   {"ok": true, "type": "bindings", "rows": [{"var": term}]}  (term: termType,
//             value, datatype, language), or "boolean" with "value", or "quads" with "quads"
//             (N-Triples-like lines), or {"ok": false, "error": "..."}.
import { createInterface } from "node:readline";
import { QueryEngine } from "@comunica/query-sparql";

const engine = new QueryEngine();

function term(t) {
  const out = { termType: t.termType, value: t.value };
  if (t.termType === "Literal") {
    out.datatype = t.datatype.value;
    out.language = t.language;
  }
  return out;
}

async function answer(request) {
  // a fresh context each time: no HTTP cache shared between the tests' queries
  const result = await engine.query(request.query, { sources: request.sources, noCache: true });
  if (result.resultType === "bindings") {
    const bindings = await (await result.execute()).toArray();
    const rows = bindings.map((b) => Object.fromEntries([...b].map(([k, v]) => [k.value, term(v)])));
    return { ok: true, type: "bindings", rows };
  }
  if (result.resultType === "boolean") {
    return { ok: true, type: "boolean", value: await result.execute() };
  }
  const quads = await (await result.execute()).toArray();
  return {
    ok: true,
    type: "quads",
    quads: quads.map((q) => [term(q.subject), term(q.predicate), term(q.object)]),
  };
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  let reply;
  try {
    reply = await answer(JSON.parse(line));
  } catch (error) {
    reply = { ok: false, error: String(error && error.message ? error.message : error) };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
}
