"""The questions of each main lesson: on the page in both languages, answered by what ran.

Every question's program is run again here, on its own, and the page must
show what it printed, folded until the reader opens the answer. What each
program prints is then checked against an independent computation: other
functions, or arithmetic done by hand, not the program's own verdict.
"""

from __future__ import annotations

import ast
import math
import re
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")  # not in the light tier's environment (nox -s unit)
import torch
from conftest import LANGUAGES, ROOT, run_example
from test_downloads import downloads_of, notebook_parts
from test_site import INCLUDED_IN_ORDER, code_tokens

QUESTIONS = ROOT / "questions"
ANSWER_LABEL = {"en": "Answer", "zh_CN": "答案"}
HEADING = {"en": "Check yourself", "zh_CN": "想一想"}


def question_scripts(lesson: str) -> list[Path]:
    return sorted((QUESTIONS / lesson).glob("*.py"))


def question_text(script: Path) -> str:
    """The question as the docstring has it, on one line, before the line of dashes."""
    docstring = ast.get_docstring(ast.parse(script.read_text(encoding="utf-8")))
    return " ".join(docstring.split("----")[0].split())


def page_name(relative: str) -> str:
    return f"beginner/{Path(relative).parent}/{Path(relative).stem}"


def printed(lesson: str, name: str) -> str:
    return run_example(f"questions/{lesson}/{name}.py")


@pytest.mark.parametrize("relative", INCLUDED_IN_ORDER)
def test_each_main_lesson_asks_two_or_three_questions(relative):
    scripts = question_scripts(Path(relative).stem)
    assert 2 <= len(scripts) <= 3, f"{relative}: {len(scripts)} questions"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("relative", INCLUDED_IN_ORDER)
def test_lesson_asks_its_questions_before_the_exercises_with_answers_that_ran(site, language, relative):
    page = site.page(language, page_name(relative))
    section = page.find("section", id="check-yourself")
    assert section is not None, f"{language}/{relative}: no questions section"
    assert section.find("h2").get_text().strip("¶ ") == HEADING[language]
    assert section.find_next("section", id="exercises") is not None, "the questions come before the exercises"
    scripts = question_scripts(Path(relative).stem)
    items = section.select("ol > li.pwe-question")
    assert len(items) == len(scripts)
    for script, item in zip(scripts, items, strict=True):
        # Sphinx's smart quotes curl the apostrophes of the English text.
        question = " ".join(item.find("p").get_text().split()).replace("\u2019", "'")
        english = question_text(script).replace("``", "").replace("*", "")
        if language == "en":
            assert question.startswith(english[:30]), f"{script.name}: {question!r}"
        else:
            assert re.search(r"[\u4e00-\u9fff]", question), f"{script.name}: question not translated"
        code = item.select_one("div.highlight-python pre")
        assert code.find_parent("details") is None, f"{script.name}: the program is hidden with the answer"
        assert code_tokens(code.get_text()) == code_tokens(script.read_text(encoding="utf-8"))
        answer = item.find("details")
        assert answer is not None and not answer.has_attr("open"), f"{script.name}: the answer is not folded"
        assert answer.find("summary").get_text() == ANSWER_LABEL[language]
        shown = answer.select_one("div.pwe-script-output pre")
        output = run_example(str(script.relative_to(ROOT)))
        assert output, f"{script.name}: a question's program prints its answer"
        assert shown is not None and shown.get_text() == output, f"{script.name}: the page shows other output"
        explanation = answer.find("p")
        assert explanation is not None and len(explanation.get_text()) > 20, f"{script.name}: no explanation"
        if language == "zh_CN":
            assert re.search(r"[\u4e00-\u9fff]", explanation.get_text()), f"{script.name}: explanation in English"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("relative", INCLUDED_IN_ORDER)
