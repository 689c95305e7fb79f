import numpy as np
import pytest

import course_utils as cu
from course_utils import runtime


def test_unknown_profile_names_the_valid_ones():
    with pytest.raises(cu.ProfileError) as e:
        runtime.check_profile("bogus")
    for name in ("auto", "smoke", "cpu", "gpu"):
        assert name in str(e.value)


@pytest.mark.parametrize("bad", ["", "GPU2", None, 3])
def test_check_profile_rejects_bad_values(bad):
    with pytest.raises(cu.ProfileError):
        runtime.check_profile(bad)


def test_explicit_profile_wins_over_env(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "smoke")
    assert runtime.resolve_profile("cpu", has_accelerator=False) == "cpu"
    assert runtime.resolve_profile("auto", has_accelerator=True) == "smoke"


def test_auto_without_env_depends_on_the_accelerator(monkeypatch):
    monkeypatch.delenv("COURSE_PROFILE", raising=False)
    assert runtime.resolve_profile("auto", has_accelerator=False) == "cpu"
    assert runtime.resolve_profile("auto", has_accelerator=True) == "gpu"


def test_bad_env_profile_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "fast")
    with pytest.raises(cu.ProfileError, match="COURSE_PROFILE.*'fast'.*smoke"):
        runtime.resolve_profile("auto", has_accelerator=False)


def test_setup_returns_a_run_and_prints_one_line(capsys, monkeypatch):
    monkeypatch.delenv("COURSE_RESULTS", raising=False)
    run = cu.setup("smoke", seed=3)
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("Profile: smoke · backend: ")
    assert run.profile == "smoke" and run.seed == 3
    assert run.pick(smoke=1, cpu=2, gpu=3) == 1
    assert runtime.current() is run


def test_setup_rejects_unknown_profile_before_heavy_work():
    with pytest.raises(cu.ProfileError, match="choose one of"):
        cu.setup("turbo")


def test_pick_needs_every_profile():
    run = runtime.Run("cpu", 0, "tensorflow", [], True)
    assert run.pick(smoke="s", cpu="c", gpu="g") == "c"
    with pytest.raises(TypeError):
        run.pick(smoke=1, cpu=2)  # type: ignore[call-arg]


def test_seeding_makes_numpy_and_keras_repeatable():
    import keras

    def draw():
        return np.random.rand(3), keras.ops.convert_to_numpy(keras.random.normal((3,)))

    runtime.seed_everything(7)
    a = draw()
    runtime.seed_everything(7)
    b = draw()
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])


@pytest.mark.parametrize("bad", [-1, 1.5, "42", True])
def test_bad_seed(bad):
    with pytest.raises(ValueError, match="seed"):
        runtime.seed_everything(bad)


def test_headless_follows_the_environment(monkeypatch):
    monkeypatch.setenv("COURSE_HEADLESS", "1")
    assert runtime.is_headless()
    monkeypatch.setenv("COURSE_HEADLESS", "0")
    assert runtime.is_headless()  # plain pytest: no Jupyter kernel, so still headless
    run = runtime.Run("cpu", 0, "tensorflow", [], headless=True)
    assert run.verbose == 2
    assert runtime.Run("cpu", 0, "tensorflow", [], headless=False).verbose == 0


def test_valid_profiles_and_accelerators():
    assert runtime.valid_profiles() == ["auto", "smoke", "cpu", "gpu"]
    acc = runtime.accelerators()
    assert isinstance(acc, list) and all(isinstance(a, str) for a in acc)


def test_set_plot_style_labels_stay_inside_the_figure():
    import matplotlib as mpl

    runtime.set_plot_style()
    assert mpl.rcParams["figure.constrained_layout.use"] and mpl.rcParams["savefig.bbox"] == "tight"
