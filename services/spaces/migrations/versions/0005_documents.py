"""documents, their immutable revisions, proposals, and the search columns of the current text

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A revision's text and ancestry never change; only author_id may (an erasure's pseudonym).
_IMMUTABLE_REVISION = """
CREATE FUNCTION revision_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.body IS DISTINCT FROM OLD.body OR NEW.parent_id IS DISTINCT FROM OLD.parent_id
       OR NEW.document_id IS DISTINCT FROM OLD.document_id
       OR NEW.created_at IS DISTINCT FROM OLD.created_at
       OR NEW.message IS DISTINCT FROM OLD.message THEN
        RAISE EXCEPTION 'revisions are immutable' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER revision_immutable BEFORE UPDATE ON revision
    FOR EACH ROW EXECUTE FUNCTION revision_is_immutable();
"""


def _created_at() -> sa.Column:
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
    )


def _person_fk(column: str, table: str) -> sa.ForeignKeyConstraint:
    # Erasure gives the person a pseudonym as id: it follows into every row that names them.
    return sa.ForeignKeyConstraint(
        [column], ["person.id"], name=f"fk_{table}_{column}_person", onupdate="CASCADE"
    )


def _create_document() -> None:
    language = postgresql.ENUM(name="language", create_type=False)
    op.create_table(
        "document",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("project_id", sa.UUID(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "plan", "minutes", "budget", "report", "agreement", "other", name="documentkind"
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum("draft", "published", "archived", name="documentstatus"),
            server_default="draft",
            nullable=False,
        ),
        sa.Column("language", language, server_default="en", nullable=False),
        sa.Column("current_revision_id", sa.UUID(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        # The current text (title and body) for search, kept by the service with each revision,
        # and its tsvector in the document's language (Polish: unaccented, unstemmed words).
        sa.Column("search_text", sa.Text(), server_default="", nullable=False),
        sa.Column("search_vector", postgresql.TSVECTOR(), nullable=True),
        _created_at(),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_document_project_id_project")
        ),
    )
    op.create_index(op.f("ix_document_project_id"), "document", ["project_id"])
    op.create_index(
        "ix_document_search_vector", "document", ["search_vector"], postgresql_using="gin"
    )


def _create_polish_search() -> None:
    # PostgreSQL cannot stem Polish: its documents' words are indexed unaccented, and a query's
    # words are first widened to the known words like them (trigram word similarity on this
    # lexicon, so "weglowy" finds "weglowego"), then matched through the tsvector index.
    op.execute(
        "CREATE TEXT SEARCH CONFIGURATION spaces_polish (COPY = pg_catalog.simple);"
        " ALTER TEXT SEARCH CONFIGURATION spaces_polish"
        " ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple"
    )
    op.create_table(
        "search_word",
        sa.Column("word", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("word", name=op.f("pk_search_word")),
    )
    op.create_index(
        "ix_search_word_trgm",
        "search_word",
        ["word"],
        postgresql_using="gin",
        postgresql_ops={"word": "gin_trgm_ops"},
    )


def _create_revision() -> None:
    op.create_table(
        "revision",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("document_id", sa.UUID(), nullable=False),
        sa.Column("parent_id", sa.UUID(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("author_id", sa.String(length=255), nullable=False),
        sa.Column("message", sa.String(length=500), server_default="", nullable=False),
        sa.Column("award_application_id", sa.UUID(), nullable=True),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revision")),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_revision_document_id_document")
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["revision.id"], name=op.f("fk_revision_parent_id_revision")
        ),
        _person_fk("author_id", "revision"),
        sa.UniqueConstraint("award_application_id", name=op.f("uq_revision_award_application_id")),
    )
    op.create_index("ix_revision_document_created", "revision", ["document_id", "created_at"])
    op.create_index(op.f("ix_revision_author_id"), "revision", ["author_id"])
    op.create_foreign_key(
        op.f("fk_document_current_revision_id_revision"),
        "document",
        "revision",
        ["current_revision_id"],
        ["id"],
    )
    op.execute(_IMMUTABLE_REVISION)


def _create_proposal() -> None:
    op.create_table(
        "proposal",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("document_id", sa.UUID(), nullable=False),
        sa.Column("base_revision_id", sa.UUID(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("message", sa.String(length=500), server_default="", nullable=False),
        sa.Column("proposed_by", sa.String(length=255), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "accepted", "declined", name="proposalstatus"),
            server_default="open",
            nullable=False,
        ),
        sa.Column("decided_by", sa.String(length=255), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revision_id", sa.UUID(), nullable=True),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal")),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_proposal_document_id_document")
        ),
        sa.ForeignKeyConstraint(
            ["base_revision_id"],
            ["revision.id"],
            name=op.f("fk_proposal_base_revision_id_revision"),
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"], ["revision.id"], name=op.f("fk_proposal_revision_id_revision")
        ),
        _person_fk("proposed_by", "proposal"),
        _person_fk("decided_by", "proposal"),
    )
    op.create_index(op.f("ix_proposal_document_id"), "proposal", ["document_id"])
    op.create_index(op.f("ix_proposal_proposed_by"), "proposal", ["proposed_by"])
    op.create_index(op.f("ix_proposal_decided_by"), "proposal", ["decided_by"])


def upgrade() -> None:
    # Polish search: PostgreSQL has no Polish stemmer; unaccented trigram word similarity instead.
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    _create_polish_search()
    _create_document()
    _create_revision()
    _create_proposal()


def downgrade() -> None:
    op.drop_table("proposal")
    op.drop_constraint(
        op.f("fk_document_current_revision_id_revision"), "document", type_="foreignkey"
    )
    op.drop_table("revision")
    op.execute("DROP FUNCTION revision_is_immutable()")
    op.drop_table("document")
    op.drop_table("search_word")
    op.execute("DROP TEXT SEARCH CONFIGURATION spaces_polish")
    for name in ("proposalstatus", "documentstatus", "documentkind"):
        sa.Enum(name=name).drop(op.get_bind())
