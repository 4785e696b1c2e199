"""Egress fuzzing: glued SERVICE / FROM / LOAD never reach a host; the sandbox alone holds.

A generated family glues each keyword to every kind of token that can precede it
(strings of each quote style, numbers, booleans, IRIs, prefixed names, blank nodes,
variables, brackets, braces, commas, semicolons, dots, comments), in every query form,
with and without ``SILENT``, aimed at loopback listeners by address, by ``localhost``,
by ``[::1]``, through ``\\u`` escapes and through prefixed names. Every query goes to a
real server with default settings and to one with an allowlist naming another (public)
prefix: the listeners must see no connection at all, and no answer may be a 5xx.

The sandbox is tested alone by running the SERVICE family through the server's own
worker loop (``executor._worker_main``, which installs the seccomp filter at start-up)
with the parse guard taken out; a control worker of the federation lane (no filter)
shows that the very same queries do reach the listener.
"""

from __future__ import annotations

import errno
import multiprocessing
import multiprocessing.connection
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aseankg.api.http import executor
from aseankg.api.http.egress import EgressPolicy
from aseankg.api.http.problems import Failure
from aseankg.api.http.sandbox import forbid_network
from aseankg.graph.query import QueryJob

ROOT = Path(__file__).resolve().parents[2]


class Listeners:
    """Loopback TCP listeners (127.0.0.1 and, where the host has it, ::1) that count the
    connections they accept."""

    def __init__(self) -> None:
        self.socks = [socket.create_server(("127.0.0.1", 0), backlog=64)]
        self.port: int = self.socks[0].getsockname()[1]
        self.port6: int | None = None
        try:
            six = socket.create_server(("::1", 0), family=socket.AF_INET6, backlog=64)
        except OSError:
            pass
        else:
            self.socks.append(six)
            self.port6 = six.getsockname()[1]
        self.connections = 0
        for sock in self.socks:
            threading.Thread(target=self._accept, args=(sock,), daemon=True).start()

    def _accept(self, sock: socket.socket) -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        for sock in self.socks:
            sock.close()


@pytest.fixture()
def listeners() -> Iterator[Listeners]:
    spy = Listeners()
    yield spy
    spy.close()


# what ends right before the keyword, as (lead, tail): the lead goes inside a group
# that already bound ?z, the tail closes what the lead opened
_OBJECTS = {
    "string-double": '"a"',
    "string-single": "'a'",
    "string-long-double": '"""a"""',
    "string-long-single": "'''a'''",
    "string-lang": '"a"@en',
    "string-typed-iri": '"a"^^<http://www.w3.org/2001/XMLSchema#string>',
    "string-typed-pname": '"a"^^xsd:string',
    "integer": "1",
    "negative": "-1",
    "decimal": "1.5",
    "double": "1e0",
    "double-upper": "1E9",
    "double-dot": ".5e1",
    "true": "true",
    "false": "false",
    "true-upper": "TRUE",
    "iri": "<http://example.org/o>",
    "pname": "ex:o",
    "pname-empty-prefix": ":o",
    "pname-no-local": "ex:",
    "pname-dotted": "ex:a.b",
    "blank-label": "_:b",
    "blank-anon": "[]",
    "variable": "?o",
    "variable-dollar": "$o",
}
TOKENS: dict[str, tuple[str, str]] = {
    **{name: (f"?z ex:p* {term}", "") for name, term in _OBJECTS.items()},
    "bracket": ("?z ex:p* [ ex:q* ?w ]", ""),
    "paren": ("FILTER(true)", ""),
    "paren-open": ("FILTER(", ")"),
    "brace-open": ("{", "}"),
    "brace-close": ("{}", ""),
    "comma": ("?z ex:p* ex:o ,", ""),
    "semicolon": ("?z ex:p* ex:o ;", ""),
    "dot": ("?z ex:p* ex:o .", ""),
    "comment-lf": ("?z ex:p* ex:o # c\n", ""),
    "comment-cr": ("?z ex:p* ex:o # c\r", ""),
}
FORMS = ("SELECT *", "ASK", "CONSTRUCT { ?a ?b ?c }", "DESCRIBE ?a")


def targets(spy: Listeners) -> list[str]:
    """Ways to name a listener; the prologue declares ``t:`` as one of them."""
    port = spy.port
    names = [
        f"<http://127.0.0.1:{port}/x>",
        f"<http://localhost:{port}/x>",
        f"<http://127.0.0.1\\u003A{port}/x>",
        f"<\\u0068ttp://127.0.0.1:{port}/x>",
        "t:x",
        f"<http://0.0.0.0:{port}/x>",
        f"<http://127.1:{port}/x>",
    ]
    if spy.port6 is not None:
        names.append(f"<http://[::1]:{spy.port6}/x>")
    return names


def prologue(spy: Listeners) -> str:
    return (
        "PREFIX ex: <http://example.org/> PREFIX : <http://example.org/> "
        "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
        f"PREFIX t: <http://127.0.0.1:{spy.port}/> "
    )


