"""Wire-format bases and shared field types."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Pence = Annotated[int, Field(strict=True, description="An amount in integer pence.")]
PositivePence = Annotated[int, Field(strict=True, ge=1, description="An amount in integer pence.")]
AreaCode = Annotated[
    str,
    StringConstraints(pattern=r"^W06\d{6}$"),
    Field(description="ONS GSS code of a Welsh principal local authority (W06...)."),
]
Email = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, max_length=254)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]


class Input(BaseModel):
    """Request bodies: unknown fields are refused, text is trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Output(BaseModel):
    """Response bodies, read from ORM objects."""

    model_config = ConfigDict(from_attributes=True)
