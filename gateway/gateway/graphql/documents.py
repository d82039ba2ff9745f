"""spaces' documents in GraphQL: documents with every revision, diffs, proposals and search.
A save that started from a revision no longer current answers `RevisionConflict` carrying both
texts (the current revision and the one submitted, not stored)."""

import datetime as dt
import uuid
from typing import Annotated, Any

import strawberry

from gateway.graphql.comments import Comment, comment_from
from gateway.graphql.context import Info
from gateway.graphql.errors import Refusal, as_result, user_error
from gateway.graphql.files import Attachment, attachment_from
from gateway.graphql.services import ServiceError


@strawberry.type(description="A person as shown beside their contribution ('a member' if hidden).")
class Contributor:
    id: strawberry.ID
    name: str


@strawberry.type(description="One immutable state of a document's Markdown text.")
class Revision:
    id: strawberry.ID
    document_id: strawberry.ID
    parent_id: strawberry.ID | None
    message: str
    author: Contributor
    created_at: dt.datetime
    body: str | None = strawberry.field(description="Markdown (history entries leave it out)")
    # spaces' files of the revision when its answer had them (a history entry has not).
    files: strawberry.Private[list[dict[str, Any]] | None] = None

    @strawberry.field(description="The files it carries, in order.")
    async def attachments(self, info: Info) -> list[Attachment]:
        if self.files is None:
            found = await info.context.services.get("spaces", f"/revisions/{self.id}")
            self.files = list(found["attachments"])
        public_url = info.context.settings.public_url
        return [attachment_from(a, public_url) for a in self.files]

    @strawberry.field(description="The body rendered as sanitised HTML.")
    async def html(self, info: Info) -> str:
        rendered = await info.context.services.get("spaces", f"/revisions/{self.id}/html")
        return str(rendered["html"])


@strawberry.type(description="A member's proposed revision, for a core member to decide on.")
class Proposal:
    id: strawberry.ID
    document_id: strawberry.ID
    base_revision_id: strawberry.ID
    message: str
    status: str
    proposed_by: Contributor
    decided_by: Contributor | None
    decided_at: dt.datetime | None
    revision_id: strawberry.ID | None
    created_at: dt.datetime
    # The text, when spaces' answer had it (a document's history lists proposals without).
    text: strawberry.Private[str | None] = None

    @strawberry.field(description="The proposed Markdown.")
    async def body(self, info: Info) -> str:
        if self.text is None:
            found = await info.context.services.get("spaces", f"/proposals/{self.id}")
            self.text = str(found["body"])
        return self.text


@strawberry.type(description="A project's public document and its history, newest first.")
class Document:
    id: strawberry.ID
    project_id: strawberry.ID
    title: str
    kind: str
    status: str
    language: str
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    # spaces' answer with the history; fetched when first asked for (a project's list has none).
    history: strawberry.Private[dict[str, Any] | None] = None

    async def _history(self, info: Info) -> dict[str, Any]:
        if self.history is None:
            self.history = await info.context.services.get("spaces", f"/documents/{self.id}")
        return self.history

    @strawberry.field(description="The current revision, with its body.")
    async def current(self, info: Info) -> Revision | None:
        current = (await self._history(info))["current"]
        return revision_from(current) if current else None

    @strawberry.field(description="The newest 100 revisions, newest first (without bodies).")
    async def revisions(self, info: Info) -> list[Revision]:
        history = await self._history(info)
        return [revision_from({**r, "document_id": self.id}) for r in history["revisions"]]

    @strawberry.field
    async def revision_count(self, info: Info) -> int:
        return int((await self._history(info))["revision_count"])

    @strawberry.field(description="The files its current revision carries, in order.")
    async def attachments(self, info: Info) -> list[Attachment]:
        current = (await self._history(info))["current"]
        files = current["attachments"] if current else []
        return [attachment_from(a, info.context.settings.public_url) for a in files]

    @strawberry.field(description="Its visible comments, oldest first (the first 100).")
    async def comments(self, info: Info) -> list[Comment]:
        path = f"/documents/{self.id}/comments"
        page = await info.context.services.get("spaces", path, {"limit": 100})
        return [comment_from(c) for c in page["data"]]

    @strawberry.field(description="Its proposals, newest first, open or decided.")
    async def proposals(self, info: Info) -> list[Proposal]:
        return [proposal_from(p) for p in (await self._history(info))["proposals"]]


