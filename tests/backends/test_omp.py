from syngen.backends.omp import THREAD_WAIT, set_thread_wait


def test_thread_wait_is_a_short_spin_and_keeps_what_the_user_set():
    env = set_thread_wait({"GOMP_SPINCOUNT": "0"})
    assert env == {"GOMP_SPINCOUNT": "0", "OMP_WAIT_POLICY": "PASSIVE"}
    assert set_thread_wait({}) == THREAD_WAIT
    assert int(THREAD_WAIT["GOMP_SPINCOUNT"]) > 0  # PASSIVE alone sleeps at every barrier: 3x slower decoding
