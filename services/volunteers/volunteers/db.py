"""volunteers' own tables: its metadata, model base, outbox and inbox."""

from meent_shared.db import make_metadata, make_model_base
from meent_shared.events.inbox import inbox_table
from meent_shared.events.outbox import outbox_table

metadata = make_metadata()
Model = make_model_base(metadata)
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
