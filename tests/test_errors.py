"""Errors cross process boundaries whole: SPEC 11 codes survive pickling."""

import concurrent.futures
import datetime as dt
import pickle

import pytest

from portflow import (
    Code,
    CommandRefused,
    ConcurrentChange,
    ContractLookupFailed,
    DeliveryFailed,
    IllegalTransition,
    InvalidInput,
    InventoryExhausted,
    OrderNotFound,
    PortflowError,
    TimerAction,
    TimerFired,
    Undelivered,
    ValidationFailed,
    Violation,
    parse_numbers,
)

AT = dt.datetime(2027, 3, 31, 4, tzinfo=dt.UTC)

ERRORS = {
    "illegal-transition": IllegalTransition("submitted", "confirm", ("requested",), "Order PO-1"),
    "not-found": OrderNotFound("PO-1"),
    "concurrent": ConcurrentChange("PO-1", 1, 2, why="a deadlock"),
    "invalid-input": InvalidInput(Code.ARGUMENT_INVALID, "x must be y.", "x"),
    "validation": ValidationFailed([Violation(Code.NUMBERS_EMPTY, "No number.", "numbers")]),
    "refused": CommandRefused(Code.ORDER_CANCEL_TOO_LATE, "Too late."),
    "exhausted": InventoryExhausted("No temporary number is free."),
    "lookup": ContractLookupFailed("The operator does not answer."),
    "undelivered": DeliveryFailed(
        [Undelivered("PO-1", "port.completed:ab", ConnectionError("relay down"), AT)],
        [TimerFired(AT, "PO-1", TimerAction.EXECUTE)],
    ),
}


@pytest.mark.parametrize("error", ERRORS.values(), ids=ERRORS.keys())
def test_every_error_pickles_with_its_code_message_and_details(error):
    """SPEC 11: a worker process's error reaches the waiting process as it was raised."""
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - bytes the test made itself
    assert type(copy) is type(error)
    assert isinstance(copy, PortflowError)
    assert copy.code is error.code
    assert str(copy) == str(error)
    assert copy.message == error.message
    for name, value in vars(error).items():
        if name != "undelivered":  # holds the notifier's exception, compared below
            assert getattr(copy, name) == value, name
    if isinstance(error, DeliveryFailed):
        (was,), (now,) = error.undelivered, copy.undelivered
        assert (now.order_id, now.key, now.retry_at) == (was.order_id, was.key, was.retry_at)
        assert type(now.error) is ConnectionError


class GatewayError(Exception):
    """A carrier's exception whose pickle cannot rebuild it: its class needs two arguments."""

    def __init__(self, status: int, reason: str) -> None:
        """Keep the gateway's answer."""
        super().__init__(f"{status} {reason}")
        self.status = status


def test_a_notifiers_exception_that_does_not_pickle_crosses_as_a_stand_in():
    """SPEC 11: DeliveryFailed still reaches another process; the notifier's error is named."""
    refused = Undelivered("PO-1", "port.completed:ab", GatewayError(503, "busy"), AT)
    error = DeliveryFailed([refused], [])
    with pytest.raises(TypeError):
        pickle.loads(pickle.dumps(refused.error))  # noqa: S301 - bytes the test made itself
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - bytes the test made itself
    (stand_in,) = [item.error for item in copy.undelivered]
    assert type(stand_in) is RuntimeError
    assert str(stand_in) == "GatewayError: 503 busy"
    assert str(copy) == str(error)
    assert error.undelivered[0].error is refused.error  # the original is left as it was


def _parse_in_worker(items: list[str]) -> object:
    return parse_numbers(items, "CH")


def test_a_validation_failure_in_a_worker_process_reaches_the_caller_whole():
    """SPEC 11: all violations at once, also from a process pool."""
    with concurrent.futures.ProcessPoolExecutor(max_workers=1) as pool:
        future = pool.submit(_parse_in_worker, ["12", "044 123 45 67", "044 123 45 67"])
        with pytest.raises(ValidationFailed) as raised:
            future.result()
    assert raised.value.codes == {Code.NUMBER_INVALID, Code.NUMBERS_OVERLAP}
