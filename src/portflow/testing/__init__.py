"""Test support for code built on portflow: strategies, samples and contract suites.

Install with the ``testing`` extra (``pip install portflow[testing]``), which
brings hypothesis and pytest. The modules:

- `strategies`: hypothesis strategies for numbers, blocks, number sets and dates;
- `samples`: valid customers of CH, SE and NO, and a Swiss port request to change
  field by field;
- `contracts`: the `OrderStoreContract` suite to run against your own store
  (imported on its own: ``from portflow.testing.contracts import OrderStoreContract``).

The in-memory adapters in `portflow` (`MemoryOrderStore`, `MemoryNumberPool`,
`RecordingDonorGateway`, `RecordingNotifier`, `ManualClock`) are the fakes.

```python
from portflow.testing import strategies as pst
```
"""

import importlib
import sys
from types import ModuleType

if "pytest" in sys.modules:  # only under pytest: strategies need no pytest
    import pytest

    # A store failing the contract suite is shown the values that differed, as in
    # the store author's own tests: pytest rewrites only its own test modules unless told.
    pytest.register_assert_rewrite("portflow.testing.contracts")

__all__ = ["samples", "strategies"]


def __getattr__(name: str) -> ModuleType:
    # Each module is imported when first named: `samples` needs no hypothesis, so code
    # without the testing extra (the `portflow simulate` command) can use its customer.
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
