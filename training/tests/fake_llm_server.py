"""A loopback HTTP server speaking just enough of the Anthropic Messages / Message Batches and
OpenAI Chat Completions protocols for the real SDK clients, answering from a scripted queue.

Each model call (a Messages or Chat Completions request, or one request inside a Message Batch)
takes the next behaviour from the queue: `Text` (a reply, possibly cut off at the token limit)
or `Fail` (an HTTP error). An empty queue answers 400, which the SDKs do not retry.
Every HTTP request is recorded with its headers and JSON body.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Text:
    """A reply whose text is `text`; `truncated` ends it at the token limit; `delay` seconds
    pass before it is sent (to make the client time out)."""

    text: str
    truncated: bool = False
    input_tokens: int = 1000
    output_tokens: int = 2000
    delay: float = 0.0


@dataclass
class Fail:
    """An HTTP error in the protocol's error shape, with extra headers (`retry-after`...)."""

    status: int
    message: str = "scripted failure"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    body: dict | None


_ERROR_TYPES = {400: "invalid_request_error", 401: "authentication_error", 429: "rate_limit_error", 500: "api_error"}


class FakeLLMServer:
    """Start with `with FakeLLMServer() as server:`; `server.url` is its base URL."""

    def __init__(self) -> None:
        self.queue: deque[Text | Fail] = deque()
        self.requests: list[Recorded] = []
        self.batches: dict[str, dict] = {}  # id → {"requests": [...], "polls": int}
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def script(self, *behaviours: Text | Fail) -> None:
        with self._lock:
            self.queue.extend(behaviours)

    def next_behaviour(self) -> Text | Fail:
        with self._lock:
            return self.queue.popleft() if self.queue else Fail(400, "no scripted behaviour left")

    def calls(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == path]

    def __enter__(self) -> FakeLLMServer:
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def anthropic_message(behaviour: Text, model: str) -> dict:
    return {
        "id": "msg_fake",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [{"type": "text", "text": behaviour.text}],
        "stop_reason": "max_tokens" if behaviour.truncated else "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": behaviour.input_tokens, "output_tokens": behaviour.output_tokens},
    }


def openai_completion(behaviour: Text, model: str) -> dict:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1700000000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": behaviour.text},
                "finish_reason": "length" if behaviour.truncated else "stop",
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": behaviour.input_tokens,
            "completion_tokens": behaviour.output_tokens,
            "total_tokens": behaviour.input_tokens + behaviour.output_tokens,
        },
    }


def _handler(server: FakeLLMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # keep test output quiet
            pass

        def do_POST(self) -> None:
            body = self._record()
            if self.path == "/v1/messages":
                self._model_call(body, anthropic_message, openai_shape=False)
            elif self.path == "/v1/chat/completions":
                self._model_call(body, openai_completion, openai_shape=True)
            elif self.path == "/v1/messages/batches":
                self._create_batch(body)
            else:
                self._send(404, {"type": "error", "error": {"type": "not_found_error", "message": self.path}})

        def do_GET(self) -> None:
            self._record()
            parts = self.path.strip("/").split("/")  # v1 messages batches {id} [results]
            is_batch = len(parts) >= 4 and parts[:3] == ["v1", "messages", "batches"]
            batch = server.batches.get(parts[3]) if is_batch else None
            if batch is None:
                self._send(404, {"type": "error", "error": {"type": "not_found_error", "message": self.path}})
            elif len(parts) == 5 and parts[4] == "results":
                lines = [json.dumps(r) for r in self._batch_results(batch)]
                self._send(200, "\n".join(lines) + "\n", "application/binary")
            else:
                batch["polls"] += 1
                self._send(200, self._batch_object(parts[3], batch))

        def _record(self) -> dict | None:
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            body = json.loads(raw) if raw else None
            headers = {k.lower(): v for k, v in self.headers.items()}
            server.requests.append(Recorded(self.command, self.path, headers, body))
            return body

        def _model_call(self, body: dict, render, openai_shape: bool) -> None:
            behaviour = server.next_behaviour()
            if isinstance(behaviour, Fail):
                self._fail(behaviour, openai_shape)
            else:
                time.sleep(behaviour.delay)
                self._send(200, render(behaviour, body["model"]))

        def _fail(self, fail: Fail, openai_shape: bool) -> None:
            kind = _ERROR_TYPES.get(fail.status, "api_error")
            if openai_shape:
                payload = {"error": {"message": fail.message, "type": kind, "param": None, "code": None}}
            else:
                payload = {"type": "error", "error": {"type": kind, "message": fail.message}}
            self._send(fail.status, payload, headers=fail.headers)

        def _create_batch(self, body: dict) -> None:
            batch_id = f"msgbatch_{len(server.batches) + 1:04d}"
            server.batches[batch_id] = {"requests": body["requests"], "polls": 0}
            self._send(200, self._batch_object(batch_id, server.batches[batch_id]))

        def _batch_object(self, batch_id: str, batch: dict) -> dict:
            """In progress until polled twice, then ended."""
            ended = batch["polls"] >= 2
            n = len(batch["requests"])
            return {
                "id": batch_id,
                "type": "message_batch",
                "processing_status": "ended" if ended else "in_progress",
                "request_counts": {
                    "processing": 0 if ended else n,
                    "succeeded": n if ended else 0,
                    "errored": 0,
                    "canceled": 0,
                    "expired": 0,
                },
                "created_at": "2025-11-01T00:00:00Z",
                "expires_at": "2025-11-02T00:00:00Z",
                "ended_at": "2025-11-01T01:00:00Z" if ended else None,
                "archived_at": None,
                "cancel_initiated_at": None,
                "results_url": f"{server.url}/v1/messages/batches/{batch_id}/results" if ended else None,
            }

        def _batch_results(self, batch: dict) -> list[dict]:
            """One line per request, from the queue: `Fail` becomes an errored result."""
            if "results" not in batch:
                batch["results"] = []
                for request in batch["requests"]:
                    behaviour = server.next_behaviour()
                    if isinstance(behaviour, Fail):
                        error = {"type": "error", "error": {"type": "api_error", "message": behaviour.message}}
                        result = {"type": "errored", "error": error}
                    else:
                        message = anthropic_message(behaviour, request["params"]["model"])
                        result = {"type": "succeeded", "message": message}
                    batch["results"].append({"custom_id": request["custom_id"], "result": result})
            return batch["results"]

        def _send(self, status: int, payload, content_type: str = "application/json", headers=None) -> None:
            data = (payload if isinstance(payload, str) else json.dumps(payload)).encode()
            self.send_response(status)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            try:
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                self.close_connection = True

    return Handler
