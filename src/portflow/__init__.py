"""portflow: telephone-number porting as pure domain objects and state machines.

Everything listed in ``__all__`` is public and documented; every other module
is private and may change without notice.
"""

from portflow._core.blocks import NumberBlock, parse_block
from portflow._core.calendar import BusinessCalendar, add_months, end_of_month
from portflow._core.contracts import (
    DonorContract,
    NoticeKind,
    NoticePolicy,
    Termination,
    TerminationChannel,
)
from portflow._core.errors import (
    CODE_DOCS,
    Code,
    InvalidInput,
    PortflowError,
    Severity,
    ValidationFailed,
    Violation,
)
from portflow._core.number_sets import NumberSet, find_overlaps, parse_numbers
from portflow._core.numbers import NumberType, PhoneNumber, parse_number
from portflow._core.profiles import CountryProfile, profile_for

__all__ = [
    "CODE_DOCS",
    "BusinessCalendar",
    "Code",
    "CountryProfile",
    "DonorContract",
    "InvalidInput",
    "NoticeKind",
    "NoticePolicy",
    "NumberBlock",
    "NumberSet",
    "NumberType",
    "PhoneNumber",
    "PortflowError",
    "Severity",
    "Termination",
    "TerminationChannel",
    "ValidationFailed",
    "Violation",
    "add_months",
    "end_of_month",
    "find_overlaps",
    "parse_block",
    "parse_number",
    "parse_numbers",
    "profile_for",
]
