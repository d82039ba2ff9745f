"""The dev issuer: `POST /auth/dev-token`, mounted only in local mode (404 otherwise)."""

from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from meent_shared.auth import GLOBAL_ROLES, MAX_CLAIM_LENGTH, MAX_CLAIMS, issue_token
from meent_shared.types import SingleLine

TOKEN_SECONDS = 3600
Role = Annotated[str, Field(pattern="^(" + "|".join(GLOBAL_ROLES) + ")$")]
ClaimName = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")]
ClaimValue = Annotated[SingleLine, Field(min_length=1, max_length=MAX_CLAIM_LENGTH)]


class DevTokenRequest(BaseModel):
    sub: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._@:-]+$")
    name: SingleLine = Field(default="", max_length=200)
    roles: list[Role] = Field(default_factory=lambda: ["citizen"], max_length=len(GLOBAL_ROLES))
    claims: dict[ClaimName, ClaimValue] = Field(
        default_factory=dict,
        max_length=MAX_CLAIMS,
        description='Attributes for voter rules, e.g. {"residence": "Gdańsk"}',
    )


class DevToken(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = TOKEN_SECONDS


router = APIRouter(prefix="/auth", tags=["local development"])


@router.post("/dev-token", response_model=DevToken, summary="A token for anyone (local mode only)")
async def dev_token(body: DevTokenRequest, request: Request) -> DevToken:
    settings = request.app.state.runtime.settings
    token = issue_token(
        settings,
        sub=body.sub,
        name=body.name or body.sub,
        roles=body.roles,
        ttl_seconds=TOKEN_SECONDS,
        claims=body.claims,
    )
    return DevToken(access_token=token)
