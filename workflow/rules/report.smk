rule report:
    input:
        claims="results/claims.json",
        jsonld="results/claims.jsonld",
        article=config["article"],
        pooled=analysis_outputs("pooled.json"),
        grade=analysis_outputs("grade.json"),
        bias=analysis_outputs("bias.json"),
        leave1out=analysis_outputs("leave1out.csv"),
        forest=analysis_outputs("forest.svg"),
        funnel=analysis_outputs("funnel.svg"),
        sheets=expand("results/validated/{analysis}.csv", analysis=ANALYSES),
        reproductions=expand(
            "results/analyses/{analysis}/reproduction.json", analysis=REPRODUCTIONS
        ),
        effects=expand("results/effects/{analysis}.csv", analysis=ANALYSES),
        sources=config["sources"],
        published=config["published"],
        not_found=config["not_found"],
    output:
        report(
            "results/report/index.html",
            caption="../report/index.rst",
            category="Report",
        ),
    log:
        "logs/report.log",
    params:
        engine=ENGINE["report"],
        analyses=ANALYSES,
        meta=all_analysis_meta(),
        config=config,
    run:
        job.report(input, output, params, wildcards, log)
