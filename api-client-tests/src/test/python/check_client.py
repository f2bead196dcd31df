"""Static checks of the Python client openapi-generator wrote, for a machine without its dependencies.

usage: python3 check_client.py CLIENT_DIR PACKAGE

PyPI is out of reach here, so pydantic, urllib3, python-dateutil and typing-extensions cannot be installed and the
package cannot be imported. What can be checked without them, on every .py file under CLIENT_DIR (the package, its
generated tests, setup.py), with the standard library's ast module:
- it parses (the caller also byte-compiles the tree with compileall);
- every import of PACKAGE (absolute or relative) names a module the generator wrote, and every name imported from it
  is defined at that module's top level (a class, function, assignment or import) or is one of its submodules;
- every other import is the standard library's or one of the distributions the client declares (setup.py's REQUIRES).
Exit status 1 and one line per problem when anything fails.
"""

import ast
import sys
from pathlib import Path

# top-level modules of what the generated setup.py requires (pydantic brings pydantic_core), and setup.py's setuptools
DECLARED = {"pydantic", "pydantic_core", "urllib3", "dateutil", "typing_extensions", "setuptools"}


def module_path(root: Path, dotted: str):
    base = root.joinpath(*dotted.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def top_level_names(tree: ast.Module) -> set:
    names = set()
    for node in ast.walk(tree):  # includes names bound under if/try at module level, and harmless extras
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def main(client_dir: str, package: str) -> int:
    root = Path(client_dir)
    files = sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)
    if not module_path(root, package):
        print(f"{root}: no package {package}")
        return 1
    trees, problems = {}, []
    for f in files:
        try:
            trees[f] = ast.parse(f.read_text(encoding="utf-8"), filename=str(f))
        except SyntaxError as e:
            problems.append(f"{f}:{e.lineno}: {e.msg}")
    names_of = {}
    for f, tree in trees.items():
        rel = f.relative_to(root)
        own = ".".join(rel.with_suffix("").parts[:-1] if rel.name == "__init__.py" else rel.with_suffix("").parts)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [(a.name, []) for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                mod = node.module or ""
                if node.level:
                    parts = own.split(".")[: len(own.split(".")) - node.level + (1 if rel.name == "__init__.py" else 0)]
                    mod = ".".join(parts + ([mod] if mod else []))
                targets = [(mod, [a.name for a in node.names])]
            else:
                continue
            for mod, imported in targets:
                top = mod.split(".")[0]
                if top == package or (top == "test" and f.parts[len(root.parts)] == "test"):
                    target = module_path(root, mod)
                    if target is None:
                        problems.append(f"{f}:{node.lineno}: imports {mod}, which the generator did not write")
                        continue
                    if target not in names_of:
                        names_of[target] = top_level_names(trees[target]) if target in trees else set()
                    for name in imported:
                        if name != "*" and name not in names_of[target] and not module_path(root, f"{mod}.{name}"):
                            problems.append(f"{f}:{node.lineno}: {mod} defines no {name}")
                elif top not in sys.stdlib_module_names and top not in DECLARED and top != "test":
                    problems.append(f"{f}:{node.lineno}: imports {mod}, neither standard nor a declared requirement")
    for p in problems:
        print(p)
    print(f"{len(files)} files, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
