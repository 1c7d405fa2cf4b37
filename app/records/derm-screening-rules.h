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
/* The most severe severity in @findings, or -1 when empty */
int        derm_findings_worst_severity   (GPtrArray     *findings);

G_END_DECLS
