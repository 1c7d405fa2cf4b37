/* derm-aftercare-sheet.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The aftercare sheet handed over after a session: the protocol's advice
 * (Preferences → Documents) merged with the session (date, areas, needle
 * depths, practitioner) and the client's next booked appointment, under
 * the clinic's letterhead.
 */
#pragma once

#include "derm-document.h"

G_BEGIN_DECLS

/* NULL with DERM_STORE_ERROR_NOT_FOUND when there is no session
 * @treatment_id. The footer carries the session's date, not today's. */
DermDocument *derm_aftercare_sheet_new (DermStore  *store,
                                        gint64      treatment_id,
                                        GError    **error);

/* "Thursday 31 December 2026 at 10:00" (with "(follow-up photos)" for a
 * photo visit) for the client's first booked appointment after @day, and
 * its day in @next_day (nullable); "" when none is booked, NULL with
 * @error when the store fails */
char         *derm_document_next_appointment (DermStore    *store,
                                              gint64        client_id,
                                              const GDate  *day,
                                              GDate        *next_day,
                                              GError      **error);

G_END_DECLS
