rule grade:
    input:
        sheet="results/validated/{analysis}.csv",
        pooled="results/analyses/{analysis}/pooled.json",
        bias="results/analyses/{analysis}/bias.json",
        published=config["published"],
    output:
        "results/analyses/{analysis}/grade.json",
    log:
        "logs/grade/{analysis}.log",
    conda:
        "../envs/rlsevidence.yaml"
    params:
        engine=ENGINE,
        settings=analysis_settings,
        thresholds=config["grade"],
    script:
        "../scripts/grade.py"
