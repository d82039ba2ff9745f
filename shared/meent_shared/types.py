"""Constrained strings shared by the services' models.

SQLModel's `Field(regex=...)` is silently ignored by the installed version, so patterns are
declared with pydantic's `StringConstraints` instead (a test in each service checks them).
"""

from typing import Annotated

from pydantic import StringConstraints

# Lower-case words with underscores: kinds of site, uses, roles of things.
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
# URL-friendly names: lower-case words joined by single hyphens.
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
# ISO 4217 currency codes.
CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
