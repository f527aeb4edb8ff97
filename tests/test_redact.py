from syngen.errors import BackendError
from syngen.redact import mask_urls, redact, was_masked


def test_user_password_and_secret_query_values_are_masked():
    assert mask_urls("at http://alice:s3cret@127.0.0.1:8080/v1 now") == "at http://***:***@127.0.0.1:8080/v1 now"
    assert mask_urls("https://token@host/x") == "https://***@host/x"
    assert mask_urls("http://h/v1?api_key=abc&model=m&sig=zz") == "http://h/v1?api_key=***&model=m&sig=***"
    assert mask_urls("http://127.0.0.1:8080/v1 and a@b.c") == "http://127.0.0.1:8080/v1 and a@b.c"


def test_nested_records_and_errors_are_masked_and_masked_urls_are_recognised():
    record = redact({"config": {"base_url": "http://u:p@h/v1"}, "urls": ["http://u:p@h"], "n": 3})
    assert record == {"config": {"base_url": "http://***:***@h/v1"}, "urls": ["http://***:***@h"], "n": 3}
    assert was_masked(record["config"]["base_url"]) and not was_masked("http://h/v1")
    error = BackendError("nothing answers at http://u:pw@h/v1", "check http://u:pw@h")
    assert "pw" not in str(error) + repr(error.args) + error.hint
