from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def assert_no_axe_violations(page) -> None:
    """Run axe-core (all rules, WCAG 2.1 A/AA and best practices) and fail with a readable list."""
    results = _axe.run(page)
    violations = results.response["violations"]
    if not violations:
        return
    lines = [f"axe-core found {len(violations)} violation(s) on {page.url}:"]
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['failureSummary']}")
    raise AssertionError("\n".join(lines))