@strawberry.type(description="A text a save sent that was not stored.")
class SubmittedRevision:
    parent_revision_id: strawberry.ID
    body: str
    message: str


@strawberry.type(description="Another revision landed since the one the save started from.")
class RevisionConflict:
    message: str
    code: str
    current: Revision
    submitted: SubmittedRevision


@strawberry.type
class RevisionDiff:
    from_revision_id: strawberry.ID
    to_revision_id: strawberry.ID
    unified: str
    html: str
    added: int
    removed: int


@strawberry.type
class SearchHit:
    document_id: strawberry.ID
    project_id: strawberry.ID
    title: str
    language: str
    rank: float
    snippet: str = strawberry.field(description="HTML: the text escaped, matches in <mark>")


def _contributor(data: dict[str, Any] | None) -> Contributor | None:
    return Contributor(id=strawberry.ID(data["id"]), name=data["name"]) if data else None


def revision_from(data: dict[str, Any]) -> Revision:
    return Revision(
        id=strawberry.ID(data["id"]),
        document_id=strawberry.ID(data.get("document_id", "")),
        parent_id=data["parent_id"],
        message=data["message"],
        author=Contributor(id=data["author"]["id"], name=data["author"]["name"]),
        created_at=dt.datetime.fromisoformat(data["created_at"]),
        body=data.get("body"),
        files=data.get("attachments"),
    )


def proposal_from(data: dict[str, Any]) -> Proposal:
    fields = {k: data[k] for k in ("id", "document_id", "base_revision_id", "message")}
    return Proposal(
        **fields,
        text=data.get("body"),
        status=data["status"],
        proposed_by=Contributor(**data["proposed_by"]),
        decided_by=_contributor(data["decided_by"]),
        decided_at=dt.datetime.fromisoformat(data["decided_at"]) if data["decided_at"] else None,
        revision_id=data["revision_id"],
        created_at=dt.datetime.fromisoformat(data["created_at"]),
    )


def document_from(data: dict[str, Any]) -> Document:
    """A document from spaces' answer; with its history when the answer has one."""
    simple = ("id", "project_id", "title", "kind", "status", "language", "version")
    return Document(
        **{k: data[k] for k in simple},
        created_at=dt.datetime.fromisoformat(data["created_at"]),
        updated_at=dt.datetime.fromisoformat(data["updated_at"]),
        history=data if "revisions" in data else None,
    )


def conflict_or_refusal(error: ServiceError) -> Any:
    """A RevisionConflict (both texts) for a stale save; the usual refusal otherwise."""
    if error.status == 409 and error.code == "revision_conflict":
        ctx = error.detail[0]["ctx"]
        return RevisionConflict(
            message=str(error),
            code=error.code,
            current=revision_from(ctx["current"]),
            submitted=SubmittedRevision(**ctx["submitted"]),
        )
    return user_error(error)


async def project_documents(info: Info, project_id: str) -> list[Document]:
    """A project's documents (the first page, by title) — for Project.documents."""
    page = await info.context.services.get("spaces", f"/projects/{project_id}/documents")
    return [document_from(d) for d in page["data"]]


@strawberry.input
class CreateDocumentInput:
    project_id: uuid.UUID
    title: str
    kind: str = "other"
    language: str = "en"
    body: str = ""
    message: str = ""
    attachment_ids: list[uuid.UUID] | None = strawberry.field(
        default=None, description="Files uploaded to the project, in order (at most 20)."
    )


@strawberry.input
class SaveRevisionInput:
    document_id: uuid.UUID
    parent_revision_id: uuid.UUID
    body: str
    message: str = ""
    title: str | None = None
    attachment_ids: list[uuid.UUID] | None = strawberry.field(
        default=None, description="The files the new revision carries; left out: its parent's."
    )


@strawberry.input
class ProposeRevisionInput:
    document_id: uuid.UUID
    base_revision_id: uuid.UUID
    body: str
    message: str = ""


