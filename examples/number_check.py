"""Check the numbers of a real Swiss PBX port order and print the dates its contract allows.

A reseller enters twelve single numbers and a DDI block for Schmiedeisen AG
(seed 002). portflow normalises every spelling, finds the typo'd duplicate,
refuses the 11th single number in one order and splits the request into a port
group. Then it works out when the donor contract ends under Phonect's notice
policy (seed 001) and which business days a port may take place on.
"""

from __future__ import annotations

import datetime as dt

import portflow

ENTERED = [
    "044 123 45 67",
    "+41 44 123 45 68",
    "0041441234569",
    "(044) 123.45.70",
    "044/123 45 71",
    "0441234572",
    "0441234573",
    "0441234574",
    "0441234575",
    "0441234576",
    "0441234577",
    "0441234578",
    "04412346xx",
]
TODAY = dt.date(2026, 11, 23)


def check_numbers() -> portflow.NumberSet:
    """Parse the entered numbers, show the violations of a bad entry, split the good ones."""
    try:
        portflow.parse_numbers([*ENTERED, "0441234567", "0441x34567"], "CH")
    except portflow.ValidationFailed as failed:
        print("A first attempt with a duplicate and a misplaced wildcard is refused:")
        for violation in failed.violations:
            print(f"  [{violation.code}] {violation.message}")

    numbers = portflow.parse_numbers(ENTERED, "CH")
    print(f"\n{len(numbers.singles)} single numbers and {len(numbers.blocks)} block(s):")
    print(f"  {numbers.total} numbers in all, block {numbers.blocks[0]} = {numbers.blocks[0].size}")
    profile = portflow.profile_for("CH")
    violation = numbers.single_limit_violation(profile.max_singles)
    if violation is not None:
        print(f"  [{violation.code}] {violation.message}")
    group = numbers.split(profile.max_singles)
    print(f"\nSplit into a port group of {len(group)} orders:")
    for index, part in enumerate(group, start=1):
        listed = ", ".join(str(entry) for entry in part)
        print(f"  order {index}: {listed}")
    return numbers


def contract_dates() -> None:
    """Print when the donor contract ends and the business days a port may use."""
    calendar = portflow.BusinessCalendar.for_country("CH")
    contract = portflow.DonorContract(
        binding_end=dt.date(2026, 12, 26),
        notice=portflow.NoticePolicy.current_month_plus(1),
        bundles_internet=True,
    )
    end = contract.contract_end(TODAY)
    if end is None:
        raise SystemExit("the binding end is known, so the contract end must be too")
    print(f"\nNotice received {TODAY}: the contract ends {end} ({end:%A}).")
    print(f"  last business day on or before it: {calendar.on_or_before(end)}")
    earliest = calendar.add_business_days(TODAY, portflow.profile_for("CH").asap_lead_business_days)
    print(f"  earliest ASAP date (5 business days): {earliest}")
    port_at = calendar.at(calendar.on_or_before(end), portflow.profile_for("CH").default_port_time)
    print(f"  port instant at the default time: {port_at.isoformat()}")
    print(
        "  holidays in the way:",
        ", ".join(f"{day:%d %b}" for day in sorted(calendar.holidays_of(2026)) if day >= TODAY),
    )


def main() -> None:
    """Run the whole check."""
    check_numbers()
    contract_dates()


if __name__ == "__main__":
    main()
