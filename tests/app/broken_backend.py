"""A backend module whose SDK is missing: importing it fails the way a real backend's would."""

import vendor_sdk_that_is_not_installed  # noqa: F401