DocumentResult = Annotated[Document | Refusal, strawberry.union("DocumentResult")]
SaveRevisionResult = Annotated[
    Revision | RevisionConflict | Refusal, strawberry.union("SaveRevisionResult")
]
ProposalResult = Annotated[Proposal | Refusal, strawberry.union("ProposalResult")]
AcceptProposalResult = Annotated[
    Proposal | RevisionConflict | Refusal, strawberry.union("AcceptProposalResult")
]


@strawberry.type
class DocumentsQuery:
    @strawberry.field(description="A document with its history (public).")
    async def document(self, info: Info, id: uuid.UUID) -> Document | None:
        try:
            return document_from(await info.context.services.get("spaces", f"/documents/{id}"))
        except ServiceError as error:
            if error.status == 404:
                return None
            raise

    @strawberry.field(description="The diff between two revisions of one document (public).")
    async def revision_diff(
        self,
        info: Info,
        from_: Annotated[uuid.UUID, strawberry.argument(name="from")],
        to: uuid.UUID,
    ) -> RevisionDiff:
        data = await info.context.services.get(
            "spaces", "/revisions/diff", {"from": str(from_), "to": str(to)}
        )
        return RevisionDiff(**data)

    @strawberry.field(description="Documents whose current text matches, best first.")
    async def search(
        self, info: Info, q: str, language: str | None = None, first: int = 20
    ) -> list[SearchHit]:
        params: dict[str, Any] = {"q": q, "limit": first}
        if language:
            params["language"] = language
        data = await info.context.services.get(
            "spaces", "/search", params, arguments={"limit": "first"}
        )
        return [SearchHit(**hit) for hit in data["data"]]


def _json(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    return [_json(v) for v in value] if isinstance(value, list) else value


def _body(input: Any, leave_out: str) -> dict[str, Any]:
    """An input as spaces' JSON body: ids as text, unset fields left out (their defaults)."""
    return {k: _json(v) for k, v in vars(input).items() if k != leave_out and v is not None}


@strawberry.type
class DocumentsMutation:
    @strawberry.mutation(description="A new draft with its first revision (core, coordinators).")
    async def create_document(self, info: Info, input: CreateDocumentInput) -> DocumentResult:
        body = _body(input, leave_out="project_id")

        async def post() -> Document:
            path = f"/projects/{input.project_id}/documents"
            return document_from(await info.context.services.post("spaces", path, body))

        return await as_result(info, post)

    @strawberry.mutation(description="A new revision; RevisionConflict if another landed first.")
    async def save_revision(self, info: Info, input: SaveRevisionInput) -> SaveRevisionResult:
        body = _body(input, leave_out="document_id")

        async def post() -> Revision:
            path = f"/documents/{input.document_id}/revisions"
            return revision_from(await info.context.services.post("spaces", path, body))

        return await as_result(info, post, conflict_or_refusal)

    @strawberry.mutation(description="Propose a revision (any member of the project).")
    async def propose_revision(self, info: Info, input: ProposeRevisionInput) -> ProposalResult:
        body = {"base_revision_id": str(input.base_revision_id), "body": input.body}

        async def post() -> Proposal:
            path = f"/documents/{input.document_id}/proposals"
            data = await info.context.services.post(
                "spaces", path, body | {"message": input.message}
            )
            return proposal_from(data)

        return await as_result(info, post)

    @strawberry.mutation(description="Accept a proposal; RevisionConflict if it is stale.")
    async def accept_proposal(self, info: Info, id: uuid.UUID) -> AcceptProposalResult:
        async def post() -> Proposal:
            path = f"/proposals/{id}/accept"
            return proposal_from(await info.context.services.post("spaces", path, {}))

        return await as_result(info, post, conflict_or_refusal)

    @strawberry.mutation(description="Decline a proposal; it stays in the history.")
    async def decline_proposal(self, info: Info, id: uuid.UUID) -> ProposalResult:
        async def post() -> Proposal:
            path = f"/proposals/{id}/decline"
            return proposal_from(await info.context.services.post("spaces", path, {}))

        return await as_result(info, post)

    @strawberry.mutation(description="Publish a document (core, coordinators).")
    async def publish_document(self, info: Info, id: uuid.UUID) -> DocumentResult:
        async def put() -> Document:
            services = info.context.services
            await services.put("spaces", f"/documents/{id}/status", {"status": "published"})
            return document_from(await services.get("spaces", f"/documents/{id}"))

        return await as_result(info, put)