def service_family(spy: Listeners) -> list[str]:
    """SERVICE [SILENT] glued to every token, in every form; ?z is bound to one value so
    Oxigraph does evaluate the SERVICE (the control test proves it)."""
    names = targets(spy)
    queries = []
    for index, (lead, tail) in enumerate(TOKENS.values()):
        for form_index, form in enumerate(FORMS):
            for silent in ("", " SILENT"):
                target = names[(index + form_index + len(silent)) % len(names)]
                queries.append(
                    f"{prologue(spy)}{form} WHERE {{ VALUES ?z {{ ex:o }} "
                    f"{lead}SERVICE{silent} {target} {{ ?a ?b ?c }}{tail}\n}}"
                )
    return queries


def from_and_load_family(spy: Listeners) -> list[str]:
    """FROM [NAMED] glued to every token after each form's head, and LOAD [SILENT]
    glued to every token, alone and after an update."""
    names = targets(spy)
    queries = []
    tokens = [("", ""), *TOKENS.values()]
    for index, (lead, _) in enumerate(tokens):
        term = lead.removeprefix("?z ex:p* ")
        for form_index, form in enumerate(FORMS):
            named = " NAMED" if form_index % 2 else ""
            target = names[(index + form_index) % len(names)]
            queries.append(f"{prologue(spy)}{form}{term}FROM{named} {target} WHERE {{ ?a ?b ?c }}")
        target = names[index % len(names)]
        queries.append(f"{prologue(spy)}{term}LOAD {target}")
        queries.append(
            f"{prologue(spy)}INSERT DATA {{ }} ;{term}LOAD SILENT {target} INTO GRAPH ex:g"
        )
    return queries


def answer_all(base: str, queries: list[str]) -> list[httpx.Response]:
    """POST every query (direct body, no size limit in the URL), four at a time."""
    responses: list[httpx.Response] = []
    lock = threading.Lock()
    chunks = [queries[i::4] for i in range(4)]

    def run(chunk: list[str]) -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            for query in chunk:
                response = client.post(
                    "/sparql",
                    content=query.encode(),
                    headers={"content-type": "application/sparql-query"},
                )
                with lock:
                    responses.append(response)

    threads = [threading.Thread(target=run, args=(chunk,)) for chunk in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def assert_no_egress(responses: list[httpx.Response], spy: Listeners) -> None:
    assert spy.connections == 0
    for response in responses:
        assert response.status_code < 500, response.text
        if response.status_code != 200:
            continue
        # no remote rows: a FROM graph is not in the local store, so nothing matches
        if "json" in response.headers["content-type"]:
            body = response.json()
            assert body.get("boolean", False) is False
            assert body.get("results", {}).get("bindings", []) == []
        else:
            triples = [line for line in response.text.splitlines() if not line.startswith("@")]
            assert not "".join(triples).strip(), response.text


@pytest.fixture(scope="module")
def allowlisted_server(make_server: Callable[..., str]) -> str:
    return make_server(service_allowlist=("http://example.org/sparql",))


@pytest.mark.parametrize("lane", ["default", "allowlist"])
def test_the_glued_family_makes_no_connection(
    lane: str, server: str, allowlisted_server: str, listeners: Listeners
) -> None:
    base = server if lane == "default" else allowlisted_server
    services = service_family(listeners)
    responses = answer_all(base, services)
    assert_no_egress(responses, listeners)
    # every glued SERVICE is refused by the verified parse itself (403), not merely
    # stopped by the sandbox (whose refusal says "network connection")
    by_parse = [r.status_code == 403 and "network" not in r.json()["detail"] for r in responses]
    assert all(by_parse), [r.text for r, ok in zip(responses, by_parse, strict=True) if not ok][:3]
    assert_no_egress(answer_all(base, from_and_load_family(listeners)), listeners)


_PIECES = [lead for lead, _ in TOKENS.values()] + ["}", "{", " ", "SILENT", "(", ")", "\r", "\n"]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    derandomize=True,
)
@given(
    before=st.lists(st.sampled_from(_PIECES), max_size=4),
    keyword=st.sampled_from(["SERVICE", "service", "SeRvIcE", "FROM", "LOAD"]),
    form=st.sampled_from(FORMS),
    target=st.integers(0, 7),
)
def test_random_glue_makes_no_connection(
    client: httpx.Client,
    listeners: Listeners,
    before: list[str],
    keyword: str,
    form: str,
    target: int,
) -> None:
    names = targets(listeners)
    query = (
        f"{prologue(listeners)}{form} WHERE {{ VALUES ?z {{ ex:o }} {''.join(before)}"
        f"{keyword} {names[target % len(names)]} {{ ?a ?b ?c }}\n}} LIMIT 5"
    )
    assert_no_egress([client.post("/sparql", data={"query": query})], listeners)


