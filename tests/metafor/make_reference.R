#!/usr/bin/env Rscript
## Reference numbers from R metafor for the rls-evidence Python meta-analysis engine.
## Usage: Rscript make_reference.R reference.json
## Byte-stable: no timestamps, no random numbers, deterministic ordering.
## See NOTES.md for the formulas and quirks.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
out_path <- if (length(args) >= 1) args[1] else "reference.json"

LEVEL <- 95
## Tight convergence control. metafor's defaults (threshold = 1e-5 for the
## Fisher scoring of ML/REML/EB, tol = .Machine$double.eps^0.25 ~ 1.2e-4 for
## uniroot in PM and in the Q-profile CI) are too loose for a 1e-6 relative
## comparison (PM tau2 on dat.bcg RR is off by ~8e-5 relative, the Q-profile
## lower bound by ~2e-4).  "result" therefore uses CTRL / CI_CTRL;
## "result_default_control" (random-effects fits only) shows what plain
## rma()/confint() with metafor defaults return.
CTRL    <- list(threshold = 1e-14, tol = 1e-14, maxiter = 10000)
CI_CTRL <- list(tol = 1e-14, maxiter = 10000)

## ------------------------------------------------------------------ JSON helpers
## jsonlite's digits = NA prints only 15 significant digits, which does not
## round-trip a double.  Numbers are therefore rendered here with the shortest
## of %.15g / %.16g / %.17g that parses back to the identical double and are
## inserted verbatim (json_verbatim = TRUE).  NA / NaN / +-Inf -> null.
fmt1 <- function(v) {
  if (is.na(v) || !is.finite(v)) return("null")
  for (d in 15:17) {
    s <- sprintf(paste0("%.", d, "g"), v)
    if (as.numeric(s) == v) break
  }
  s
}
J    <- function(s) structure(s, class = "json")
num  <- function(x) {              # scalar number (or null)
  if (is.null(x) || length(x) == 0) return(NULL)
  x <- unname(as.numeric(x))[1]
  J(fmt1(x))
}
numv <- function(x) {              # always a JSON array
  if (is.null(x)) return(NULL)
  x <- unname(as.numeric(x))
  J(paste0("[", paste(vapply(x, fmt1, ""), collapse = ","), "]"))
}
intv <- function(x) J(paste0("[", paste(as.integer(x), collapse = ","), "]"))
strv <- function(x) J(as.character(toJSON(as.character(x))))

