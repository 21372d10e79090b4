"""What the "More lessons" say about PyTorch's API holds for the installed torch.

The lessons' own tests read what an example prints. These tests do not run
the examples at all: each one takes a sentence of a lesson that describes
PyTorch's behaviour (a warning that is raised, an output that has or has not
a ``grad_fn``, an exception of a given type, an update rule) and checks it
against torch directly, with the expected value worked out here by hand, by
NumPy or by finite differences. When a torch upgrade changes one of these
behaviours, the test names the lesson whose text must change.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

pytest.importorskip("torch")  # not in the light tier's environment (nox -s unit)
import torch
from torch import nn
from torch.autograd import Variable


def small_model() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(100, 200), nn.ReLU(), nn.Linear(200, 10))


def saved_for_backward(fn) -> int:
    """Run fn() and count the numbers autograd saves for a backward pass."""
    sizes = []

    def pack(saved):
        sizes.append(saved.numel())
        return saved

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda saved: saved):
        fn()
    return sum(sizes)


# old_code_new_code --------------------------------------------------------


def test_variable_still_exists_and_returns_a_plain_tensor():
    t = Variable(torch.ones(2, 2), requires_grad=True)
    assert type(t) is torch.Tensor
    assert t.requires_grad and t.is_leaf


def test_volatile_warns_that_it_has_no_effect_and_the_graph_is_still_recorded():
    model = small_model()
    images = torch.randn(64, 100)
    with pytest.warns(UserWarning, match="volatile was removed and now has no effect"):
        old_input = Variable(images, volatile=True)
    assert not old_input.requires_grad
    outputs = model(old_input)
    assert outputs.grad_fn is not None and outputs.requires_grad
    # What a graph costs: the 64 x 200 hidden activations at least are kept.
    assert saved_for_backward(lambda: model(old_input)) >= 64 * 200
    with torch.no_grad():
        assert model(images).grad_fn is None
        assert saved_for_backward(lambda: model(images)) == 0


def test_changes_through_data_go_unseen_while_detach_is_checked():
    a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    out = a.sigmoid()
    out.data.zero_()
    out.sum().backward()  # no error
    assert a.grad.tolist() == [0.0, 0.0, 0.0]
    s = 1 / (1 + np.exp(-np.array([1.0, 2.0, 3.0])))
    assert np.all(s * (1 - s) > 0), "the true gradient is not zero"

    b = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    out = b.sigmoid()
    out.detach().zero_()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.sum().backward()


def test_a_loss_is_zero_dimensional_and_cannot_be_indexed():
    loss = nn.functional.mse_loss(torch.tensor([2.0, 4.0]), torch.tensor([1.0, 1.0]))
    assert loss.shape == ()
    with pytest.raises(IndexError):
        loss[0]
    with pytest.raises(IndexError):
        loss.data[0]
    assert isinstance(loss.item(), float) and loss.item() == 5.0


def test_summing_loss_tensors_keeps_their_graphs():
    scale = torch.tensor(1.0, requires_grad=True)
    total = 0.0
    for _ in range(3):
        total += (scale * torch.tensor([2.0, 4.0])).sum()
    assert isinstance(total, torch.Tensor) and total.grad_fn is not None


def test_to_device_returns_the_tensor_itself_when_it_is_already_there():
    t = torch.randn(4, 3)
    assert t.to("cpu") is t
    assert t.to(torch.float64) is not t


def test_legacy_type_constructors_are_ambiguous():
    assert torch.FloatTensor(3).shape == (3,)
    assert torch.FloatTensor([3]).tolist() == [3.0]
    assert torch.LongTensor([1, 0, 2]).dtype == torch.int64
    assert torch.tensor([1, 0, 2]).dtype == torch.int64
    assert torch.tensor([3.0]).shape == (1,) and torch.tensor(3.0).shape == ()
    if not torch.cuda.is_available():
        with pytest.raises(TypeError):
            torch.cuda.FloatTensor(4, 5)


def test_nan_and_inf_tests_give_booleans_without_gradient():
    w = torch.tensor([1.0, float("nan"), float("inf"), 2.0], requires_grad=True)
    for test in (torch.isnan, torch.isinf, torch.isfinite):
        mask = test(w)
        assert mask.dtype == torch.bool
        assert not mask.requires_grad and mask.grad_fn is None
        with pytest.raises(RuntimeError, match="does not require grad"):
            mask.sum().backward()
    # Selecting with the mask lets gradients through the kept values only.
    torch.where(torch.isnan(w), 0.0, w).sum().backward()
    assert w.grad.tolist() == (~np.isnan([1.0, np.nan, np.inf, 2.0])).astype(float).tolist()


def test_fft_and_flip_are_differentiable():
    torch.manual_seed(0)
    s = torch.randn(8, dtype=torch.float64, requires_grad=True)
    # Finite differences against autograd.
    assert torch.autograd.gradcheck(lambda t: torch.fft.fft(t).abs(), (s,))
    assert torch.autograd.gradcheck(lambda t: torch.fft.rfft(t).real, (s,))
    assert torch.autograd.gradcheck(lambda t: torch.flip(t, dims=[0]) * torch.arange(8.0), (s,))
    # Parseval, by hand: d/ds sum |fft(s)|^2 = 2 n s.
    torch.fft.fft(s).abs().pow(2).sum().backward()
    np.testing.assert_allclose(s.grad.numpy(), 2 * 8 * s.detach().numpy(), rtol=1e-12)


def test_fft_matches_numpy_and_negative_steps_are_refused():
    x = np.random.default_rng(0).standard_normal(64)
    np.testing.assert_allclose(torch.fft.rfft(torch.from_numpy(x)).numpy(), np.fft.rfft(x))
    np.testing.assert_allclose(torch.fft.rfftfreq(64, d=1 / 64).numpy(), np.fft.rfftfreq(64, d=1 / 64))
    m = torch.arange(6).reshape(2, 3)
    assert torch.flip(m, dims=[1]).tolist() == np.flip(m.numpy(), 1).tolist()
    with pytest.raises(ValueError, match="step must be greater than zero"):
        m[:, ::-1]
    assert not hasattr(torch, "rfft"), "torch.rfft was removed in 1.8"


# export_model --------------------------------------------------------------


class SignFlip(nn.Module):
    def forward(self, x):
        if x.sum() > 0:
            return x * 2
        return -x


class SignFlipCond(nn.Module):
    def forward(self, x):
        return torch.cond(x.sum() > 0, lambda t: t * 2, lambda t: -t, (x,))


class SignFlipWhere(nn.Module):
    def forward(self, x):
        return torch.where(x.sum() > 0, x * 2, -x)


def test_export_raises_on_data_dependent_control_flow(capsys):
    from torch.fx.experimental.symbolic_shapes import GuardOnDataDependentSymNode

    with pytest.raises(GuardOnDataDependentSymNode) as raised:
        torch.export.export(SignFlip(), (torch.ones(3, 1),))
    assert isinstance(raised.value, RuntimeError)
    message = str(raised.value)
    assert message.startswith("Could not guard on data-dependent expression")
    assert "if x.sum() > 0:" in message, "the message names the line of the if"
    # What the lesson hides: the partial graph printed to stderr.
    assert "def forward" in capsys.readouterr().err


def test_tracing_freezes_the_branch_of_its_example():
    positive, negative = torch.ones(3, 1), -torch.ones(3, 1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        traced = torch.jit.trace(SignFlip(), (positive,))
    assert any(issubclass(w.category, torch.jit.TracerWarning) for w in caught)
    assert torch.equal(traced(negative), 2 * negative)  # frozen: the positive branch
    assert torch.equal(SignFlip()(negative), -negative)


def test_cond_and_where_export_with_both_branches():
    positive, negative = torch.ones(3, 1), -torch.ones(5, 1)
    for module in (SignFlipCond(), SignFlipWhere()):
        program = torch.export.export(module, (positive,),
                                      dynamic_shapes={"x": {0: torch.export.Dim("batch")}}).module()
        assert torch.equal(program(positive), 2 * positive)
        assert torch.equal(program(negative), -negative)
    graph = torch.export.export(SignFlipCond(), (positive,)).graph
    assert "cond" in {str(node.target) for node in graph.nodes}


def test_export_calls_forward_with_fake_tensors_of_symbolic_size():
    from torch._subclasses.fake_tensor import FakeTensor

    model = nn.Linear(1, 1)
    seen = []
    model.register_forward_pre_hook(lambda module, args: seen.append(args[0]))
    torch.export.export(model, (torch.ones(256, 1),), dynamic_shapes={"input": {0: torch.export.Dim("b")}})
    assert len(seen) == 1
    assert isinstance(seen[0], FakeTensor)
    assert isinstance(seen[0].shape[0], torch.SymInt) and seen[0].shape[1] == 1


def test_exported_program_checks_its_input_shape_with_an_assertion():
    model = nn.Linear(1, 1)
    program = torch.export.export(model, (torch.ones(4, 1),),
                                  dynamic_shapes={"input": {0: torch.export.Dim("b")}}).module()
    assert program(torch.ones(1000, 1)).shape == (1000, 1)
    with pytest.raises(AssertionError, match=r"size\(\)\[1\] == 1"):
        program(torch.ones(4, 2))


def test_torchscript_functions_are_deprecated_in_favour_of_export(tmp_path):
    model = nn.Linear(1, 1)
    for call in (lambda: torch.jit.trace(model, (torch.ones(2, 1),)),
                 lambda: torch.jit.save(torch.jit.trace(model, (torch.ones(2, 1),)), tmp_path / "m.pt"),
                 lambda: torch.jit.load(tmp_path / "m.pt")):
        with pytest.warns(DeprecationWarning, match=r"`torch\.jit\.\w+` is deprecated.*torch\.export"):
            call()


def test_a_state_dict_holds_tensors_only_and_loading_needs_the_class(tmp_path):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 1))
    torch.save(model.state_dict(), tmp_path / "weights.pt")
    state = torch.load(tmp_path / "weights.pt", weights_only=True)
    assert all(type(value) is torch.Tensor for value in state.values())
    assert not any(isinstance(value, nn.Module) for value in state.values())
    # The file only fills a model that the code builds: the same architecture takes it...
    twin = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 1))
    twin.load_state_dict(state)
    assert all(torch.equal(a, b) for a, b in zip(twin.parameters(), model.parameters(), strict=True))
    # ...another one does not.
    with pytest.raises(RuntimeError, match=r"Missing key|Unexpected key|size mismatch"):
        nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 1)).load_state_dict(state)


def test_weights_only_refuses_a_pickled_module(tmp_path):
    import pickle

    torch.save(nn.Linear(1, 1), tmp_path / "module.pt")
    with pytest.raises(pickle.UnpicklingError):
        torch.load(tmp_path / "module.pt", weights_only=True)


# autograd_basics -----------------------------------------------------------


def test_leaves_results_and_no_grad():
    x = torch.ones(2, 2, requires_grad=True)
    assert x.is_leaf and x.grad_fn is None
    y = x + 2
    assert y.requires_grad and type(y.grad_fn).__name__ == "AddBackward0"
    assert not (torch.ones(2, 2) + 2).requires_grad
    with torch.no_grad():
        assert not (x * 2).requires_grad
    d = x.detach()
    assert not d.requires_grad and d.data_ptr() == x.data_ptr()


def test_inference_tensors_skip_version_counting_and_cannot_be_saved_for_backward():
    x = torch.ones(2, 2, requires_grad=True)
    with torch.inference_mode():
        scale = torch.full((2, 2), 3.0)
    assert scale.is_inference() and not scale.requires_grad
    with pytest.raises(RuntimeError, match="Inference tensors do not track version counter"):
        scale._version  # noqa: B018 (reading it is what raises)
    with pytest.raises(RuntimeError, match="Inference tensors cannot be saved for backward"):
        (scale * x).sum().backward()
    with torch.no_grad():
        plain = torch.full((2, 2), 3.0)
    assert not plain.is_inference()
    (plain * x).sum().backward()
    assert torch.equal(x.grad, torch.full((2, 2), 3.0))


def test_a_second_backward_fails_unless_the_graph_was_retained():
    a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    q = (a * a).sum()
    q.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        q.backward()
    a.grad = None
    q = (a * a).sum()
    q.backward(retain_graph=True)
    q.backward()
    assert a.grad.tolist() == (2 * 2 * np.array([1.0, 2.0, 3.0])).tolist()


def test_compile_splits_the_graph_where_control_flow_depends_on_data():
    def shrink(v):
        while v.abs() > 1:
            v = v / 2
        return v

    # The "eager" backend captures graphs without generating code: quick.
    explanation = torch._dynamo.explain(shrink)(torch.tensor(40.0))
    assert explanation.graph_break_count >= 1
    compiled = torch.compile(shrink, backend="eager")
    v = torch.tensor(40.0, requires_grad=True)
    compiled(v).backward()
    assert v.grad.item() == 2.0**-6  # 40 / 2^6 = 0.625
    torch._dynamo.reset()


# digits_workflow -----------------------------------------------------------


def test_sgd_momentum_is_a_decaying_sum_with_effective_step_lr_over_one_minus_mu():
    lr, mu, g = 0.05, 0.9, 3.0
    w = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr, momentum=mu)
    buffer, by_hand, moves = 0.0, 0.0, []
    for _ in range(200):
        optimizer.zero_grad()
        (g * w).sum().backward()
        before = w.item()
        optimizer.step()
        moves.append(before - w.item())
        buffer = mu * buffer + g  # a decaying sum, not an average
        by_hand -= lr * buffer
    assert w.item() == pytest.approx(by_hand, rel=1e-12)
    assert moves[0] == pytest.approx(lr * g)
    # Steady state: every step moves lr * g / (1 - mu), ten times lr * g.
    assert moves[-1] == pytest.approx(lr * g / (1 - mu), rel=1e-9)
    # An average of the gradients would never exceed g itself.
    assert moves[-1] / lr > 9 * g


def test_sgd_weight_decay_adds_a_multiple_of_the_weight_to_the_gradient():
    w = torch.tensor([2.0], dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=0.1, weight_decay=1e-2)
    (3 * w).sum().backward()
    optimizer.step()
    assert w.item() == pytest.approx(2.0 - 0.1 * (3 + 1e-2 * 2.0))


def test_steplr_halves_the_learning_rate_every_five_epochs():
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.05)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=5, gamma=0.5)
    seen = []
    for _ in range(20):
        seen.append(scheduler.get_last_lr()[0])
        optimizer.step()
        scheduler.step()
    assert seen == [0.05 * 0.5 ** (epoch // 5) for epoch in range(20)]


def test_dropout_zeroes_with_probability_p_and_scales_the_rest():
    torch.manual_seed(0)
    dropout = nn.Dropout(0.2)
    x = torch.ones(100_000)
    y = dropout(x)
    assert set(y.unique().tolist()) == {0.0, 1 / (1 - 0.2)}
    assert abs((y == 0).float().mean().item() - 0.2) < 0.01
    dropout.eval()
    assert torch.equal(dropout(x), x)


def test_xavier_uniform_range():
    torch.manual_seed(0)
    weight = torch.empty(128, 64)
    nn.init.xavier_uniform_(weight)
    bound = math.sqrt(6 / (64 + 128))
    assert weight.abs().max().item() <= bound
    assert weight.abs().max().item() > 0.99 * bound
    # Uniform on [-a, a]: variance a^2 / 3.
    assert weight.var().item() == pytest.approx(bound**2 / 3, rel=0.05)


def test_cross_entropy_takes_raw_scores_and_class_indices():
    scores = np.array([[2.0, -1.0, 0.5], [0.1, 0.2, 3.0]])
    labels = np.array([0, 2])
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    by_hand = -log_softmax[np.arange(2), labels].mean()
    loss = nn.CrossEntropyLoss()(torch.tensor(scores), torch.tensor(labels))
    assert loss.item() == pytest.approx(by_hand, rel=1e-12)


def test_a_pickled_module_names_its_class_and_cannot_load_without_it(tmp_path, monkeypatch):
    import importlib
    import sys

    (tmp_path / "lesson_net.py").write_text(
        "from torch import nn\n\nclass LessonNet(nn.Module):\n"
        "    def __init__(self):\n        super().__init__()\n        self.layer = nn.Linear(2, 1)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("lesson_net")
    torch.save(module.LessonNet(), tmp_path / "whole.pt")
    # Loads while the class can be imported...
    assert type(torch.load(tmp_path / "whole.pt", weights_only=False)).__name__ == "LessonNet"
    # ...and not once its code is gone.
    (tmp_path / "lesson_net.py").unlink()
    del sys.modules["lesson_net"]
    importlib.invalidate_caches()
    with pytest.raises(ModuleNotFoundError, match="lesson_net"):
        torch.load(tmp_path / "whole.pt", weights_only=False)


# tensor_basics -------------------------------------------------------------


def test_randn_like_keeps_shape_dtype_and_device_new_ones_takes_a_new_shape():
    x = torch.zeros(2, 3, dtype=torch.float64)
    same = torch.randn_like(x)
    assert same.shape == x.shape and same.dtype == x.dtype and same.device == x.device
    assert torch.randn_like(x, dtype=torch.float32).dtype == torch.float32
    ones = x.new_ones(4, 5)
    assert ones.shape == (4, 5) and ones.dtype == torch.float64 and ones.device == x.device
    assert torch.zeros(2, 3, dtype=torch.long).dtype == torch.int64
    assert torch.tensor([5.5, 3.0]).dtype == torch.float32


def test_size_is_a_tuple_and_view_keeps_row_major_order():
    x = torch.zeros(2, 3)
    assert isinstance(x.size(), tuple) and x.size() == x.shape == (2, 3)
    t = torch.arange(12)
    assert t.view(3, 4).tolist() == np.arange(12).reshape(3, 4).tolist()
    assert t.view(-1, 6).shape == (2, 6)
    assert t.view(3, 4).data_ptr() == t.data_ptr()


def test_three_ways_to_add_and_in_place_add():
    torch.manual_seed(0)
    x, y = torch.rand(2, 3), torch.rand(2, 3)
    result = torch.empty(2, 3)
    returned = torch.add(x, y, out=result)
    assert returned is result
    expected = x.numpy() + y.numpy()
    for s in (x + y, torch.add(x, y), result):
        np.testing.assert_array_equal(s.numpy(), expected)
    pointer = y.data_ptr()
    assert y.add_(x) is y and y.data_ptr() == pointer
    np.testing.assert_array_equal(y.numpy(), expected)


def test_numpy_bridge_shares_memory_on_the_cpu_only():
    a = torch.ones(5)
    b = a.numpy()
    a.add_(1)
    assert b.tolist() == [2.0] * 5
    n = np.zeros(3)
    t = torch.from_numpy(n)
    n[1] = 7.0
    assert t.tolist() == [0.0, 7.0, 0.0] and t.dtype == torch.float64
    copy = a.clone()
    a.add_(1)
    assert copy.tolist() == [2.0] * 5


def test_in_place_change_of_a_saved_tensor_is_refused_by_autograd():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    y = w * 1.0
    z = y * y  # saves y
    y.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


# two_layer_net -------------------------------------------------------------


def test_a_leaf_that_requires_grad_can_be_updated_in_place_only_without_recording():
    w = torch.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        w -= 0.1
    with torch.no_grad():
        w -= 0.1
    assert w.is_leaf and w.requires_grad
    np.testing.assert_allclose(w.detach().numpy(), 0.9)


def test_clamp_min_zero_is_relu_and_backward_accumulates_into_grad():
    v = torch.tensor([-2.0, -0.5, 0.5, 3.0])
    assert torch.equal(v.clamp(min=0), torch.relu(v))
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    (w * w).sum().backward()
    assert w.grad.tolist() == [4.0, 8.0]  # 2w, twice


# sequence_shapes -------------------------------------------------------------


def numpy_rnn_layer(x: np.ndarray, w_ih, w_hh, b_ih, b_hh, reverse: bool = False) -> np.ndarray:
    """Hidden states of a tanh RNN, h_t = tanh(W_ih x_t + b_ih + W_hh h_(t-1) + b_hh), in time order."""
    steps = range(len(x) - 1, -1, -1) if reverse else range(len(x))
    h = np.zeros((x.shape[1], w_hh.shape[0]))
    out = np.zeros((len(x), x.shape[1], w_hh.shape[0]))
    for t in steps:
        h = np.tanh(x[t] @ w_ih.T + b_ih + h @ w_hh.T + b_hh)
        out[t] = h
    return out


def rnn_weights(rnn: nn.RNN, layer: int, suffix: str = ""):
    return [getattr(rnn, f"{name}_l{layer}{suffix}").detach().double().numpy()
            for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]


def test_rnn_output_and_h_n_follow_the_recurrence():
    torch.manual_seed(0)
    x = torch.randn(5, 3, 4)
    rnn = nn.RNN(4, 6).double()
    with torch.no_grad():
        output, h_n = rnn(x.double())
    by_hand = numpy_rnn_layer(x.double().numpy(), *rnn_weights(rnn, 0))
    np.testing.assert_allclose(output.numpy(), by_hand, rtol=1e-12)
    np.testing.assert_allclose(h_n[0].numpy(), by_hand[-1], rtol=1e-12)
    # batch_first moves the input's and output's axes, not h_n's.
    rnn_bf = nn.RNN(4, 6, batch_first=True).double()
    rnn_bf.load_state_dict(rnn.state_dict())
    with torch.no_grad():
        output_bf, h_n_bf = rnn_bf(x.double().transpose(0, 1))
    np.testing.assert_allclose(output_bf.transpose(0, 1).numpy(), by_hand, rtol=1e-12)
    assert h_n_bf.shape == (1, 3, 6)


def test_bidirectional_two_layer_rnn_layout():
    torch.manual_seed(0)
    x = torch.randn(5, 3, 4).double()
    rnn = nn.RNN(4, 6, num_layers=2, bidirectional=True).double()
    with torch.no_grad():
        output, h_n = rnn(x)
    first = np.concatenate([numpy_rnn_layer(x.numpy(), *rnn_weights(rnn, 0)),
                            numpy_rnn_layer(x.numpy(), *rnn_weights(rnn, 0, "_reverse"), reverse=True)], axis=2)
    forward = numpy_rnn_layer(first, *rnn_weights(rnn, 1))
    backward = numpy_rnn_layer(first, *rnn_weights(rnn, 1, "_reverse"), reverse=True)
    np.testing.assert_allclose(output.numpy(), np.concatenate([forward, backward], axis=2), rtol=1e-12)
    top = h_n.view(2, 2, 3, 6)[-1]
    np.testing.assert_allclose(top[0].numpy(), forward[-1], rtol=1e-12)  # ends at the last step
    np.testing.assert_allclose(top[1].numpy(), backward[0], rtol=1e-12)  # ends at the first step


def test_lstm_output_is_its_hidden_state_and_zero_states_are_the_default():
    torch.manual_seed(0)
    x = torch.randn(3, 5, 4).double()
    lstm = nn.LSTM(4, 6, num_layers=2, batch_first=True).double()
    with torch.no_grad():
        output, (h_n, c_n) = lstm(x)
        again, (h_0n, _) = lstm(x, (torch.zeros(2, 3, 6).double(), torch.zeros(2, 3, 6).double()))
    # One LSTM layer by hand (gates in PyTorch's order i, f, g, o), then the second.
    def layer(inputs, index):
        w_ih, w_hh, b_ih, b_hh = (getattr(lstm, f"{n}_l{index}").detach().numpy()
                                  for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))
        h = np.zeros((3, 6))
        c = np.zeros((3, 6))
        outs = []
        for t in range(inputs.shape[1]):
            gates = inputs[:, t] @ w_ih.T + b_ih + h @ w_hh.T + b_hh
            i, f, g, o = np.split(gates, 4, axis=1)
            sigmoid = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
            c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
            h = sigmoid(o) * np.tanh(c)
            outs.append(h)
        return np.stack(outs, axis=1), c

    first, _ = layer(x.numpy(), 0)
    second, c_last = layer(first, 1)
    np.testing.assert_allclose(output.numpy(), second, rtol=1e-10)
    np.testing.assert_allclose(h_n[-1].numpy(), second[:, -1], rtol=1e-10)
    np.testing.assert_allclose(c_n[-1].numpy(), c_last, rtol=1e-10)
    assert c_n.shape == h_n.shape == (2, 3, 6)
    assert torch.equal(again, output) and torch.equal(h_0n, h_n)


def test_square_subsequent_mask_and_what_it_does():
    n = 5
    mask = nn.Transformer.generate_square_subsequent_mask(n)
    expected = np.triu(np.full((n, n), -np.inf), k=1)
    assert np.array_equal(mask.numpy(), expected)
    weights = torch.softmax(torch.tensor([0.3, -1.0, float("-inf")]), dim=0)
    assert weights[2].item() == 0.0
    # d_model must be divisible by nhead.
    with pytest.raises(AssertionError, match="divisible by num_heads"):
        nn.Transformer(d_model=16, nhead=5)
    # In a fresh decoder, a changed target token moves only its own and later positions.
    torch.manual_seed(0)
    transformer = nn.Transformer(d_model=16, nhead=4, num_encoder_layers=1, num_decoder_layers=1,
                                 dim_feedforward=32, batch_first=True).eval()
    src, tgt = torch.randn(2, 7, 16), torch.randn(2, n, 16)
    tgt_2 = tgt.clone()
    tgt_2[:, 3] += 1.0
    with torch.no_grad():
        a, b = transformer(src, tgt, tgt_mask=mask), transformer(src, tgt_2, tgt_mask=mask)
        c, d = transformer(src, tgt), transformer(src, tgt_2)
    assert torch.allclose(a[:, :3], b[:, :3], rtol=0, atol=1e-6)
    assert (a[:, 3] - b[:, 3]).abs().max() > 1e-3
    assert (c[:, 0] - d[:, 0]).abs().max() > 1e-3


# claims fixed in issue 20 -------------------------------------------------


class OldStyleP3(torch.autograd.Function):
    """P3 with forward(ctx, t): the older style of Function."""

    @staticmethod
    def forward(ctx, t):
        ctx.save_for_backward(t)
        return 0.5 * (5 * t**3 - 3 * t)

    @staticmethod
    def backward(ctx, grad_output):
        (t,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * t**2 - 1)


class NewStyleP3(torch.autograd.Function):
    """P3 with a forward without ctx and setup_context: the newer style."""

    @staticmethod
    def forward(t):
        return 0.5 * (5 * t**3 - 3 * t)

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(*inputs)

    @staticmethod
    def backward(ctx, grad_output):
        (t,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * t**2 - 1)


class ForwardModeP3(NewStyleP3):
    """NewStyleP3 with a jvp and a generated vmap rule, for torch.func.hessian."""

    generate_vmap_rule = True

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(*inputs)
        ctx.save_for_forward(*inputs)

    @staticmethod
    def jvp(ctx, tangent):
        (t,) = ctx.saved_tensors
        return tangent * 1.5 * (5 * t**2 - 1)


def legendre_loss_of(function):
    x = torch.linspace(-math.pi, math.pi, 200, dtype=torch.float64)

    def loss(w):
        a, b, c, d = w
        return (a + b * function.apply(c + d * x) - x.sin()).pow(2).sum()

    return loss, x


def legendre_hessian_by_hand(w, x) -> np.ndarray:
    """Second derivatives of sum (a + b P3(c + d x) - sin x)^2, written out."""
    a, b, c, d = w
    x = x.numpy()
    t = c + d * x
    p3, p3_1, p3_2 = 0.5 * (5 * t**3 - 3 * t), 1.5 * (5 * t**2 - 1), 15 * t
    r = a + b * p3 - np.sin(x)
    jac = np.stack([np.ones_like(x), p3, b * p3_1, b * p3_1 * x])
    second = np.zeros((4, 4, x.size))
    second[1, 2] = second[2, 1] = p3_1
    second[1, 3] = second[3, 1] = p3_1 * x
    second[2, 2], second[2, 3], second[3, 3] = b * p3_2, b * p3_2 * x, b * p3_2 * x**2
    second[3, 2] = second[2, 3]
    return 2 * (jac @ jac.T + (second * r).sum(axis=-1))


def test_gradcheck_error_is_imported_from_the_module_not_the_function():
    from torch.autograd.gradcheck import GradcheckError

    assert callable(torch.autograd.gradcheck)  # the name is the function
    assert not hasattr(torch.autograd.gradcheck, "GradcheckError")
    points = torch.linspace(-1.5, 1.5, 7, dtype=torch.float64, requires_grad=True)

    class BrokenP3(NewStyleP3):
        @staticmethod
        def backward(ctx, grad_output):
            (t,) = ctx.saved_tensors
            return grad_output * (5 * t**2 - 1)  # the factor 1.5 left out

    assert torch.autograd.gradcheck(NewStyleP3.apply, (points,))
    with pytest.raises(GradcheckError, match="Jacobian mismatch"):
        torch.autograd.gradcheck(BrokenP3.apply, (points,))


def test_torch_func_refuses_the_older_style_of_function_and_takes_the_newer():
    t = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    OldStyleP3.apply(t).backward()
    assert t.grad.item() == pytest.approx(1.5 * (5 * 0.25 - 1))  # plain backward() works
    with pytest.raises(RuntimeError, match="must override the setup_context staticmethod"):
        torch.func.grad(OldStyleP3.apply)(t.detach())
    assert torch.func.grad(NewStyleP3.apply)(t.detach()).item() == pytest.approx(0.375)


def test_jacrev_twice_gives_the_hessian_and_torch_func_hessian_needs_jvp_and_vmap():
    w = torch.tensor([0.1, -1.0, 0.2, 0.3], dtype=torch.float64)
    loss, x = legendre_loss_of(NewStyleP3)
    expected = legendre_hessian_by_hand(w.tolist(), x)
    twice = torch.func.jacrev(torch.func.jacrev(loss))(w)
    np.testing.assert_allclose(twice.numpy(), expected, rtol=1e-10, atol=1e-8)
    with pytest.raises(RuntimeError, match="does not have vmap support"):
        torch.func.hessian(loss)(w)
    forward_loss, _ = legendre_loss_of(ForwardModeP3)
    np.testing.assert_allclose(torch.func.hessian(forward_loss)(w).numpy(), expected,
                               rtol=1e-10, atol=1e-8)


def test_outputs_without_a_derivative_never_require_gradients():
    x = torch.tensor([1.0, 3.0, 2.0], requires_grad=True)
    for result in (x.argmax(), x > 1, x == 3.0, torch.isnan(x)):
        assert not result.requires_grad and result.grad_fn is None
    # round and sign are treated as differentiable, with a zero gradient.
    for op in (torch.round, torch.sign):
        x.grad = None
        result = op(x)
        assert result.requires_grad
        result.sum().backward()
        assert x.grad.tolist() == [0.0, 0.0, 0.0]


def test_an_inference_tensor_joins_a_recorded_sum_but_cannot_be_saved():
    x = torch.ones(2, 2, requires_grad=True)
    with torch.inference_mode():
        scale = torch.full((2, 2), 3.0)
    total = scale + x  # the addition saves nothing
    assert total.requires_grad and type(total.grad_fn).__name__ == "AddBackward0"
    total.sum().backward()
    assert torch.equal(x.grad, torch.ones(2, 2))
    # The multiplication must save scale: refused at once, in the forward pass.
    with pytest.raises(RuntimeError, match="Inference tensors cannot be saved for backward"):
        scale * x


def test_the_graphs_nodes_are_backward_functions_with_accumulate_grad_at_the_leaves():
    x = torch.ones(2, requires_grad=True)
    out = (3 * (x + 2) * (x + 2)).mean()
    node, leaves, seen = out.grad_fn, [], set()
    stack = [node]
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        assert not isinstance(node, torch.Tensor)
        if type(node).__name__ == "AccumulateGrad":
            leaves.append(node.variable)
        stack.extend(next_node for next_node, _ in node.next_functions)
    assert len(leaves) == 1 and leaves[0] is x
    assert {type(n).__name__ for n in seen} == {"MeanBackward0", "MulBackward0", "AddBackward0",
                                                 "AccumulateGrad"}


def test_mps_is_built_and_is_available_are_two_questions():
    built, available = torch.backends.mps.is_built(), torch.backends.mps.is_available()
    assert isinstance(built, bool) and isinstance(available, bool)
    assert built or not available  # usable implies built in


def test_nn_linear_draws_its_weights_within_one_over_root_fan_in():
    torch.manual_seed(0)
    layer = nn.Linear(1000, 100)
    bound = 1 / math.sqrt(1000)
    assert layer.weight.abs().max().item() <= bound
    assert layer.weight.abs().max().item() > 0.99 * bound


def test_kaiming_uniform_for_relu_has_variance_two_over_fan_in():
    torch.manual_seed(0)
    weight = torch.empty(256, 512)
    nn.init.kaiming_uniform_(weight, nonlinearity="relu")
    assert weight.var().item() == pytest.approx(2 / 512, rel=0.03)
    # Xavier's variance 2 / (fan_in + fan_out) is smaller for the same layer.
    assert 2 / (512 + 256) < 2 / 512


def test_torch_load_defaults_to_weights_only(tmp_path):
    import inspect
    import pickle

    torch.save(nn.Linear(1, 1), tmp_path / "module.pt")
    with pytest.raises(pickle.UnpicklingError, match="weights_only"):
        torch.load(tmp_path / "module.pt")
    assert inspect.signature(torch.load).parameters["weights_only"].default is None
    torch.save({"w": torch.ones(2)}, tmp_path / "state.pt")
    assert torch.equal(torch.load(tmp_path / "state.pt")["w"], torch.ones(2))


def test_an_update_through_data_goes_unseen_and_one_under_no_grad_is_caught():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    loss = (w * w * w).sum()
    w.data -= 0.5
    loss.backward()  # no error
    old, new = np.array([1.0, 2.0]), np.array([0.5, 1.5])
    np.testing.assert_allclose(w.grad.numpy(), old**2 + 2 * new**2)
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    loss = (w * w * w).sum()
    with torch.no_grad():
        w -= 0.5
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()
    # The old zeroing still works on the gradient itself.
    w.grad = torch.ones(2)
    w.grad.data.zero_()
    assert w.grad.tolist() == [0.0, 0.0]


def test_size_average_and_reduce_warn_and_become_reduction():
    prediction, target = torch.tensor([2.0, 4.0]), torch.tensor([1.0, 1.0])
    with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
        summed = nn.MSELoss(size_average=False)
    assert summed.reduction == "sum"
    assert summed(prediction, target).item() == 1.0 + 9.0
    with pytest.warns(UserWarning, match="reduction='none'"):
        per_element = nn.functional.mse_loss(prediction, target, reduce=False)
    assert per_element.tolist() == [1.0, 9.0]


def test_a_legacy_function_with_forward_self_raises_when_called():
    class MyReLU(torch.autograd.Function):
        def forward(self, input):
            self.save_for_backward(input)
            return input.clamp(min=0)

        def backward(self, grad_output):
            (input,) = self.saved_tensors
            return grad_output * (input > 0)

    with pytest.warns(DeprecationWarning, match="should not be instantiated"):
        relu = MyReLU()
    with pytest.raises(RuntimeError, match="Legacy autograd function with non-static forward"):
        relu(torch.tensor([-1.0, 2.0], requires_grad=True))
