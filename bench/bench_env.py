"""What every benchmark starts with: the tree's paths, the integration
harness on the import path, and the binaries of scripts/build.sh as the
harness's defaults (an environment that names others wins)."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
sys.path.insert(0, HERE)
os.environ.setdefault("MWX_AGENT", os.path.join(ROOT, "build", "mwagentx"))
os.environ.setdefault("MWX_MODULE", os.path.join(ROOT, "build", "mwagentx.so"))
os.environ.setdefault("MWX_MIB_DIR", os.path.join(ROOT, "mibs"))


def options(doc, **defaults):
    """The script's options, --NAME VALUE each, typed as its default, with
    the docstring as --help."""
    import argparse
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name, default in defaults.items():
        parser.add_argument(f"--{name}", type=type(default), default=default)
    return parser.parse_args()
