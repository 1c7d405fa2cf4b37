/* derm-screening-rules.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Turns a client's latest screening into findings. Pure logic: no SQL,
 * no widgets, the date passed in. The thresholds live in one table
 * (derm-screening-rules.c) and are listed in the README.
 */
#pragma once

#include "derm-types.h"
#include "derm-finding.h"
#include "derm-screening.h"

G_BEGIN_DECLS

typedef struct
{
  guint isotretinoin_months;      /* contraindicated within this many months of the last dose */
  guint retinoid_stop_days;       /* caution when stopped fewer than this many days ago */
  guint rescreen_months;          /* a screening older than this is out of date */
} DermScreeningThresholds;

const DermScreeningThresholds *derm_screening_thresholds (void);

/* @latest may be NULL (never screened). @today may be NULL for the real
 * today. Returns a new array of DermFinding, most severe first; empty
 * when nothing applies. */
GPtrArray *derm_screening_evaluate        (DermScreening *latest,
                                           const GDate   *today);
/* The questions whose "yes" can rule out treatment (the rules of
 * severity contraindication), in the table's order */
const DermQuestion *derm_screening_contraindication_questions (guint *n_questions);
/* "Do Not Treat": the reason of the first contraindication that
 * derm_screening_evaluate() finds in @latest on @today (NULL: the real
 * today), or NULL when there is none. Looks only at the contraindication
 * questions' "yes" answers, so a list of many clients can ask for it with
 * only those answers loaded. */
char      *derm_screening_do_not_treat    (DermScreening *latest,
                                           const GDate   *today);
/* A contraindication override needs a written reason at least this long */
#define DERM_OVERRIDE_REASON_MIN_LENGTH 10

/* Whether a treatment session may be recorded with @findings (evaluated
 * on the session's date): every contraindication must be overridden by
 * the session's written override reason. Fails with
 * DERM_VALIDATION_ERROR_CONTRAINDICATED naming the first finding. On
 * success, *overridden (may be NULL) receives the codes of the
 * contraindications the reason overrides, comma-separated, or NULL when
 * there were none. */
gboolean   derm_findings_allow_treatment  (GPtrArray     *findings,
                                           DermTreatment *treatment,
                                           char         **overridden,
                                           GError       **error);
/* The codes of the cautions in @findings, comma-separated, or NULL */
char      *derm_findings_caution_codes    (GPtrArray     *findings);
/* The most severe severity in @findings, or -1 when empty */
int        derm_findings_worst_severity   (GPtrArray     *findings);

G_END_DECLS