def test_the_issues_examples_are_refused(client: httpx.Client, listeners: Listeners) -> None:
    port = listeners.port
    for glued in ("trueSERVICE", "falseSERVICE", "1e0SERVICE", "1E9SERVICE SILENT"):
        for target in (f"http://127.0.0.1:{port}/x", "http://127.0.0.1/x"):
            query = f"SELECT ?leak WHERE {{ ?s ?p {glued} <{target}> {{ ?leak ?b ?c }} }}"
            response = client.get("/sparql", params={"query": query})
            assert response.status_code == 403, response.text
            assert response.json()["type"].endswith("/service-refused")
            assert "cannot verify" in response.json()["detail"]  # the parse, not the sandbox
    # a comment ended by a lone CR: rdflib's comments run to LF, Oxigraph's stop at CR
    hidden = f"SELECT * {{ ?s ?p ?o # c\r SERVICE <http://127.0.0.1:{port}/x> {{ }} \n }}"
    response = client.get("/sparql", params={"query": hidden})
    assert response.status_code == 403
    assert "allowlist" in response.json()["detail"]  # seen by the parse
    assert listeners.connections == 0


def _unscreened_worker(
    conn: multiprocessing.connection.Connection, store: str, policy: EgressPolicy
) -> None:
    """The server's own worker loop (sandbox start-up included) with the screen taken
    out: every job runs as it comes."""
    setattr(executor, "screen_job", lambda job, _: job)  # noqa: B010 (a private name)
    executor._worker_main(conn, store, policy)


def run_unscreened(store: Path, queries: list[str], *, network: bool) -> list[Failure | None]:
    """Run ``queries`` in one worker process with the parse guard disabled; the worker
    is sandboxed unless ``network`` (the federation lane's policy). A spawned process
    (not the fork server's) imports this module by its ``tests.`` name from ``ROOT``."""
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    policy = EgressPolicy(network=network)
    process = context.Process(target=_unscreened_worker, args=(child, str(store), policy))
    process.start()
    child.close()
    outcomes: list[Failure | None] = []
    try:
        assert parent.poll(60) and parent.recv() == "ready"
        for query in queries:
            parent.send(QueryJob(query))
            outcome, size = parent.recv()
            if size >= 0:
                parent.recv_bytes()
            outcomes.append(outcome if isinstance(outcome, Failure) else None)
    finally:
        parent.close()
        process.join(10)
    return outcomes


def test_the_sandbox_alone_stops_every_call(
    seed_store: Path, listeners: Listeners, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(ROOT))
    queries = service_family(listeners)
    outcomes = run_unscreened(seed_store, queries, network=False)
    assert len(outcomes) == len(queries)
    assert listeners.connections == 0
    blocked = [o for o in outcomes if o is not None and "network connection" in o.message]
    assert blocked and all(o.kind == "refused" for o in blocked)  # answered 403
    # control: without the sandbox the very same queries do reach the listener
    run_unscreened(seed_store, queries, network=True)
    assert listeners.connections > 0


def _socket_from_an_older_thread(conn: multiprocessing.connection.Connection) -> None:
    go, errors = threading.Event(), []

    def open_socket() -> None:
        go.wait()
        try:
            socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
        except OSError as exc:
            errors.append(exc.errno)

    thread = threading.Thread(target=open_socket)
    thread.start()  # before the filter, like the worker's lifeline thread
    forbid_network()
    go.set()
    thread.join()
    conn.send(errors)


def test_the_sandbox_covers_threads_started_before_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT))
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(target=_socket_from_an_older_thread, args=(child,))
    process.start()
    assert parent.poll(60)
    assert parent.recv() == [errno.EPERM]
    process.join(10)


def test_health_answers_while_a_1_mb_adversarial_query_is_handled(
    make_server: Callable[..., str],
) -> None:
    """The bodies that froze the server when the scan ran on the event loop (the run of
    ``a.`` took the old tokeniser hours at 1 MB) and two more: the health route answers
    while each is handled, and each gets a 4xx (or the time limit's 503)."""
    url = make_server(body_cap=1_100_000)
    bodies = [
        "SELECT ?service WHERE { ?s ?p " + "a." * 500_000 + " }",
        "ASK { service " + "(" * 500_000 + " }",
        'SELECT * { ?s ?p ?o } # service\n"' + '\\"' * 300_000,
    ]
    for body in bodies:
        answers: list[int] = []

        def post(text: str = body, answers: list[int] = answers) -> None:
            with httpx.Client(base_url=url, timeout=120) as client:
                response = client.post(
                    "/sparql",
                    content=text.encode(),
                    headers={"content-type": "application/sparql-query"},
                )
                answers.append(response.status_code)

        thread = threading.Thread(target=post)
        thread.start()
        with httpx.Client(base_url=url, timeout=30) as client:
            assert client.get("/health").status_code == 200
        thread.join()
        assert answers and answers[0] in (400, 403, 503), answers
