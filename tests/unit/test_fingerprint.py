"""Per-job code fingerprints (rlsevidence.fingerprint): what each workflow job depends on."""

from rlsevidence.fingerprint import ROOT, dependencies


def names(entry):
    return {p.relative_to(ROOT).as_posix() for p in dependencies(entry)}


def test_the_report_depends_on_its_template_and_no_job_else_does():
    assert "templates/report.html.j2" in names("report.py")
    for job in ("jobs/pool.py", "jobs/claims.py", "jobs/grade.py", "jobs/validate.py"):
        assert "templates/report.html.j2" not in names(job), job


def test_jobs_depend_on_the_modules_they_import_lazily_and_transitively():
    pool = names("jobs/pool.py")
    # pool_analysis imports analysis (which imports pooling) and bayes inside the function
    assert {"jobs/pool.py", "analysis.py", "pooling.py", "bayes.py", "sensitivity.py"} <= pool
    assert "assess/rule.py" not in pool and "report.py" not in pool
    assert {"assess/rule.py", "assess/evidence.py", "headline.py"} <= names("jobs/claims.py")
