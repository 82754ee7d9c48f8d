rule claims:
    input:
        registry="results/validated/registry.json",
        claims=config["claims"],
        propositions=config["propositions"],
        claim_evidence=config["claim_evidence"],
        sources=config["sources"],
        excerpts=config["excerpts"],
        pooled=analysis_outputs("pooled.json"),
        grade=analysis_outputs("grade.json"),
    output:
        claims=report(
            "results/claims.json",
            caption="../report/claims.rst",
            category="Claims",
        ),
        jsonld="results/claims.jsonld",
    log:
        "logs/claims.log",
    params:
        engine=ENGINE["claims"],
        analyses=ANALYSES,
        meta=all_analysis_meta(),
        report_url=config["report_url"],
        article=config["article_page"],
        snapshot=config["data_snapshot"],
    run:
        job.claims(input, output, params, wildcards, log)