## run an expression, collecting warnings (muffled) and errors
capture <- function(expr) {
  warns <- character(0)
  val <- withCallingHandlers(
    tryCatch(expr, error = function(e) structure(list(msg = conditionMessage(e)),
                                                 class = "caught_error")),
    warning = function(w) {
      warns <<- c(warns, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  err <- if (inherits(val, "caught_error")) val$msg else NULL
  list(value = if (is.null(err)) val else NULL, warnings = unique(warns), error = err)
}
add_diag <- function(obj, cap, prefix = "") {
  if (length(cap$warnings)) obj[[paste0(prefix, "warning")]] <- paste(cap$warnings, collapse = " | ")
  if (!is.null(cap$error)) obj[[paste0(prefix, "error")]] <- cap$error
  obj
}

crit_t <- function(df) qt(1 - (1 - LEVEL / 100) / 2, df)

## ------------------------------------------------------------------ datasets
bcg <- with(dat.bcg, data.frame(events1 = tpos, n1 = tpos + tneg,
                                events2 = cpos, n2 = cpos + cneg,
                                year = year, alloc = as.character(alloc),
                                stringsAsFactors = FALSE))
normand <- with(dat.normand1999, data.frame(n1 = n1i, mean1 = m1i, sd1 = sd1i,
                                            n2 = n2i, mean2 = m2i, sd2 = sd2i))
pritz <- with(dat.pritz1997, data.frame(events = xi, n = ni))
hack <- with(dat.hackshaw1998, data.frame(yi = yi, vi = vi))
li <- with(dat.li2007, data.frame(events1 = ai, n1 = n1i, events2 = ci, n2 = n2i))
yus_raw <- dat.yusuf1985[dat.yusuf1985$table == "6", ]
yus_raw <- yus_raw[complete.cases(yus_raw[, c("ai", "n1i", "ci", "n2i")]), ]   # drops "Snow 1" (all NA)
yusuf <- with(yus_raw, data.frame(events1 = ai, n1 = n1i, events2 = ci, n2 = n2i))
## constructed binary data: study 1 double-zero, study 4 single-zero
dz <- data.frame(events1 = c(0, 3, 5, 0, 12), n1 = c(20, 40, 50, 30, 100),
                 events2 = c(0, 6, 9, 2, 20), n2 = c(22, 38, 55, 31, 100))

data_json <- function(d, cols) {
  out <- list()
  for (cc in cols) out[[cc]] <- numv(d[[cc]])
  out
}
BIN_COLS  <- c("events1", "n1", "events2", "n2")
CONT_COLS <- c("n1", "mean1", "sd1", "n2", "mean2", "sd2")
PROP_COLS <- c("events", "n")
GEN_COLS  <- c("yi", "vi")

## escalc with metafor defaults (add = 1/2, to = "only0", drop00 = FALSE, vtype = "LS")
do_escalc <- function(measure, d) {
  if (measure %in% c("RR", "OR", "RD", "PETO"))
    return(escalc(measure = measure, ai = d$events1, n1i = d$n1, ci = d$events2, n2i = d$n2))
  if (measure %in% c("MD", "SMD"))
    return(escalc(measure = measure, m1i = d$mean1, sd1i = d$sd1, n1i = d$n1,
                  m2i = d$mean2, sd2i = d$sd2, n2i = d$n2))
  if (measure %in% c("PR", "PLO", "PFT"))
    return(escalc(measure = measure, xi = d$events, ni = d$n))
  if (measure == "GEN")
    return(escalc(measure = "GEN", yi = d$yi, vi = d$vi))
  stop("unknown measure")
}

backtransf_spec <- function(measure, d) {
  if (measure %in% c("RR", "OR")) return(list(f = exp, targs = NULL))
  if (measure == "PLO") return(list(f = transf.ilogit, targs = NULL))
  if (measure == "PFT") return(list(f = transf.ipft.hm, targs = list(ni = d$n)))
  if (measure == "PR") return(list(f = "identity", targs = NULL))
  NULL
}

FE_LIKE <- c("FE", "MH", "PETO")

## ------------------------------------------------------------------ summarising an rma.uni fit
summ_uni <- function(res, method, bt, ci_control) {
  is_re <- !(method %in% FE_LIKE)
  k <- res$k
  r <- list(k = k,
            estimate = num(coef(res)), se = num(res$se),
            ci_lower = num(res$ci.lb), ci_upper = num(res$ci.ub),
            pvalue = num(res$pval), zval = num(res$zval),
            tau2 = if (is_re) num(res$tau2) else NULL,
            tau2_ci_lower = NULL, tau2_ci_upper = NULL,
            i2 = num(res$I2), h2 = num(res$H2),
            q = num(res$QE), q_df = k - 1L, q_pvalue = num(res$QEp),
            pi_lower = NULL, pi_upper = NULL,
            backtransformed = NULL)
  if (res$test != "z") r$df <- res$ddf
  if (is_re) r$se_tau2 <- num(res$se.tau2)
  if (is_re) r$vt <- num(res$vt)
  diag <- list()
  ## tau2 CI (Q-profile, the default type)
  if (is_re) {
    cc <- if (is.null(ci_control)) capture(confint(res)) else capture(confint(res, control = ci_control))
    if (is.null(cc$error)) {
      rr <- cc$value$random
      r$tau2_ci_lower <- num(rr["tau^2", "ci.lb"])
      r$tau2_ci_upper <- num(rr["tau^2", "ci.ub"])
      r$i2_ci_lower <- num(rr["I^2(%)", "ci.lb"])
      r$i2_ci_upper <- num(rr["I^2(%)", "ci.ub"])
    }
    diag <- add_diag(diag, cc, "confint_")
  }
  ## prediction interval
  pc <- capture(predict(res))
  if (is.null(pc$error)) {
    pr <- pc$value
    if (is_re) {
      r$pi_lower <- num(pr$pi.lb); r$pi_upper <- num(pr$pi.ub)
    } else {
      r$pi_lower <- num(res$ci.lb); r$pi_upper <- num(res$ci.ub)
      r$pi_is_ci <- TRUE
    }
  }
  diag <- add_diag(diag, pc, "predict_")
  ## back-transformation
  if (!is.null(bt)) {
    if (identical(bt$f, "identity")) {
      r$backtransformed <- list(estimate = r$estimate, ci_lower = r$ci_lower, ci_upper = r$ci_upper,
                                pi_lower = r$pi_lower, pi_upper = r$pi_upper)
    } else {
      tc <- if (is.null(bt$targs)) capture(predict(res, transf = bt$f))
            else capture(predict(res, transf = bt$f, targs = bt$targs))
      if (is.null(tc$error)) {
        tp <- tc$value
        b <- list(estimate = num(tp$pred), ci_lower = num(tp$ci.lb), ci_upper = num(tp$ci.ub))
        if (is_re) { b$pi_lower <- num(tp$pi.lb); b$pi_upper <- num(tp$pi.ub) }
        else       { b$pi_lower <- b$ci_lower;    b$pi_upper <- b$ci_upper }
        r$backtransformed <- b
      }
      diag <- add_diag(diag, tc, "backtransform_")
    }
  }
  ## Higgins et al. 2009 t-based PI (k - 2 df) for random-effects models
  if (is_re) {
    if (k >= 3) {
      half <- crit_t(k - 2) * sqrt(res$tau2 + res$se^2)
      r$pi_t_k2 <- list(lower = num(coef(res) - half), upper = num(coef(res) + half))
    } else {
      r$pi_t_k2 <- NULL
      r["pi_t_k2"] <- list(NULL)
    }
  }
  list(result = r, diag = diag)
}

## count Fisher-scoring iterations (ML/REML) from metafor's verbose output
fisher_iterations <- function(yi, vi, method, test, control) {
  if (!(method %in% c("ML", "REML"))) return(NULL)
  txt <- capture.output(suppressWarnings(try(
    rma(yi = yi, vi = vi, method = method, test = test, control = control, verbose = TRUE),
    silent = TRUE)))
  m <- regmatches(txt, regexpr("converged after [0-9]+ iterations", txt))
  if (length(m) == 0) return(NULL)
  as.integer(gsub("[^0-9]", "", m[1]))
}

## Fit with the tight control.  An absolute threshold of 1e-14 is below the
## floating-point resolution when tau2 is large (e.g. dat.normand1999 MD,
## tau2 ~ 700), where Fisher scoring then never meets it; in that case the
## threshold is relaxed by factors of 10 (deterministically) until it converges.
tight_ctrl <- function(yi, vi, method) {
  for (e in -14:-6) {
    ctrl <- modifyList(CTRL, list(threshold = 10^e))
    ok <- !inherits(try(suppressWarnings(rma(yi = yi, vi = vi, method = method, control = ctrl)),
                        silent = TRUE), "try-error")
    if (ok) return(ctrl)
  }
  CTRL
}
fit_tight <- function(yi, vi, method, test, mods = NULL) {
  ctrl <- tight_ctrl(yi, vi, method)
  cap <- if (is.null(mods)) capture(rma(yi = yi, vi = vi, method = method, test = test, level = LEVEL, control = ctrl))
         else capture(rma(yi = yi, vi = vi, mods = mods, method = method, test = test, level = LEVEL, control = ctrl))
  list(cap = cap, ctrl = ctrl)
}

## ------------------------------------------------------------------ one pool case
pool_case <- function(id, dataset, measure, method, hk, d, cols, note = NULL) {
  esc <- do_escalc(measure, d)
  case <- list(id = id, dataset = dataset, measure = measure, method = method,
               hk = hk, level = LEVEL, data = data_json(d, cols),
               escalc = list(yi = numv(esc$yi), vi = numv(esc$vi)))
  if (!is.null(note)) case$note <- note
  bt <- backtransf_spec(measure, d)
  is_bin <- measure %in% c("RR", "OR", "RD")
  if (method %in% c("MH", "PETO")) {
    if (method == "PETO") {
      ep <- do_escalc("PETO", d)
      case$escalc_peto <- list(yi = numv(ep$yi), vi = numv(ep$vi))
      cap <- capture(rma.peto(ai = d$events1, n1i = d$n1, ci = d$events2, n2i = d$n2, level = LEVEL))
    } else {
      cap <- capture(rma.mh(ai = d$events1, n1i = d$n1, ci = d$events2, n2i = d$n2,
                            measure = measure, level = LEVEL))
    }
    case <- add_diag(case, cap)
    if (!is.null(cap$error)) { case$converged <- FALSE; case$result <- NULL; case["result"] <- list(NULL); return(case) }
    res <- cap$value
    r <- list(k = res$k,
              estimate = num(coef(res)), se = num(res$se),
              ci_lower = num(res$ci.lb), ci_upper = num(res$ci.ub),
              pvalue = num(res$pval), zval = num(res$zval),
              tau2 = NULL, tau2_ci_lower = NULL, tau2_ci_upper = NULL,
              i2 = num(res$I2), h2 = num(res$H2),
              q = num(res$QE), q_df = res$k.yi - 1L, q_pvalue = num(res$QEp),
              pi_lower = num(res$ci.lb), pi_upper = num(res$ci.ub), pi_is_ci = TRUE,
              k_yi = res$k.yi, k_pos = if (is.na(res$k.pos)) NULL else res$k.pos,
              backtransformed = NULL)
    if (method == "MH") {
      r$mh_tests <- list(CO = num(res$CO), COp = num(res$COp), MH = num(res$MH), MHp = num(res$MHp),
                         BD = num(res$BD), BDp = num(res$BDp), TA = num(res$TA), TAp = num(res$TAp))
    }
    if (!is.null(bt)) {
      tc <- capture(predict(res, transf = bt$f))
      if (is.null(tc$error)) {
        tp <- tc$value
        r$backtransformed <- list(estimate = num(tp$pred), ci_lower = num(tp$ci.lb), ci_upper = num(tp$ci.ub),
                                  pi_lower = num(tp$ci.lb), pi_upper = num(tp$ci.ub))
      }
      case <- add_diag(case, tc, "backtransform_")
    }
    for (nm in c("tau2", "tau2_ci_lower", "tau2_ci_upper")) r[nm] <- list(NULL)
    if (is.null(r$backtransformed)) r["backtransformed"] <- list(NULL)
    case$converged <- TRUE
    case$result <- r
    return(case)
  }
  test <- if (hk) "knha" else "z"
  yi <- as.numeric(esc$yi); vi <- as.numeric(esc$vi)
  ft <- fit_tight(yi, vi, method, test)
  cap <- ft$cap
  case <- add_diag(case, cap)
  if (!is.null(cap$error)) { case$converged <- FALSE; case["result"] <- list(NULL); return(case) }
  case$converged <- TRUE
  if (ft$ctrl$threshold != CTRL$threshold) case$threshold_used <- num(ft$ctrl$threshold)
  it <- fisher_iterations(yi, vi, method, test, ft$ctrl)
  if (!is.null(it)) case$iterations <- it
  s <- summ_uni(cap$value, method, bt, CI_CTRL)
  r <- s$result
  for (nm in c("tau2", "tau2_ci_lower", "tau2_ci_upper", "pi_lower", "pi_upper", "backtransformed"))
    if (is.null(r[[nm]])) r[nm] <- list(NULL)
  case$result <- r
  case <- c(case, s$diag)
  ## same fit with metafor's default control (random-effects only)
  if (!(method %in% FE_LIKE)) {
    capd <- capture(rma(yi = yi, vi = vi, method = method, test = test, level = LEVEL))
    if (is.null(capd$error)) {
      sd <- summ_uni(capd$value, method, bt, NULL)
      rd <- sd$result
      for (nm in c("tau2", "tau2_ci_lower", "tau2_ci_upper", "pi_lower", "pi_upper", "backtransformed"))
        if (is.null(rd[[nm]])) rd[nm] <- list(NULL)
      case$result_default_control <- rd
    } else {
      case$result_default_control_error <- capd$error
    }
  }
  case
}

## ------------------------------------------------------------------ POOL
pool <- list()
add_pool <- function(x) pool[[length(pool) + 1]] <<- x
RE_METHODS <- c("DL", "REML", "PM", "ML", "HE", "SJ")
hk_tag <- function(hk) if (hk) "hk" else "z"

## dat.bcg: RR, OR, RD x FE + 6 RE x hk; MH RR/OR/RD; PETO OR
for (ms in c("RR", "OR", "RD")) {
  for (mt in c("FE", RE_METHODS)) for (hk in c(FALSE, TRUE))
    add_pool(pool_case(sprintf("bcg_%s_%s_%s", ms, mt, hk_tag(hk)), "dat.bcg", ms, mt, hk, bcg, BIN_COLS))
  add_pool(pool_case(sprintf("bcg_%s_MH", ms), "dat.bcg", ms, "MH", FALSE, bcg, BIN_COLS))
}
add_pool(pool_case("bcg_OR_PETO", "dat.bcg", "OR", "PETO", FALSE, bcg, BIN_COLS))

## dat.normand1999: MD, SMD
for (ms in c("MD", "SMD")) for (mt in c("FE", RE_METHODS)) for (hk in c(FALSE, TRUE))
  add_pool(pool_case(sprintf("normand_%s_%s_%s", ms, mt, hk_tag(hk)), "dat.normand1999", ms, mt, hk,
                     normand, CONT_COLS))

## dat.pritz1997: PR, PLO, PFT
for (ms in c("PR", "PLO", "PFT")) for (mt in c("FE", "DL", "REML", "PM")) for (hk in c(FALSE, TRUE))
  add_pool(pool_case(sprintf("pritz_%s_%s_%s", ms, mt, hk_tag(hk)), "dat.pritz1997", ms, mt, hk,
                     pritz, PROP_COLS))

## dat.hackshaw1998: GEN
for (mt in c("FE", "DL", "REML", "PM")) for (hk in c(FALSE, TRUE))
  add_pool(pool_case(sprintf("hackshaw_GEN_%s_%s", mt, hk_tag(hk)), "dat.hackshaw1998", "GEN", mt, hk,
                     hack, GEN_COLS))

## dat.li2007 (single-zero studies, no double-zero study)
for (ms in c("OR", "RR")) {
  add_pool(pool_case(sprintf("li2007_%s_MH", ms), "dat.li2007", ms, "MH", FALSE, li, BIN_COLS))
  for (mt in c("FE", "DL")) for (hk in c(FALSE, TRUE))
    add_pool(pool_case(sprintf("li2007_%s_%s_%s", ms, mt, hk_tag(hk)), "dat.li2007", ms, mt, hk, li, BIN_COLS))
}
add_pool(pool_case("li2007_OR_PETO", "dat.li2007", "OR", "PETO", FALSE, li, BIN_COLS))

## dat.yusuf1985 table 6 (row "Snow 1" with all-NA counts removed; k = 21, 3 double-zero studies)
yus_note <- "subset(dat.yusuf1985, table == '6') with the all-NA row 'Snow 1' removed"
add_pool(pool_case("yusuf1985_t6_OR_PETO", "dat.yusuf1985", "OR", "PETO", FALSE, yusuf, BIN_COLS, yus_note))
add_pool(pool_case("yusuf1985_t6_OR_MH", "dat.yusuf1985", "OR", "MH", FALSE, yusuf, BIN_COLS, yus_note))
for (mt in c("FE", "DL"))
  add_pool(pool_case(sprintf("yusuf1985_t6_OR_%s_z", mt), "dat.yusuf1985", "OR", mt, FALSE, yusuf, BIN_COLS, yus_note))

## constructed double-zero data
dz_note <- "constructed: study 1 is double-zero (0/20 vs 0/22), study 4 single-zero (0/30 vs 2/31)"
for (ms in c("OR", "RR")) {
  add_pool(pool_case(sprintf("edge_doublezero_%s_MH", ms), "constructed", ms, "MH", FALSE, dz, BIN_COLS, dz_note))
  for (mt in c("FE", "DL"))
    add_pool(pool_case(sprintf("edge_doublezero_%s_%s_z", ms, mt), "constructed", ms, mt, FALSE, dz, BIN_COLS, dz_note))
}
add_pool(pool_case("edge_doublezero_OR_PETO", "constructed", "OR", "PETO", FALSE, dz, BIN_COLS, dz_note))

## edge cases (GEN)
e_k1 <- data.frame(yi = 0.5, vi = 0.04)
for (mt in c("FE", "DL", "REML"))
  add_pool(pool_case(sprintf("edge_k1_%s_z", mt), "constructed", "GEN", mt, FALSE, e_k1, GEN_COLS,
                     "k = 1"))
e_k2 <- data.frame(yi = c(0.2, 0.6), vi = c(0.05, 0.08))
for (mt in c("DL", "REML")) for (hk in c(FALSE, TRUE))
  add_pool(pool_case(sprintf("edge_k2_%s_%s", mt, hk_tag(hk)), "constructed", "GEN", mt, hk, e_k2, GEN_COLS,
                     "k = 2"))
e_id <- data.frame(yi = rep(0.3, 4), vi = c(0.01, 0.02, 0.03, 0.04))
for (mt in c("FE", "DL", "REML")) for (hk in c(FALSE, TRUE))
  add_pool(pool_case(sprintf("edge_identical_%s_%s", mt, hk_tag(hk)), "constructed", "GEN", mt, hk, e_id, GEN_COLS,
                     "identical effects: Q = 0, tau2 = 0; with hk metafor sets s2w = 0 so se = 0"))
e_wide <- data.frame(yi = c(0.1, 0.5, -0.2, 0.3, 0.05), vi = c(1e-5, 1e-4, 1e-2, 1e-1, 1e1))
for (mt in c("FE", "DL", "REML", "PM", "SJ", "HE", "ML")) for (hk in c(FALSE, TRUE))
  add_pool(pool_case(sprintf("edge_widevar_%s_%s", mt, hk_tag(hk)), "constructed", "GEN", mt, hk, e_wide, GEN_COLS,
                     "sampling variances span six orders of magnitude (1e-5 .. 1e1)"))

## ------------------------------------------------------------------ BIAS
bias_case <- function(id, dataset, measure, method, d, cols) {
  esc <- do_escalc(measure, d)
  yi <- as.numeric(esc$yi); vi <- as.numeric(esc$vi)
  ctrl <- tight_ctrl(yi, vi, method)
  res <- rma(yi = yi, vi = vi, method = method, level = LEVEL, control = ctrl)
  b <- list(id = id, dataset = dataset, measure = measure, method = method,
            data = data_json(d, cols), escalc = list(yi = numv(yi), vi = numv(vi)),
            model = list(estimate = num(coef(res)), se = num(res$se),
                         tau2 = if (method %in% FE_LIKE) NULL else num(res$tau2)))
  if (is.null(b$model$tau2)) b$model["tau2"] <- list(NULL)
  ## Egger (classic, weighted least squares lm)
  eg <- capture(regtest(res, model = "lm", predictor = "sei", ret.fit = TRUE))
  if (is.null(eg$error)) {
    rt <- eg$value
    cf <- coef(summary(rt$fit))
    b$egger <- list(t = num(rt$zval), df = rt$dfs, pvalue = num(rt$pval),
                    intercept = num(cf["Xsei", "Estimate"]),
                    intercept_se = num(cf["Xsei", "Std. Error"]),
                    limit_estimate = num(rt$est),
                    limit_se = num(cf["Xintrcpt", "Std. Error"]),
                    limit_ci_lower = num(rt$ci.lb), limit_ci_upper = num(rt$ci.ub),
                    residual_sigma = num(summary(rt$fit)$sigma),
                    lm_coef_names = strv(rownames(cf)))
  }
  b <- add_diag(b, eg, "egger_")
  ## Egger with model = "rma" (metafor's default regtest), for information
  eg2 <- capture(regtest(res, predictor = "sei"))
  if (is.null(eg2$error)) {
    rt2 <- eg2$value
    b$egger_rma_default <- list(zval = num(rt2$zval), pvalue = num(rt2$pval),
                                limit_estimate = num(rt2$est),
                                limit_ci_lower = num(rt2$ci.lb), limit_ci_upper = num(rt2$ci.ub),
                                slope_sei = num(coef(rt2$fit)[2]), tau2 = num(rt2$fit$tau2))
  }
  b <- add_diag(b, eg2, "egger_rma_")
  ## Begg & Mazumdar rank correlation
  rk <- capture(ranktest(res))
  if (is.null(rk$error)) {
    wi <- 1 / vi; theta <- sum(wi * yi) / sum(wi); vb <- 1 / sum(wi)
    ystar <- (yi - theta) / sqrt(vi - vb)
    ties <- min(length(unique(ystar)), length(unique(vi))) < length(yi)
    b$begg <- list(tau = num(rk$value$tau), pvalue = num(rk$value$pval),
                   exact = !ties, n = length(yi))
  }
  b <- add_diag(b, rk, "begg_")
  ## Trim and fill (estimator L0)
  tf <- capture(trimfill(res, control = ctrl))
  if (is.null(tf$error)) {
    t <- tf$value
    b$trimfill <- list(k0 = t$k0, side = t$side, estimate = num(coef(t)), se = num(t$se),
                       ci_lower = num(t$ci.lb), ci_upper = num(t$ci.ub), pvalue = num(t$pval),
                       se_k0 = num(t$se.k0), k = t$k,
                       tau2 = if (method %in% FE_LIKE) NULL else num(t$tau2),
                       filled_yi = numv(t$yi), filled_vi = numv(t$vi), fill = t$fill)
    if (is.null(b$trimfill$tau2)) b$trimfill["tau2"] <- list(NULL)
    ## slope used for side selection
    sd <- suppressWarnings(rma(yi = yi, vi = vi, mods = sqrt(vi), method = method, control = ctrl))
    b$trimfill$side_slope_sqrtvi <- num(sd$beta[2])
  }
  b <- add_diag(b, tf, "trimfill_")
  b
}
bias <- list(
  bias_case("hackshaw_GEN_FE", "dat.hackshaw1998", "GEN", "FE", hack, GEN_COLS),
  bias_case("hackshaw_GEN_REML", "dat.hackshaw1998", "GEN", "REML", hack, GEN_COLS),
  bias_case("bcg_RR_REML", "dat.bcg", "RR", "REML", bcg, BIN_COLS),
  bias_case("bcg_RR_DL", "dat.bcg", "RR", "DL", bcg, BIN_COLS),
  bias_case("pritz_PLO_REML", "dat.pritz1997", "PLO", "REML", pritz, PROP_COLS)
)

## ------------------------------------------------------------------ LEAVE-ONE-OUT
l1o_case <- function(id, dataset, measure, method, d, cols) {
  esc <- do_escalc(measure, d)
  yi <- as.numeric(esc$yi); vi <- as.numeric(esc$vi)
  res <- rma(yi = yi, vi = vi, method = method, level = LEVEL, control = tight_ctrl(yi, vi, method))
  l <- leave1out(res)
  rows <- lapply(seq_along(l$estimate), function(i) {
    rw <- list(omitted = i - 1L, estimate = num(l$estimate[i]), se = num(l$se[i]),
               ci_lower = num(l$ci.lb[i]), ci_upper = num(l$ci.ub[i]), pvalue = num(l$pval[i]),
               tau2 = num(l$tau2[i]), i2 = num(l$I2[i]), h2 = num(l$H2[i]),
               q = num(l$Q[i]), q_pvalue = num(l$Qp[i]))
    rw
  })
  list(id = id, dataset = dataset, measure = measure, method = method, hk = FALSE,
       data = data_json(d, cols), escalc = list(yi = numv(yi), vi = numv(vi)), rows = rows)
}
leave1out_list <- list(
  l1o_case("bcg_RR_REML", "dat.bcg", "RR", "REML", bcg, BIN_COLS),
  l1o_case("normand_MD_DL", "dat.normand1999", "MD", "DL", normand, CONT_COLS)
)

## ------------------------------------------------------------------ CUMULATIVE
cum_case <- function(id, dataset, measure, method, d, cols) {
  esc <- do_escalc(measure, d)
  dd <- data.frame(yi = as.numeric(esc$yi), vi = as.numeric(esc$vi), year = d$year)
  res <- rma(yi, vi, data = dd, method = method, level = LEVEL, control = tight_ctrl(dd$yi, dd$vi, method))
  cm <- cumul(res, order = year)
  ord <- order(dd$year)                       # what cumul() uses (stable; ties keep data order)
  rows <- lapply(seq_along(cm$estimate), function(i) {
    list(k = i, added = ord[i] - 1L, estimate = num(cm$estimate[i]), se = num(cm$se[i]),
         ci_lower = num(cm$ci.lb[i]), ci_upper = num(cm$ci.ub[i]), pvalue = num(cm$pval[i]),
         tau2 = num(cm$tau2[i]), i2 = num(cm$I2[i]), h2 = num(cm$H2[i]),
         q = num(cm$Q[i]), q_pvalue = num(cm$Qp[i]))
  })
  list(id = id, dataset = dataset, measure = measure, method = method, hk = FALSE, order = "year",
       order_index = intv(ord - 1L), year = numv(d$year),
       data = data_json(d, cols), escalc = list(yi = numv(dd$yi), vi = numv(dd$vi)), rows = rows)
}
cumulative <- list(
  cum_case("bcg_RR_REML", "dat.bcg", "RR", "REML", bcg, BIN_COLS),
  cum_case("bcg_RR_DL", "dat.bcg", "RR", "DL", bcg, BIN_COLS)
)

## ------------------------------------------------------------------ SUBGROUP
sub_case <- function(id, dataset, measure, method, d, cols, groupvar) {
  esc <- do_escalc(measure, d)
  yi <- as.numeric(esc$yi); vi <- as.numeric(esc$vi)
  g <- d[[groupvar]]
  lev <- sort(unique(g))
  groups <- list(); ests <- c(); ses <- c()
  for (lv in lev) {
    sel <- which(g == lv)
    res <- rma(yi = yi[sel], vi = vi[sel], method = method, level = LEVEL,
               control = tight_ctrl(yi[sel], vi[sel], method))
    s <- summ_uni(res, method, backtransf_spec(measure, d), CI_CTRL)
    r <- s$result
    for (nm in c("tau2", "tau2_ci_lower", "tau2_ci_upper", "pi_lower", "pi_upper", "backtransformed"))
      if (is.null(r[[nm]])) r[nm] <- list(NULL)
    grp <- list(rows = intv(sel - 1L), result = r)
    grp <- c(grp, s$diag)
    groups[[lv]] <- grp
    ests <- c(ests, coef(res)); ses <- c(ses, res$se)
  }
  bt <- rma(yi = ests, sei = ses, method = "FE")
  mx <- rma(yi = yi, vi = vi, mods = ~ factor(g), method = method, level = LEVEL, control = CTRL)   # converges at 1e-14 for bcg
  list(id = id, dataset = dataset, measure = measure, method = method, hk = FALSE, group_by = groupvar,
       group_levels = strv(lev), group = strv(g),
       data = data_json(d, cols), escalc = list(yi = numv(yi), vi = numv(vi)),
       groups = groups,
       between = list(q = num(bt$QE), df = length(lev) - 1L, pvalue = num(bt$QEp)),
       between_mixed = list(qm = num(mx$QM), df = as.integer(mx$QMdf[1]), pvalue = num(mx$QMp),
                            tau2 = num(mx$tau2), qe = num(mx$QE), qe_df = mx$k - mx$p, qe_pvalue = num(mx$QEp)))
}
subgroup <- list(
  sub_case("bcg_RR_DL_alloc", "dat.bcg", "RR", "DL", bcg, BIN_COLS, "alloc"),
  sub_case("bcg_RR_REML_alloc", "dat.bcg", "RR", "REML", bcg, BIN_COLS, "alloc")
)

## ------------------------------------------------------------------ write
ctrl_json <- function(x) lapply(x, function(v) num(v))
out <- list(
  metafor_version = as.character(packageVersion("metafor")),
  r_version = R.version.string,
  jsonlite_version = as.character(packageVersion("jsonlite")),
  level = LEVEL,
  control = list(rma = ctrl_json(CTRL), confint = ctrl_json(CI_CTRL),
                 note = paste("'result' uses these tight control settings; 'result_default_control'",
                              "(random-effects fits) uses metafor defaults (threshold 1e-5,",
                              "uniroot tol .Machine$double.eps^0.25). See NOTES.md.")),
  pool = pool,
  bias = bias,
  leave1out = leave1out_list,
  cumulative = cumulative,
  subgroup = subgroup
)
write_json(out, out_path, digits = NA, auto_unbox = TRUE, pretty = TRUE, null = "null", na = "null",
           json_verbatim = TRUE)
cat(sprintf("wrote %s: pool=%d bias=%d leave1out=%d cumulative=%d subgroup=%d\n", out_path,
            length(pool), length(bias), length(leave1out_list), length(cumulative), length(subgroup)))
