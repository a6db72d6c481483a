"""The cost budget and the rate limits, before execution: a strawberry extension that costs the
operation (lms_plugin/cost.py), refuses it over the budget (QUERY_TOO_COSTLY), charges the
caller's buckets (lms_plugin/rate_limits.py) and reports both in the response's `extensions`;
and an ASGI wrapper that turns a refusal by the buckets into HTTP 429 with `Retry-After`."""

from collections.abc import AsyncIterator, Callable
from typing import Any

import orjson
from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    get_operation_ast,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import SchemaExtension

from .cost import operation_cost
from .rate_limits import Charge, RateLimiter, Verdict
from .settings import Settings

# The request's ASGI scope carries a refusal by the buckets to `RateLimitResponses`.
REFUSED = "lms_plugin.rate_limited"
# ... and a charge the fast path made before it fell back to the general path (fast_path.py).
CHARGED = "lms_plugin.rate_charged"
HEARTBEAT = "heartbeat"
VERIFY_CERTIFICATE = "verifyCertificate"


def too_costly(cost: int, budget: int) -> GraphQLError:
    return GraphQLError(
        f"查询开销 {cost} 超过每次请求的上限 {budget}：请减少嵌套或每页条数（first）",
        extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "budget": budget},
    )


def rate_limited_message(retry_after: int) -> str:
    return f"请求过于频繁，请 {retry_after} 秒后再试"


def own_buckets(operation: OperationDefinitionNode) -> tuple[int, int, int]:
    """(heartbeat root fields of a mutation, verifyCertificate root fields of a query, other
    root fields); fragments count as others."""
    own = HEARTBEAT if operation.operation == OperationType.MUTATION else VERIFY_CERTIFICATE
    counted = others = 0
    for selection in operation.selection_set.selections:
        if isinstance(selection, FieldNode) and selection.name.value == own:
            counted += 1
        elif not (isinstance(selection, FieldNode) and selection.name.value == "__typename"):
            others += 1
    if operation.operation == OperationType.MUTATION:
        return counted, 0, others
    return 0, counted, max(others, 0 if counted else 1)


def caller(context: Any) -> str:
    """Whose buckets: the signed-in person, else the client's address."""
    viewer = getattr(context, "viewer", None)
    if viewer is not None:
        return f"person:{viewer.id}"
    request = getattr(context, "request", None)
    client = getattr(request, "client", None)
    return f"address:{client.host if client else 'unknown'}"


def charges_of(buckets: tuple[int, int, int], cost: int, settings: Settings) -> list[Charge]:
    """What an operation of `own_buckets` and `cost` is charged."""
    beats, verifications, others = buckets
    charges = []
    if others:
        charges.append(Charge("points", cost, settings.rate_limit_points_per_minute))
    if beats:
        charges.append(Charge("heartbeats", beats, settings.rate_limit_heartbeats_per_minute))
    if verifications:
        charges.append(
            Charge("verifications", verifications, settings.rate_limit_verifications_per_minute)
        )
    return charges


def rate_limit_report(charges: list[Charge], verdict: Verdict) -> dict[str, dict[str, int]]:
    """The response's `extensions.rateLimit`: each bucket's limit and what is left."""
    limits = {c.bucket: c.capacity for c in charges}
    return {
        bucket: {"limit": limits[bucket], "remaining": left}
        for bucket, left in verdict.remaining.items()
    }


class CostAndRateLimits(SchemaExtension):
    """Made per request by `factory`; the limiter is shared."""

    settings: Settings
    limiter: RateLimiter | None

    @classmethod
    def factory(cls, settings: Settings, limiter: RateLimiter | None) -> Callable[[], Any]:
        def make() -> "CostAndRateLimits":
            extension = cls()
            extension.settings = settings
            extension.limiter = limiter
            return extension

        return make

    def __init__(self) -> None:
        super().__init__()
        self.cost: int | None = None
        self.remaining: dict[str, dict[str, int]] = {}

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        document = context.graphql_document
        operation = (
            None if document is None else get_operation_ast(document, context.operation_name)
        )
        if context.result is None and document is not None and operation is not None:
            fragments = {
                d.name.value: d
                for d in document.definitions
                if isinstance(d, FragmentDefinitionNode)
            }
            self.cost = operation_cost(
                context.schema._schema, operation, fragments, context.variables
            )
            budget = self.settings.max_query_cost
            if self.cost > budget:
                context.result = ExecutionResult(data=None, errors=[too_costly(self.cost, budget)])
            elif self.limiter is not None and getattr(context.context, "attempt", 1) == 1:
                # A second run after a lost database connection is not charged again.
                await self._charge(operation, self.cost, self.limiter)
        yield

    async def _charge(
        self, operation: OperationDefinitionNode, cost: int, limiter: RateLimiter
    ) -> None:
        context = self.execution_context
        request = getattr(context.context, "request", None)
        if request is not None and CHARGED in request.scope:
            self.remaining = request.scope[CHARGED]
            return
        charges = charges_of(own_buckets(operation), cost, self.settings)
        now = context.context.now().timestamp()
        verdict = await limiter.charge(caller(context.context), charges, now)
        self.remaining = rate_limit_report(charges, verdict)
        if not verdict.admitted:
            error = GraphQLError(
                rate_limited_message(verdict.retry_after),
                extensions={"code": "RATE_LIMITED", "retryAfter": verdict.retry_after},
            )
            context.result = ExecutionResult(data=None, errors=[error])
            if request is not None:
                request.scope[REFUSED] = verdict.retry_after

    def get_results(self) -> dict[str, Any]:
        if self.cost is None:
            return {}
        results: dict[str, Any] = {
            "cost": {"requested": self.cost, "budget": self.settings.max_query_cost}
        }
        if self.remaining:
            results["rateLimit"] = self.remaining
        return results


class RateLimitResponses:
    """A request the buckets refused is answered 429 with `Retry-After` and only its error."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        kept: list[tuple[bytes, bytes]] = []

        async def refusing(message: Message) -> None:
            retry_after = scope.get(REFUSED)
            if retry_after is None:
                await send(message)
                return
            # The view's own answer is dropped (but for its request id); ours goes out when
            # the view has finished.
            if message["type"] == "http.response.start":
                kept.extend((k, v) for k, v in message.get("headers", []) if k == b"x-request-id")
            elif not message.get("more_body"):
                await _refuse(send, int(retry_after), kept)

        await self.app(scope, receive, refusing)


async def _refuse(send: Send, retry_after: int, headers: list[tuple[bytes, bytes]]) -> None:
    error = {
        "message": rate_limited_message(retry_after),
        "extensions": {"code": "RATE_LIMITED", "retryAfter": retry_after},
    }
    body = orjson.dumps({"errors": [error]})
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", str(retry_after).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
