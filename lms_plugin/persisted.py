"""Automatic persisted queries (Apollo's convention): a client may send only the SHA-256 of its
document, `{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "…"}}}`, instead of the
document itself. A hash the server does not know is answered `PERSISTED_QUERY_NOT_FOUND`; the
client then sends the document with its hash once, which registers it (the hash is checked).
The front-end stub's own documents (`frontend_stub/*.js`, each in a gql`…` tag) are registered
when the app starts and always kept; those clients register are kept per process, the most
recently used first, within a bound of count and size (a client cannot fill the memory).
"""

import hashlib
import re
from collections import OrderedDict
from pathlib import Path

from strawberry.http import GraphQLRequestData

from .request_parsing import Refusal

# The stub's tag (frontend_stub/api.js): the document is the template's raw text.
STUB_DOCUMENT = re.compile(r"gql`([^`]*)`")


def sha256_of(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


class PersistedQueries:
    def __init__(self, max_entries: int = 5_000, max_characters: int = 8 * 1024 * 1024) -> None:
        self.max_entries = max_entries
        self.max_characters = max_characters
        self._pinned: dict[str, str] = {}
        self._learned: OrderedDict[str, str] = OrderedDict()
        self._characters = 0

    def register(self, query: str) -> str:
        digest = sha256_of(query)
        if digest in self._pinned:
            return digest
        if digest not in self._learned:
            self._characters += len(query)
        self._learned[digest] = query
        self._learned.move_to_end(digest)
        while len(self._learned) > self.max_entries or self._characters > self.max_characters:
            _, oldest = self._learned.popitem(last=False)
            self._characters -= len(oldest)
        return digest

    def register_stub(self, directory: Path) -> None:
        for script in sorted(directory.glob("*.js")):
            for document in STUB_DOCUMENT.findall(script.read_text(encoding="utf-8")):
                self._pinned[sha256_of(document)] = document

    def _known(self, digest: str) -> str | None:
        if (query := self._pinned.get(digest)) is not None:
            return query
        if (query := self._learned.get(digest)) is not None:
            self._learned.move_to_end(digest)
        return query

    def resolve(self, request: GraphQLRequestData) -> GraphQLRequestData:
        """The request with its document: from the registry when only a hash came, registered
        when both came; a request without `persistedQuery` as it is."""
        persisted = (request.extensions or {}).get("persistedQuery")
        if persisted is None:
            return request
        digest = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
        if not isinstance(digest, str) or persisted.get("version") != 1:
            raise Refusal(400, "persistedQuery 须为 {version: 1, sha256Hash: 字符串}")
        if request.query is None:
            query = self._known(digest)
            if query is None:
                raise Refusal(
                    200,
                    "未登记的持久化查询，请连同 query 重发（PersistedQueryNotFound）",
                    "PERSISTED_QUERY_NOT_FOUND",
                )
            return GraphQLRequestData(
                query=query,
                variables=request.variables,
                operation_name=request.operation_name,
                extensions=request.extensions,
            )
        if sha256_of(request.query) != digest:
            raise Refusal(400, "sha256Hash 与 query 不符", "PERSISTED_QUERY_HASH_MISMATCH")
        self.register(request.query)
        return request
