/* derm-client.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "derm-types.h"
#include "derm-enums.h"

G_BEGIN_DECLS

#define DERM_TYPE_CLIENT (derm_client_get_type ())
G_DECLARE_FINAL_TYPE (DermClient, derm_client, DERM, CLIENT, GObject)

/* Dates are ISO 8601 calendar dates ("1985-03-14") or NULL when unset;
 * timestamps (created-at, updated-at) are ISO 8601 UTC date-times. Empty
 * strings given to setters are stored as NULL. */

DermClient   *derm_client_new               (void);
DermClient   *derm_client_copy              (DermClient   *self);

gint64        derm_client_get_id            (DermClient   *self);
void          derm_client_set_id            (DermClient   *self,
                                             gint64        id);
const char   *derm_client_get_name          (DermClient   *self);
void          derm_client_set_name          (DermClient   *self,
                                             const char   *name);
const char   *derm_client_get_date_of_birth (DermClient   *self);
void          derm_client_set_date_of_birth (DermClient   *self,
                                             const char   *date);
const char   *derm_client_get_phone         (DermClient   *self);
void          derm_client_set_phone         (DermClient   *self,
                                             const char   *phone);
const char   *derm_client_get_email         (DermClient   *self);
void          derm_client_set_email         (DermClient   *self,
                                             const char   *email);
guint         derm_client_get_fitzpatrick   (DermClient   *self);
void          derm_client_set_fitzpatrick   (DermClient   *self,
                                             guint         type);
DermConcerns  derm_client_get_concerns      (DermClient   *self);
void          derm_client_set_concerns      (DermClient   *self,
                                             DermConcerns  concerns);
const char   *derm_client_get_goals         (DermClient   *self);
void          derm_client_set_goals         (DermClient   *self,
                                             const char   *goals);
const char   *derm_client_get_notes         (DermClient   *self);
void          derm_client_set_notes         (DermClient   *self,
                                             const char   *notes);
gboolean      derm_client_get_archived      (DermClient   *self);
void          derm_client_set_archived      (DermClient   *self,
                                             gboolean      archived);
const char   *derm_client_get_created_at    (DermClient   *self);
void          derm_client_set_created_at    (DermClient   *self,
                                             const char   *timestamp);
const char   *derm_client_get_updated_at    (DermClient   *self);
void          derm_client_set_updated_at    (DermClient   *self,
                                             const char   *timestamp);
/* Date of the latest treatment session, filled in by the store; NULL if none */
const char   *derm_client_get_last_visit    (DermClient   *self);
void          derm_client_set_last_visit    (DermClient   *self,
                                             const char   *date);
/* The reason of the first contraindication of the latest screening
 * today ("Do Not Treat"), NULL when there is none. Filled in by the
 * store's client list; not stored. */
const char   *derm_client_get_do_not_treat  (DermClient   *self);
void          derm_client_set_do_not_treat  (DermClient   *self,
                                             const char   *reason);

/* Case- and accent-folded "name phone email", kept up to date by the
 * setters, for live search. */
const char   *derm_client_get_search_key    (DermClient   *self);
/* TRUE when every whitespace-separated word of the query (folded the
 * same way) occurs in the search key. An empty query matches. */
gboolean      derm_client_matches           (DermClient   *self,
                                             const char   *folded_query);

/* Folds text for search: NFKD, combining marks dropped, casefolded.
 * Phone numbers keep only their digits in an extra run so "0612" finds
 * "06 12 34". */
char         *derm_fold_for_search          (const char   *text);

/* Why two client records may be the same person */
typedef enum
{
  DERM_DUPLICATE_NONE = 0,
  DERM_DUPLICATE_NAME_AND_BIRTH,  /* the same name, folded as search folds it, and date of birth */
  DERM_DUPLICATE_PHONE,           /* the same phone number (its digits; "+49 170…" is "0170…") */
  DERM_DUPLICATE_EMAIL,           /* the same email address, case aside */
} DermDuplicateReason;

/* Whether @a and @b look like the same person (their ids aside) */
DermDuplicateReason derm_client_duplicate_reason (DermClient *a,
                                                  DermClient *b);
/* "Possible duplicate of Zoë Müller (born 1990-06-01, client 12): the
 * same name and date of birth" */
char         *derm_client_describe_duplicate (DermClient          *existing,
                                              DermDuplicateReason  reason);

G_END_DECLS
