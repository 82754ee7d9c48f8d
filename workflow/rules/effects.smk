rule effects:
    input:
        "results/validated/{analysis}.csv",
    output:
        "results/effects/{analysis}.csv",
    log:
        "logs/effects/{analysis}.log",
    conda:
        "../envs/rlsevidence.yaml"
    params:
        engine=ENGINE["effects"],
        settings=analysis_settings,
    script:
        "../scripts/effects.py"