def test_downloads_stay_the_lesson_without_its_questions(site, language, relative):
    downloads = downloads_of(site, language, relative)
    script_text = downloads[".py"].read_text(encoding="utf-8")
    markdown, code = notebook_parts(downloads[".ipynb"].read_text(encoding="utf-8"))
    for script in question_scripts(Path(relative).stem):
        program = script.read_text(encoding="utf-8").split('"""')[-1].strip()
        last_line = program.splitlines()[-1].strip()
        for text in (script_text, markdown, code):
            assert last_line not in text, f"{relative}: the download holds the question {script.name}"
    assert ".. questions::" not in script_text + markdown
    assert HEADING[language] not in markdown


# What each program prints, against an independent computation.

def test_numpy_more_points_halve_the_stability_limit():
    lines = printed("polynomial_numpy", "01_twice_the_points").splitlines()
    limits = {}
    for n, line in zip((2000, 4000), lines, strict=True):
        assert line.startswith(f"{n} points: limit 2 / λ = ")
        limits[n] = float(line.rsplit("= ", 1)[1])
        # Independently: λ is twice the largest squared singular value of X.
        x = torch.linspace(-torch.pi, torch.pi, n, dtype=torch.float64)
        X = torch.stack([x**0, x, x**2, x**3], dim=1)
        largest = 2 * torch.linalg.svdvals(X)[0].item() ** 2
        assert limits[n] == pytest.approx(2 / largest, rel=1e-3)
    assert limits[4000] / limits[2000] == pytest.approx(0.5, abs=0.01)


def test_numpy_broadcasting_shapes():
    lines = printed("polynomial_numpy", "02_a_column_of_powers").splitlines()
    assert lines[0] == f"x[:, None] ** np.arange(4): {np.broadcast_shapes((2000, 1), (4,))}"
    with pytest.raises(ValueError):
        np.broadcast_shapes((2000,), (4,))
    assert lines[1].startswith("x ** np.arange(4): ValueError:") and "(2000,) (4,)" in lines[1]


def test_tensor_dtypes():
    lines = [line.split(":", 1)[1].strip() for line in printed("polynomial_tensor", "01_which_dtype").splitlines()]
    assert lines == [str(torch.get_default_dtype()), str(np.array([0.5]).dtype), str(torch.float64)]


def test_tensor_in_place_update_is_seen_by_an_alias():
    assert printed("polynomial_tensor", "02_in_place_or_new") == (
        f"after a -= 0.5:    alias = {1.0 - 0.5}\n"
        f"after a = a - 0.5: alias = {1.0}\n"
    )


def test_autograd_backward_twice_accumulates():
    w = 3.0
    derivative = 2 * w  # d(w²)/dw
    assert printed("polynomial_autograd", "01_backward_twice") == (
        f"after backward() number 1: w.grad = {derivative}\n"
        f"after backward() number 2: w.grad = {2 * derivative}\n"
    )


def test_autograd_what_requires_grad():
    values = [line.split(":")[-1].strip() for line in printed("polynomial_autograd", "02_what_requires_grad").splitlines()]
    # A result can require gradients only if it is floating point, an input requires them, and grad mode is on.
    x = torch.linspace(-1, 1, 5)
    a_times_x_dtype = (torch.tensor(0.5) * x).dtype
    expected = [
        a_times_x_dtype.is_floating_point,
        False,  # no input requires gradients
        torch.zeros(5).argmax().dtype.is_floating_point,
        (torch.zeros(5) > 0).dtype.is_floating_point,
        False,  # grad mode off
    ]
    assert values == [str(value) for value in expected]
    assert expected == [True, False, False, False, False]


def test_custom_function_forward_runs_without_grad_mode():
    assert printed("polynomial_custom_function", "01_grad_mode_inside_forward") == (
        "inside forward, grad enabled: False\nresult requires grad: True\n"
    )


