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
    assert runtime.resolve_profile("cpu", devices=[]) == "cpu"
    assert runtime.resolve_profile("auto", devices=["NVIDIA T4"]) == "smoke"


def test_auto_without_env_depends_on_the_accelerator(monkeypatch):
    monkeypatch.delenv("COURSE_PROFILE", raising=False)
    assert runtime.resolve_profile("auto", devices=[]) == "cpu"
    assert runtime.resolve_profile("auto", devices=["NVIDIA T4"]) == "gpu"
    # an Apple GPU runs the cpu profile's budgets (the gpu profile assumes tensor cores and float16)
    assert runtime.resolve_profile("auto", devices=[runtime.APPLE_GPU[0]]) == "cpu"
    assert runtime.resolve_profile("auto", devices=[runtime.APPLE_GPU[1]]) == "cpu"


def test_bad_env_profile_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "fast")
    with pytest.raises(cu.ProfileError, match="COURSE_PROFILE.*'fast'.*smoke"):
        runtime.resolve_profile("auto", devices=[])


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


def test_budget_follows_the_scale_and_pick_the_profile(monkeypatch, capsys):
    """COURSE_SCALE=smoke runs the gpu profile's code paths with the smoke profile's budgets."""
    monkeypatch.setenv("COURSE_SCALE", "smoke")
    run = cu.setup("gpu", seed=0)
    assert (run.profile, run.scale) == ("gpu", "smoke")
    assert run.pick(smoke=16, cpu=16, gpu=64) == 64
    assert run.budget(smoke=1, cpu=8, gpu=30) == 1
    assert "Profile: gpu at smoke scale" in capsys.readouterr().out
    monkeypatch.setenv("COURSE_SCALE", "huge")
    with pytest.raises(cu.ProfileError, match="COURSE_SCALE"):
        cu.setup("gpu", seed=0)
    monkeypatch.delenv("COURSE_SCALE")
    run = cu.setup("cpu", seed=0)
    assert run.scale == "cpu" and run.budget(smoke=1, cpu=8, gpu=30) == 8


def test_interactive_only_behind_a_jupyter_frontend(monkeypatch):
    monkeypatch.delenv("COURSE_HEADLESS", raising=False)
    monkeypatch.setenv("JPY_SESSION_NAME", "x.ipynb")
    assert not runtime.is_interactive(), "plain pytest is no Jupyter kernel: misses must stop it"
