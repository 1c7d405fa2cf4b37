/* derm-store-documents.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the printed documents need from the store: the clinic's letterhead
 * (name, a contact line, a PNG logo, the paper size) and the aftercare
 * advice per protocol.
 */
#pragma once

#include "derm-store.h"
#include "derm-aftercare-template.h"

G_BEGIN_DECLS

/* The largest logo accepted, in bytes */
#define DERM_LOGO_MAX_BYTES (2 * 1024 * 1024)

typedef enum
{
  DERM_PAPER_A4,
  DERM_PAPER_LETTER,
} DermPaper;

const char   *derm_paper_to_key               (DermPaper     paper);
/* "a4" or "letter" (any case) */
gboolean      derm_paper_from_key             (const char   *key,
                                               DermPaper    *paper);

/* Each out-parameter may be NULL. An unset name or contact is "", an
 * unset logo NULL. */
gboolean      derm_store_get_letterhead       (DermStore    *self,
                                               char        **clinic_name,
                                               char        **contact,
                                               GBytes      **logo_png,
                                               DermPaper    *paper,
                                               GError      **error);
/* Name and contact are single lines (DERM_VALIDATION_ERROR otherwise);
 * @logo_png is NULL for none, else a PNG file's bytes of at most
 * DERM_LOGO_MAX_BYTES (the caller checks that it decodes). */
gboolean      derm_store_set_letterhead       (DermStore    *self,
                                               const char   *clinic_name,
                                               const char   *contact,
                                               GBytes       *logo_png,
                                               DermPaper     paper,
                                               GError      **error);

/* The advice for @protocol_id (0: sessions outside a series): the one
 * saved, or the built-in advice when none was */
DermAftercareTemplate *derm_store_get_aftercare_template (DermStore  *self,
                                                          gint64      protocol_id,
                                                          GError    **error);
/* Validates and saves; sets updated-at. A protocol id that names no
 * protocol is DERM_STORE_ERROR_NOT_FOUND. */
gboolean      derm_store_save_aftercare_template (DermStore            *self,
                                                  DermAftercareTemplate *template_,
                                                  GError              **error);
/* Forgets the saved advice: the built-in advice applies again */
gboolean      derm_store_reset_aftercare_template (DermStore *self,
                                                   gint64     protocol_id,
                                                   GError   **error);

/* The protocol of the series whose appointment was marked done with
 * session @treatment_id: its id (0 when the session is outside a series
 * or the protocol was deleted) and, in @protocol_name, the name the
 * series was booked under (NULL outside a series) */
gboolean      derm_store_get_treatment_protocol (DermStore  *self,
                                                 gint64      treatment_id,
                                                 gint64     *protocol_id,
                                                 char      **protocol_name,
                                                 GError    **error);

G_END_DECLS
