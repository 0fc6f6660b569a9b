"""The Dice kernel: compiled (numba) and numpy implementations give the same numbers, on any width."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from vinculo.linkage.pprl import kernel


def _filters(rng: np.random.Generator, n: int, words: int) -> np.ndarray:
    x = rng.integers(0, 2**64, size=(n, words), dtype=np.uint64, endpoint=False)
    return x & rng.integers(0, 2**64, size=(n, words), dtype=np.uint64, endpoint=False)


def _expected(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.zeros((len(a), len(b)), dtype=np.float32)
    for i in range(len(a)):
        x = int.from_bytes(a[i].tobytes(), "little")
        for j in range(len(b)):
            y = int.from_bytes(b[j].tobytes(), "little")
            total = x.bit_count() + y.bit_count()
            out[i, j] = np.float32(2 * (x & y).bit_count() / total) if total else np.float32(0.0)
    return out


@pytest.fixture(params=["numba", "numpy"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "numpy":
        monkeypatch.setenv("VINCULO_PPRL_KERNEL", "numpy")
    else:
        monkeypatch.delenv("VINCULO_PPRL_KERNEL", raising=False)
        if kernel.backend() != "numba":
            pytest.skip("numba does not import here")
    monkeypatch.setattr(kernel, "_NATIVE_FROM", 0)  # the compiled kernel on small inputs too
    assert kernel.backend() == request.param
    return str(request.param)


@pytest.mark.parametrize("words", [1, 3, 16, 17])
def test_dice_equals_a_plain_python_count_exactly(backend: str, words: int) -> None:
    rng = np.random.default_rng(words)
    a, b = _filters(rng, 9, words), _filters(rng, 6, words)
    a[0] = 0
    b[1] = 0  # a[0] against b[1]: both empty, Dice 0
    b[2] = a[3]  # identical filters: Dice 1
    expected = _expected(a, b)
    assert np.array_equal(kernel.dice_dense(a, b), expected)
    left, right = np.repeat(np.arange(9), 6), np.tile(np.arange(6), 9)
    pairs = kernel.dice_pairs(a, b, left, right)
    assert pairs.dtype == np.float32 and np.array_equal(pairs.reshape(9, 6), expected)
    assert np.array_equal(kernel.popcounts(a), [int.from_bytes(r.tobytes(), "little").bit_count() for r in a])


def test_both_implementations_agree_on_large_inputs_split_over_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(11)
    a, b = _filters(rng, 300, 16), _filters(rng, 200, 16)
    left, right = rng.integers(0, 300, 40_000), rng.integers(0, 200, 40_000)
    monkeypatch.setattr(kernel, "_NATIVE_FROM", 0)
    monkeypatch.setattr(kernel, "_THREADS_FROM", 1000)  # the compiled kernel: threads
    monkeypatch.setattr(kernel, "_PARALLEL_FROM", 1000)  # numpy: forked processes
    results = {}
    for name in ("numba", "numpy"):
        monkeypatch.setenv("VINCULO_PPRL_KERNEL", name)
        results[name] = (kernel.dice_dense(a, b), kernel.dice_pairs(a, b, left, right))
    assert np.array_equal(results["numba"][0], results["numpy"][0])
    assert np.array_equal(results["numba"][1], results["numpy"][1])
    assert np.array_equal(results["numba"][1], results["numba"][0][left, right])


def test_pairs_report_progress_and_accept_any_integer_index(backend: str) -> None:
    rng = np.random.default_rng(2)
    a, b = _filters(rng, 50, 16), _filters(rng, 40, 16)
    left, right = rng.integers(0, 50, 5000).astype(np.int32), rng.integers(0, 40, 5000).astype(np.uint32)
    a.flags.writeable = False  # as read from an .enc file
    seen: list[float] = []
    pairs = kernel.dice_pairs(a, b, left, right, progress=seen.append)
    assert np.array_equal(pairs, kernel.dice_dense(a, b)[left, right])
    assert seen and seen[-1] == 1.0
    assert kernel.dice_pairs(a, b, left[:0], right[:0]).shape == (0,)


def test_numpy_is_used_when_numba_does_not_import(monkeypatch: pytest.MonkeyPatch) -> None:
    import vinculo.linkage.pprl as package

    monkeypatch.delenv("VINCULO_PPRL_KERNEL", raising=False)
    monkeypatch.setitem(sys.modules, "numba", None)  # `import numba` raises ImportError
    monkeypatch.delitem(sys.modules, "vinculo.linkage.pprl._native", raising=False)
    monkeypatch.delattr(package, "_native", raising=False)
    monkeypatch.setattr(kernel, "_NATIVE", None)
    monkeypatch.setattr(kernel, "_NATIVE_TRIED", False)
    assert kernel.backend() == "numpy"
    rng = np.random.default_rng(1)
    a, b = _filters(rng, 4, 16), _filters(rng, 3, 16)
    assert np.array_equal(kernel.dice_dense(a, b), _expected(a, b))


def test_without_a_cache_directory_the_kernel_is_compiled_per_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if kernel.backend() != "numba":
        pytest.skip("numba does not import here")
    from vinculo.linkage.pprl import _native

    calls: list[bool] = []

    def fake_njit(*, cache: bool, **options: object):  # type: ignore[no-untyped-def]
        calls.append(cache)
        if cache:
            raise RuntimeError("cannot cache function: no locator available")
        return lambda func: func

    monkeypatch.setattr(_native, "njit", fake_njit)
    with pytest.warns(RuntimeWarning, match="NUMBA_CACHE_DIR"):
        compiled = _native._compile(_native._pair_range)
    assert calls == [True, False] and compiled is _native._pair_range


def _both_backends(monkeypatch: pytest.MonkeyPatch, job):  # type: ignore[no-untyped-def]
    """``job()`` on the compiled kernel and on numpy (small inputs forced onto the compiled one)."""
    monkeypatch.setattr(kernel, "_NATIVE_FROM", 0)
    results = []
    for name in ("numba", "numpy"):
        monkeypatch.setenv("VINCULO_PPRL_KERNEL", name)
        results.append(job())
    return results


@pytest.mark.parametrize("words", [*range(1, 33), 33, 40])
def test_compiled_kernel_of_each_width_equals_numpy_exactly(
    monkeypatch: pytest.MonkeyPatch, words: int
) -> None:
    """Every width the kernel is compiled for (1..32 words, then the generic loop), on random
    filters of varied density, with empty and identical filters; more rows of b than one column
    block, so blocks' edges are crossed; and 0 or 1 rows on either side."""
    if kernel.backend() != "numba":
        pytest.skip("numba does not import here")
    rng = np.random.default_rng(100 + words)
    a = _filters(rng, 7, words) | (_filters(rng, 7, words) & rng.integers(0, 2, (7, 1), dtype=np.uint64))
    b = _filters(rng, 20_000 // words + 37, words)
    a[0] = 0
    b[0] = 0
    b[5] = a[3]
    left = rng.integers(0, len(a), 3000)
    right = rng.integers(0, len(b), 3000)
    left[:40] = 0
    right[:20] = 0  # both empty: Dice 0
    compiled, plain = _both_backends(
        monkeypatch, lambda: (kernel.dice_dense(a, b), kernel.dice_pairs(a, b, left, right))
    )
    assert np.array_equal(compiled[0], plain[0]) and np.array_equal(compiled[1], plain[1])
    assert np.array_equal(compiled[0][:, :50], _expected(a, b[:50]))
    assert np.array_equal(compiled[1], compiled[0][left, right])
    for x, y in ((a[:0], b), (a, b[:0]), (a[:1], b[:1]), (a[:1], b), (a, b[:1]), (a[:0], b[:0])):
        dense = _both_backends(monkeypatch, lambda x=x, y=y: kernel.dice_dense(x, y))
        assert dense[0].shape == (len(x), len(y)) and dense[0].dtype == np.float32
        assert np.array_equal(dense[0], dense[1])
        n = min(len(x), len(y))
        pairs = _both_backends(
            monkeypatch, lambda x=x, y=y, n=n: kernel.dice_pairs(x, y, np.arange(n), np.arange(n))
        )
        assert pairs[0].shape == (n,) and np.array_equal(pairs[0], pairs[1])


def test_compiled_kernel_reads_any_layout_of_its_inputs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Filters as column slices or in Fortran order, indices as strided views of another integer
    type: the kernel converts them to its one layout and gives numpy's numbers."""
    if kernel.backend() != "numba":
        pytest.skip("numba does not import here")
    rng = np.random.default_rng(5)
    wide = _filters(rng, 60, 20)
    a, b = wide[:, 2:18], np.asfortranarray(wide[:50, 4:20])
    left, right = rng.integers(0, 60, 500)[::2], rng.integers(0, 50, 500)[::2]
    compiled, plain = _both_backends(
        monkeypatch,
        lambda: (kernel.dice_dense(a, b), kernel.dice_pairs(a, b, left.astype(np.int32), right)),
    )
    assert np.array_equal(compiled[0], plain[0]) and np.array_equal(compiled[1], plain[1])
    assert np.array_equal(compiled[1], compiled[0][left, right])


def test_a_width_whose_kernel_does_not_compile_falls_back_to_the_generic_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if kernel.backend() != "numba":
        pytest.skip("numba does not import here")
    from vinculo.linkage.pprl import _native

    def uncompilable(*args: object) -> None:
        {}.setdefault(object(), args)  # a Python object: numba cannot type it

    monkeypatch.setattr(_native, "_fixed_width", lambda words: (uncompilable, uncompilable))
    monkeypatch.setattr(_native, "_KERNELS", {})
    with pytest.warns(RuntimeWarning, match="5-word filters did not compile"):
        transposed, dense, pairs = _native.kernels(5)
    assert not transposed and dense is _native._GENERIC_DENSE and pairs is _native._GENERIC_PAIRS
    rng = np.random.default_rng(3)
    a, b = _filters(rng, 6, 5), _filters(rng, 4, 5)
    monkeypatch.setattr(kernel, "_NATIVE_FROM", 0)
    assert np.array_equal(kernel.dice_dense(a, b), _expected(a, b))
    left, right = np.repeat(np.arange(6), 4), np.tile(np.arange(4), 6)
    assert np.array_equal(kernel.dice_pairs(a, b, left, right), _expected(a, b).ravel())
