"""OpenTelemetry across the real hops: the nginx gateway starts the trace (its request id is the trace id),
reporting-api continues it, calls projects-api over HTTP (which continues it again), and both query PostgreSQL.
The services are real processes exporting OTLP/HTTP to a receiver in this test, which decodes what they send with
the OTLP protobuf definitions. Without an endpoint nothing is exported (the default)."""

from __future__ import annotations

import gzip
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from conftest import Stack
from support import Nginx, ServiceProcess, free_port, render_gateway, wait_for

PROJECTS_NAMESPACE = uuid.UUID("5d6f0c36-8f0e-4c1e-9a55-6d1f6a0e2b11")  # projects-api's demo project ids
DEMO_PROJECT = uuid.uuid5(PROJECTS_NAMESPACE, "project:XM-DAC-47066-MD-LMR")


@dataclass(frozen=True)
class Span:
    service: str
    name: str
    kind: int
    trace_id: str
    span_id: str
    parent_id: str


class Receiver(ThreadingHTTPServer):
    """An OTLP/HTTP collector reduced to what the test reads: spans, with the service that sent them."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.spans: list[Span] = []
        self.lock = threading.Lock()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        request = ExportTraceServiceRequest()
        request.ParseFromString(body)
        spans = []
        for resource in request.resource_spans:
            service = next(a.value.string_value for a in resource.resource.attributes if a.key == "service.name")
            for scope in resource.scope_spans:
                spans += [
                    Span(service, s.name, s.kind, s.trace_id.hex(), s.span_id.hex(), s.parent_span_id.hex())
                    for s in scope.spans
                ]
        with self.server.lock:
            self.server.spans.extend(spans)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server's signature)
        return


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


@pytest.fixture
def traced(stack: Stack, receiver: Receiver, tmp_path: Path) -> Iterator[Nginx]:
    """Both services again, on the suite's databases, exporting to the receiver; the gateway in front."""
    if stack.reporting is None:
        pytest.fail("reporting-api is part of this suite")
    tmp_path.chmod(0o755)
    projects = ServiceProcess("projects_api", {**stack.projects.env}, tmp_path)
    reporting = ServiceProcess("reporting_api", {**stack.reporting.env}, tmp_path)
    otel = {"OTEL_BSP_SCHEDULE_DELAY": "200"}
    projects.env.update(otel, PROJECTS_OTLP_ENDPOINT=receiver.endpoint)
    reporting.env.update(
        otel,
        REPORTING_OTLP_ENDPOINT=receiver.endpoint,
        REPORTING_PROJECTS_API_URL=projects.url,
        REPORTING_AUTH_JWKS_URL=f"{projects.url}/api/projects/v1/auth/jwks",
    )
    gateway: Nginx | None = None
    try:
        projects.start()
        reporting.start()
        port = free_port()
        conf = render_gateway(
            {
                "GATEWAY_PORT": f"127.0.0.1:{port}",
                "GATEWAY_TEMP_DIR": str(tmp_path / "nginx"),
                "GATEWAY_SPA_ROOT": str(tmp_path),
                "PROJECTS_UPSTREAM": f"127.0.0.1:{projects.port}",
                "REPORTING_UPSTREAM": f"127.0.0.1:{reporting.port}",
                "GATEWAY_WORKER_PROCESSES": "1",
            },
            tmp_path / "nginx-conf",
        )
        gateway = Nginx(conf, port, tmp_path)
        gateway.start()
        yield gateway
    finally:
        if gateway is not None:
            gateway.stop()
        reporting.stop()
        projects.stop()


def _trace(receiver: Receiver, trace_id: str, want: set[str]) -> list[Span]:
    """The trace's spans once every service in `want` has sent some (bounded wait: the SDK exports in batches)."""
    for _ in range(300):
        with receiver.lock:
            spans = [s for s in receiver.spans if s.trace_id == trace_id]
        if want <= {s.service for s in spans} and any(s.service == "projects-api" and s.kind == 2 for s in spans):
            time.sleep(0.5)  # the rest of the batch
            with receiver.lock:
                return [s for s in receiver.spans if s.trace_id == trace_id]
        time.sleep(0.1)
    raise AssertionError(f"no complete trace {trace_id}: {receiver.spans[:20]}")


SERVER, CLIENT = 2, 3  # OTLP span kinds


def test_one_trace_from_the_gateway_through_both_services_to_postgresql(traced: Nginx, receiver: Receiver) -> None:
    request_id = uuid.uuid4().hex
    response = httpx.get(
        f"{traced.url}/api/reporting/v1/aggregations/progress/{DEMO_PROJECT}",
        headers={"X-Request-ID": request_id},
        timeout=60,
    )
    assert response.status_code in (200, 404), response.text
    spans = _trace(receiver, request_id, {"reporting-api", "projects-api"})
    reporting_server = [
        s
        for s in spans
        if s.service == "reporting-api" and s.kind == SERVER and not s.name.endswith(("send", "receive"))
    ]
    assert reporting_server, spans
    entry = reporting_server[0]
    assert entry.parent_id and entry.parent_id not in {s.span_id for s in spans}  # its parent is the gateway's span
    hop = [s for s in spans if s.service == "reporting-api" and s.kind == CLIENT and s.name.startswith("GET")]
    assert hop, "reporting-api's call to projects-api has a client span"
    projects_server = [s for s in spans if s.service == "projects-api" and s.kind == SERVER]
    assert projects_server and projects_server[0].parent_id in {h.span_id for h in hop}  # continued across HTTP
    database = {s.service for s in spans if s.kind == CLIENT and not s.name.startswith(("GET", "POST"))}
    assert database == {"reporting-api", "projects-api"}, spans  # asyncpg statements, in both services


def test_without_an_endpoint_nothing_is_exported(stack: Stack, receiver: Receiver) -> None:
    """The suite's own services have no OTLP endpoint: their requests reach no collector."""
    wait_for(f"{stack.projects.url}/readyz")
    httpx.get(f"{stack.gateway.url}/api/projects/v1/reference/themes", timeout=30)
    time.sleep(1.0)
    assert receiver.spans == []
