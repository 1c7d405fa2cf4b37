/* derm-finding.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the screening rules conclude about a client: one finding per
 * reason to stop, take care or re-screen.
 */
#pragma once

#include <glib-object.h>

#include "derm-types.h"

G_BEGIN_DECLS

typedef enum
{
  DERM_SEVERITY_CONTRAINDICATION = 0,  /* do not treat */
  DERM_SEVERITY_CAUTION          = 1,  /* treat only after review */
  DERM_SEVERITY_INFO             = 2,  /* worth knowing, no action needed */
} DermSeverity;

/* "contraindication", "caution", "info" */
const char   *derm_severity_to_key     (DermSeverity severity);
const char   *derm_severity_to_label   (DermSeverity severity);

#define DERM_TYPE_FINDING (derm_finding_get_type ())
G_DECLARE_FINAL_TYPE (DermFinding, derm_finding, DERM, FINDING, GObject)

/* @code is a stable machine key ("isotretinoin-recent"); @reason is the
 * translated plain-language sentence; @until is the ISO date the finding
 * stops applying, or NULL when it does not lapse by itself. */
DermFinding  *derm_finding_new         (DermSeverity  severity,
                                        const char   *code,
                                        const char   *reason,
                                        const char   *until);
DermSeverity  derm_finding_get_severity (DermFinding *self);
const char   *derm_finding_get_code     (DermFinding *self);
const char   *derm_finding_get_reason   (DermFinding *self);
const char   *derm_finding_get_until    (DermFinding *self);

G_END_DECLS
