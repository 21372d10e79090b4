"""Link the PyTorch names in the examples' code to PyTorch's documentation, offline.

sphinx-gallery links every name in an example's code that it can resolve:
``nn.Linear`` becomes a link to the page of ``torch.nn.Linear``. It finds
targets in Sphinx's Python domain and in intersphinx inventories. PyTorch
publishes its inventory (``objects.inv``) on its documentation site, but this
build reads nothing from the internet, so this module writes an inventory of
its own, from the torch that is installed, and registers it with intersphinx
under the key ``torch``. The links it makes are ordinary links to
``pwe_torch_docs`` (conf.py); the pages load nothing from there.

An entry names an object by its public path (``torch.nn.Linear``, not
``torch.nn.modules.linear.Linear``) and points where PyTorch's documentation
(``docs/source`` in the PyTorch repository) documents it:

* most functions and classes have a page of their own,
  ``generated/<name>.html#<name>``;
* some modules are documented on one page, ``API_PAGES`` below;
* some objects are documented under another name or on another page,
  ``DOCUMENTED_AS`` (``torch.nn.Parameter`` as ``torch.nn.parameter.Parameter``,
  ``torch.Tensor`` on ``tensors.html``);
* a class's own methods and properties are documented on its page
  (``#torch.nn.Module.parameters``), except those of the classes in
  ``MEMBER_PAGES``, which have a page each (``torch.Tensor.backward``).

The walk takes only what those pages document: public names (``__all__``
where a module has one) of objects that have a docstring and are defined
in torch; hand-written lists where a page documents a chosen few. A name
left out is not linked, which is better than a link to a missing page.

The inventory goes beside the build's doctree folder, in the folder that
holds every language's (``build/doctrees``), and the two builds that start
together write it once: the first takes a lock, and the other waits for the
file instead of importing torch and walking its API as well. Its file name
carries torch's version and a digest of this module, so that a new torch,
or new rules here, change the configuration and Sphinx writes every page
again.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib
import inspect
import zlib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.errors import ExtensionError

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata

GENERATED = "generated"  # one page per object: generated/<name>.html
EXPORT_API = "user_guide/torch_compiler/export/api_reference.html"


@dataclass(frozen=True)
class ApiPage:
    """Where a module's objects are documented, and which of them."""

    module: str
    page: str = GENERATED
    names: tuple[str, ...] = ()  # listed by hand, as the page lists them
    walk: tuple[str, ...] = ()  # kinds taken from the module itself: "functions", "classes"


# In order: an object reachable from several modules is documented under the
# first (torch.conv1d is torch.nn.functional.conv1d, documented there).
API_PAGES = (
    ApiPage("torch.nn.functional", walk=("functions",)),
    ApiPage("torch.nn.init", "nn.init.html", names=(
        "calculate_gain", "uniform_", "normal_", "constant_", "ones_", "zeros_", "eye_", "dirac_",
        "xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_", "trunc_normal_",
        "orthogonal_", "sparse_")),
    ApiPage("torch.nn", walk=("classes",)),
    ApiPage("torch.optim.lr_scheduler", walk=("classes",)),
    ApiPage("torch.optim", walk=("classes",)),
    ApiPage("torch.autograd", names=("backward", "grad")),
    ApiPage("torch.utils.data", "data.html", names=(
        "DataLoader", "Dataset", "IterableDataset", "TensorDataset", "StackDataset", "ConcatDataset",
        "ChainDataset", "Subset", "default_collate", "default_convert", "get_worker_info", "random_split",
        "Sampler", "SequentialSampler", "RandomSampler", "SubsetRandomSampler", "WeightedRandomSampler",
        "BatchSampler")),
    ApiPage("torch.export", EXPORT_API, names=(
        "export", "ExportedProgram", "save", "load", "draft_export", "register_dataclass")),
    ApiPage("torch.onnx", "onnx_export.html", names=(
        "export", "ONNXProgram", "is_in_onnx_export", "OnnxExporterError")),
    ApiPage("torch.jit", names=(
        "script", "trace", "script_if_tracing", "trace_module", "fork", "wait", "ScriptModule",
        "ScriptFunction", "freeze", "optimize_for_inference", "save", "load", "ignore", "unused",
        "interface", "isinstance", "annotate")),
    ApiPage("torch.fft", walk=("functions",)),
    ApiPage("torch.linalg", walk=("functions",)),
    ApiPage("torch.accelerator", walk=("functions",)),
    ApiPage("torch", names=("Generator", "Stream", "Event", "no_grad", "enable_grad"), walk=("functions",)),
)

