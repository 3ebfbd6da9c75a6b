"""Test support for code built on portflow: hypothesis strategies and fakes.

Install with the ``testing`` extra (``pip install portflow[testing]``), which
brings hypothesis. Import the strategies as a module:

```python
from portflow.testing import strategies as pst
```
"""

from portflow.testing import strategies

__all__ = ["strategies"]