def test_custom_function_grad_output_is_the_derivative_of_the_loss_by_the_output():
    # Independently: a hook on the output of the built-in x**3 receives the same gradients.
    seen = []
    for scale in (1, 5):
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        cube = x**3
        cube.register_hook(lambda grad: seen.append(grad.clone()))
        (scale * cube).sum().backward()
    assert printed("polynomial_custom_function", "02_what_backward_receives") == "".join(
        f"grad_output: {grad}\n" for grad in seen)


def test_nn_flatten_merges_the_two_dimensions():
    n, outputs = 2000, 1
    assert printed("polynomial_nn", "01_flatten_0_1") == (
        f"nn.Linear(3, 1):   {(n, outputs)}\n"
        f"nn.Flatten(0, 1):  {(n * outputs,)}\n"
    )


def test_nn_without_flatten_broadcasts_to_a_square():
    shape = np.broadcast_shapes((2000, 1), (2000,))
    assert printed("polynomial_nn", "02_without_the_flatten") == (
        f"y_pred - y: {shape}\nsquared differences: {2000 * 2000}\n"
    )


def test_optim_holds_the_weight_and_the_bias():
    # nn.Linear(in, out) documents weight (out, in) and bias (out,).
    assert printed("polynomial_optim", "01_what_the_optimizer_holds") == f"0.weight: {(1, 3)}\n0.bias: {(1,)}\n"


def test_optim_zero_grad_sets_none_and_rmsprop_keeps_its_state():
    assert printed("polynomial_optim", "02_after_zero_grad") == (
        "grads after zero_grad(): [None, None]\nstate of the weight: ['square_avg', 'step']\n"
    )


def test_module_registers_parameters_only():
    assert printed("polynomial_module", "01_a_plain_tensor") == "['a']\n"
    assert printed("polynomial_module", "02_a_list_of_parameters") == (
        "Python list:      0\nnn.ParameterList: 4\n"
    )


def test_dynamic_net_shared_weight_gets_the_sum_of_its_uses():
    # Independently: a central difference of y(e) = e x⁴ + e x⁵ at x = 2, in float64.
    x, e, h = 2.0, 0.1, 1e-6
    def y(weight):
        return weight * x**4 + weight * x**5
    derivative = (y(e + h) - y(e - h)) / (2 * h)
    assert round(derivative, 6) == 2**4 + 2**5
    assert printed("dynamic_net", "01_one_weight_used_twice") == f"e.grad: {float(2**4 + 2**5)}\n"


def test_dynamic_net_sgd_skips_a_none_gradient_but_not_a_zero_one():
    # By hand: the first step's gradient 3 fills the momentum buffer; with a zero
    # gradient the buffer becomes 0.9 * 3 + 0 and the step is -lr times that.
    lr, momentum, first_gradient = 0.1, 0.9, 3.0
    zero_move = -lr * (momentum * first_gradient + 0.0)
    assert printed("dynamic_net", "02_a_step_without_e") == (
        f"e.grad None: e moves by {0.0:+.4f}\ne.grad zero: e moves by {zero_move:+.4f}\n"
    )


def test_real_training_batches_per_epoch():
    count, last = math.ceil(1000 / 64), 1000 - 64 * (1000 // 64)
    assert printed("real_training", "01_batches_per_epoch") == (
        f"drop_last=False: {count} batches, the last holds {last}\n"
        f"drop_last=True: {1000 // 64} batches, the last holds 64\n")
    assert 1600 % 64 == 0  # the lesson's training set has no short batch, as the explanation says


def test_real_training_eval_changes_only_dropout():
    """Dropout zeroes values and scales the rest by 1 / (1 - p) in training mode only, as the answer says."""
    dropout, ones = torch.nn.Dropout(p=0.5), torch.ones(1000)
    kept = dropout.train()(ones)
    assert set(kept.unique().tolist()) == {0.0, 2.0}
    assert torch.equal(dropout.eval()(ones), ones)
    assert printed("real_training", "02_what_eval_changes") == (
        "Linear, Flatten: the same in both modes: True\n"
        "Linear, Dropout, Flatten: the same in both modes: False\n")