# public name -> (the name PyTorch documents it under, its page)
DOCUMENTED_AS = {
    "torch.Tensor": ("torch.Tensor", "tensors.html"),
    "torch.Size": ("torch.Size", "size.html"),
    "torch.dtype": ("torch.dtype", "tensor_attributes.html"),
    "torch.device": ("torch.device", "tensor_attributes.html"),
    "torch.layout": ("torch.layout", "tensor_attributes.html"),
    "torch.memory_format": ("torch.memory_format", "tensor_attributes.html"),
    "torch.inference_mode": ("torch.autograd.grad_mode.inference_mode", GENERATED),
    "torch.set_grad_enabled": ("torch.autograd.grad_mode.set_grad_enabled", GENERATED),
    "torch.nn.Parameter": ("torch.nn.parameter.Parameter", GENERATED),
    "torch.nn.Buffer": ("torch.nn.parameter.Buffer", GENERATED),
    "torch.nn.UninitializedParameter": ("torch.nn.parameter.UninitializedParameter", GENERATED),
    "torch.nn.UninitializedBuffer": ("torch.nn.parameter.UninitializedBuffer", GENERATED),
    "torch.nn.Flatten": ("torch.nn.modules.flatten.Flatten", GENERATED),
    "torch.nn.Unflatten": ("torch.nn.modules.flatten.Unflatten", GENERATED),
    "torch.optim.Optimizer": ("torch.optim.Optimizer", "optim.html"),
    "torch.autograd.Function": ("torch.autograd.Function", "autograd.html"),
    "torch.export.Dim": ("torch.export.dynamic_shapes.Dim", EXPORT_API),
    "torch.export.ShapesCollection": ("torch.export.dynamic_shapes.ShapesCollection", EXPORT_API),
    "torch.export.AdditionalInputs": ("torch.export.dynamic_shapes.AdditionalInputs", EXPORT_API),
    "torch.export.ExportGraphSignature": ("torch.export.graph_signature.ExportGraphSignature", EXPORT_API),
}

# Classes whose members have a page each: all of them (None), or these.
MEMBER_PAGES = {
    "torch.Tensor": None,
    "torch.optim.Optimizer": None,
    "torch.autograd.Function": ("forward", "backward", "jvp", "vmap"),
}
# Classes on a shared page that also documents their members.
MEMBERS_ON_SHARED_PAGE = {"torch.export.ExportedProgram", "torch.export.ExportGraphSignature",
                          "torch.onnx.ONNXProgram"}


@dataclass(frozen=True)
class Entry:
    """One line of the inventory."""

    name: str  # the public name, as code writes it
    role: str  # py:class, py:function, py:method, py:property
    uri: str  # relative to the documentation's root


def page_uri(documented: str, page: str) -> str:
    file = f"generated/{documented}.html" if page == GENERATED else page
    return f"{file}#{documented}"


def role_of(obj: object) -> str:
    if inspect.isclass(obj):
        return "py:class"
    if inspect.isdatadescriptor(obj):  # a property, or a C getset such as Tensor.shape
        return "py:property"
    return "py:function"


def resolve(name: str) -> object:
    """The object a dotted public name names, or None."""
    module_name, _, attribute = name.rpartition(".")
    try:
        return getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError):
        return None


def defined_in_torch(obj: object, module: str) -> bool:
    """Defined in this module, one of its submodules, or a namespace of torch's C core.

    Not a helper the module imports: torch.nn.functional.has_torch_function
    (from torch._C itself) and handle_torch_function (from torch.overrides)
    are documented nowhere under that name.
    """
    home = getattr(obj, "__module__", None) or ""
    return home in (module, "torch") or home.startswith((module + ".", "torch._C."))


def walked_names(module_name: str, kinds: tuple[str, ...]) -> list[str]:
    """The public, documented functions and/or classes of a module."""
    module = importlib.import_module(module_name)
    public = getattr(module, "__all__", None) or [n for n in dir(module) if not n.startswith("_")]
    names: list[str] = []
    for name in sorted(set(public)):
        obj = getattr(module, name, None)
        if name.startswith("_") or obj is None or not obj.__doc__ or not defined_in_torch(obj, module_name):
            continue
        if inspect.isclass(obj):
            kind = "classes"
        elif callable(obj) and not inspect.ismodule(obj):
            kind = "functions"
        else:
            continue
        if kind in kinds:
            names.append(name)
    return names


