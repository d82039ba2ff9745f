"""The typed refusals of the documents API."""

from meent_shared.errors import Conflict
from spaces.documents.schemas import RevisionPublic, SubmittedRevision


class RevisionConflict(Conflict):
    """Another revision landed since the one a save (or a proposal) started from. The answer
    carries both texts — the current revision and the one submitted, which is not stored."""

    code = "revision_conflict"

    def __init__(self, current: RevisionPublic, submitted: SubmittedRevision):
        super().__init__(
            f"The document changed since revision {submitted.parent_revision_id}: its current "
            f"revision is {current.id}. Merge the two texts and save from the current one.",
            loc=["body", "parent_revision_id"],
            ctx={
                "current": current.model_dump(mode="json"),
                "submitted": submitted.model_dump(mode="json"),
            },
        )
        self.current = current
        self.submitted = submitted
