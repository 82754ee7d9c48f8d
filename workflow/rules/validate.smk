rule validate_registry:
    input:
        **REGISTRY_FILES,
        sheets=[config["analyses"][analysis]["data"] for analysis in ANALYSES],
    output:
        "results/validated/registry.json",
    log:
        "logs/validate/registry.log",
    params:
        engine=ENGINE["validate_registry"],
        analyses=ANALYSES,
    run:
        job.validate_registry(input, output, params, wildcards, log)


rule validate_sheet:
    input:
        sheet=sheet_path,
        sources=config["sources"],
        excerpts=config["excerpts"],
    output:
        "results/validated/{analysis}.csv",
    log:
        "logs/validate/{analysis}.log",
    params:
        engine=ENGINE["validate_sheet"],
        # A parameter, not an input: editing one sheet updates datapackage.json, which must
        # not re-validate every other sheet. validate_registry checks every hash anyway.
        package=config["datapackage"],
        measure=measure_of,
        subgroup=subgroup_of,
        multiarm=multiarm_of,
    run:
        job.validate_sheet(input, output, params, wildcards, log)