def documented_objects() -> list[tuple[str, str, str]]:
    """(public name, documented name, page) of every module-level object, first home first."""
    found = [(public, documented, page) for public, (documented, page) in DOCUMENTED_AS.items()]
    for api in API_PAGES:
        names = [*api.names, *walked_names(api.module, api.walk)] if api.walk else list(api.names)
        found += [(f"{api.module}.{name}", f"{api.module}.{name}", api.page) for name in names]
    return found


def member_entries(public: str, documented: str, page: str, cls: type) -> list[Entry]:
    """The documented methods and properties of a class."""
    own_pages = public in MEMBER_PAGES
    wanted = MEMBER_PAGES.get(public)
    names = wanted or (dir(cls) if own_pages else list(vars(cls)))
    entries: list[Entry] = []
    for name in sorted(set(names)):
        member = inspect.getattr_static(cls, name, None)
        if isinstance(member, (staticmethod, classmethod)):
            member = member.__func__
        if name.startswith("_") or member is None or inspect.isclass(member) or not getattr(member, "__doc__", None):
            continue
        role = "py:property" if inspect.isdatadescriptor(member) else "py:method"
        if role == "py:method" and not callable(member):
            continue  # a plain class attribute
        if own_pages:
            uri = page_uri(f"{documented}.{name}", GENERATED)
        else:
            uri = f"{page_uri(documented, page).partition('#')[0]}#{documented}.{name}"
        entries.append(Entry(f"{public}.{name}", role, uri))
    return entries


def inventory_entries() -> list[Entry]:
    """Every entry, each object at the page of its first home, sorted by name and role."""
    homes: dict[int, tuple[str, str]] = {}  # id(object) -> (documented name, page)
    entries: dict[str, Entry] = {}
    for public, documented, page in documented_objects():
        obj = resolve(public)
        if obj is None or public in entries:
            continue
        home_name, home_page = homes.setdefault(id(obj), (documented, page))
        entries[public] = Entry(public, role_of(obj), page_uri(home_name, home_page))
        shows_members = home_page == GENERATED or public in MEMBERS_ON_SHARED_PAGE or public in MEMBER_PAGES
        if inspect.isclass(obj) and shows_members:
            for member in member_entries(public, home_name, home_page, obj):
                entries.setdefault(member.name, member)
    return sorted(entries.values(), key=lambda entry: (entry.name, entry.role))


def inventory_bytes(entries: list[Entry], version: str) -> bytes:
    """A Sphinx inventory, version 2: four header lines, then zlib-compressed entries."""
    header = ("# Sphinx inventory version 2\n# Project: PyTorch\n"
              f"# Version: {version}\n# The remainder of this file is compressed using zlib.\n")
    body = "".join(f"{e.name} {e.role} 1 {e.uri} -\n" for e in entries)
    return header.encode() + zlib.compress(body.encode(), 9)


def inventory_path(doctree_dir: Path) -> Path:
    """Where the builds keep the inventory, beside their doctree folders; the name changes with
    torch and with this module."""
    rules = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
    return Path(doctree_dir).resolve().parent / f"torch-{metadata.version('torch')}-{rules}.inv"


def write_inventory(path: Path) -> None:
    """Write the inventory, unless a build already wrote this one or is writing it."""
    if path.is_file():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.with_name("torch-inventory.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or by the kernel if the build dies
        if path.is_file():
            return  # the other language's build wrote it while this one waited
        import torch

        entries = inventory_entries()
        if not entries:
            raise ExtensionError(f"torch_inventory: found no documented object in torch {torch.__version__}")
        for older in path.parent.glob("torch-*.inv"):  # from another torch, or other rules
            older.unlink()
        partial = path.with_suffix(".partial")
        partial.write_bytes(inventory_bytes(entries, torch.__version__))
        partial.replace(path)


def register_inventory(app: Sphinx, config: Config) -> None:
    docs_url = config.pwe_torch_docs
    if not docs_url.endswith("/"):
        raise ExtensionError(f"pwe_torch_docs in conf.py must end with '/': {docs_url!r}")
    path = inventory_path(app.doctreedir)
    write_inventory(path)
    config.intersphinx_mapping = {**config.intersphinx_mapping, "torch": (docs_url, str(path))}


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("sphinx.ext.intersphinx")
    app.add_config_value("pwe_torch_docs", "https://docs.pytorch.org/docs/stable/", "env", types=frozenset({str}))
    # Before intersphinx checks its mapping (config-inited, priority 800).
    app.connect("config-inited", register_inventory, priority=400)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
